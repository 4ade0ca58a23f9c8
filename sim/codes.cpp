#include "sim/codes.hpp"

#include <stdexcept>
#include <vector>

namespace kaigo::sim {

std::string local_government_code(std::string_view five) {
  if (five.size() != 5) throw std::invalid_argument("local_government_code: five digits expected");
  constexpr int kWeights[5] = {6, 5, 4, 3, 2};
  int sum = 0;
  for (int i = 0; i < 5; ++i) sum += (five[i] - '0') * kWeights[i];
  return std::string(five) + static_cast<char>('0' + (11 - sum % 11) % 10);
}

std::string with_insurer_check_digit(std::string_view digits) {
  int sum = 0, weight = 2;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    const int product = (*it - '0') * weight;
    sum += product / 10 + product % 10;
    weight = weight == 2 ? 1 : 2;
  }
  return std::string(digits) + static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string city_insurer_no() { return local_government_code(kCityCode5); }

std::string city_kokuho_insurer_no() { return with_insurer_check_digit("14980"); }

namespace {

constexpr Municipality kFormer[] = {
    {"14100", "神奈川県横浜市", 220}, {"14130", "神奈川県川崎市", 110}, {"14150", "神奈川県相模原市", 50},
    {"14201", "神奈川県横須賀市", 30}, {"14204", "神奈川県鎌倉市", 20}, {"14205", "神奈川県藤沢市", 35},
    {"13112", "東京都世田谷区", 60},  {"13111", "東京都大田区", 45},    {"13120", "東京都練馬区", 40},
    {"13209", "東京都町田市", 30},    {"11100", "埼玉県さいたま市", 35}, {"12100", "千葉県千葉市", 30},
    {"01100", "北海道札幌市", 25},    {"04100", "宮城県仙台市", 20},    {"23100", "愛知県名古屋市", 30},
    {"27100", "大阪府大阪市", 35},    {"40130", "福岡県福岡市", 25},
};

}  // namespace

std::span<const Municipality> former_municipalities() { return kFormer; }

std::span<const std::uint32_t> former_municipality_weights() {
  static const std::vector<std::uint32_t> weights = [] {
    std::vector<std::uint32_t> w;
    for (const auto& m : kFormer) w.push_back(m.weight);
    return w;
  }();
  return weights;
}

}  // namespace kaigo::sim

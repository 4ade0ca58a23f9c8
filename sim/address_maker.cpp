#include "sim/address_maker.hpp"

#include <array>

#include <fmt/format.h>

#include "sim/codes.hpp"

namespace kaigo::sim {

namespace {

constexpr Ward kWards[] = {
    {"中央区", "981", 18}, {"北区", "982", 17}, {"東区", "983", 16},
    {"南区", "984", 18},   {"西区", "985", 15}, {"青葉区", "986", 16},
};
constexpr auto kWardWeights = [] {
  std::array<std::uint32_t, std::size(kWards)> w{};
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = kWards[i].weight;
  return w;
}();

constexpr std::string_view kTowns[6][6] = {
    {"本町", "栄町", "錦町", "旭町", "駅前", "城山"},
    {"桜台", "若葉台", "松ヶ丘", "北山町", "朝日町", "泉町"},
    {"日の出町", "東浜", "港町", "汐見台", "浜田町", "新田"},
    {"南台", "富士見町", "梅ヶ丘", "緑町", "宮前", "大倉"},
    {"西原", "柳町", "竹の内", "杉並台", "高松町", "岩戸"},
    {"青葉台", "美しが丘", "若草台", "藤が丘", "桂台", "みたけ台"},
};

constexpr std::string_view kBuildings[] = {
    "みどりハイツ", "コーポ桜", "メゾン青葉", "サンライズ", "グランパレス", "パークヒルズ", "レジデンス錦", "ハイム港",
};

}  // namespace

std::span<const Ward> wards() { return kWards; }

Address make_address(Prng& prng) {
  const auto w = prng.pick(kWardWeights);
  const auto town = prng.below(6);
  const auto chome = prng.between(1, 5);
  const auto ban = prng.between(1, 30);
  const auto go = prng.between(1, 20);
  Address a;
  a.postal_code = fmt::format("29{}{}{}00", w + 1, town, chome);
  a.text = fmt::format("{}{}{}{}{}丁目{}番{}号", kPrefectureName, kCityName, kWards[w].name, kTowns[w][town], chome, ban, go);
  if (prng.chance(45, 100)) {
    a.text += fmt::format(" {}{}{:02}", kBuildings[prng.below(std::size(kBuildings))], prng.between(1, 9), prng.between(1, 10));
  }
  a.ward_code = std::string(kWards[w].ward_code);
  return a;
}

}  // namespace kaigo::sim

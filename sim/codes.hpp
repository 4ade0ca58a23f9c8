#pragma once
// Public code systems the synthetic city uses, with their check digits, and the city's own codes.
//
// みどり市 is fictional: it takes the unused 全国地方公共団体コード 14980 (神奈川県 ends well
// below 14500), so no code of the city can collide with a real municipality's. Its wards use
// 14981–14986, and person.ward_code holds their last three digits ("981"…"986"), the way a real
// 政令市's wards are numbered after the city (横浜市 14100 → 鶴見区 14101).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace kaigo::sim {

// 全国地方公共団体コード: the five digits plus the check digit (総務省「全国地方公共団体コード」:
// digits weighted 6,5,4,3,2, check = (11 − sum mod 11) mod 10). "14100" → "141003" (横浜市).
std::string local_government_code(std::string_view five_digits);

// 保険者番号 (医療保険, 介護保険 alike): the digits plus the check digit (保険者番号等の設定基準:
// from the last digit leftwards multiply by 2, 1, 2, …, add the digits of each product, and
// check = (10 − sum mod 10) mod 10). "0113001" → "01130012".
std::string with_insurer_check_digit(std::string_view digits);

inline constexpr std::string_view kPrefectureName = "神奈川県";
inline constexpr std::string_view kCityName = "みどり市";
inline constexpr std::string_view kCityCode5 = "14980";

// The city's 介護保険 insurer_no: its 6-digit 全国地方公共団体コード, "149802".
std::string city_insurer_no();
// The city's 国民健康保険 insurer_no: "14" + "980" with the 保険者番号 check digit, "149807".
std::string city_kokuho_insurer_no();

// A municipality people move in from: a real 5-digit code (check digit computed) and its name.
struct Municipality {
  std::string_view code5;
  std::string_view name;  // prefecture + municipality, e.g. 神奈川県横浜市
  std::uint32_t weight;   // how often movers come from there (neighbours and big cities first)
};
std::span<const Municipality> former_municipalities();
std::span<const std::uint32_t> former_municipality_weights();

// 年金保険者コード used on pension rows (the 3-digit codes of the 特別徴収 exchange files).
inline constexpr std::string_view kPensionInsurerJps = "001";          // 厚生労働大臣 (日本年金機構)
inline constexpr std::string_view kPensionInsurerNationalKyosai = "002";  // 国家公務員共済組合連合会
inline constexpr std::string_view kPensionInsurerLocalKyosai = "003";     // 地方公務員共済組合

}  // namespace kaigo::sim

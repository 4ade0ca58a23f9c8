// Check digits of the public code systems the city uses, proven on real published codes.
#include <gtest/gtest.h>

#include "sim/codes.hpp"

namespace kaigo::sim {
namespace {

TEST(SimCodes, LocalGovernmentCodeCheckDigit) {
  // 総務省 全国地方公共団体コード (published six-digit codes).
  struct Case {
    const char* five;
    const char* six;
  } cases[] = {
      {"14100", "141003"},  // 横浜市
      {"14130", "141305"},  // 川崎市
      {"14150", "141500"},  // 相模原市 (remainder 1 → check 0)
      {"14205", "142051"},  // 藤沢市 (remainder 0 → check 1)
      {"13112", "131121"},  // 世田谷区
      {"01100", "011002"},  // 札幌市
      {"27100", "271004"},  // 大阪市
  };
  for (const auto& c : cases) EXPECT_EQ(local_government_code(c.five), c.six) << c.five;
}

TEST(SimCodes, InsurerNumberCheckDigit) {
  // 協会けんぽ 東京支部 01130012 and 神奈川支部 01140011.
  EXPECT_EQ(with_insurer_check_digit("0113001"), "01130012");
  EXPECT_EQ(with_insurer_check_digit("0114001"), "01140011");
}

TEST(SimCodes, CityCodesAreWellFormedAndFictional) {
  EXPECT_EQ(city_insurer_no(), "149802");
  EXPECT_EQ(city_kokuho_insurer_no().size(), 6u);
  for (const auto& m : former_municipalities()) {
    EXPECT_EQ(m.code5.size(), 5u);
    EXPECT_NE(m.code5, kCityCode5);
  }
}

}  // namespace
}  // namespace kaigo::sim

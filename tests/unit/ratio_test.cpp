#include <gtest/gtest.h>

#include "core/ratio.hpp"

using kaigo::Ratio;
using kaigo::Rounding;
using kaigo::RoundingMethod;
using kaigo::Yen;

namespace {

TEST(Ratio, ParsesDecimalsExactly) {
  EXPECT_EQ(*Ratio::parse("0.455"), Ratio(455, 1000));
  EXPECT_EQ(Ratio::parse("0.455")->str(), "91/200");
  EXPECT_EQ(*Ratio::parse("2.4"), Ratio(12, 5));
  EXPECT_EQ(*Ratio::parse("1"), Ratio(1, 1));
  EXPECT_EQ(*Ratio::parse("7/12"), Ratio(7, 12));
  EXPECT_EQ(Ratio::parse("0.455")->decimal(), "0.455");
  EXPECT_EQ(Ratio(7, 12).decimal(), "7/12");
  EXPECT_EQ(Ratio(3, 1).decimal(), "3");
  for (const char* bad : {"", "abc", "1.2.3", "-1", "1/0", ".5x"}) EXPECT_FALSE(Ratio::parse(bad).has_value()) << bad;
}

struct RoundCase {
  std::int64_t num, den, unit;
  RoundingMethod method;
  std::int64_t expected;
  const char* note;
};

const RoundCase kRoundCases[] = {
    {12345, 1, 100, RoundingMethod::floor, 12300, "100円未満切捨て"},
    {12350, 1, 100, RoundingMethod::half_up, 12400, "四捨五入 at exactly half goes up"},
    {12349, 1, 100, RoundingMethod::half_up, 12300, "below half goes down"},
    {12301, 1, 100, RoundingMethod::ceil, 12400, "切上げ"},
    {12300, 1, 100, RoundingMethod::ceil, 12300, "exact stays"},
    {7, 2, 1, RoundingMethod::half_up, 4, "3.5 → 4"},
    {7, 2, 1, RoundingMethod::floor, 3, "3.5 → 3"},
    {-7, 2, 1, RoundingMethod::floor, -4, "negative floors toward −∞ (refund differences)"},
    {-7, 2, 1, RoundingMethod::ceil, -3, "negative ceil toward +∞"},
};

TEST(Rounding, NamedSteps) {
  for (const auto& c : kRoundCases) {
    Rounding r{c.unit, c.method};
    EXPECT_EQ(r.apply(c.num, c.den), c.expected) << c.note;
  }
}

TEST(Ratio, OfYen) {
  // 基準額 74,400 × 0.455 = 33,852 → floored to 10 yen 33,850.
  EXPECT_EQ(Ratio::parse("0.455")->of(Yen(74400), Rounding{10, RoundingMethod::floor}), Yen(33850));
  // Monthly proration: 74,400 × 7/12 = 43,400 exactly.
  EXPECT_EQ(Ratio(7, 12).of(Yen(74400), Rounding{1, RoundingMethod::floor}), Yen(43400));
  EXPECT_FALSE(Rounding::parse(5, "floor").has_value());
  EXPECT_FALSE(Rounding::parse(100, "round").has_value());
  EXPECT_TRUE(Rounding::parse(100, "half_up").has_value());
}

}  // namespace

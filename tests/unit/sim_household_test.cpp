// The synthetic city's people are shaped like a Japanese city: age shares near 人口推計 2024
// (65+ ≈ 29%, 40–64 ≈ 33%, under 15 ≈ 11–12%), more women at old ages, and households whose
// relations fit the members' ages.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/age_pyramid.hpp"
#include "sim/household_maker.hpp"

namespace kaigo::sim {
namespace {

struct Shares {
  double aged_65_plus, aged_40_64, under_15, women_85_plus, people_per_household;
};

Shares shares_of(int households, std::uint64_t seed) {
  Prng prng(seed);
  long people = 0, old = 0, middle = 0, young = 0, very_old = 0, very_old_women = 0;
  for (int i = 0; i < households; ++i) {
    for (const auto& m : make_household(prng).members) {
      ++people;
      if (m.age >= 65) ++old;
      if (m.age >= 40 && m.age <= 64) ++middle;
      if (m.age < 15) ++young;
      if (m.age >= 85) {
        ++very_old;
        if (m.sex == '2') ++very_old_women;
      }
    }
  }
  const double n = static_cast<double>(people);
  return {old / n, middle / n, young / n, static_cast<double>(very_old_women) / static_cast<double>(very_old),
          n / households};
}

TEST(SimHousehold, AgeSharesLikeAJapaneseCity) {
  const Shares s = shares_of(100'000, 1);
  EXPECT_GT(s.aged_65_plus, 0.27);
  EXPECT_LT(s.aged_65_plus, 0.32);
  EXPECT_GT(s.aged_40_64, 0.30);
  EXPECT_LT(s.aged_40_64, 0.37);
  EXPECT_GT(s.under_15, 0.09);
  EXPECT_LT(s.under_15, 0.14);
  EXPECT_GT(s.women_85_plus, 0.55);
  // 国勢調査 2020: 2.21 people per household nationally, fewer in the big cities.
  EXPECT_GT(s.people_per_household, 1.9);
  EXPECT_LT(s.people_per_household, 2.4);
}

TEST(SimHousehold, OneHeadFirstAndRelationsFitAges) {
  Prng prng(3);
  for (int i = 0; i < 20'000; ++i) {
    const Household h = make_household(prng);
    ASSERT_FALSE(h.members.empty());
    EXPECT_EQ(h.members[0].relation, "世帯主");
    const int head_age = h.members[0].age;
    int heads = 0;
    for (const auto& m : h.members) {
      ASSERT_GE(m.age, 0);
      ASSERT_LE(m.age, kMaxAge);
      if (m.relation == "世帯主") ++heads;
      if (m.relation == "妻") {
        EXPECT_EQ(m.sex, '2');
      }
      if (m.relation == "夫") {
        EXPECT_EQ(m.sex, '1');
      }
      if (m.relation == "妻" || m.relation == "夫") {
        EXPECT_GE(m.age, 18);
      }
      if (m.relation == "子") {
        EXPECT_LE(m.age, head_age - 15) << "a child is younger than the head by 15+ years";
      }
      if (m.relation == "父" || m.relation == "母") {
        EXPECT_GE(m.age, head_age + 15);
      }
      if (m.relation == "孫") {
        EXPECT_LE(m.age, head_age - 35);
      }
    }
    EXPECT_EQ(heads, 1);
  }
}

TEST(SimAgePyramid, DrawAgeStaysInRange) {
  Prng prng(9);
  for (int i = 0; i < 10'000; ++i) {
    const int a = draw_age(prng, 65, 70);
    ASSERT_GE(a, 65);
    ASSERT_LE(a, 70);
  }
  for (int i = 0; i < 100; ++i) EXPECT_EQ(draw_age(prng, 40, 40), 40);
}

TEST(SimAgePyramid, MoreWomenAtOldAges) {
  EXPECT_NEAR(female_per_mille(30), 490, 10);
  EXPECT_GT(female_per_mille(90), 700);
  EXPECT_GT(female_per_mille(100), female_per_mille(80));
}

}  // namespace
}  // namespace kaigo::sim

#include <gtest/gtest.h>

#include "core/date.hpp"

using kaigo::Date;

namespace {

struct AgeCase {
  const char* birth;
  const char* on;
  int age;
  const char* source;
};

// 年齢計算ニ関スル法律 + 民法143条: an age is reached at the end of the day before the birthday.
const AgeCase kAgeCases[] = {
    {"1959-06-02", "2024-06-01", 65, "rules.md §1 example: born 1959-06-02 → 65 on 2024-06-01"},
    {"1959-06-02", "2024-05-31", 64, "one day before that"},
    {"1959-06-01", "2024-05-31", 65, "rules.md §1 example: born 1959-06-01 → 2024-05-31"},
    {"1959-01-01", "2023-12-31", 65, "born on 1 January: the age is reached on 31 December of the year before"},
    {"1959-01-01", "2023-12-30", 64, "the day before that"},
    {"1960-02-29", "2025-02-28", 65, "leap-day birth in a common year: reached on 28 February"},
    {"1960-02-29", "2025-02-27", 64, "the day before that"},
    {"1964-02-29", "2024-02-28", 60, "leap-day birth in a leap year: reached on 28 February"},
    {"1984-03-01", "2024-02-29", 40, "born on 1 March: reached on the leap day"},
    {"2000-05-10", "2000-05-10", 0, "the birth day itself"},
};

TEST(Date, AgeIsReachedTheDayBeforeTheBirthday) {
  for (const auto& c : kAgeCases) {
    auto birth = *Date::parse(c.birth);
    auto on = *Date::parse(c.on);
    EXPECT_EQ(on.age_of(birth), c.age) << c.source;
  }
}

TEST(Date, ReachesAge) {
  EXPECT_EQ(Date::reaches_age(*Date::parse("1959-06-02"), 65).iso(), "2024-06-01");
  EXPECT_EQ(Date::reaches_age(*Date::parse("1959-06-01"), 65).iso(), "2024-05-31");
  EXPECT_EQ(Date::reaches_age(*Date::parse("1960-02-29"), 65).iso(), "2025-02-28");
  EXPECT_EQ(Date::reaches_age(*Date::parse("1959-01-01"), 65).iso(), "2023-12-31");
}

TEST(Date, ParseRejectsDatesThatDoNotExist) {
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-04-31", "2024-4-1", "20240401", "", "abcd-ef-gh", "2024-00-10"}) {
    auto r = Date::parse(bad);
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().kind, kaigo::ErrorKind::invalid_input);
    }
  }
  EXPECT_TRUE(Date::parse("2024-02-29").has_value());
  EXPECT_EQ(Date::parse_compact("20240229")->iso(), "2024-02-29");
  EXPECT_FALSE(Date::parse_compact("20230229").has_value());
}

TEST(Date, FiscalYearStartsInApril) {
  EXPECT_EQ(Date::parse("2025-03-31")->fiscal_year(), 2024);
  EXPECT_EQ(Date::parse("2025-04-01")->fiscal_year(), 2025);
  EXPECT_EQ(Date::parse("2025-12-31")->fiscal_year(), 2025);
  EXPECT_EQ(Date::parse("2026-01-01")->fiscal_year(), 2025);
}

TEST(Date, MonthArithmeticClampsToTheMonthEnd) {
  EXPECT_EQ(Date::parse("2025-01-31")->add_months(1).iso(), "2025-02-28");
  EXPECT_EQ(Date::parse("2024-01-31")->add_months(1).iso(), "2024-02-29");
  EXPECT_EQ(Date::parse("2025-05-15")->add_months(6).last_of_month().iso(), "2025-11-30");
  EXPECT_EQ(Date::parse("2025-02-10")->last_of_month().iso(), "2025-02-28");
  EXPECT_EQ(Date::parse("2025-11-30")->add_months(-12).iso(), "2024-11-30");
}

struct WarekiCase {
  const char* iso;
  const char* wareki;
};

const WarekiCase kWarekiCases[] = {
    {"2019-04-30", "平成31年4月30日"}, {"2019-05-01", "令和元年5月1日"}, {"2025-04-01", "令和7年4月1日"},
    {"1989-01-07", "昭和64年1月7日"},  {"1989-01-08", "平成元年1月8日"}, {"1926-12-25", "昭和元年12月25日"},
    {"1926-12-24", "大正15年12月24日"}, {"1945-08-15", "昭和20年8月15日"},
};

TEST(Date, Wareki) {
  for (const auto& c : kWarekiCases) EXPECT_EQ(kaigo::to_wareki(*Date::parse(c.iso)), c.wareki) << c.iso;
}

}  // namespace

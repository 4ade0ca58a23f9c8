#pragma once
// Calendar dates (no time zone, no time of day) and the date arithmetic of the law.
#include <chrono>
#include <compare>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace kaigo {

class Date {
 public:
  Date() = default;  // 1970-01-01
  Date(int year, unsigned month, unsigned day);  // throws std::invalid_argument if not a real date
  explicit Date(std::chrono::sys_days days) : days_(days) {}

  // Parses "YYYY-MM-DD" (ISO, as stored and sent on APIs); rejects dates that do not exist.
  static Result<Date> parse(std::string_view iso);
  // Parses "YYYYMMDD" (counterpart files).
  static Result<Date> parse_compact(std::string_view yyyymmdd);

  int year() const;
  unsigned month() const;
  unsigned day() const;
  std::chrono::sys_days to_sys_days() const { return days_; }
  std::chrono::year_month_day ymd() const { return std::chrono::year_month_day{days_}; }

  std::string iso() const;      // YYYY-MM-DD
  std::string compact() const;  // YYYYMMDD

  Date add_days(int n) const { return Date(days_ + std::chrono::days{n}); }
  // Same day N months later; clamps to the month's last day (Jan 31 + 1 month = Feb 28/29).
  Date add_months(int n) const;
  Date first_of_month() const;
  Date last_of_month() const;
  int days_until(Date other) const { return (other.days_ - days_).count(); }

  // 年度: the fiscal year is the calendar year in which its April falls (Jan–Mar belong to the
  // previous year's fiscal year).
  int fiscal_year() const;

  // Age in completed years on this date. Under 年齢計算ニ関スル法律 and 民法143条 a person
  // reaches an age at the end of the day before the birthday, so on the day before the birthday
  // the age is already reached (born 1959-06-02 is 65 on 2024-06-01).
  int age_of(Date birth) const;
  // The date on which a person born on `birth` reaches `age` (the day before the birthday).
  static Date reaches_age(Date birth, int age);

  auto operator<=>(const Date&) const = default;

 private:
  std::chrono::sys_days days_{};
};

// 和暦: "令和7年4月1日"; the first year of an era is 元年 ("令和元年5月1日").
// Eras: 明治 from 1868-01-25 (this system only needs 大正 onwards for living people),
// 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
std::string to_wareki(Date d);
// The era and year alone, e.g. "令和7年度" is built from to_wareki_year(fiscal start).
std::string to_wareki_year(Date d);

}  // namespace kaigo

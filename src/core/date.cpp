#include "core/date.hpp"

#include <array>
#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace kaigo {

using namespace std::chrono;

Date::Date(int y, unsigned m, unsigned d) {
  year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) throw std::invalid_argument("not a calendar date");
  days_ = std::chrono::sys_days{ymd};
}

namespace {

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

Result<Date> make(std::string_view ys, std::string_view ms, std::string_view ds, std::string_view raw) {
  int y = 0, m = 0, d = 0;
  if (!parse_int(ys, y) || !parse_int(ms, m) || !parse_int(ds, d))
    return fail(ErrorKind::invalid_input, fmt::format("'{}' is not a date", raw));
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1800 || y > 9999)
    return fail(ErrorKind::invalid_input, fmt::format("'{}' is not a date that exists", raw));
  return Date(std::chrono::sys_days{ymd});
}

}  // namespace

Result<Date> Date::parse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-')
    return fail(ErrorKind::invalid_input, fmt::format("'{}' is not a date in the form YYYY-MM-DD", s));
  return make(s.substr(0, 4), s.substr(5, 2), s.substr(8, 2), s);
}

Result<Date> Date::parse_compact(std::string_view s) {
  if (s.size() != 8) return fail(ErrorKind::invalid_input, fmt::format("'{}' is not a date in the form YYYYMMDD", s));
  return make(s.substr(0, 4), s.substr(4, 2), s.substr(6, 2), s);
}

int Date::year() const { return static_cast<int>(ymd().year()); }
unsigned Date::month() const { return static_cast<unsigned>(ymd().month()); }
unsigned Date::day() const { return static_cast<unsigned>(ymd().day()); }

std::string Date::iso() const { return fmt::format("{:04}-{:02}-{:02}", year(), month(), day()); }
std::string Date::compact() const { return fmt::format("{:04}{:02}{:02}", year(), month(), day()); }

Date Date::add_months(int n) const {
  auto ym = year_month{ymd().year(), ymd().month()} + months{n};
  auto last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
  auto d = ymd().day() > last ? last : ymd().day();
  return Date(std::chrono::sys_days{year_month_day{ym.year(), ym.month(), d}});
}

Date Date::first_of_month() const { return Date(std::chrono::sys_days{ymd().year() / ymd().month() / 1}); }

Date Date::last_of_month() const {
  return Date(std::chrono::sys_days{year_month_day_last{ymd().year(), month_day_last{ymd().month()}}});
}

int Date::fiscal_year() const { return month() >= 4 ? year() : year() - 1; }

Date Date::reaches_age(Date birth, int age) {
  // The anniversary of a 29 February birth in a common year is 1 March (the day after 28 Feb);
  // add_months clamps to 28 Feb, which is then one day early: handle it explicitly.
  Date anniversary = birth.add_months(age * 12);
  if (birth.month() == 2 && birth.day() == 29 && anniversary.day() == 28) anniversary = anniversary.add_days(1);
  return anniversary.add_days(-1);
}

int Date::age_of(Date birth) const {
  if (*this < birth) return 0;
  // Someone born on 1 January reaches an age on 31 December of the year before, so start one
  // above the difference of the years.
  int age = year() - birth.year() + 1;
  while (age > 0 && reaches_age(birth, age) > *this) --age;
  return age;
}

namespace {
struct Era {
  const char* name;
  Date start;
};
}  // namespace

static std::pair<const char*, int> era_of(Date d) {
  static const std::array<Era, 5> eras{{{"令和", Date(2019, 5, 1)},
                                        {"平成", Date(1989, 1, 8)},
                                        {"昭和", Date(1926, 12, 25)},
                                        {"大正", Date(1912, 7, 30)},
                                        {"明治", Date(1868, 1, 25)}}};
  for (const auto& e : eras)
    if (d >= e.start) return {e.name, d.year() - e.start.year() + 1};
  return {"", d.year()};
}

std::string to_wareki_year(Date d) {
  auto [name, y] = era_of(d);
  if (*name == '\0') return fmt::format("{}年", y);
  return y == 1 ? fmt::format("{}元年", name) : fmt::format("{}{}年", name, y);
}

std::string to_wareki(Date d) { return fmt::format("{}{}月{}日", to_wareki_year(d), d.month(), d.day()); }

}  // namespace kaigo

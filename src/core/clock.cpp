#include "core/clock.hpp"

#include <fmt/format.h>

namespace kaigo {

using namespace std::chrono;

namespace {
constexpr hours kJst{9};
}

Date Clock::today() const { return Date(floor<days>(now() + kJst)); }

std::string Clock::timestamp() const {
  auto local = now() + kJst;
  auto d = floor<days>(local);
  hh_mm_ss hms{local - d};
  return fmt::format("{}T{:02}:{:02}:{:02}+09:00", Date(d).iso(), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count());
}

sys_seconds SystemClock::now() const { return floor<seconds>(system_clock::now()); }

FixedClock FixedClock::at(Date d, int hour_jst) {
  return FixedClock(sys_seconds{d.to_sys_days()} + hours{hour_jst} - kJst);
}

}  // namespace kaigo

#include "sim/number_network/settable_clock.hpp"

#include <charconv>

namespace kaigo::sim::network {

using namespace std::chrono;

namespace {

bool number(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc{};
}

}  // namespace

Result<sys_seconds> parse_timestamp(std::string_view text) {
  auto bad = [] { return fail(ErrorKind::invalid_input, "expected YYYY-MM-DDTHH:MM:SS+09:00 or …Z", "now"); };
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') return bad();
  auto date = Date::parse(text.substr(0, 10));
  int h = 0, m = 0, s = 0;
  if (!date || !number(text.substr(11, 2), h) || !number(text.substr(14, 2), m) || !number(text.substr(17, 2), s) ||
      h > 23 || m > 59 || s > 59)
    return bad();
  const std::string_view zone = text.substr(19);
  int offset_minutes = 0;
  if (zone == "Z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int zh = 0, zm = 0;
    if (!number(zone.substr(1, 2), zh) || !number(zone.substr(4, 2), zm) || zh > 14 || zm > 59) return bad();
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (zh * 60 + zm);
  } else {
    return bad();
  }
  return sys_seconds{date->to_sys_days()} + hours{h} + minutes{m} + seconds{s} - minutes{offset_minutes};
}

std::string jst_timestamp(sys_seconds t) { return FixedClock(t).timestamp(); }

}  // namespace kaigo::sim::network

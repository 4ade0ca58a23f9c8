#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace {

TEST(Clock, TodayIsTheDateInJapan) {
  using namespace std::chrono;
  // 2025-03-31 15:30 UTC is 2025-04-01 00:30 JST: already the new fiscal year.
  kaigo::FixedClock c(sys_days{2025y / March / 31} + hours{15} + minutes{30});
  EXPECT_EQ(c.today().iso(), "2025-04-01");
  EXPECT_EQ(c.timestamp(), "2025-04-01T00:30:00+09:00");
  c.advance(hours{24});
  EXPECT_EQ(c.today().iso(), "2025-04-02");
  EXPECT_EQ(kaigo::FixedClock::at(*kaigo::Date::parse("2026-11-24")).today().iso(), "2026-11-24");
}

TEST(Error, KindsMapToHttpStatusInOnePlace) {
  using kaigo::ErrorKind;
  EXPECT_EQ(kaigo::http_status(ErrorKind::invalid_input), 400);
  EXPECT_EQ(kaigo::http_status(ErrorKind::unauthenticated), 401);
  EXPECT_EQ(kaigo::http_status(ErrorKind::forbidden), 403);
  EXPECT_EQ(kaigo::http_status(ErrorKind::not_found), 404);
  EXPECT_EQ(kaigo::http_status(ErrorKind::conflict), 409);
  EXPECT_EQ(kaigo::http_status(ErrorKind::too_many_requests), 429);
  EXPECT_EQ(kaigo::http_status(ErrorKind::unavailable), 503);
  EXPECT_EQ(kaigo::http_status(ErrorKind::internal), 500);
}

}  // namespace

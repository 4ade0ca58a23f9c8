#pragma once
// The one source of "now". Nothing reads the system time directly, so a test can run the
// year-end, a 30-day deadline or a 60-day reminder on any date.
#include <atomic>
#include <chrono>
#include <string>

#include "core/date.hpp"

namespace kaigo {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::sys_seconds now() const = 0;
  // Today in Japan (JST, UTC+9, no daylight saving): the date every business rule uses.
  Date today() const;
  // "2026-11-24T12:34:56+09:00", for records and logs.
  std::string timestamp() const;
};

class SystemClock final : public Clock {
 public:
  std::chrono::sys_seconds now() const override;
};

// A clock that stands still until moved; thread-safe.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::sys_seconds t) : t_(t.time_since_epoch().count()) {}
  static FixedClock at(Date d, int hour_jst = 9);
  std::chrono::sys_seconds now() const override { return std::chrono::sys_seconds{std::chrono::seconds{t_.load()}}; }
  void advance(std::chrono::seconds s) { t_ += s.count(); }
  void set(std::chrono::sys_seconds t) { t_ = t.time_since_epoch().count(); }

 private:
  std::atomic<long long> t_;
};

}  // namespace kaigo

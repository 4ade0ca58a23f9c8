#pragma once
// The simulator's clock when it runs as a service: another clock plus an offset that the control
// endpoint moves (POST /sim/v1/clock), so a test or a demo can let a day of latency pass at once.
// Over SystemClock time keeps flowing; over a FixedClock it stands still between moves.
#include <atomic>
#include <chrono>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace kaigo::sim::network {

class SettableClock final : public Clock {
 public:
  explicit SettableClock(const Clock& base) : base_(base) {}
  std::chrono::sys_seconds now() const override { return base_.now() + std::chrono::seconds{offset_.load()}; }
  void advance(std::chrono::seconds s) { offset_ += s.count(); }
  void set(std::chrono::sys_seconds t) { offset_ = (t - base_.now()).count(); }

 private:
  const Clock& base_;
  std::atomic<long long> offset_{0};
};

// "2026-11-24T10:00:00+09:00", "…Z" or "…+00:00" (the form Clock::timestamp writes, and UTC).
Result<std::chrono::sys_seconds> parse_timestamp(std::string_view text);
// The JST timestamp of an instant, like Clock::timestamp.
std::string jst_timestamp(std::chrono::sys_seconds t);

}  // namespace kaigo::sim::network

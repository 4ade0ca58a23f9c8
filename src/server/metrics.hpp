#pragma once
// Request counters and latency sums per route, in Prometheus text format. Per instance by nature
// (each instance is scraped on its own); holds no user state. Thread-safe.
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace kaigo::server {

class Metrics {
 public:
  void observe(const std::string& method, const std::string& route, int status, std::chrono::microseconds elapsed);
  // Prometheus exposition text; `extra` lines (gauges read from the database) are appended.
  std::string prometheus(const std::string& extra) const;

 private:
  struct Counter {
    long long count = 0;
    long long micros = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, Counter> by_route_;
};

}  // namespace kaigo::server

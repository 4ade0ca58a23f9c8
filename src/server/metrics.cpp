#include "server/metrics.hpp"

#include <fmt/format.h>

namespace kaigo::server {

void Metrics::observe(const std::string& method, const std::string& route, int status, std::chrono::microseconds elapsed) {
  std::lock_guard lock(mu_);
  auto& c = by_route_[{method, route, status}];
  ++c.count;
  c.micros += elapsed.count();
}

std::string Metrics::prometheus(const std::string& extra) const {
  std::string out =
      "# HELP kaigo_http_requests_total API requests by method, route pattern and status.\n"
      "# TYPE kaigo_http_requests_total counter\n";
  std::string durations =
      "# HELP kaigo_http_request_duration_seconds_sum Time spent answering API requests.\n"
      "# TYPE kaigo_http_request_duration_seconds_sum counter\n";
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, c] : by_route_) {
      const auto& [method, route, status] = key;
      out += fmt::format("kaigo_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", method, route, status, c.count);
      durations += fmt::format("kaigo_http_request_duration_seconds_sum{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}.{:06}\n",
                               method, route, status, c.micros / 1000000, c.micros % 1000000);
    }
  }
  return out + durations + extra;
}

}  // namespace kaigo::server

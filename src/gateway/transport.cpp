#include "gateway/transport.hpp"


#include <fmt/format.h>
#include <httplib.h>

namespace kaigo::gateway {

namespace {

class InProcessTransport final : public Transport {
 public:
  explicit InProcessTransport(InProcessHandler handler) : handler_(std::move(handler)) {}
  std::string describe() const override { return "chukan:in-process"; }
  Result<std::string> call(const std::string& operation, const std::string& request_json) override {
    return handler_(operation, request_json);
  }

 private:
  InProcessHandler handler_;
};

// One httplib client per call keeps the transport thread-safe without a lock; the 中間サーバー is
// called once per batch (hundreds of inquiries), so the connection set-up does not matter.
class HttpTransport final : public Transport {
 public:
  HttpTransport(std::string base_url, int timeout_s) : base_(std::move(base_url)), timeout_s_(timeout_s) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }
  std::string describe() const override { return "chukan:" + base_; }
  Result<std::string> call(const std::string& operation, const std::string& request_json) override {
    httplib::Client client(base_);
    client.set_connection_timeout(timeout_s_, 0);
    client.set_read_timeout(timeout_s_, 0);
    client.set_write_timeout(timeout_s_, 0);
    client.set_tcp_nodelay(true);
    auto res = client.Post(fmt::format("/chukan/v1/{}", operation), request_json, "application/json");
    if (!res) return fail(ErrorKind::unavailable, fmt::format("{}: {}", describe(), httplib::to_string(res.error())));
    const int status = res->status;
    if (status == 408 || status == 429 || status >= 500)
      return fail(ErrorKind::unavailable, fmt::format("{} answered HTTP {}", describe(), status));
    if (status < 200 || status >= 300)
      return fail(ErrorKind::invalid_input, fmt::format("{} refused the {} request: HTTP {}", describe(), operation, status));
    return res->body;
  }

 private:
  std::string base_;
  int timeout_s_;
};

}  // namespace

std::unique_ptr<Transport> make_in_process_transport(InProcessHandler handler) {
  return std::make_unique<InProcessTransport>(std::move(handler));
}

std::unique_ptr<Transport> make_http_transport(const std::string& base_url, int timeout_s) {
  return std::make_unique<HttpTransport>(base_url, timeout_s);
}

}  // namespace kaigo::gateway

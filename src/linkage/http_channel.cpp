#include "linkage/http_channel.hpp"

#include <httplib.h>

#include <fmt/format.h>

namespace kaigo::linkage {

HttpChannel::HttpChannel(std::string counterpart, std::string url, int timeout_seconds)
    : counterpart_(std::move(counterpart)), timeout_seconds_(timeout_seconds) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  base_ = url.substr(0, slash);
  prefix_ = slash == std::string::npos ? "" : url.substr(slash);
  while (prefix_.ends_with('/')) prefix_.pop_back();
}

std::string HttpChannel::describe() const { return base_ + prefix_; }

Result<std::optional<InboundMessage>> HttpChannel::send(const Exchange& e) {
  httplib::Client client(base_);
  client.set_connection_timeout(timeout_seconds_, 0);
  client.set_read_timeout(timeout_seconds_, 0);
  client.set_write_timeout(timeout_seconds_, 0);
  const httplib::Headers headers{{"Idempotency-Key", e.idempotency_key},
                                 {"X-Kaigo-Correlation-Id", e.correlation_id},
                                 {"X-Kaigo-Flow-Id", e.flow_id}};
  auto res = client.Post(fmt::format("{}/{}", prefix_, e.flow_id), headers, e.payload, e.content_type);
  if (!res)
    return fail(ErrorKind::unavailable, fmt::format("{}: {}", describe(), httplib::to_string(res.error())));
  const int status = res->status;
  if (status == 408 || status == 429 || status >= 500)
    return fail(ErrorKind::unavailable, fmt::format("{} answered HTTP {}", describe(), status));
  if (status < 200 || status >= 300)
    return fail(ErrorKind::invalid_input, fmt::format("{} refused the message: HTTP {}", describe(), status));
  if (res->body.empty() || !res->has_header("X-Kaigo-Answer-Flow")) return std::optional<InboundMessage>{};
  InboundMessage answer;
  answer.flow_id = res->get_header_value("X-Kaigo-Answer-Flow");
  answer.counterpart = counterpart_;
  answer.payload = res->body;
  answer.content_type = res->has_header("Content-Type") ? res->get_header_value("Content-Type") : "application/json";
  if (res->has_header("X-Kaigo-Message-Id")) answer.message_id = res->get_header_value("X-Kaigo-Message-Id");
  answer.in_reply_to = e.correlation_id;
  answer.purpose = fmt::format("answer to {} ({})", e.correlation_id, e.flow_id);
  answer.actor = "channel:http:" + counterpart_;
  return std::optional<InboundMessage>{std::move(answer)};
}

Result<std::vector<InboundEnvelope>> HttpChannel::poll() { return std::vector<InboundEnvelope>{}; }

Result<void> HttpChannel::settle(const InboundEnvelope&, const std::string&) { return {}; }

}  // namespace kaigo::linkage

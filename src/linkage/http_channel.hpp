#pragma once
// A counterpart reached over HTTP (庁内連携 by web API). For each outbound exchange:
//   POST <url>/<flow_id>   body: the payload, Content-Type: the exchange's content type
//   headers  Idempotency-Key: the exchange's key (a re-send after a crash is recognisable),
//            X-Kaigo-Correlation-Id: the 処理通番, X-Kaigo-Flow-Id: the flow
// A 2xx answer is success. If it carries a body and X-Kaigo-Answer-Flow (the flow ID of the
// answer, e.g. SK-03), the body is the counterpart's synchronous answer (X-Kaigo-Message-Id, if
// present, is its idempotency key). A network error, time-out, 408, 429 or 5xx is "try again
// later" (ErrorKind::unavailable); any other status is a refusal of this message.
// Inbound messages the counterpart sends on its own arrive at the server's API, not here, so
// poll() returns nothing.
#include <string>

#include "linkage/channel.hpp"

namespace kaigo::linkage {

class HttpChannel final : public Channel {
 public:
  // url: "http://host:port[/prefix]"; timeout applies to connecting, reading and writing.
  HttpChannel(std::string counterpart, std::string url, int timeout_seconds);
  std::string describe() const override;
  Result<std::optional<InboundMessage>> send(const Exchange& e) override;
  Result<std::vector<InboundEnvelope>> poll() override;
  Result<void> settle(const InboundEnvelope& env, const std::string& rejection_reason) override;

 private:
  std::string counterpart_;
  std::string base_;    // scheme://host:port
  std::string prefix_;  // path before /<flow_id>, without a trailing slash
  int timeout_seconds_;
};

}  // namespace kaigo::linkage

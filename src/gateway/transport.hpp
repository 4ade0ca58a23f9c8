#pragma once
// How kaigo reaches the city's 中間サーバー (intermediate server of the My Number network,
// 情報提供ネットワークシステム): JSON documents over a transport. The documents are defined in
// docs/number-network-protocol.md; the codec (protocol.hpp) builds and validates them, so a
// malformed reply is caught the same way whichever transport carried it.
//
// Two transports: in process (the bundled simulator, sim/number_network) and HTTP (POST
// <base>/chukan/v1/<operation> to a real gateway or to `kaigo sim serve`). Which one is
// configuration (config/channels.json, key "chukan"), not code.
//
// Thread-safety: implementations are thread-safe.
#include <functional>
#include <memory>
#include <string>

#include "core/error.hpp"

namespace kaigo::gateway {

// The operations of the protocol.
inline constexpr const char* kOpSubmit = "submit";      // 情報照会 (one or many)
inline constexpr const char* kOpPoll = "poll";          // 照会結果の取得
inline constexpr const char* kOpCancel = "cancel";      // 照会の取消
inline constexpr const char* kOpRegister = "register";  // 副本登録

class Transport {
 public:
  virtual ~Transport() = default;
  virtual std::string describe() const = 0;  // no secrets
  // Sends one request document and returns the reply document as text, unparsed.
  // Errors: unavailable (network, time-out, HTTP 5xx: try again later); invalid_input (the
  // gateway refused the request as malformed: HTTP 4xx).
  virtual Result<std::string> call(const std::string& operation, const std::string& request_json) = 0;
};

// The simulator's side in process: a function from (operation, request) to the reply text.
using InProcessHandler = std::function<Result<std::string>(const std::string& operation, const std::string& request_json)>;
std::unique_ptr<Transport> make_in_process_transport(InProcessHandler handler);
// HTTP: base_url like "http://127.0.0.1:18090"; time-outs in seconds.
std::unique_ptr<Transport> make_http_transport(const std::string& base_url, int timeout_s = 30);

}  // namespace kaigo::gateway

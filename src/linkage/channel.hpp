#pragma once
// A channel is how one counterpart is reached: a folder of files, an HTTP endpoint, or the bundled
// simulator. Which one is configuration (config/channels.json, see channel_set.hpp), never
// business code, so a city swaps a simulator for its real system without touching a service.
//
// Thread-safety: a channel is driven by one Dispatcher at a time; SimulatorChannel::post may be
// called from any thread.
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "linkage/exchange.hpp"

namespace kaigo::linkage {

// One message waiting at a channel, with the handle the channel needs to settle it.
struct InboundEnvelope {
  InboundMessage message;
  std::string handle;  // channel-specific (folder: the file name in in/)
};

class Channel {
 public:
  virtual ~Channel() = default;
  // "folder:/srv/kaigo/exchange/kokuhoren", "http://…", "simulator:juki" — no secrets.
  virtual std::string describe() const = 0;

  // Delivers one outbound exchange. Returns the counterpart's synchronous answer, if it gave one.
  // Errors: ErrorKind::unavailable — try again later (network, time-out, HTTP 5xx);
  // any other kind — the counterpart refused this message for good (e.g. HTTP 4xx).
  virtual Result<std::optional<InboundMessage>> send(const Exchange& e) = 0;

  // Messages waiting to be received (files in in/, the simulator's later answers), in order.
  virtual Result<std::vector<InboundEnvelope>> poll() = 0;

  // Told how a polled message ended, so it is not offered again: `rejection_reason` empty →
  // applied (or a duplicate); else rejected for that reason.
  virtual Result<void> settle(const InboundEnvelope& env, const std::string& rejection_reason) = 0;
};

}  // namespace kaigo::linkage

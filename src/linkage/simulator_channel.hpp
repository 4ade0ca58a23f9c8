#pragma once
// The bundled simulator as a channel: a handler per counterpart, registered in process (sim/
// registers realistic ones), answers each sent exchange synchronously (by returning a message) or
// later (by post()-ing one, which poll() offers until it is settled). A synchronous answer
// answers the exchange sent (in_reply_to defaults to its 処理通番). With no handler registered the
// counterpart accepts every message and answers nothing.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "linkage/channel.hpp"

namespace kaigo::linkage {

using SimulatorHandler = std::function<Result<std::optional<InboundMessage>>(const Exchange&)>;

class SimulatorChannel final : public Channel {
 public:
  explicit SimulatorChannel(std::string counterpart);
  std::string describe() const override;
  Result<std::optional<InboundMessage>> send(const Exchange& e) override;
  Result<std::vector<InboundEnvelope>> poll() override;
  Result<void> settle(const InboundEnvelope& env, const std::string& rejection_reason) override;

  void set_handler(SimulatorHandler handler);
  // Queues a message the counterpart sends later or on its own (a 受付 flow). Thread-safe.
  void post(InboundMessage m);
  // The exchanges sent so far, oldest first (what the counterpart "received").
  std::vector<Exchange> received() const;

 private:
  std::string counterpart_;
  mutable std::mutex mutex_;
  SimulatorHandler handler_;
  std::map<std::uint64_t, InboundMessage> pending_;  // by handle, until settled
  std::uint64_t next_handle_ = 1;
  std::vector<Exchange> received_;
};

}  // namespace kaigo::linkage

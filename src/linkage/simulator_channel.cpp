#include "linkage/simulator_channel.hpp"

#include <fmt/format.h>

namespace kaigo::linkage {

SimulatorChannel::SimulatorChannel(std::string counterpart) : counterpart_(std::move(counterpart)) {}

std::string SimulatorChannel::describe() const { return "simulator:" + counterpart_; }

Result<std::optional<InboundMessage>> SimulatorChannel::send(const Exchange& e) {
  SimulatorHandler handler;
  {
    std::lock_guard lock(mutex_);
    received_.push_back(e);
    handler = handler_;
  }
  if (!handler) return std::optional<InboundMessage>{};
  auto answer = handler(e);
  if (answer && *answer) {
    if ((*answer)->counterpart.empty()) (*answer)->counterpart = counterpart_;
    if ((*answer)->actor.empty()) (*answer)->actor = describe();
    if ((*answer)->in_reply_to.empty()) (*answer)->in_reply_to = e.correlation_id;
    if ((*answer)->purpose.empty()) (*answer)->purpose = fmt::format("answer to {} ({})", e.correlation_id, e.flow_id);
  }
  return answer;
}

Result<std::vector<InboundEnvelope>> SimulatorChannel::poll() {
  std::lock_guard lock(mutex_);
  std::vector<InboundEnvelope> out;
  for (const auto& [handle, m] : pending_) out.push_back(InboundEnvelope{m, std::to_string(handle)});
  return out;
}

// Whatever the outcome (it is recorded in the exchange table), the message is not offered again.
Result<void> SimulatorChannel::settle(const InboundEnvelope& env, const std::string&) {
  std::lock_guard lock(mutex_);
  pending_.erase(std::stoull(env.handle));
  return {};
}

void SimulatorChannel::set_handler(SimulatorHandler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

void SimulatorChannel::post(InboundMessage m) {
  if (m.counterpart.empty()) m.counterpart = counterpart_;
  if (m.actor.empty()) m.actor = describe();
  if (m.purpose.empty()) m.purpose = fmt::format("{} sent by {}", m.flow_id, counterpart_);
  std::lock_guard lock(mutex_);
  pending_.emplace(next_handle_++, std::move(m));
}

std::vector<Exchange> SimulatorChannel::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

}  // namespace kaigo::linkage

#include "linkage/exchange.hpp"

#include <regex>

#include <fmt/format.h>

#include "core/hash.hpp"

namespace kaigo::linkage {

const char* to_string(Direction d) { return d == Direction::outbound ? "outbound" : "inbound"; }

const char* to_string(ExchangeStatus s) {
  switch (s) {
    case ExchangeStatus::queued: return "queued";
    case ExchangeStatus::sent: return "sent";
    case ExchangeStatus::answered: return "answered";
    case ExchangeStatus::applied: return "applied";
    case ExchangeStatus::rejected: return "rejected";
  }
  return "rejected";
}

Result<Direction> parse_direction(std::string_view s) {
  if (s == "outbound") return Direction::outbound;
  if (s == "inbound") return Direction::inbound;
  return fail(ErrorKind::invalid_input, fmt::format("unknown direction '{}'", s), "direction");
}

Result<ExchangeStatus> parse_status(std::string_view s) {
  for (auto st : {ExchangeStatus::queued, ExchangeStatus::sent, ExchangeStatus::answered, ExchangeStatus::applied,
                  ExchangeStatus::rejected})
    if (s == to_string(st)) return st;
  return fail(ErrorKind::invalid_input, fmt::format("unknown exchange status '{}'", s), "status");
}

bool transition_allowed(ExchangeStatus from, ExchangeStatus to) {
  using S = ExchangeStatus;
  switch (from) {
    case S::queued: return to == S::sent || to == S::rejected;
    case S::sent: return to == S::answered || to == S::rejected;
    case S::answered: return to == S::applied || to == S::rejected;
    case S::applied:
    case S::rejected: return false;
  }
  return false;
}

std::string inbound_idempotency_key(const InboundMessage& m) { return inbound_idempotency_key(m, sha256_hex(m.payload)); }

std::string inbound_idempotency_key(const InboundMessage& m, const std::string& payload_sha256) {
  if (m.message_id && !m.message_id->empty()) return fmt::format("in:{}:msg:{}", m.counterpart, *m.message_id);
  return fmt::format("in:{}:sha256:{}", m.counterpart, payload_sha256);
}

std::string file_name_of(const Exchange& e) {
  static const std::regex kPurpose(R"(^file (\S+) from )");
  std::smatch m;
  if (std::regex_search(e.purpose, m, kPurpose)) return m[1].str();
  const std::string msg = "in:" + e.counterpart + ":msg:";
  if (e.idempotency_key.starts_with(msg)) return e.idempotency_key.substr(msg.size());
  return fmt::format("exchange {}", e.exchange_id);
}

}  // namespace kaigo::linkage

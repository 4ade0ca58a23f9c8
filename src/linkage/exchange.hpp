#pragma once
// The exchange model: one message between this system and a counterpart, for one flow of the
// catalog (config/flows/catalog.tsv). See docs/linkage.md for the life of an exchange.
//
// Status (both directions):
//   outbound: queued → sent → answered → applied     (a 照会 whose answer was applied)
//             queued → sent                           (a 提供/通知: nothing comes back)
//   inbound:  answered → applied                      ("answered" = received, not yet applied;
//                                                      both happen in one transaction)
//   any non-final status → rejected (with a reason). applied and rejected are final.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kaigo::linkage {

enum class Direction { outbound, inbound };
enum class ExchangeStatus { queued, sent, answered, applied, rejected };

const char* to_string(Direction d);
const char* to_string(ExchangeStatus s);
Result<Direction> parse_direction(std::string_view s);
Result<ExchangeStatus> parse_status(std::string_view s);

// Whether an exchange may move from `from` to `to` (see the diagram above).
bool transition_allowed(ExchangeStatus from, ExchangeStatus to);

struct Exchange {
  std::int64_t exchange_id = 0;
  std::string flow_id;
  std::string counterpart;
  Direction direction = Direction::outbound;
  std::string correlation_id;  // 処理通番 given by this system
  std::string in_reply_to;     // inbound answer: the 処理通番 of our request; else empty
  std::string idempotency_key;
  std::string payload;
  std::string payload_sha256;
  std::string content_type;
  ExchangeStatus status = ExchangeStatus::queued;
  std::string reason;
  std::int64_t attempts = 0;
  std::optional<std::int64_t> next_attempt_at;  // unix seconds
  std::string created_at;
  std::string updated_at;
  std::string created_by;
  std::string purpose;
  std::vector<std::string> person_ids;
};

// What a business service hands to the outbox.
struct OutboundMessage {
  std::string flow_id;
  std::string counterpart;
  std::string payload;
  std::string content_type = "application/json";
  std::vector<std::string> person_ids;
  std::string purpose;  // why the data is exchanged (情報提供等記録)
  std::string actor;    // staff user_id or batch job
  // A key naming the business event (e.g. "SK-18:acquisition:<person>:<date>"), so that a retried
  // action enqueues once. Absent: a random key, i.e. every call is a new exchange.
  std::optional<std::string> idempotency_key;
};

// What a channel hands to the inbox.
struct InboundMessage {
  std::string flow_id;
  std::string counterpart;
  std::string payload;
  std::string content_type = "application/json";
  std::optional<std::string> message_id;  // the counterpart's id; absent: the payload's SHA-256 keys it
  std::string in_reply_to;                // the 処理通番 of our request it answers, if any
  std::vector<std::string> person_ids;
  std::string purpose;
  std::string actor;  // e.g. "channel:folder:kokuhoren"
};

// Idempotency key of an inbound message: "in:<counterpart>:msg:<message_id>" or
// "in:<counterpart>:sha256:<payload hash>".
std::string inbound_idempotency_key(const InboundMessage& m);
// The same when the payload's hash is already known (a large file is hashed once).
std::string inbound_idempotency_key(const InboundMessage& m, const std::string& payload_sha256);

// The file name of an inbound exchange for staff: from the folder channel's purpose ("file X from
// juki"), else the counterpart's message id, else "exchange <id>".
std::string file_name_of(const Exchange& e);

}  // namespace kaigo::linkage

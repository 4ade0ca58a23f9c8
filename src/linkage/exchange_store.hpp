#pragma once
// The transactional outbox and inbox over the `exchange` tables (migration 003), and the exchange
// log of record (情報提供等記録) written on every state change.
//
// Outbox: a business service calls enqueue_outbound on the Connection of ITS OWN transaction, so
// the business change and the message commit together or not at all; the Dispatcher sends later.
// Inbox: receive_inbound applies a message exactly once per idempotency key, in one transaction
// with the business handler; a message the handler refuses is kept as `rejected` with its reason.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/chained_log.hpp"
#include "core/clock.hpp"
#include "linkage/exchange.hpp"
#include "store/database.hpp"

namespace kaigo::linkage {

// The exchange_log chain: columns at, exchange_id, flow_id, counterpart, direction, event, actor,
// payload_sha256, detail.
const audit::ChainSpec& exchange_log_spec();

struct EnqueueReceipt {
  std::int64_t exchange_id = 0;
  std::string correlation_id;  // 処理通番: "KG" + JST date YYYYMMDD + "-" + exchange_id in 10 digits
  bool created = true;         // false: the idempotency key was already enqueued with the same payload
};

// Adds an outbound exchange in status `queued`, due now, and logs "queued". Must be called inside
// the caller's transaction. The same idempotency key with the same flow, counterpart and payload
// returns the existing exchange (created = false); with anything else it is a conflict.
Result<EnqueueReceipt> enqueue_outbound(store::Connection& c, const Clock& clock, const OutboundMessage& m);

// A business handler for inbound messages of one flow: reads the exchange (payload, persons) and
// changes the business tables on the same connection. Returning an error refuses the message:
// ErrorKind::unavailable means "try again later" (nothing is recorded, the message stays where it
// came from); any other kind rejects it for good with the error's message as the reason, so the
// reason must carry no personal data. The handler may add persons with add_person.
using ApplyFn = std::function<Result<void>(store::Connection&, const Exchange&)>;

enum class InboundOutcome { applied, already_applied, rejected, already_rejected };
const char* to_string(InboundOutcome o);

struct InboundResult {
  InboundOutcome outcome = InboundOutcome::applied;
  std::int64_t exchange_id = 0;
  std::string reason;  // for rejected / already_rejected
};

// Receives one inbound message:
//  - its idempotency key (inbound_idempotency_key) was seen → already_applied / already_rejected,
//    nothing changes;
//  - else, in ONE transaction: insert the exchange ("received"), link it to the request it answers
//    (in_reply_to; the request moves to answered), call `apply`, mark both applied → applied;
//  - if the request it answers is unknown, or `apply` refuses, everything above is rolled back and
//    a second transaction records the exchange as rejected with the reason (quarantine) →
//    rejected. The request, if any, is left `answered` so staff see an answer that was not applied.
// An error return means nothing was recorded (database down, or apply said unavailable).
Result<InboundResult> receive_inbound(store::Database& db, const Clock& clock, const InboundMessage& m,
                                      const ApplyFn& apply);

// Moves an exchange to `to` and logs it; refuses (ErrorKind::conflict) a move that
// transition_allowed forbids, e.g. applied → sent. `reason` is stored and logged when not empty.
Result<void> set_status(store::Connection& c, const Clock& clock, std::int64_t exchange_id, ExchangeStatus to,
                        std::string_view actor, std::string_view reason = {});

// Records that sending failed: attempts + 1, the reason, the next attempt time; logs "send_failed".
// The exchange stays queued.
Result<void> record_send_failure(store::Connection& c, const Clock& clock, std::int64_t exchange_id,
                                 std::string_view reason, std::int64_t next_attempt_at, std::string_view actor);

// Ids of queued outbound exchanges due at `now_unix`, oldest first.
Result<std::vector<std::int64_t>> due_outbound(store::Connection& c, std::int64_t now_unix, int limit);

// Claims a due queued exchange for sending until `lease_until` (unix seconds) by moving its
// next_attempt_at; true when this caller got it. Atomic, so two dispatchers never both send it.
Result<bool> claim_outbound(store::Connection& c, std::int64_t exchange_id, std::int64_t now_unix,
                            std::int64_t lease_until);

// Adds a person to an exchange (idempotent).
Result<void> add_person(store::Connection& c, std::int64_t exchange_id, const std::string& person_id);

Result<std::optional<Exchange>> load_exchange(store::Connection& c, std::int64_t exchange_id);
// An exchange's payload alone (unpacked when large, payload_pack.hpp); nullopt: no such exchange.
Result<std::optional<std::string>> load_payload(store::Connection& c, std::int64_t exchange_id);
// The payload of a row whose own SQL selected "payload, payload_packed" as columns i and i + 1.
Result<std::string> payload_at(const store::Row& r, std::size_t i);
// Our outbound exchange to `counterpart` with this 処理通番, if any.
Result<std::optional<Exchange>> find_outbound(store::Connection& c, const std::string& counterpart,
                                              const std::string& correlation_id);
// The exchanges about a person, newest first.
Result<std::vector<Exchange>> exchanges_for_person(store::Connection& c, const std::string& person_id, int limit);

}  // namespace kaigo::linkage

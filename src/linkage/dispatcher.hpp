#pragma once
// The dispatcher moves the outbox and the inbox: each run_once
//  1. sends every due queued outbound exchange through its counterpart's channel and marks it
//     sent; a channel that is unavailable leaves it queued with attempts + 1 and an exponential
//     back-off (30 s, 1 min, 2 min, … capped at 1 h), up to max_attempts, after which it is
//     rejected; a counterpart's refusal rejects it at once;
//  2. feeds a synchronous answer through receive_inbound;
//  3. polls every channel for waiting messages, receives each, and settles it with its channel
//     (folder: processed/ or quarantine/).
// Delivery is at least once: a process killed between sending and marking sent re-sends after the
// claim lease (5 min) with the same Idempotency-Key, which the counterpart uses to drop the copy.
// Several dispatchers (server instances) may run at once; a claim gives each exchange to one.
//
// Thread-safety: run_once may be called from one thread at a time per Dispatcher.
#include <chrono>
#include <map>
#include <string>

#include "core/clock.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/exchange_store.hpp"
#include "store/database.hpp"

namespace kaigo::linkage {

// The business handler of each inbound flow ID (SK-03, FK-16, …). A message of a flow with no
// handler is rejected with the reason "no handler".
using InboundHandlers = std::map<std::string, ApplyFn>;

struct DispatchOptions {
  int batch_limit = 500;  // outbound exchanges taken per run
  int max_attempts = 10;
  std::chrono::seconds first_backoff{30};
  std::chrono::seconds max_backoff{3600};
  std::chrono::seconds lease{300};
};

struct DispatchReport {
  int sent = 0;
  int retry_later = 0;  // left queued with back-off
  int refused = 0;      // outbound rejected (refused, or gave up)
  int applied = 0;      // inbound messages applied
  int duplicates = 0;   // inbound messages seen before
  int rejected = 0;     // inbound messages rejected (quarantined)
  int deferred = 0;     // inbound messages left for later (database or handler unavailable)
};

class Dispatcher {
 public:
  explicit Dispatcher(InboundHandlers handlers, DispatchOptions options = {});
  Result<DispatchReport> run_once(store::Database& db, ChannelSet& channels, const Clock& clock);

 private:
  Result<void> send_one(store::Database& db, ChannelSet& channels, const Clock& clock, std::int64_t exchange_id,
                        DispatchReport& report);
  Result<void> receive(store::Database& db, const Clock& clock, const InboundMessage& m, DispatchReport& report,
                       std::string* rejection_reason);
  InboundHandlers handlers_;
  DispatchOptions options_;
};

}  // namespace kaigo::linkage

#pragma once
// 住民基本台帳 linkage (counterpart juki): SK-16 registry files in, SK-02/03 one person asked and
// answered, SK-18 eligibility changes sent back. docs/juki-layout.md has the layouts and the
// bad-input policy; in short:
//
//  * A file that does not parse (column count, a date that does not exist, an unknown code, …)
//    is refused WHOLE: the SK-16 handler returns invalid_input naming the first line and column,
//    the inbox rolls its transaction back and quarantines the exchange (linkage). Because that
//    rollback also drops anything the handler wrote, the juki_load row ('rejected') and one
//    juki_quarantine row per error are written afterwards by record_rejected_files(), which
//    re-parses the stored payload of every rejected SK-16 exchange not yet recorded (idempotent;
//    run_juki_jobs calls it after each dispatcher pass).
//  * A difference file that parses is applied in the inbox transaction, movement by movement in
//    date order (異動日, then line): a movement id seen before is skipped (duplicate); a movement
//    older than the person's last applied one is applied by its date — facts are effective-dated
//    and the register re-derives — and counted as out_of_order; a movement for an unknown person
//    (any kind but 転入 and 出生), a 出生 for a person already registered, or one the register
//    refuses is quarantined for staff and the file's other lines are applied (a city wants the
//    good movements in; staff resolve the rest).
//  * A full load is staged (bulk) in the inbox transaction and applied by apply_staged_full_loads
//    in chunks of persons, each chunk one transaction that moves the load's cursor, so a killed
//    process resumes without duplicates or gaps. It reconciles: unchanged persons write nothing,
//    changed ones get a history row, new ones are added, a status change records its address
//    fact, and a person the registry no longer lists is reported (quarantine), never deleted.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "eligibility/juki_file.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/exchange_store.hpp"
#include "store/database.hpp"

namespace kaigo::eligibility {

// The handlers the dispatcher needs for the registry: "SK-16" (registry files) and "SK-03"
// (answers to SK-02). `serve` merges them into its InboundHandlers.
linkage::InboundHandlers juki_inbound_handlers(const Clock& clock);

namespace juki {

// SK-16: a registry file (full or difference; the header tells which).
linkage::ApplyFn registry_file_handler(const Clock& clock);
// SK-03: the registry's answer to an SK-02 request.
linkage::ApplyFn registry_answer_handler(const Clock& clock);

// ---- Work after the inbox (background worker, `kaigo juki import`) ----

// Records every rejected SK-16 exchange that has no juki_load row yet: a 'rejected' load and one
// quarantine row per parse error. Returns how many files it recorded.
Result<int> record_rejected_files(store::Database& db, const Clock& clock);

struct FullLoadProgress {
  int loads_finished = 0;
  int chunks = 0;
  std::int64_t persons_added = 0, persons_changed = 0, persons_unchanged = 0, persons_missing = 0;
};
// Applies the staged full loads (oldest first) in chunks of `chunk` persons, one transaction per
// chunk with the load's cursor. max_chunks < 0: until done; else stops after that many chunks (a
// test's stand-in for kill -9; the next call resumes from the cursor).
Result<FullLoadProgress> apply_staged_full_loads(store::Database& db, const Clock& clock, int chunk = 10000,
                                                 int max_chunks = -1);

struct JobsReport {
  int rejected_recorded = 0;
  FullLoadProgress full;
};
// record_rejected_files + apply_staged_full_loads: what the background worker calls after each
// dispatcher pass.
Result<JobsReport> run_juki_jobs(store::Database& db, const Clock& clock);

// ---- SK-02 / SK-18 ----

// SK-02: asks the registry about one person and their household. In the caller's transaction.
// not_found when the person is unknown here.
Result<linkage::EnqueueReceipt> request_registry_record(store::Connection& c, const Clock& clock,
                                                        const std::string& person_id, const std::string& actor);

struct ChangesSent {
  int events = 0;      // eligibility events consumed
  int rows = 0;        // rows in the file
  std::optional<std::int64_t> exchange_id;  // none when there was nothing to send
};
// SK-18: the eligibility events after the "SK-18" cursor (at most `limit`) as ONE CSV file of
// 介護資格異動, one outbound exchange to juki, and the cursor moved — all in one transaction.
Result<ChangesSent> send_eligibility_changes(store::Database& db, const Clock& clock, int limit = 50000);

// ---- Reads and staff actions (server/juki_routes.cpp) ----

struct Load {
  std::int64_t load_id = 0, exchange_id = 0;
  std::string kind, file_name, received_at;
  std::int64_t lines = 0, applied = 0, unchanged = 0, duplicates = 0, out_of_order = 0, quarantined = 0;
  std::string status;
  std::optional<std::string> reason, finished_at;
};
Result<std::vector<Load>> list_loads(store::Connection& c, int limit);
Result<std::optional<Load>> find_load_by_exchange(store::Connection& c, std::int64_t exchange_id);

struct QuarantineItem {
  std::int64_t quarantine_id = 0, load_id = 0, line_no = 0;
  std::string field, message;
  std::optional<std::string> person_id, movement_id;
  std::string status, created_at;
  std::optional<std::string> resolved_by, resolved_at, resolution;
};
// status: "open", "resolved" or "" (both).
Result<std::vector<QuarantineItem>> list_quarantine(store::Connection& c, const std::string& status, int limit);
// Marks an open row resolved. not_found / conflict (already resolved) / invalid_input (empty resolution).
Result<QuarantineItem> resolve_quarantine(store::Connection& c, const Clock& clock, std::int64_t quarantine_id,
                                          const std::string& user_id, const std::string& resolution);

}  // namespace juki
}  // namespace kaigo::eligibility

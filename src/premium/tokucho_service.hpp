#pragma once
// 特別徴収 through the 国保連 (counterpart kokuhoren) and the collection plan of every person
// (docs/tokucho-layout.md, docs/premium-collection.md; tables of migration 010):
//
//  * FK-14 特別徴収対象者情報 in: the target list is validated WHOLE — the file on its own
//    (tokucho_file.hpp), then every target matched to one person (docs/tokucho-layout.md
//    "Matching": a 基礎年金番号 learnt before, else birth date + sex + kana name, then the address
//    when several persons share those) — and only then written: tokucho_target rows, the links
//    learnt, the persons on the exchange. Any error refuses the whole file (invalid_input naming
//    the first record and field; the inbox rolls back and quarantines the exchange);
//    record_rejected_files() then records the tokucho_file row and every error for staff.
//  * plan_collection(): for every current assessment of a fiscal year, the plan the year should
//    have (premium/collection.hpp): special when the person is a target whose pension qualifies,
//    else ordinary; in person_id chunks, each one transaction moving the batch_run cursor
//    (resumable, no duplicate, no gap); idempotent (an unchanged plan writes nothing).
//  * FK-15 特別徴収依頼情報 out: the special instalments planned and not yet requested, one data
//    record per person, groups per pension insurer, ONE file, ONE outbound exchange.
//  * FK-16 in: 依頼処理結果 (accepted, or not accepted with a reason → the amount goes to 普通徴収)
//    and 徴収結果 per pension month (collected, or not → the rest of the year goes to 普通徴収),
//    validated whole like FK-14 (every record must answer a request we sent / a deduction we
//    planned), then applied with the persons re-planned.
// The same file twice changes nothing: the inbox knows its hash, and a second copy with the same
// CP932 bytes under another name is recognised by tokucho_file.sha256.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/exchange_store.hpp"
#include "premium/collection.hpp"
#include "premium/tokucho_file.hpp"
#include "store/database.hpp"

namespace kaigo::premium {

// What the 特別徴収 services read from config: the layouts and code lists, the collection rules,
// and the city's 保険者番号 (config/city.json).
struct TokuchoConfig {
  tokucho::LayoutSet layouts;
  CollectionRules rules;
  std::string insurer_no;
  static Result<TokuchoConfig> load(const std::string& config_dir);
};

// The handlers the dispatcher needs for the 国保連's 特別徴収 files: "FK-14" and "FK-16". `serve`
// merges them into its InboundHandlers. `config` must outlive them.
linkage::InboundHandlers tokucho_inbound_handlers(const Clock& clock, const TokuchoConfig& config);

namespace tokucho {

linkage::ApplyFn target_list_handler(const Clock& clock, const TokuchoConfig& config);  // FK-14
linkage::ApplyFn result_handler(const Clock& clock, const TokuchoConfig& config);       // FK-16

// The exchange payload of a fixed-length file is its text decoded from CP932 (UTF-8, like every
// payload); these turn file bytes into a payload and back. invalid_input naming the byte.
Result<std::string> payload_of(std::string_view cp932_bytes);
Result<std::string> bytes_of(const std::string& payload);

// Every check of an inbound file against the database, as the handlers do before applying.
struct Validation {
  std::optional<ParsedFile> file;
  std::vector<FileError> errors;
  bool truncated = false;
};
Validation validate_inbound(store::Connection& c, const TokuchoConfig& config, const std::string& flow_id,
                            const std::string& payload);

// Records every rejected FK-14/FK-16 exchange that has no tokucho_file row yet: a 'rejected' row
// and one tokucho_file_error row per error. Returns how many files it recorded.
Result<int> record_rejected_files(store::Database& db, const Clock& clock, const TokuchoConfig& config);

// ---- The collection plan ----

// The month from which instalments may still change (the months "still ahead"): the month after
// today, not before April of the fiscal year.
YearMonth first_open_month(const Clock& clock, int fiscal_year);

struct PlanProgress {
  std::int64_t done = 0, total = 0;
};
struct PlanOptions {
  int fiscal_year = 0;
  std::string actor;
  int chunk = 5000;
  int max_chunks = -1;                           // ≥ 0: stop after that many chunks (a test's kill -9)
  std::optional<YearMonth> first_open;           // default: first_open_month(clock, fiscal_year)
  std::function<void(const PlanProgress&)> on_progress;
};
struct PlanRun {
  std::int64_t batch_run_id = 0;
  std::string run_key;  // "<fiscal year>@<started at>#<n>"
  std::string status;   // running, done
  std::int64_t done_count = 0, total_count = 0;
  std::int64_t changed = 0, unchanged = 0, special = 0, ordinary = 0;  // this invocation's persons
  std::string started_at, finished_at, started_by;
};
// Plans (or re-plans) every person with a current assessment of the fiscal year. An unfinished
// run of the year (a killed one) is resumed after its cursor; otherwise a new run starts (it
// writes only what changed). conflict when config/rules/collection.json has no version for the year.
Result<PlanRun> plan_collection(store::Database& db, const Clock& clock, const TokuchoConfig& config,
                                const PlanOptions& options);

// Re-plans one person's year in the caller's transaction (after an FK-16 result, or a revision).
// Returns whether anything changed. No current assessment: nothing to plan (false).
Result<bool> replan_person(store::Connection& c, const Clock& clock, const TokuchoConfig& config,
                           const std::string& person_id, int fiscal_year, const std::string& cause,
                           const std::string& actor);

// ---- FK-15 ----

struct RequestsSent {
  std::int64_t persons = 0;
  std::optional<std::int64_t> exchange_id;  // none when nothing was planned to request
  std::string correlation_id;
  std::vector<char32_t> substituted;        // characters written as 〓
};
// One FK-15 file of every special instalment of the year planned and not yet requested (each
// person's six months), one outbound exchange, the instalments marked requested — one transaction.
// Running it again sends nothing new.
Result<RequestsSent> send_requests(store::Database& db, const Clock& clock, const TokuchoConfig& config,
                                   int fiscal_year, const std::string& actor);

// ---- Reads ----

// 特別徴収の状況 of a person for a year: none (not a target), target (a target whose deduction is
// not planned), planned, requested, accepted, deducting (something collected), stopped (stopped by a
// decrease), not_accepted, not_collected.
Result<std::string> deduction_status(store::Connection& c, const std::string& person_id, int fiscal_year);

// A person's collection: per fiscal year the plan (instalments, every status), the plan
// revisions with their explanations, the targets, requests and results, and the deduction status.
Result<nlohmann::json> person_collection(store::Connection& c, const std::string& person_id);

struct FileErrorRow {
  std::int64_t record_no = 0;
  std::string field, message;
};
struct FileRow {
  std::int64_t exchange_id = 0;
  std::string flow_id, kind, file_name, sha256, status;
  std::optional<std::int64_t> layout_version, fiscal_year;
  std::int64_t bytes = 0, records = 0, applied = 0;
  std::optional<std::string> reason;
  std::string recorded_at, recorded_by;
  std::vector<FileErrorRow> errors;  // a refused file's, in order
};
// The 特別徴収 files, newest first; status "" for all or sent, applied, rejected.
Result<std::vector<FileRow>> list_files(store::Connection& c, const std::string& status, int limit);

}  // namespace tokucho
}  // namespace kaigo::premium

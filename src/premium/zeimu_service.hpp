#pragma once
// The city's tax system linkage (本市税務システム, counterpart zeimu): FK-01 requests for the
// previous year's income and tax status, FK-02 answers and the revisions (更正) the tax system
// sends on its own. docs/zeimu-layout.md has the layouts and the policies; in short:
//
//  * FK-01 yearly: everyone needed for fiscal year Y — every person category-1 insured at any time
//    in Y, plus every member of their household on their 賦課期日 (1 April, or the acquisition date
//    of a person who joins during Y; rules.md §2) — asked for income year Y − 1, as ONE file. One
//    person at a time for a revision staff ask for.
//  * FK-02 is validated WHOLE before anything is written: the file on its own (zeimu_file.hpp),
//    then against what it answers — every row a person asked, of the year asked, every person asked
//    answered — or, for a file sent on its own, only 更正 rows of a plausible year for persons known
//    here. Any error refuses the whole file (invalid_input naming the first line and column; the
//    inbox rolls back and quarantines the exchange). Because that rollback also drops what the
//    handler wrote, record_rejected_files() afterwards writes the zeimu_file row ('rejected') and
//    one zeimu_file_error row per error by re-validating the stored payload.
//  * Applying appends tax_income rows (source 'tax_office', source_exchange_id) only where the
//    figures differ from the person's latest row of that year among kaigo's OWN rows (sources
//    'tax_office', 'exchange', 'staff'): the same file twice is recognised by the inbox, and the
//    same figures again write nothing. 未申告 rows are kept in tax_undeclared. Every person whose
//    income changed, and every member of their household during fiscal year tax_year + 1, who has a
//    current assessment of that year is put in premium_recalc_queue (cause 'income') for the
//    monthly revision run (異動賦課, rules.md §2 "Revision").
//
// The rows with source 'synthetic_city' (`kaigo demo`) are the SIMULATED TAX OFFICE's ledger, not
// kaigo's knowledge: the premium assessment never reads them (sim/zeimu answers from them).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/exchange_store.hpp"
#include "premium/zeimu_file.hpp"
#include "store/database.hpp"

namespace kaigo::premium {

// The handlers the dispatcher needs for the tax system: "FK-02", and "KY-07" (the benefit's
// answers in the same layout, docs/benefit-income.md). `serve` merges them into its InboundHandlers.
linkage::InboundHandlers zeimu_inbound_handlers(const Clock& clock);

namespace zeimu {

// The request flow an answer flow replies to: FK-02 → FK-01, KY-07 → KY-06; "" for another flow.
std::string_view request_flow_of(std::string_view answer_flow);

// A tax file of `answer_flow`: FK-02 (an answer to an FK-01 request, or revisions sent on their
// own) or KY-07 (only an answer to a KY-06 request). Applied alike (tax_income, 未申告, the
// premium's recalc queue) and recorded in zeimu_file under its own flow.
linkage::ApplyFn tax_file_handler(const Clock& clock, std::string answer_flow = "FK-02");

// ---- FK-01 ----

// Everyone needed for fiscal year `fiscal_year` (see above), sorted by person_id.
Result<std::vector<std::string>> persons_needed(store::Connection& c, int fiscal_year);

struct RequestSent {
  std::int64_t exchange_id = 0;
  std::string correlation_id;  // 処理通番; the answer names it (_re-<処理通番>)
  int tax_year = 0;
  std::int64_t persons = 0;
  bool created = true;  // false: the same request (same persons, same year) was queued before
};

// FK-01 for the yearly run: one file of everyone needed, one outbound exchange (its persons
// linked in bulk), one zeimu_file row, in one transaction. The idempotency key names the year and
// the file's hash, so asking again with nothing changed queues nothing new. invalid_input when the
// income year Y − 1 is not plausible today (plausible_tax_year), or when nobody is needed.
// `also`, when given, runs in the same transaction with the persons of a newly queued request (the
// API records its access there).
using PersonsHook = std::function<Result<void>(store::Connection&, const std::vector<std::string>&)>;
Result<RequestSent> request_yearly(store::Database& db, const Clock& clock, int fiscal_year, const std::string& actor,
                                   const PersonsHook& also = {});

// FK-01 for one person and income year (a revision staff ask for), in the caller's transaction.
// not_found for a person unknown here; invalid_input for an implausible year.
Result<RequestSent> request_person(store::Connection& c, const Clock& clock, const std::string& person_id, int tax_year,
                                   const std::string& actor);

// ---- Work after the inbox (background worker, `kaigo zeimu import`) ----

// Records every rejected FK-02 / KY-07 exchange that has no zeimu_file row yet: a 'rejected' row and one
// zeimu_file_error row per error. Returns how many files it recorded.
Result<int> record_rejected_files(store::Database& db, const Clock& clock);

// The full validation of an FK-02 payload against the database (what the handler does before
// applying): the parsed rows, or every error. `in_reply_to` = the exchange's 処理通番 quoted;
// `answer_flow` FK-02 or KY-07 (a KY-07 must answer a KY-06 request; an FK-02 an FK-01 one).
struct Validated {
  std::vector<AnswerRow> rows;
  std::optional<std::int64_t> request_exchange_id;  // an answer: the request
  std::optional<int> tax_year;                       // an answer: the year asked
};
Result<Validated> validate_tax_file(store::Connection& c, const Clock& clock, const std::string& payload,
                                    const std::string& in_reply_to, Errors& errors, std::string_view answer_flow = "FK-02");

// ---- Reads (server/zeimu_routes.cpp) ----

struct FileError {
  std::int64_t line_no = 0;
  std::string field, message;
  std::optional<std::string> person_id;
};

struct File {
  std::int64_t exchange_id = 0;
  std::string flow_id, kind, file_name;
  std::optional<std::int64_t> tax_year, fiscal_year, request_exchange_id;
  std::int64_t lines = 0, applied = 0, unchanged = 0, undeclared = 0, queued = 0;
  std::string status;
  std::optional<std::string> reason;
  std::string recorded_at, recorded_by;
  std::vector<FileError> errors;  // a rejected file's, in line order
};

// The tax files, newest first; kind "" for all, or one of yearly_request, person_request,
// benefit_request (KY-06), answer, revision; status "" for all, or sent, applied, rejected.
Result<std::vector<File>> list_files(store::Connection& c, const std::string& kind, const std::string& status, int limit);

}  // namespace zeimu
}  // namespace kaigo::premium

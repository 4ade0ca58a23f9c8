#pragma once
// 賦課: the category-1 premium of every insured person for a fiscal year, stored with its inputs
// and explanation (migration 009, docs/premium-assessment.md).
//
// What is read, per person and fiscal year FY (rules.md §2):
//  - the category-1 periods in FY (eligibility_period) → the chargeable months and the 賦課基準日:
//    1 April of FY, or the first acquisition in FY for a person not insured on 1 April;
//  - on the base date: the household (person_history), 生活保護・中国残留邦人等 (public_assistance),
//    老齢福祉年金 (pension kind old_age_welfare), and each member's registry status;
//  - the previous calendar year's tax row (tax_income, tax_year = FY − 1) of the person and of every
//    household member: the latest recorded row whose source is kaigo's own — 'tax_office' (FK-02),
//    'exchange' (FK-04) or 'staff'. Rows with source 'synthetic_city' are the simulated tax office's
//    ledger (docs/zeimu-layout.md), not kaigo's knowledge.
// A person with no tax row is assessed as untaxed with no income and the explanation says 未申告.
//
// Every write keeps history: a changed result adds revision n+1 (is_current moves to it); an
// unchanged one writes nothing, so running anything twice changes nothing.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "premium/premium_table.hpp"
#include "store/database.hpp"

namespace kaigo::premium {

struct Assessment {
  std::int64_t assessment_id = 0;
  std::string person_id;
  int fiscal_year = 0;
  int revision = 0;
  bool is_current = false;
  std::string insured_no;
  std::string base_date;
  int stage = 0;
  std::string stage_label;
  std::string ratio;  // "57/200"
  bool reduced = false;
  std::int64_t annual_amount = 0;
  int months = 0;
  std::int64_t amount = 0;
  std::int64_t previous_amount = 0;
  std::string table_name, table_sha256, table_effective_from;
  std::string inputs;       // JSON
  std::string explanation;  // JSON array of {"label","text"}
  std::string cause;
  std::optional<std::int64_t> batch_run_id;
  std::string assessed_at, assessed_by;
};

// Why an assessment is (re)computed: the first of the year, or what changed (異動賦課).
inline constexpr const char* kCauseAnnual = "annual";
inline constexpr const char* kCauseEligibility = "eligibility";
inline constexpr const char* kCauseIncome = "income";
inline constexpr const char* kCauseHousehold = "household";
inline constexpr const char* kCauseWelfare = "welfare";
inline constexpr const char* kCauseStaff = "staff";

// Every assessment of a person, newest first (all years, all revisions).
Result<std::vector<Assessment>> assessments_for(store::Connection& c, const std::string& person_id);

// The current assessment of (person, fiscal year), if any.
Result<std::optional<Assessment>> current_assessment(store::Connection& c, const std::string& person_id, int fiscal_year);

// What assessing one person did.
struct AssessOutcome {
  enum class Kind { created, revised, unchanged, not_insured } kind = Kind::unchanged;
  std::optional<Assessment> assessment;  // the current one after the call (none when never insured in FY)
};

// Assesses one person for one fiscal year now, in its own transaction: a new revision when the
// result differs from the current one (cause given), nothing otherwise. A person with no
// category-1 month in FY but a current assessment gets a revision to 0 (e.g. the eligibility was
// withdrawn retroactively). not_found: no such person; conflict: no premium table for FY.
Result<AssessOutcome> assess_person(store::Database& db, const Clock& clock, const std::vector<PremiumTable>& tables,
                                    const std::string& person_id, int fiscal_year, const std::string& cause,
                                    const std::string& actor);

struct AssessmentRunProgress {
  std::int64_t done = 0;   // persons handled so far (all chunks, resumed ones included)
  std::int64_t total = 0;  // persons to handle (estimated at start)
};

struct AnnualRunOptions {
  int fiscal_year = 0;
  std::string actor;
  int chunk = 10000;
  std::function<void(const AssessmentRunProgress&)> on_progress;  // after each chunk (CLI bar)
};

struct AssessmentRun {
  std::int64_t batch_run_id = 0;
  std::string job;     // premium_annual, premium_revision
  std::string run_key; // "2026" for the yearly run; "2026-11-24T…" for a revision run
  std::string status;  // running, done, failed
  std::int64_t done_count = 0;
  std::int64_t total_count = 0;  // persons the run walks (estimated when it opens)
  std::int64_t created = 0, revised = 0, unchanged = 0;  // this invocation's counts
  std::string started_at, finished_at, started_by;
};

// 本算定: assesses every person with a category-1 month in FY, in person_id order, in chunks; each
// chunk is one transaction that writes its assessments and moves the batch_run cursor, so a run
// killed at any point resumes after the last committed chunk with no duplicate and no gap. A
// finished run returns as it is. conflict: no premium table for FY.
Result<AssessmentRun> run_annual_assessment(store::Database& db, const Clock& clock,
                                            const std::vector<PremiumTable>& tables, const AnnualRunOptions& options);

// Opens the yearly run of FY without running it (the screen's button): the background job
// `resume_annual_runs` then works it. Returns the run as it is (an open or finished one).
Result<AssessmentRun> open_annual_run(store::Database& db, const Clock& clock, const std::vector<PremiumTable>& tables,
                                      int fiscal_year, const std::string& actor);

// The background job: works every open yearly run to its end. "" when there was none.
Result<std::string> resume_annual_runs(store::Database& db, const Clock& clock, const std::vector<PremiumTable>& tables);

// 異動賦課: first moves the register's 'premium' event cursor (eligibility changes) and the
// cursors over new tax_income / public_assistance / pension / person_history rows into
// premium_recalc_queue (for every fiscal year that has assessments and that the change touches),
// then re-assesses each queued (person, year) and removes it from the queue in the same
// transaction. Returns the run (job premium_revision); when nothing was queued no run is recorded
// and the result has batch_run_id 0 and status "nothing_queued".
Result<AssessmentRun> run_revisions(store::Database& db, const Clock& clock, const std::vector<PremiumTable>& tables,
                                    const std::string& actor, int chunk = 2000);

Result<std::vector<AssessmentRun>> list_assessment_runs(store::Connection& c, int limit);

}  // namespace kaigo::premium

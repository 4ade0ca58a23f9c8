#pragma once
// KY-24 介護保険給付費支払のお知らせ (給付費通知; 介護給付適正化事業, 地域支援事業実施要綱): for every
// person with current benefit records (KY-04) in a period of service months, one statement — a
// row per month × office × service kind (days, total cost, insurance paid, co-payment) and the
// totals — so the person can check what was claimed in their name. docs/benefit.md §KY-24.
//
// The run is a resumable batch_run (job 'benefit_statements', run_key "<from>-<to>", a later pass
// of the same period "<from>-<to>#n"): phase 1 records a benefit_document row per person (once_key
// "statement:<from>-<to>:<person_id>", so nobody gets the period's statement twice) chunk by chunk
// with the cursor (the last person_id); phase 2 renders the run's one print file
// (<data_dir>/print/benefit-statements-<batch_run_id>.pdf) streaming the rows person by person — a
// run killed while rendering renders the file again from the recorded rows. Nothing of a city
// (~60,000 persons) is held in memory but one person's rows.
//
// At the counter: one person's statement of a period as PDF bytes, recorded as a reprint
// (benefit_document without once_key).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "benefit/codes.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "notice/benefit_documents.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

// config/benefit_statements.json, validated at load (invalid_input naming the JSON path).
struct StatementConfig {
  int period_months = 6;          // service months per statement
  std::vector<int> send_months;   // months of the year the run goes out, ascending
  int lag_months = 2;             // the period ends this many months before the send month
  int send_day = 10;              // the background job runs from this day of a send month
  int chunk = 1000;               // persons per transaction

  static Result<StatementConfig> load(const std::filesystem::path& config_dir);
  static Result<StatementConfig> parse(const std::string& json_text);
};

struct StatementPeriod {
  std::string from;  // 'YYYY-MM'
  std::string to;
};

// from/to checked: YYYY-MM, from ≤ to, at most 12 months (invalid_input naming "from" / "to").
Result<StatementPeriod> statement_period(const std::string& from, const std::string& to);
// The period of the latest send date (send_months × send_day) on or before `today`.
StatementPeriod scheduled_period(const StatementConfig& config, Date today);
// What the background job prints on `today`: the scheduled period, unless a pass of it was already
// opened (then nullopt: the job resumes unfinished passes, and later records go to the next period's
// pass or a staff-started one).
Result<std::optional<StatementPeriod>> due_period(store::Database& db, const StatementConfig& config, Date today);

struct StatementRunOptions {
  StatementPeriod period;
  std::string actor;
  std::filesystem::path print_dir;  // <data_dir>/print
  int chunk = 1000;
  int stop_after_chunks = 0;        // > 0: stop (as a crash would) after this many chunks (tests)
};

struct StatementRun {
  std::int64_t batch_run_id = 0;    // 0: nothing to print (no run opened)
  std::string run_key;
  std::string from, to;
  std::string status;               // running | done | nothing_to_print
  std::int64_t statements = 0;      // persons recorded in this pass
  std::int64_t rows = 0;            // month × office × service rows printed
  std::int64_t total_cost = 0, insurance_paid = 0, copayment = 0;  // sums of the printed rows
  std::string print_file;           // the run's PDF ("" when none)
  std::string started_at, finished_at, started_by;
};

// Runs (or resumes) the period: an unfinished pass of the period is resumed; otherwise a pass is
// opened only when someone with records in the period has no statement of it yet.
Result<StatementRun> run_benefit_statements(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                            const notice::BenefitIssuer& issuer, const StatementRunOptions& options);
// Resumes every unfinished pass (serve's background job, after a restart).
Result<std::string> resume_benefit_statements(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                              const notice::BenefitIssuer& issuer, const std::filesystem::path& print_dir,
                                              int chunk);

// serve's background job: resumes unfinished passes, then runs the scheduled period once its send
// date has come (due_period), as "job:benefit_statements". "" when nothing was done.
Result<std::string> scheduled_statements(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                         const notice::BenefitIssuer& issuer, const StatementConfig& schedule,
                                         const std::filesystem::path& print_dir);

Result<std::vector<StatementRun>> list_statement_runs(store::Connection& c, int limit);
Result<std::optional<StatementRun>> statement_run(store::Connection& c, std::int64_t batch_run_id);

// The statement data of one person and period ("" document_no: the caller's); not_found when the
// person has no current records in it.
Result<notice::BenefitStatementData> statement_data(store::Connection& c, const BenefitConfig& config,
                                                    const notice::BenefitIssuer& issuer, const std::string& person_id,
                                                    const StatementPeriod& period, Date issued_on);

// One person's statement at the counter: PDF bytes, recorded as a reprint (once_key NULL).
Result<std::string> statement_pdf(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                  const notice::BenefitIssuer& issuer, const std::string& person_id,
                                  const StatementPeriod& period, const std::string& actor);

}  // namespace kaigo::benefit

#pragma once
// 高額介護サービス費 (介護保険法51条, 施行令22条の2の2; docs/benefit.md §高額):
//   KY-05  the one-time application: registers the account; later months are paid automatically
//   (monthly run) one decision per person and service month, from the month's benefit records, the
//          household on its last day, the income category (income.hpp) and the rules' caps/split
//   KY-16  the 支給決定通知書 of every new decision with an amount (the run's print file)
//   KY-17  the payment rows (benefit_payment kind high_cost), sent by benefit_payment.hpp
//
// A decision is never changed in place except for its status and, for a decision held for want of
// an application, the application it is paid to once one is registered. A rerun after a 修正/取消
// supersedes a decision whose figures changed; the difference is paid, or — when more was paid
// than the new amount — a repayment (返還金, reason overpaid_high_cost) is decided.
//
// Thread-safety: free functions over the caller's Database; no state.
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
#include "people/city_profile.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

// ---- KY-05 the application -------------------------------------------------------------------

struct HighCostApplicationInput {
  std::string person_id;
  std::string received_on;   // YYYY-MM-DD
  std::string first_month;   // YYYY-MM, the first service month it covers
  std::string bank_code;     // 4 digits
  std::string branch_code;   // 3 digits
  std::string account_kind;  // ordinary | current
  std::string account_no;    // 7 digits
  std::string account_holder_kana;  // katakana (half- or full-width), spaces, ー and the 全銀 symbols
  std::string actor;
};

struct HighCostApplication {
  std::int64_t application_id = 0;
  std::string person_id, received_on, first_month;
  std::string bank_code, branch_code, account_kind, account_no, account_holder_kana;
  std::string status;  // active | withdrawn
  std::string recorded_at, recorded_by;
};

// Every field checked before anything is written; invalid_input naming the first bad field.
Result<void> validate_high_cost_application(const HighCostApplicationInput& in);

struct RegisteredApplication {
  HighCostApplication application;
  std::int64_t held_paid = 0;        // held decisions (months from first_month) now paid to this account
  std::int64_t held_paid_total = 0;  // yen
};
// Registers the application (one active per person: conflict when there is one) and, in the same
// transaction, pays the person's held decisions of first_month and later. not_found: no person.
Result<RegisteredApplication> register_high_cost_application(store::Database& db, const Clock& clock,
                                                             const HighCostApplicationInput& in);
// Withdraws it: later months' decisions are held again until a new application.
Result<HighCostApplication> withdraw_high_cost_application(store::Database& db, const Clock& clock,
                                                           std::int64_t application_id, const std::string& actor);
Result<std::vector<HighCostApplication>> list_high_cost_applications(store::Connection& c, const std::string& person_id);
Result<HighCostApplication> load_high_cost_application(store::Connection& c, std::int64_t application_id);

// ---- decisions ---------------------------------------------------------------------------------

struct HighCostDecision {
  std::int64_t decision_id = 0;
  std::string person_id, service_month, household_key, category;
  std::int64_t household_copayment = 0, own_copayment = 0, cap = 0, amount = 0, paid_before = 0;
  std::optional<std::int64_t> application_id, batch_run_id, repayment_id;
  std::string status;       // current | superseded
  std::string explanation;  // JSON
  std::string decided_at;
  std::optional<std::int64_t> payment_id;  // the KY-17 row of this decision, once paid
  std::int64_t payment_amount = 0;
};
Result<std::vector<HighCostDecision>> list_high_cost_decisions(store::Connection& c, const std::string& person_id);
Result<HighCostDecision> load_high_cost_decision(store::Connection& c, std::int64_t decision_id);

// ---- the monthly run -------------------------------------------------------------------------

struct HighCostRunOptions {
  std::string month;                    // YYYY-MM
  std::string actor;
  std::filesystem::path print_dir;      // the run's print file goes here (<data_dir>/print)
  bool print_notices = true;            // KY-16 in the run's print file
  int chunk_households = 2000;          // households per transaction
  int stop_after_chunks = 0;            // > 0: stop (as a crash would) after this many chunks (tests)
};

struct HighCostRun {
  std::int64_t batch_run_id = 0;
  std::string month, run_key, status;   // running (stopped) | done
  std::int64_t households = 0;          // households walked in this pass (all chunks)
  std::int64_t persons = 0;             // persons with co-payments that count (batch_run.done_count)
  std::int64_t decided = 0;             // new decisions written
  std::int64_t unchanged = 0;           // persons whose current decision stands
  std::int64_t held = 0;                // new decisions with an amount and no application
  std::int64_t paid = 0, paid_total = 0;        // KY-17 rows written (this pass)
  std::int64_t repayments = 0, repayment_total = 0;
  std::int64_t notices = 0;
  std::string print_file;               // the KY-16 print file of the pass ("" when none)
};

// Runs (or resumes) the month: an interrupted pass of the month is resumed; after a finished pass a
// new pass (run_key "<month>#<n>") recomputes the month and writes only what changed.
Result<HighCostRun> run_high_cost(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                  const notice::BenefitIssuer& issuer, const HighCostRunOptions& options);
Result<std::vector<HighCostRun>> list_high_cost_runs(store::Connection& c, int limit);

// ---- KY-16 -------------------------------------------------------------------------------------

// The issuer of the benefit documents from the city profile.
notice::BenefitIssuer high_cost_issuer(const people::CityProfile& city);
// The notice of one decision at the counter (a reprint when it was issued before: once_key NULL).
struct HighCostNoticePdf {
  std::string pdf;
  bool reprint = false;
};
Result<HighCostNoticePdf> high_cost_notice_pdf(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                               const notice::BenefitIssuer& issuer, std::int64_t decision_id,
                                               const std::string& actor);

}  // namespace kaigo::benefit

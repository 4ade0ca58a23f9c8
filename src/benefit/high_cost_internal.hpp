#pragma once
// Helpers shared by the high_cost*.cpp files (not a public contract).
#include <cstdint>
#include <string>

#include "benefit/high_cost.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace kaigo::benefit::detail {

// Gives the current held decisions (application_id NULL) that `where` selects (SQL over alias d,
// params from $1) the person's active application covering their month. Returns the rows changed.
Result<std::int64_t> attach_held_decisions(store::Connection& c, const std::string& where, const store::Params& params);

// Writes the KY-17 payment row (basis "high_cost:<decision_id>", amount − paid_before) of every
// current decision that `where` selects, has an active application and is owed more than it was
// paid, once. Set-based. Returns the rows written and their total.
struct Paid {
  std::int64_t rows = 0;
  std::int64_t total = 0;
};
Result<Paid> pay_decisions(store::Connection& c, const Clock& clock, const std::string& where, const store::Params& params);

HighCostDecision decision_of(const store::Row& r);
extern const char* const kDecisionColumns;  // for decision_of, over alias d (+ the payment row, alias b)

// KY-16: the notices of a pass's decisions with an amount and an account, in one print file under
// `dir`, and their benefit_document rows (once_key "high_cost_notice:<decision_id>"): rendered first,
// recorded after the file is complete (a crash renders the pass again; a notice is recorded once).
struct PrintedNotices {
  std::int64_t notices = 0;
  std::string path;  // "" when none
};
Result<PrintedNotices> print_run_notices(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                         const notice::BenefitIssuer& issuer, std::int64_t batch_run_id,
                                         const std::filesystem::path& dir);

// "YYYY-MM" → its first day; invalid_input naming `field`.
Result<Date> month_start(const std::string& month, const std::string& field);

}  // namespace kaigo::benefit::detail

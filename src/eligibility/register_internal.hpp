#pragma once
// Internals shared by the register's files: period (de)serialisation and the chunked
// re-derivation every writer ends with. Not part of the public contract (register.hpp).
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eligibility/register.hpp"

namespace kaigo::eligibility::detail {

nlohmann::json period_json(const EligibilityPeriod& p);
nlohmann::json changes_json(const std::vector<PeriodChange>& changes);
// The earliest date whose eligibility differs between before and after (for the consumers'
// re-derivation window).
Date earliest_change(const std::vector<PeriodChange>& changes);

EligibilityPeriod period_from_row(const store::Row& r, std::size_t first_column);
// Columns read by period_from_row, in order.
inline constexpr const char* kPeriodColumns = "acquired_on, lost_on, category, acquisition_reason, loss_reason";

// What re-deriving one person did.
struct PersonResult {
  std::string person_id;
  std::vector<PeriodChange> changes;
  std::vector<EligibilityPeriod> periods;
  std::optional<std::int64_t> revision_id;
  std::optional<std::string> issued_insured_no;
};

// Persons with person_id from `from` (inclusive, or exclusive when from_exclusive; "" = the first)
// to `to` (inclusive; "" = unbounded), at most `limit` of them, in person_id order.
struct PersonRange {
  std::string from;
  bool from_exclusive = false;
  std::string to;
  int limit = 10000;
};

// Re-derives the persons of `range` in the caller's transaction, writing revisions, periods,
// events and numbers set-based (a handful of statements per chunk, whatever its size).
Result<std::vector<PersonResult>> rederive_range(store::Connection& c, const Clock& clock, const ChangeSource& source,
                                                 const PersonRange& range);

// Locks the person (PostgreSQL: FOR UPDATE) and checks they exist: not_found otherwise.
Result<void> lock_person(store::Connection& c, const std::string& person_id);

// Re-derives exactly one person (after a writer stored its fact).
Result<RegisterOutcome> rederive_one(store::Connection& c, const Clock& clock, const std::string& person_id,
                                     const ChangeSource& source);

}  // namespace kaigo::eligibility::detail

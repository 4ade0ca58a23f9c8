#pragma once
// From a person's birth date and dated facts, the eligibility periods in this city. Retroactive
// facts are just facts: re-deriving gives the new periods, and diff_periods says what changed.
#include <optional>
#include <variant>
#include <vector>

#include "core/date.hpp"
#include "eligibility/rules.hpp"
#include "eligibility/types.hpp"

namespace kaigo::eligibility {

// 住所地特例 seen from this city: our insured living in a facility elsewhere (kept insured
// without an address here), or another city's insured living in a facility here (has an address
// here but is not insured here).
enum class FormerAddressDirection { ours_living_elsewhere, theirs_living_here };

struct FormerAddressRuleStarted {  // effective on `on`
  Date on;
  FormerAddressDirection direction = FormerAddressDirection::ours_living_elsewhere;
};
struct FormerAddressRuleEnded {  // `on` is the first day the rule no longer applies
  Date on;
  FormerAddressDirection direction = FormerAddressDirection::ours_living_elsewhere;
};

using Fact = std::variant<MoveIn, MoveOut, Emigration, Death, MedicalInsuranceGained, MedicalInsuranceLost,
                          ExemptFacilityEntered, ExemptFacilityLeft, FormerAddressRuleStarted, FormerAddressRuleEnded>;

struct PersonFacts {
  Date birth;
  std::vector<Fact> facts;  // in the order they happened; same-day facts apply in this order
};

// The periods in date order. A category-2 insured who turns 65 gets a category-1 period from the
// same day (loss and acquisition reason category_change), never a gap. Facts after death are
// ignored. Deterministic: the same facts give the same periods.
std::vector<EligibilityPeriod> derive_periods(const PersonFacts& person);

// The register keeps what is known up to a horizon, not a forecast to the end of a life: periods
// that start after `horizon` are dropped and a loss after it is left open (a 40-year-old is not
// given a 第1号 period 25 years ahead, nor a number for it). As the horizon moves, re-deriving
// adds what comes into view (the monthly 年齢到達 run).
std::vector<EligibilityPeriod> known_until(std::vector<EligibilityPeriod> periods, Date horizon);

// The horizon on `today`: the last day of the month after next, so the 65歳到達 of next month is
// in the register (and its cards printed) a month ahead.
Date register_horizon(Date today);

enum class PeriodChangeKind { added, removed, changed };

struct PeriodChange {
  PeriodChangeKind kind = PeriodChangeKind::added;
  std::optional<EligibilityPeriod> before;  // removed, changed
  std::optional<EligibilityPeriod> after;   // added, changed

  bool operator==(const PeriodChange&) const = default;
};

// What re-deriving changed, for the revision history. An old and a new period of the same
// category that overlap are the same period (changed when any field differs); the rest are
// added or removed. Unchanged periods are not listed. Order: changes in the order of the new
// periods, then removals in the order of the old ones.
std::vector<PeriodChange> diff_periods(const std::vector<EligibilityPeriod>& before,
                                       const std::vector<EligibilityPeriod>& after);

}  // namespace kaigo::eligibility

#pragma once
// 給付制限 for premium arrears, decided by staff and carried in the KY-03 recipient record:
//   reimbursement_only  支払方法の変更 (介護保険法66条: 1 year unpaid → 償還払い)
//   payment_suspended   保険給付の一時差止 (法67条: 1.5 years unpaid)
//   benefit_reduced     給付額の減額 (法69条: premium lost to the 2-year prescription)
// One row per decision in benefit_restriction (migration 016); ending one sets valid_to. Every
// change writes recipient_event (kind benefit_restriction).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

struct BenefitRestriction {
  std::int64_t restriction_id = 0;
  std::string person_id;
  std::string kind;
  Date valid_from;
  std::optional<Date> valid_to;
  Date decided_on;
  std::string reason;
  std::string status;  // current | ended | cancelled
  std::string recorded_at, recorded_by;
  std::optional<std::string> changed_by, changed_at;  // who ended it, and when
};

struct RestrictionDecision {
  std::string kind;
  Date valid_from;
  std::optional<Date> valid_to;
  Date decided_on;
  std::string reason;
};

// invalid_input naming the field (kind, valid_to, reason); not_found for an unknown person;
// conflict when a restriction of the same kind overlaps the period.
Result<BenefitRestriction> register_restriction(store::Database& db, const Clock& clock, const std::string& person_id,
                                                const RestrictionDecision& d, const std::string& actor);
// Ends a restriction on `last_day` (the arrears paid); conflict when it is not current or
// `last_day` is before it starts.
Result<BenefitRestriction> end_restriction(store::Database& db, const Clock& clock, std::int64_t restriction_id, Date last_day,
                                           const std::string& actor);

Result<std::vector<BenefitRestriction>> list_restrictions(store::Connection& c, const std::string& person_id);
Result<std::optional<BenefitRestriction>> find_restriction(store::Connection& c, std::int64_t restriction_id);
// The restriction in force on `on` (not cancelled), the most severe kind first.
Result<std::optional<BenefitRestriction>> restriction_on(store::Connection& c, const std::string& person_id, Date on);

const char* restriction_kind_label(const std::string& kind);

}  // namespace kaigo::benefit

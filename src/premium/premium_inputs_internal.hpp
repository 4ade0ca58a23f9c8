#pragma once
// Internals of the premium inputs service: applying one answer to the city's inputs, and the
// recalc queue.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "gateway/inquiry_service.hpp"
#include "premium/premium_inputs.hpp"
#include "store/database.hpp"

namespace kaigo::premium::detail {

// What applying one final answer did. outcome: applied | unchanged | not_found | failed | rejected.
struct Effects {
  std::string outcome;
  std::string summary;
  std::optional<std::string> reject_reason;                // rejected: "field: why" (no values)
  std::vector<std::pair<std::string, std::string>> recalc;  // (person_id, cause) to queue when assessed
};

struct ApplyInput {
  const PremiumInquiry& link;     // premium_inquiry row
  const gateway::Inquiry& inquiry;
  std::optional<std::int64_t> answer_exchange_id;
  std::string actor;
};

// Checks the answer whole, then writes its facts (source 'exchange'). A rejected answer writes
// nothing. Runs inside the caller's transaction.
Result<Effects> apply_effects(store::Connection& c, const Clock& clock, const ApplyInput& in);

// Queues (person, FY) for re-assessment for every listed person with a current assessment of FY
// (premium_assessment.is_current = 1); a person already queued stays queued with the first
// cause. Returns how many of the listed persons are in the queue afterwards.
Result<std::int64_t> queue_recalc(store::Connection& c, const Clock& clock, int fiscal_year,
                                  const std::vector<std::pair<std::string, std::string>>& persons);

// The insured person's household members on the base date (person_history), the person included.
Result<std::vector<std::string>> household_on(store::Connection& c, const std::string& person_id, const std::string& day);

}  // namespace kaigo::premium::detail

#pragma once
// What each 番号連携 answer does to the case's person (SK-05, 09, 11, 13, 15), on the caller's
// Connection (the apply step's transaction). Internal to movement_case_service. Every effect is
// idempotent on its own too: a row already holding the same fact is left as it is.
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "eligibility/movement_case_service.hpp"
#include "store/database.hpp"

namespace kaigo::eligibility::detail {

struct ApplyInput {
  const MovementCase& kase;       // locked, open, with a person
  const gateway::Inquiry& inquiry;  // provided or not_found, of this case
  std::optional<std::int64_t> answer_exchange_id;  // the inbound exchange that brought the answer
  const std::string& actor;
  const std::string& city_insurer_no;
  const ApplyOptions& options;
};

struct Applied {
  std::string summary;  // for the case screen; no names or addresses
  bool satisfied = true;  // false: the answer needs a person to look (e.g. the name differs): item left open
};

Result<Applied> apply_answer_effects(store::Connection& c, const Clock& clock, const ApplyInput& in);

}  // namespace kaigo::eligibility::detail

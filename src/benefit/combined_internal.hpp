#pragma once
// Shared by combined.cpp (KY-21/22) and combined_result.cpp (KY-23).
#include <string>

#include "benefit/combined.hpp"
#include "linkage/exchange.hpp"

namespace kaigo::benefit::combined_detail {

// Applies a valid KY-23 document (combined_result_faults empty) in the inbox's transaction.
Result<void> apply_results(store::Connection& c, const Clock& clock, const BenefitRules& rules, const linkage::Exchange& e);

}  // namespace kaigo::benefit::combined_detail

#include "eligibility/chargeable_months.hpp"

#include <algorithm>

namespace kaigo::eligibility {

ChargeableMonths chargeable_months(const EligibilityPeriod& period, int fiscal_year) {
  ChargeableMonths result;
  if (period.category != InsuredCategory::category_1) return result;
  const Date year_start(fiscal_year, 4, 1);
  const Date year_end(fiscal_year + 1, 4, 1);  // exclusive
  const Date first = std::max(period.acquired_on.first_of_month(), year_start);
  // Charged up to (not including) the month of loss.
  const Date stop = period.lost_on ? std::min(period.lost_on->first_of_month(), year_end) : year_end;
  for (Date month = first; month < stop; month = month.add_months(1)) result.months.push_back(month);
  result.count = static_cast<int>(result.months.size());
  return result;
}

}  // namespace kaigo::eligibility

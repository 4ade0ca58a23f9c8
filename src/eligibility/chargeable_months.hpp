#pragma once
// The months of a fiscal year for which a category-1 premium is charged (rules.md §2,
// 介護保険法129条 and the city ordinance's 月割: "from the month of acquisition to the month
// before the month of loss").
#include <vector>

#include "core/date.hpp"
#include "eligibility/types.hpp"

namespace kaigo::eligibility {

struct ChargeableMonths {
  int count = 0;             // 0..12
  std::vector<Date> months;  // the first day of each charged month, in order

  bool operator==(const ChargeableMonths&) const = default;
};

// The charged months of `period` inside fiscal year `fiscal_year` (April of that year to March of
// the next). The month containing lost_on is not charged, so a loss on the 1st charges nothing of
// that month, and acquisition and loss in the same month charge nothing here. A category-2 period
// has none: category-2 premiums are collected by the medical insurer (法150条), not by the city.
ChargeableMonths chargeable_months(const EligibilityPeriod& period, int fiscal_year);

}  // namespace kaigo::eligibility

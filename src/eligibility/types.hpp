#pragma once
// The vocabulary of 資格 (eligibility): categories, periods and the reasons a period starts or
// ends, with the string codes they are stored under. Names follow the glossary.
#include <optional>
#include <string_view>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::eligibility {

// 第1号被保険者 (65+) / 第2号被保険者 (40–64 with medical insurance), 介護保険法9条.
enum class InsuredCategory { category_1, category_2 };

// Why a period starts (資格取得事由), 介護保険法10条 and 施行法11条.
enum class AcquisitionReason {
  reaching_65,                         // 10条4号: a resident without a prior period turns 65
  reaching_40_with_medical_insurance,  // 10条1号
  move_in,                             // 10条2号: 転入 (or an address gained otherwise)
  medical_insurance_gained,            // 10条3号: a 40–64 resident joins a medical insurance
  left_exempt_facility,                // 施行法11条: no longer in an 適用除外施設
  former_address_rule_ended,           // 法13条: another city's 住所地特例 for a resident here ended
  category_change,                     // a category-2 insured turns 65: same eligibility, category 1
};

// Why a period ends (資格喪失事由), 介護保険法11条 and 施行法11条.
enum class LossReason {
  move_out_domestic,              // 11条1項 (and its ただし書 for a same-day address elsewhere)
  emigration,                     // 11条1項: 国外転出, the day after
  death,                          // 11条1項: the day after
  medical_insurance_lost,         // 11条2項: category 2, the day medical insurance ends
  entered_exempt_facility,        // 施行法11条: the day after entering
  former_address_rule_elsewhere,  // 法13条: now insured by another city although living here
  former_address_rule_ended,      // 法13条: this city's 住所地特例 for a person living elsewhere ended
  category_change,                // category 2 → 1 at 65 (the next period starts the same day)
};

// One continuous stretch of one category. lost_on is the 資格喪失日: the first day NOT insured
// (the statute's "その日から喪失"), so a period covers [acquired_on, lost_on).
struct EligibilityPeriod {
  Date acquired_on;
  std::optional<Date> lost_on;
  InsuredCategory category = InsuredCategory::category_1;
  AcquisitionReason acquisition_reason = AcquisitionReason::move_in;
  std::optional<LossReason> loss_reason;

  bool operator==(const EligibilityPeriod&) const = default;
};

// Storage codes ("1"/"2" for the category, snake_case names for reasons). Parsing rejects
// unknown codes with invalid_input naming the field.
std::string_view to_code(InsuredCategory category);
std::string_view to_code(AcquisitionReason reason);
std::string_view to_code(LossReason reason);
Result<InsuredCategory> parse_insured_category(std::string_view code);
Result<AcquisitionReason> parse_acquisition_reason(std::string_view code);
Result<LossReason> parse_loss_reason(std::string_view code);

}  // namespace kaigo::eligibility

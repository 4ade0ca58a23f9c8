#pragma once
// Pure 給付 (benefit) rules (rules.md §4, docs/benefit-rules.md): the co-payment rate, the
// 高額介護サービス費 income category, caps and split, the 高額医療合算 care share, the repayment
// surcharge. Every figure comes from the rule file config/rules/benefit/*.json (versions with
// effective dates, validated at load); nothing here holds a yearly figure. Every result carries
// its explanation (Japanese, for staff and notices; no personal data), so a decision can be
// shown with the reasons it was made.
//
// Integer yen only; ratios are exact (core/ratio.hpp where a product is divided).
// Thread-safety: BenefitRules is immutable after load; the functions are pure.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::benefit {

// ---- the rule file ----------------------------------------------------------------------------

// 利用者負担割合 thresholds (法49条の2, 59条の2; 施行令22条の2, 29条の2): 3割 if 合計所得 ≥
// rate3_total_income and the 65+ household sum ≥ rate3_single (one 第1号被保険者 in the household) /
// rate3_multi (two or more); 2割 likewise with the rate2 figures; else 1割.
struct CopaymentThresholds {
  std::int64_t rate3_total_income = 0;  // 2,200,000
  std::int64_t rate3_single = 0;        // 3,400,000
  std::int64_t rate3_multi = 0;         // 4,630,000
  std::int64_t rate2_total_income = 0;  // 1,600,000
  std::int64_t rate2_single = 0;        // 2,800,000
  std::int64_t rate2_multi = 0;         // 3,460,000
};

// 高額介護サービス費 (施行令22条の2の2, 29条の2の2) income categories, highest first.
enum class IncomeCategory {
  taxable_690,        // 課税所得 690万円以上 (現役並み所得)
  taxable_380,        // 課税所得 380万円以上 690万円未満
  taxed,              // 市町村民税課税世帯 (the rest)
  household_untaxed,  // 世帯全員が市町村民税非課税
  low_income,         // 世帯非課税 and (本人の公的年金等収入 + 合計所得 ≤ low_income_limit, or 老齢福祉年金受給者):
                      // the household cap of household_untaxed and an individual cap (施行令22条の2の2)
  public_assistance,  // 生活保護受給者 (and 中国残留邦人等支援給付)
};
std::string_view to_code(IncomeCategory c);   // "taxable_690", …
Result<IncomeCategory> income_category_from_code(std::string_view code);
std::string_view label(IncomeCategory c);     // 課税所得690万円以上, …, 生活保護受給者等

struct HighCostCap {
  std::int64_t household = 0;               // 世帯の上限額
  std::optional<std::int64_t> individual;   // 個人の上限額 (low_income, public_assistance)
};

// 高額医療合算 annual limits (施行令22条の3): by age band and the medical insurer's income class.
struct CombinedLimit {
  std::string age_band;      // "70_plus" | "under_70"
  std::string income_class;  // the class code the 国保 system sends (docs/benefit-rules.md)
  std::int64_t limit = 0;    // yen per year
};

struct BenefitRulesVersion {
  Date effective_from;       // the version applies to dates (service months, periods) from here
  std::string source;        // the notice or article the figures come from
  CopaymentThresholds copayment;
  // Caps per category; low_income's threshold (80.9万, 80万 before 2025-08) is here too.
  std::vector<std::pair<IncomeCategory, HighCostCap>> high_cost_caps;
  std::int64_t taxable_690 = 0;     // 課税所得 thresholds of the top categories
  std::int64_t taxable_380 = 0;
  std::int64_t low_income_limit = 0;
  std::vector<CombinedLimit> combined_limits;
  std::int64_t combined_minimum = 0;  // 支給基準額: paid only when the excess is more than this (500)
  // 加算金 of a provider's fraudulent claim (法22条3項: up to 40/100 of the amount returned).
  std::int64_t surcharge_numerator = 0;
  std::int64_t surcharge_denominator = 1;
  int repayment_due_days = 0;  // 納期限: decision day + this
};

struct BenefitRules {
  std::vector<BenefitRulesVersion> versions;  // sorted by effective_from
  // The version in effect on `d`; not_found before the first.
  Result<const BenefitRulesVersion*> on(Date d) const;
};

// Reads every *.json of `dir` (config/rules/benefit). invalid_input naming the file and JSON path.
Result<BenefitRules> load_benefit_rules(const std::filesystem::path& dir);
Result<BenefitRules> parse_benefit_rules(const std::string& json_text, const std::string& file_name);

// ---- co-payment rate ---------------------------------------------------------------------------

struct CopaymentInputs {
  bool category_1 = true;          // category 2 is always 1割
  bool public_assistance = false;  // 生活保護: 1割
  bool resident_tax_taxed = true;  // 市町村民税非課税: 1割
  std::int64_t total_income = 0;   // 本人の合計所得金額 (before land-sale special deductions)
  // Σ over the 第1号被保険者 of the household (the person included) of 年金収入 + その他の合計所得金額
  // (合計所得 − 公的年金等に係る雑所得).
  std::int64_t household_pension_and_other = 0;
  int household_category_1_count = 1;
};
struct CopaymentDecision {
  int rate = 1;              // 1, 2, 3 (割)
  std::string explanation;   // which thresholds decided it, with the figures
};
CopaymentDecision copayment_rate(const BenefitRulesVersion& rules, const CopaymentInputs& in);
// The 1 August – 31 July period that contains `d` (rate_year = the year of its 1 August).
int rate_year_of(Date d);
Date rate_year_start(int rate_year);  // 1 August
Date rate_year_end(int rate_year);    // 31 July of the next year

// ---- 高額介護サービス費 ----------------------------------------------------------------------

struct HouseholdIncomeInputs {
  bool public_assistance = false;       // 本人が生活保護 (or 中国残留邦人等支援給付)
  bool old_age_welfare_pension = false; // 本人が老齢福祉年金
  bool any_member_taxed = false;        // someone in the household pays 市町村民税
  std::int64_t max_taxable_income = 0;  // the highest 課税所得 among the household's 第1号被保険者
  std::int64_t own_pension_and_income = 0;  // 本人の公的年金等収入額 + その他の合計所得金額
};
struct CategoryDecision {
  IncomeCategory category = IncomeCategory::taxed;
  std::string explanation;
};
CategoryDecision high_cost_category(const BenefitRulesVersion& rules, const HouseholdIncomeInputs& in);
Result<HighCostCap> high_cost_cap(const BenefitRulesVersion& rules, IncomeCategory c);

// One member of the household with co-payments that count in the month.
struct MemberShare {
  std::int64_t own = 0;                     // the member's co-payments that count
  std::optional<std::int64_t> individual;   // the member's individual cap, if any
};
struct SplitResult {
  std::vector<std::int64_t> payments;  // parallel to the members
  std::int64_t household_excess = 0;   // household total − household cap (≥ 0)
  std::string explanation;             // the formula with the figures and where the remainder went
};
// Payment_i = (household total − household cap) × own_i / household total, floored; the yen left
// by flooring go to the smaller share (rules.md §4). A member with an individual cap is paid at
// least own_i − individual cap. No member is paid more than own_i.
SplitResult split_high_cost(const std::vector<MemberShare>& members, std::int64_t household_cap);

// ---- 高額医療合算 -------------------------------------------------------------------------------

struct CombinedShare {
  std::int64_t limit = 0;
  std::int64_t excess = 0;      // medical + care − limit (≥ 0)
  std::int64_t care_share = 0;  // excess × care / (medical + care), floored
  bool payable = false;         // excess > combined_minimum and medical > 0 and care > 0
  std::string explanation;
};
Result<CombinedShare> combined_care_share(const BenefitRulesVersion& rules, std::string_view age_band,
                                          std::string_view income_class, std::int64_t medical_total,
                                          std::int64_t care_total);

// ---- 返還金 ----------------------------------------------------------------------------------

enum class RepaymentReason {
  overpaid_high_cost,   // a 高額 paid before a 修正/取消 lowered it
  ineligible_period,    // benefits paid for a month without eligibility
  provider_fraud,       // 偽りその他不正の行為 (法22条3項): principal + 加算金
  other,
};
std::string_view to_code(RepaymentReason r);
Result<RepaymentReason> repayment_reason_from_code(std::string_view code);
std::string_view label(RepaymentReason r);
// 0 except for provider_fraud: principal × numerator / denominator, floored to the yen.
std::int64_t repayment_surcharge(const BenefitRulesVersion& rules, RepaymentReason r, std::int64_t principal);

}  // namespace kaigo::benefit

#pragma once
// The category-1 premium of one person for one fiscal year (rules.md §2), as a pure function of
// the inputs and the city's table, with the explanation staff read when asked "why".
//
//   stage  = premium_table.hpp's precedence (welfare → 老齢福祉年金 → income interval)
//   annual = base_amount × ratio (reduced ratio where the version applies it), rounded by
//            annual_rounding                                 (施行令38条, the city's 条例)
//   amount = annual × months / 12, rounded by proration_rounding, or annual when months = 12
//            (月割, 法129条; the months come from eligibility::chargeable_months)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "premium/premium_table.hpp"

namespace kaigo::premium {

// The inputs of one assessment, each as of the 賦課期日 (1 April, or the acquisition date for a
// person who joins during the year) and for the previous calendar year's income.
struct AssessmentInputs {
  bool public_assistance = false;        // 生活保護 or 中国残留邦人等支援給付 on the base day
  bool old_age_welfare_pension = false;  // 老齢福祉年金 on the base day
  bool self_taxed = false;               // 本人 市町村民税 課税
  bool household_taxed = false;          // someone in the household (on the base day) taxed
  bool income_known = true;              // false: no tax row for the person (未申告) — see below
  std::int64_t total_income = 0;                 // 合計所得金額 (may be negative)
  std::int64_t land_sale_special_deduction = 0;  // 長期・短期譲渡所得の特別控除
  std::int64_t pension_misc_income = 0;          // 公的年金等に係る雑所得
  std::int64_t salary_income = 0;                // 給与所得
  std::int64_t taxable_pension_revenue = 0;      // 課税年金収入額 (no 障害/遺族/老齢福祉年金)
};

TaxStatus tax_status_of(const AssessmentInputs& in);

// The measure's value for `in` (≥ 0), and the arithmetic as text, e.g.
// "課税年金収入額 780,000 + その他の合計所得金額 29,000 (合計所得 809,000 − 年金雑所得 780,000 − 給与所得控除分 0) = 809,000".
struct MeasureValue {
  std::int64_t value = 0;
  std::string arithmetic;
};
MeasureValue measure_value(const AssessmentInputs& in, IncomeMeasure measure, std::int64_t salary_income_deduction);

// One step of the explanation: a label and the text staff read ("本人課税状況", "非課税").
struct ExplanationLine {
  std::string label;
  std::string text;
  bool operator==(const ExplanationLine&) const = default;
};

struct StageDecision {
  int stage = 0;
  std::string label;                 // "第1段階"
  std::string matched_rule;          // e.g. "世帯全員非課税 かつ 課税年金収入額+その他の合計所得金額 80万9千円以下"
  Ratio ratio;                       // the ratio applied (reduced when in force)
  bool reduced = false;
  std::int64_t annual_amount = 0;    // 年額
  std::vector<ExplanationLine> explanation;  // inputs → status → measure → stage → arithmetic
};

// The stage and annual amount. Persons with income_known = false are assessed on what is known
// (an untaxed person with no income) and the explanation says so: a 未申告 person is placed by
// the city's practice in the stage of zero income until a declaration arrives (then 更正).
StageDecision decide_stage(const AssessmentInputs& in, const PremiumTableVersion& table);

// annual × months / 12 with the version's proration rounding; annual itself for 12 months, 0 for 0.
// Adds the arithmetic line to `explanation` when given.
std::int64_t prorated_amount(std::int64_t annual, int months, const PremiumTableVersion& table,
                             std::vector<ExplanationLine>* explanation = nullptr);

}  // namespace kaigo::premium

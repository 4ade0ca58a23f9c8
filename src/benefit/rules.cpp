// The pure 給付 rules (rules.hpp, rules.md §4): co-payment rate, the 高額介護サービス費 income
// category and cap, the household split, the 高額医療合算 care share and the repayment surcharge.
// Every figure comes from the BenefitRulesVersion; every result explains itself with the figures.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "benefit/rules.hpp"

namespace kaigo::benefit {

namespace {

std::string yen(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out + "円";
}

struct CategoryName {
  IncomeCategory category;
  std::string_view code;
  std::string_view label;
};
constexpr std::array<CategoryName, 6> kCategories{{
    {IncomeCategory::taxable_690, "taxable_690", "課税所得690万円以上"},
    {IncomeCategory::taxable_380, "taxable_380", "課税所得380万円以上690万円未満"},
    {IncomeCategory::taxed, "taxed", "市町村民税課税世帯（課税所得380万円未満）"},
    {IncomeCategory::household_untaxed, "household_untaxed", "世帯全員が市町村民税非課税"},
    {IncomeCategory::low_income, "low_income", "世帯全員が市町村民税非課税（本人の年金収入等が基準額以下）"},
    {IncomeCategory::public_assistance, "public_assistance", "生活保護受給者等"},
}};

struct ReasonName {
  RepaymentReason reason;
  std::string_view code;
  std::string_view label;
};
constexpr std::array<ReasonName, 4> kReasons{{
    {RepaymentReason::overpaid_high_cost, "overpaid_high_cost", "高額介護サービス費の過払い"},
    {RepaymentReason::ineligible_period, "ineligible_period", "受給資格のない期間の保険給付"},
    {RepaymentReason::provider_fraud, "provider_fraud", "偽りその他不正の行為による保険給付（介護保険法第22条第3項）"},
    {RepaymentReason::other, "other", "その他の返還"},
}};

}  // namespace

std::string_view to_code(IncomeCategory c) {
  for (const auto& n : kCategories)
    if (n.category == c) return n.code;
  return "taxed";
}

Result<IncomeCategory> income_category_from_code(std::string_view code) {
  for (const auto& n : kCategories)
    if (n.code == code) return n.category;
  return fail(ErrorKind::invalid_input, fmt::format("unknown income category '{}'", code), "category");
}

std::string_view label(IncomeCategory c) {
  for (const auto& n : kCategories)
    if (n.category == c) return n.label;
  return "";
}

std::string_view to_code(RepaymentReason r) {
  for (const auto& n : kReasons)
    if (n.reason == r) return n.code;
  return "other";
}

Result<RepaymentReason> repayment_reason_from_code(std::string_view code) {
  for (const auto& n : kReasons)
    if (n.code == code) return n.reason;
  return fail(ErrorKind::invalid_input, fmt::format("unknown repayment reason '{}'", code), "reason");
}

std::string_view label(RepaymentReason r) {
  for (const auto& n : kReasons)
    if (n.reason == r) return n.label;
  return "";
}

// ---- co-payment rate (法49条の2, 59条の2; 施行令22条の2, 29条の2) ------------------------------

CopaymentDecision copayment_rate(const BenefitRulesVersion& rules, const CopaymentInputs& in) {
  if (!in.category_1) return {1, "第2号被保険者は1割負担です（介護保険法第49条の2）。"};
  if (in.public_assistance) return {1, "生活保護受給者は1割負担です。"};
  if (!in.resident_tax_taxed) return {1, "市町村民税非課税の方は1割負担です。"};
  const CopaymentThresholds& t = rules.copayment;
  const bool multi = in.household_category_1_count >= 2;
  const std::string who = multi ? fmt::format("世帯の第1号被保険者{}人", in.household_category_1_count) : "単身世帯";
  const std::int64_t sum = in.household_pension_and_other;
  const std::int64_t need3 = multi ? t.rate3_multi : t.rate3_single;
  const std::int64_t need2 = multi ? t.rate2_multi : t.rate2_single;
  const std::string figures = fmt::format("本人の合計所得金額{}、{}の年金収入とその他の合計所得金額の合計{}", yen(in.total_income),
                                          who, yen(sum));
  if (in.total_income >= t.rate3_total_income && sum >= need3)
    return {3, fmt::format("{}：合計所得金額が{}以上かつ合計が{}以上のため3割負担です。", figures, yen(t.rate3_total_income),
                           yen(need3))};
  if (in.total_income >= t.rate2_total_income && sum >= need2)
    return {2, fmt::format("{}：合計所得金額が{}以上かつ合計が{}以上のため2割負担です。", figures, yen(t.rate2_total_income),
                           yen(need2))};
  if (in.total_income < t.rate2_total_income)
    return {1, fmt::format("{}：合計所得金額が{}未満のため1割負担です。", figures, yen(t.rate2_total_income))};
  return {1, fmt::format("{}：合計が{}未満のため1割負担です。", figures, yen(need2))};
}

int rate_year_of(Date d) { return d.month() >= 8 ? d.year() : d.year() - 1; }
Date rate_year_start(int rate_year) { return Date(rate_year, 8, 1); }
Date rate_year_end(int rate_year) { return Date(rate_year + 1, 7, 31); }

// ---- 高額介護サービス費 (施行令22条の2の2, 29条の2の2) -----------------------------------------

CategoryDecision high_cost_category(const BenefitRulesVersion& rules, const HouseholdIncomeInputs& in) {
  if (in.public_assistance) return {IncomeCategory::public_assistance, "生活保護を受給しているため。"};
  if (in.max_taxable_income >= rules.taxable_690)
    return {IncomeCategory::taxable_690, fmt::format("世帯の第1号被保険者の課税所得の最高額{}が{}以上のため。",
                                                     yen(in.max_taxable_income), yen(rules.taxable_690))};
  if (in.max_taxable_income >= rules.taxable_380)
    return {IncomeCategory::taxable_380, fmt::format("世帯の第1号被保険者の課税所得の最高額{}が{}以上{}未満のため。",
                                                     yen(in.max_taxable_income), yen(rules.taxable_380),
                                                     yen(rules.taxable_690))};
  if (in.any_member_taxed)
    return {IncomeCategory::taxed, fmt::format("世帯に市町村民税の課税者がおり、課税所得の最高額{}が{}未満のため。",
                                               yen(in.max_taxable_income), yen(rules.taxable_380))};
  // 世帯非課税. The individual 15,000 cap (施行令22条の2の2第1項) is for those whose 公的年金等収入額 +
  // その他の合計所得金額 is at most the limit, and for 老齢福祉年金受給者 (the "等" of the notice's
  // "80万円以下の方等"): both are the low_income category.
  if (in.old_age_welfare_pension)
    return {IncomeCategory::low_income, "世帯全員が市町村民税非課税で、老齢福祉年金を受給しているため。"};
  if (in.own_pension_and_income <= rules.low_income_limit)
    return {IncomeCategory::low_income,
            fmt::format("世帯全員が市町村民税非課税で、本人の公的年金等収入額とその他の合計所得金額の合計{}が{}以下のため。",
                        yen(in.own_pension_and_income), yen(rules.low_income_limit))};
  return {IncomeCategory::household_untaxed,
          fmt::format("世帯全員が市町村民税非課税で、本人の公的年金等収入額とその他の合計所得金額の合計{}が{}を超えるため。",
                      yen(in.own_pension_and_income), yen(rules.low_income_limit))};
}

Result<HighCostCap> high_cost_cap(const BenefitRulesVersion& rules, IncomeCategory c) {
  for (const auto& [category, cap] : rules.high_cost_caps)
    if (category == c) return cap;
  return fail(ErrorKind::not_found, fmt::format("no 高額 cap for {}", to_code(c)), "category");
}

SplitResult split_high_cost(const std::vector<MemberShare>& members, std::int64_t household_cap) {
  SplitResult out;
  out.payments.assign(members.size(), 0);
  std::int64_t total = 0;
  for (const auto& m : members) total += std::max<std::int64_t>(0, m.own);
  out.household_excess = std::max<std::int64_t>(0, total - household_cap);

  // Payment_i = excess × own_i / total, floored (values ≤ 10^8 yen: the product fits in 64 bits).
  std::int64_t given = 0;
  if (out.household_excess > 0)
    for (std::size_t i = 0; i < members.size(); ++i) {
      const std::int64_t own = std::max<std::int64_t>(0, members[i].own);
      out.payments[i] = out.household_excess * own / total;
      given += out.payments[i];
    }
  // The yen left by flooring go to the smaller share (rules.md §4), one at a time, never beyond
  // what a member paid: order by own ascending (first listed first on a tie).
  std::int64_t remainder = out.household_excess - given;
  std::string remainder_text;
  if (remainder > 0) {
    std::vector<std::size_t> order(members.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return members[a].own < members[b].own; });
    for (std::size_t i : order) {
      if (remainder == 0) break;
      if (members[i].own <= 0) continue;
      const std::int64_t room = members[i].own - out.payments[i];
      const std::int64_t add = std::min(room, remainder);
      if (add <= 0) continue;
      out.payments[i] += add;
      remainder -= add;
      remainder_text += fmt::format("端数{}を{}人目（負担額の少ない方）に加算。", yen(add), i + 1);
    }
  }
  // An individual cap (low_income, public_assistance) pays at least own − individual cap.
  std::string individual_text;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!members[i].individual || members[i].own <= *members[i].individual) continue;
    const std::int64_t floor_pay = members[i].own - *members[i].individual;
    if (floor_pay > out.payments[i]) {
      individual_text += fmt::format("{}人目は個人の上限額{}を超える{}を支給。", i + 1, yen(*members[i].individual), yen(floor_pay));
      out.payments[i] = floor_pay;
    }
  }
  for (std::size_t i = 0; i < members.size(); ++i) out.payments[i] = std::clamp<std::int64_t>(out.payments[i], 0, std::max<std::int64_t>(0, members[i].own));

  if (out.household_excess == 0)
    out.explanation = fmt::format("世帯の利用者負担額の合計{}が世帯の上限額{}以下のため、世帯の上限額による支給はありません。", yen(total),
                                  yen(household_cap));
  else
    out.explanation = fmt::format("世帯の合計{}－世帯の上限額{}＝{}を、各人の負担額の割合で按分（円未満切捨て）。", yen(total),
                                  yen(household_cap), yen(out.household_excess));
  out.explanation += remainder_text + individual_text;
  return out;
}

// ---- 高額医療合算 (施行令22条の3, 29条の3) -------------------------------------------------

Result<CombinedShare> combined_care_share(const BenefitRulesVersion& rules, std::string_view age_band,
                                          std::string_view income_class, std::int64_t medical_total,
                                          std::int64_t care_total) {
  if (medical_total < 0) return fail(ErrorKind::invalid_input, "the medical total must not be negative", "medical_total");
  if (care_total < 0) return fail(ErrorKind::invalid_input, "the care total must not be negative", "care_total");
  const CombinedLimit* found = nullptr;
  for (const auto& l : rules.combined_limits)
    if (l.age_band == age_band && l.income_class == income_class) found = &l;
  if (!found)
    return fail(ErrorKind::invalid_input, fmt::format("no 合算 limit for age band '{}' and income class '{}'", age_band, income_class),
                "income_class");
  CombinedShare out;
  out.limit = found->limit;
  const std::int64_t sum = medical_total + care_total;
  out.excess = std::max<std::int64_t>(0, sum - out.limit);
  out.care_share = sum == 0 ? 0 : out.excess * care_total / sum;
  out.payable = out.excess > rules.combined_minimum && medical_total > 0 && care_total > 0;
  out.explanation = fmt::format("医療{}＋介護{}＝{}、自己負担限度額{}。", yen(medical_total), yen(care_total), yen(sum), yen(out.limit));
  if (out.excess == 0)
    out.explanation += "合計が限度額以下のため支給はありません。";
  else if (medical_total == 0 || care_total == 0)
    out.explanation += fmt::format("超過額{}。医療と介護の両方に自己負担がないため支給対象外です。", yen(out.excess));
  else if (!out.payable)
    out.explanation += fmt::format("超過額{}が支給基準額{}以下のため支給はありません。", yen(out.excess), yen(rules.combined_minimum));
  else
    out.explanation += fmt::format("超過額{}×介護{}／合計{}＝介護保険分{}（円未満切捨て）。", yen(out.excess), yen(care_total), yen(sum),
                                   yen(out.care_share));
  return out;
}

// ---- 返還金 (法22条) ------------------------------------------------------------------------

std::int64_t repayment_surcharge(const BenefitRulesVersion& rules, RepaymentReason r, std::int64_t principal) {
  if (r != RepaymentReason::provider_fraud || principal <= 0 || rules.surcharge_denominator <= 0) return 0;
  return principal * rules.surcharge_numerator / rules.surcharge_denominator;
}

}  // namespace kaigo::benefit

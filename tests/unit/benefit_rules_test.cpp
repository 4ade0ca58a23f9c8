// The pure 給付 rules (benefit/rules.hpp) against the shipped rule file: the co-payment rate at
// every threshold, single and multi households (the 負担割合 sent on KY-03, 施行令22条の2); the 高額 income category at
// each boundary, with the 80万 → 80.9万 change of 2025-08 (KY-16, 施行令22条の2の2); the household
// split: proportional, remainder on the smaller share, individual caps, never above what was paid;
// the 合算 care share with the 500-yen minimum (KY-23, 施行令22条の3); the 加算金 (KY-18, 法22条3項).
#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include "benefit/rules.hpp"

namespace {

namespace fs = std::filesystem;
using kaigo::Date;
using kaigo::ErrorKind;
using namespace kaigo::benefit;

const BenefitRules& shipped() {
  static const BenefitRules rules = [] {
    auto r = load_benefit_rules(fs::path(__FILE__).parent_path().parent_path().parent_path() / "config" / "rules" / "benefit");
    if (!r) throw std::runtime_error(r.error().message);
    return *r;
  }();
  return rules;
}
const BenefitRulesVersion& v2024() { return **shipped().on(Date(2024, 8, 1)); }
const BenefitRulesVersion& v2025() { return **shipped().on(Date(2025, 8, 1)); }

CopaymentInputs taxed(std::int64_t total_income, std::int64_t household, int count) {
  CopaymentInputs in;
  in.total_income = total_income;
  in.household_pension_and_other = household;
  in.household_category_1_count = count;
  return in;
}

// ---- 負担割合 (sent on KY-03) --------------------------------------------------------------------

TEST(BenefitCopaymentRate, KY_03_EachThresholdSingleAndMultiAtTheYenAndOneBelow) {
  struct Row {
    std::int64_t income, household;
    int count, rate;
  };
  const std::vector<Row> rows{
      // single: 3割 at 220万 and 340万
      {2200000, 3400000, 1, 3}, {2199999, 3400000, 1, 2}, {2200000, 3399999, 1, 2},
      // single: 2割 at 160万 and 280万
      {1600000, 2800000, 1, 2}, {1599999, 2800000, 1, 1}, {1600000, 2799999, 1, 1},
      // high income but a small household sum: 1割
      {5000000, 2799999, 1, 1},
      // multi: 3割 at 463万, 2割 at 346万
      {2200000, 4630000, 2, 3}, {2200000, 4629999, 2, 2}, {2200000, 3460000, 3, 2}, {2200000, 3459999, 2, 1},
      {1600000, 3460000, 2, 2}, {1599999, 3460000, 2, 1},
      // a sum enough for a single is not for a couple
      {2200000, 3400000, 2, 1},
  };
  for (const auto& r : rows) {
    auto d = copayment_rate(v2024(), taxed(r.income, r.household, r.count));
    EXPECT_EQ(d.rate, r.rate) << r.income << " / " << r.household << " / " << r.count << ": " << d.explanation;
    EXPECT_NE(d.explanation.find(std::to_string(r.rate) + "割"), std::string::npos) << d.explanation;
  }
}

TEST(BenefitCopaymentRate, KY_03_Category2UntaxedAndPublicAssistanceAreAlwaysOneTenth) {
  CopaymentInputs rich = taxed(9000000, 9000000, 1);
  rich.category_1 = false;
  EXPECT_EQ(copayment_rate(v2025(), rich).rate, 1);
  rich = taxed(9000000, 9000000, 1);
  rich.public_assistance = true;
  EXPECT_EQ(copayment_rate(v2025(), rich).rate, 1);
  rich = taxed(9000000, 9000000, 1);
  rich.resident_tax_taxed = false;
  auto d = copayment_rate(v2025(), rich);
  EXPECT_EQ(d.rate, 1);
  EXPECT_NE(d.explanation.find("非課税"), std::string::npos);
}

TEST(BenefitCopaymentRate, KY_03_ExplanationNamesTheFiguresThatDecided) {
  auto d = copayment_rate(v2024(), taxed(2500000, 3500000, 1));
  EXPECT_EQ(d.rate, 3);
  EXPECT_NE(d.explanation.find("2,500,000円"), std::string::npos) << d.explanation;
  EXPECT_NE(d.explanation.find("3,400,000円"), std::string::npos) << d.explanation;
  EXPECT_NE(d.explanation.find("単身"), std::string::npos) << d.explanation;
}

TEST(BenefitCopaymentRate, RateYearRunsFromAugustToJuly) {
  EXPECT_EQ(rate_year_of(Date(2025, 7, 31)), 2024);
  EXPECT_EQ(rate_year_of(Date(2025, 8, 1)), 2025);
  EXPECT_EQ(rate_year_of(Date(2026, 1, 1)), 2025);
  EXPECT_EQ(rate_year_start(2025), Date(2025, 8, 1));
  EXPECT_EQ(rate_year_end(2025), Date(2026, 7, 31));
}

// ---- 高額 category and cap (KY-16) ----------------------------------------------------------

HouseholdIncomeInputs household(bool taxed_member, std::int64_t max_taxable, std::int64_t own) {
  HouseholdIncomeInputs in;
  in.any_member_taxed = taxed_member;
  in.max_taxable_income = max_taxable;
  in.own_pension_and_income = own;
  return in;
}

TEST(BenefitHighCostCategory, KY_16_EachBoundaryAndThe2025Change) {
  EXPECT_EQ(high_cost_category(v2024(), household(true, 6900000, 0)).category, IncomeCategory::taxable_690);
  EXPECT_EQ(high_cost_category(v2024(), household(true, 6899999, 0)).category, IncomeCategory::taxable_380);
  EXPECT_EQ(high_cost_category(v2024(), household(true, 3800000, 0)).category, IncomeCategory::taxable_380);
  EXPECT_EQ(high_cost_category(v2024(), household(true, 3799999, 0)).category, IncomeCategory::taxed);
  EXPECT_EQ(high_cost_category(v2024(), household(true, 0, 0)).category, IncomeCategory::taxed);
  EXPECT_EQ(high_cost_category(v2024(), household(false, 0, 800001)).category, IncomeCategory::household_untaxed);
  EXPECT_EQ(high_cost_category(v2024(), household(false, 0, 800000)).category, IncomeCategory::low_income);
  // 80.9万 from 2025-08-01: 805,000 was 世帯非課税 before, 低所得 after.
  EXPECT_EQ(high_cost_category(v2024(), household(false, 0, 805000)).category, IncomeCategory::household_untaxed);
  EXPECT_EQ(high_cost_category(v2025(), household(false, 0, 805000)).category, IncomeCategory::low_income);
  EXPECT_EQ(high_cost_category(v2025(), household(false, 0, 809000)).category, IncomeCategory::low_income);
  EXPECT_EQ(high_cost_category(v2025(), household(false, 0, 809001)).category, IncomeCategory::household_untaxed);
  auto low = high_cost_category(v2025(), household(false, 0, 809000));
  EXPECT_NE(low.explanation.find("809,000円"), std::string::npos) << low.explanation;
}

TEST(BenefitHighCostCategory, KY_16_PublicAssistanceAndOldAgeWelfarePension) {
  HouseholdIncomeInputs pa = household(true, 9000000, 5000000);
  pa.public_assistance = true;
  EXPECT_EQ(high_cost_category(v2025(), pa).category, IncomeCategory::public_assistance);
  HouseholdIncomeInputs welfare = household(false, 0, 2000000);
  welfare.old_age_welfare_pension = true;
  EXPECT_EQ(high_cost_category(v2025(), welfare).category, IncomeCategory::low_income);
  // In a taxed household the 老齢福祉年金 gives no individual cap.
  HouseholdIncomeInputs taxed_welfare = household(true, 0, 2000000);
  taxed_welfare.old_age_welfare_pension = true;
  EXPECT_EQ(high_cost_category(v2025(), taxed_welfare).category, IncomeCategory::taxed);
}

TEST(BenefitHighCostCategory, CodesAndLabelsRoundTrip) {
  for (IncomeCategory c : {IncomeCategory::taxable_690, IncomeCategory::taxable_380, IncomeCategory::taxed,
                           IncomeCategory::household_untaxed, IncomeCategory::low_income, IncomeCategory::public_assistance}) {
    auto back = income_category_from_code(to_code(c));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, c);
    EXPECT_FALSE(label(c).empty());
  }
  auto bad = income_category_from_code("rich");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
}

// ---- the household split (KY-16) ------------------------------------------------------------

std::int64_t sum(const std::vector<std::int64_t>& v) { return std::accumulate(v.begin(), v.end(), std::int64_t{0}); }

TEST(BenefitHighCostSplit, KY_16_SingleMemberIsPaidTheExcessAndNothingAtOrBelowTheCap) {
  auto over = split_high_cost({{50000, std::nullopt}}, 44400);
  EXPECT_EQ(over.payments, std::vector<std::int64_t>{5600});
  EXPECT_EQ(over.household_excess, 5600);
  auto at = split_high_cost({{44400, std::nullopt}}, 44400);
  EXPECT_EQ(at.payments, std::vector<std::int64_t>{0});
  EXPECT_EQ(at.household_excess, 0);
  auto one_over = split_high_cost({{44401, std::nullopt}}, 44400);
  EXPECT_EQ(one_over.payments, std::vector<std::int64_t>{1});
  auto none = split_high_cost({}, 44400);
  EXPECT_TRUE(none.payments.empty());
}

TEST(BenefitHighCostSplit, KY_16_TwoMembersProportionalAndTheRemainderOnTheSmallerShare) {
  // 60,000 + 30,001 = 90,001; excess 45,601; 45,601 × 60,000 / 90,001 = 30,400.66… → 30,400;
  // 45,601 × 30,001 / 90,001 = 15,200.33… → 15,200; the 1 yen left goes to the smaller share.
  auto s = split_high_cost({{60000, std::nullopt}, {30001, std::nullopt}}, 44400);
  EXPECT_EQ(s.household_excess, 45601);
  EXPECT_EQ(s.payments, (std::vector<std::int64_t>{30400, 15201}));
  EXPECT_EQ(sum(s.payments), s.household_excess);
  EXPECT_NE(s.explanation.find("端数"), std::string::npos) << s.explanation;
  // Listed the other way round, the smaller share still takes the remainder.
  auto r = split_high_cost({{30001, std::nullopt}, {60000, std::nullopt}}, 44400);
  EXPECT_EQ(r.payments, (std::vector<std::int64_t>{15201, 30400}));
}

TEST(BenefitHighCostSplit, KY_16_ThreeMembersWithSeveralYenLeftAndEqualSharesTieOnTheFirst) {
  // 3 equal shares of 10,000, cap 24,600: excess 5,400 = 1,800 each, nothing left.
  auto even = split_high_cost({{10000, {}}, {10000, {}}, {10000, {}}}, 24600);
  EXPECT_EQ(even.payments, (std::vector<std::int64_t>{1800, 1800, 1800}));
  // 10,001 × 3 = 30,003 − 24,600 = 5,403 → 1,801 each exactly.
  // 10,000 + 10,000 + 10,001 = 30,001 − 24,600 = 5,401: 1,800.2… → 1,800, 1,800, 1,800.5… → 1,800: 1 yen left,
  // to the smallest (the first of the two 10,000s).
  auto tie = split_high_cost({{10000, {}}, {10000, {}}, {10001, {}}}, 24600);
  EXPECT_EQ(tie.payments, (std::vector<std::int64_t>{1801, 1800, 1800}));
  EXPECT_EQ(sum(tie.payments), 5401);
  // Several yen left: 7 members of 1 yen each and one of 100,000 against a cap of 44,400.
  std::vector<MemberShare> many(7, MemberShare{1, std::nullopt});
  many.push_back({100000, std::nullopt});
  auto m = split_high_cost(many, 44400);
  EXPECT_EQ(m.household_excess, 55607);
  EXPECT_EQ(sum(m.payments), 55607);
  for (std::size_t i = 0; i < 7; ++i) EXPECT_LE(m.payments[i], 1);
}

TEST(BenefitHighCostSplit, KY_16_AnIndividualCapPaysAtLeastOwnMinusTheCap) {
  // 低所得 household (24,600) with a member capped individually at 15,000.
  // Alone below the household cap: 20,000 → the individual cap pays 5,000.
  auto alone = split_high_cost({{20000, 15000}}, 24600);
  EXPECT_EQ(alone.household_excess, 0);
  EXPECT_EQ(alone.payments, std::vector<std::int64_t>{5000});
  EXPECT_NE(alone.explanation.find("個人の上限額"), std::string::npos) << alone.explanation;
  // Two members: 30,000 (capped 15,000) + 10,000: excess 15,400 → 11,550 / 3,850; the capped one
  // gets at least 15,000.
  auto two = split_high_cost({{30000, 15000}, {10000, std::nullopt}}, 24600);
  EXPECT_EQ(two.payments, (std::vector<std::int64_t>{15000, 3850}));
  // When the proportional share is larger, it stands.
  // 20,000 (capped 15,000) + 20,000: excess 15,400 → 7,700 each, above 20,000 − 15,000.
  auto larger = split_high_cost({{20000, 15000}, {20000, std::nullopt}}, 24600);
  EXPECT_EQ(larger.payments, (std::vector<std::int64_t>{7700, 7700}));
  // And when own − cap is larger, the proportional share gives way: 80,000 + 1,000 → 55,703 < 65,000.
  auto capped = split_high_cost({{80000, 15000}, {1000, std::nullopt}}, 24600);
  EXPECT_EQ(capped.payments, (std::vector<std::int64_t>{65000, 697}));
}

TEST(BenefitHighCostSplit, NobodyIsPaidMoreThanTheyPaidAndNothingNegative) {
  auto s = split_high_cost({{0, std::nullopt}, {-5, std::nullopt}, {50000, 15000}}, 15000);
  EXPECT_EQ(s.payments[0], 0);
  EXPECT_EQ(s.payments[1], 0);
  EXPECT_EQ(s.payments[2], 35000);
  for (std::int64_t own : {1, 7, 999, 44400, 44401, 123457}) {
    auto one = split_high_cost({{own, 0}}, 0);
    EXPECT_EQ(one.payments[0], own);
  }
}

// ---- 高額医療合算 (KY-23) ------------------------------------------------------------------

TEST(BenefitCombined, KY_23_CareShareFlooredAndTheLimitByAgeBandAndClass) {
  // 70+ 一般: 560,000. medical 400,000 + care 300,001 = 700,001; excess 140,001;
  // care share 140,001 × 300,001 / 700,001 = 60,000.57… → 60,000.
  auto s = combined_care_share(v2025(), "70_plus", "general", 400000, 300001);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->limit, 560000);
  EXPECT_EQ(s->excess, 140001);
  EXPECT_EQ(s->care_share, 60000);
  EXPECT_TRUE(s->payable);
  EXPECT_NE(s->explanation.find("60,000円"), std::string::npos) << s->explanation;
  auto u70 = combined_care_share(v2025(), "under_70", "e", 400000, 300000);
  ASSERT_TRUE(u70);
  EXPECT_EQ(u70->limit, 600000);
  EXPECT_EQ(u70->excess, 100000);
  EXPECT_EQ(u70->care_share, 42857);  // 100,000 × 300,000 / 700,000 = 42,857.1…
}

TEST(BenefitCombined, KY_23_TheMinimumAndBothTotalsNonZero) {
  // excess exactly 500: not paid; 501: paid.
  auto at = combined_care_share(v2025(), "70_plus", "low_1", 100000, 90500);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->excess, 500);
  EXPECT_FALSE(at->payable);
  EXPECT_NE(at->explanation.find("支給基準額"), std::string::npos);
  auto over = combined_care_share(v2025(), "70_plus", "low_1", 100000, 90501);
  ASSERT_TRUE(over);
  EXPECT_TRUE(over->payable);
  auto no_care = combined_care_share(v2025(), "70_plus", "low_1", 500000, 0);
  ASSERT_TRUE(no_care);
  EXPECT_EQ(no_care->excess, 310000);
  EXPECT_FALSE(no_care->payable);
  EXPECT_EQ(no_care->care_share, 0);
  auto no_medical = combined_care_share(v2025(), "70_plus", "low_1", 0, 500000);
  ASSERT_TRUE(no_medical);
  EXPECT_FALSE(no_medical->payable);
  auto below = combined_care_share(v2025(), "70_plus", "general", 100000, 100000);
  ASSERT_TRUE(below);
  EXPECT_EQ(below->excess, 0);
  EXPECT_FALSE(below->payable);
}

TEST(BenefitCombined, AnUnknownClassOrNegativeTotalIsRefusedNamingTheField) {
  auto bad = combined_care_share(v2025(), "70_plus", "a", 1, 1);  // "a" is an under-70 class
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "income_class");
  auto neg = combined_care_share(v2025(), "70_plus", "general", -1, 1);
  ASSERT_FALSE(neg);
  EXPECT_EQ(neg.error().field, "medical_total");
  auto neg_care = combined_care_share(v2025(), "70_plus", "general", 1, -1);
  ASSERT_FALSE(neg_care);
  EXPECT_EQ(neg_care.error().field, "care_total");
}

// ---- 返還金 (KY-18) ------------------------------------------------------------------------

TEST(BenefitRepayment, KY_18_SurchargeOnlyForProviderFraudFlooredAt40Percent) {
  EXPECT_EQ(repayment_surcharge(v2025(), RepaymentReason::provider_fraud, 100000), 40000);
  EXPECT_EQ(repayment_surcharge(v2025(), RepaymentReason::provider_fraud, 12345), 4938);  // 4,938.0
  EXPECT_EQ(repayment_surcharge(v2025(), RepaymentReason::provider_fraud, 12347), 4938);  // 4,938.8 → 4,938
  EXPECT_EQ(repayment_surcharge(v2025(), RepaymentReason::provider_fraud, 0), 0);
  EXPECT_EQ(repayment_surcharge(v2025(), RepaymentReason::overpaid_high_cost, 100000), 0);
  EXPECT_EQ(repayment_surcharge(v2025(), RepaymentReason::ineligible_period, 100000), 0);
  EXPECT_EQ(repayment_surcharge(v2025(), RepaymentReason::other, 100000), 0);
}

TEST(BenefitRepayment, ReasonCodesAndLabelsRoundTrip) {
  for (RepaymentReason r : {RepaymentReason::overpaid_high_cost, RepaymentReason::ineligible_period,
                            RepaymentReason::provider_fraud, RepaymentReason::other}) {
    auto back = repayment_reason_from_code(to_code(r));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, r);
    EXPECT_FALSE(label(r).empty());
  }
  EXPECT_NE(label(RepaymentReason::provider_fraud).find("第22条第3項"), std::string::npos);
  EXPECT_FALSE(repayment_reason_from_code("theft"));
}

}  // namespace

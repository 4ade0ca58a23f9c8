// The statutory deductions the synthetic city applies to revenue, table-driven, each row citing
// its source; and the simplified resident-tax threshold documented in docs/synthetic-city.md.
#include <gtest/gtest.h>

#include "sim/income_model.hpp"

namespace kaigo::sim {
namespace {

TEST(SimIncome, SalaryIncomeAfterDeduction) {
  // 所得税法28条3項 (2020年分以降), 給与所得控除.
  struct Case {
    std::int64_t revenue, income;
  } cases[] = {
      {0, 0},                     // nothing earned
      {500'000, 0},               // below the 55万 minimum deduction
      {1'030'000, 480'000},       // 103万 − 55万 = 48万 (the 扶養 limit)
      {1'625'000, 1'075'000},     // last yen of the flat 55万
      {1'800'000, 1'180'000},     // 40% − 10万 = 62万
      {3'600'000, 2'440'000},     // 30% + 8万 = 116万
      {6'600'000, 4'840'000},     // 20% + 44万 = 176万
      {8'500'000, 6'550'000},     // 10% + 110万 = 195万
      {12'000'000, 10'050'000},   // capped at 195万
  };
  for (const auto& c : cases) EXPECT_EQ(salary_income_of(c.revenue), c.income) << c.revenue;
}

TEST(SimIncome, PensionMiscIncomeAfterDeduction) {
  // 所得税法35条4項 (2020年分以降), 公的年金等控除, other income ≤ 1,000万.
  struct Case {
    std::int64_t revenue;
    bool aged_65;
    std::int64_t income;
  } cases[] = {
      {1'100'000, true, 0},          // 65+: 110万 minimum
      {2'000'000, true, 900'000},    // 200万 − 110万
      {3'300'000, true, 2'200'000},  // last yen of the 110万 band
      {4'000'000, true, 2'725'000},  // 25% + 27.5万 = 127.5万
      {1'000'000, false, 400'000},   // under 65: 60万 minimum
      {2'000'000, false, 1'225'000}, // 25% + 27.5万 = 77.5万
  };
  for (const auto& c : cases) EXPECT_EQ(pension_misc_income_of(c.revenue, c.aged_65), c.income) << c.revenue;
}

TEST(SimIncome, ResidentTaxNonTaxableLimits) {
  // 地方税法295条, 1級地: 45万 alone; 35万 × 2 + 10万 + 21万 = 101万 with one dependent.
  EXPECT_FALSE(resident_tax_taxed(450'000, 0, false, false));
  EXPECT_TRUE(resident_tax_taxed(450'001, 0, false, false));
  EXPECT_FALSE(resident_tax_taxed(1'010'000, 1, false, false));
  EXPECT_TRUE(resident_tax_taxed(1'010'001, 1, false, false));
  // 障害者・未成年者・寡婦・ひとり親: 135万.
  EXPECT_FALSE(resident_tax_taxed(1'350'000, 0, false, true));
  EXPECT_TRUE(resident_tax_taxed(1'350'001, 0, false, true));
  // 生活扶助 recipients are never taxed.
  EXPECT_FALSE(resident_tax_taxed(5'000'000, 0, true, false));
}

TEST(SimIncome, TaxableIncomeIsZeroWhenUntaxedAndFlooredTo1000) {
  EXPECT_EQ(taxable_income_of(300'000, 0, 0, 0, 0, false), 0);
  // 300万 salary: income 202万; minus 43万 and 45万 social insurance = 114万.
  EXPECT_EQ(taxable_income_of(2'020'000, 0, 3'000'000, 0, 0, true), 1'140'000);
  EXPECT_EQ(taxable_income_of(1'000'999, 0, 0, 0, 0, true), 570'000);
}

TEST(SimIncome, ChildrenUnder16HaveNoIncome) {
  Prng prng(1);
  for (int i = 0; i < 1000; ++i) {
    const IncomeDraw d = draw_income(prng, IncomeProfile{15, '1', false, false});
    EXPECT_EQ(d.salary_revenue + d.business_income + d.pension_revenue + d.land_sale_gain, 0);
  }
}

TEST(SimIncome, MostPensionersBetween60And250Man) {
  Prng prng(2);
  int in_range = 0, with_pension = 0;
  for (int i = 0; i < 10'000; ++i) {
    const IncomeDraw d = draw_income(prng, IncomeProfile{75, i % 2 ? '1' : '2', false, false});
    if (d.pension_revenue > 0) ++with_pension;
    if (d.pension_revenue >= 600'000 && d.pension_revenue <= 2'500'000) ++in_range;
  }
  EXPECT_GT(with_pension, 9'500);
  EXPECT_GT(in_range, 7'000);
}

}  // namespace
}  // namespace kaigo::sim

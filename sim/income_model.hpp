#pragma once
// Previous-year income and the resident-tax status of one person: the statutory deductions that
// turn revenue into income (pure, table-tested), and the draws that give each age its income.
//
// The deductions are the real ones for income years 2020 onwards; the non-taxable threshold and
// the taxable-income estimate are simplified on purpose (documented in docs/synthetic-city.md):
// the real resident-tax rules belong to the tax office, the city only receives the results.
#include <cstdint>

#include "sim/prng.hpp"

namespace kaigo::sim {

// 給与所得 from 給与収入 (所得税法28条3項, 2020年分以降): revenue minus 給与所得控除 of
// 55万 up to 162.5万; 40% − 10万 up to 180万; 30% + 8万 up to 360万; 20% + 44万 up to 660万;
// 10% + 110万 up to 850万; 195万 above. (The 別表第五 4,000-yen steps below 660万 are ignored.)
std::int64_t salary_income_of(std::int64_t salary_revenue);

// 公的年金等に係る雑所得 (所得税法35条4項, 2020年分以降, other income ≤ 1,000万): revenue minus
// 公的年金等控除. At 65+ (age on 31 December of the income year): 110万 up to 330万; 25% + 27.5万
// up to 410万; 15% + 68.5万 up to 770万; 5% + 145.5万 up to 1,000万; 195.5万 above. Under 65 the
// minimum is 60万 (up to 130万); the rest of the table is the same.
std::int64_t pension_misc_income_of(std::int64_t pension_revenue, bool aged_65_at_year_end);

// 市町村民税 均等割・所得割 非課税 (地方税法295条, the city is 1級地):
// - on 生活保護 (生活扶助) → untaxed;
// - 障害者, 未成年者, ひとり親 or 寡婦 with 合計所得 ≤ 135万 → untaxed;
// - 合計所得 ≤ 35万 × (1 + dependents) + 10万, plus 21万 when there are dependents → untaxed.
// `dependents` counts 同一生計配偶者 and 扶養親族, children under 16 included.
bool resident_tax_taxed(std::int64_t total_income, int dependents, bool on_welfare, bool income_limit_135);

// 課税所得 (simplified): total income minus the land-sale special deductions, 基礎控除 43万
// (住民税), an estimated 社会保険料控除 (15% of salary revenue, 9% of pension revenue), and 33万 per
// dependent aged 16+ or spouse; floored to 1,000 yen; 0 when untaxed.
std::int64_t taxable_income_of(std::int64_t total_income, std::int64_t land_sale_special_deduction,
                               std::int64_t salary_revenue, std::int64_t pension_revenue, int deductible_dependents,
                               bool taxed);

// What one person earned in the income year, before the household is looked at.
struct IncomeDraw {
  std::int64_t salary_revenue = 0;   // 給与収入
  std::int64_t business_income = 0;  // 事業所得
  std::int64_t pension_revenue = 0;  // 公的年金等収入 (taxable old-age pensions)
  std::int64_t land_sale_gain = 0;   // 譲渡所得 before the special deduction
  std::int64_t land_sale_special_deduction = 0;
};

struct IncomeProfile {
  int age = 0;                    // on the base date
  char sex = '1';
  bool on_welfare = false;
  bool has_employed_spouse = false;  // married with a working partner: part-time within 扶養 is likely
};

IncomeDraw draw_income(Prng& prng, const IncomeProfile& profile);

}  // namespace kaigo::sim

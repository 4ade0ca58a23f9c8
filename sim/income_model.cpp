#include "sim/income_model.hpp"

#include <algorithm>
#include <array>

namespace kaigo::sim {

namespace {

constexpr std::int64_t k10k = 10'000;  // 1万円

// An amount in [lo, hi] yen, in steps of `step` yen.
std::int64_t amount(Prng& prng, std::int64_t lo, std::int64_t hi, std::int64_t step) {
  return prng.between(lo / step, hi / step) * step;
}

// An amount from one of several [lo, hi) brackets (in 万円) picked by weight.
template <std::size_t N>
std::int64_t from_brackets(Prng& prng, const std::array<std::int64_t, N + 1>& edges_10k,
                           const std::array<std::uint32_t, N>& weights, std::int64_t step) {
  const auto i = prng.pick(weights);
  return amount(prng, edges_10k[i] * k10k, edges_10k[i + 1] * k10k - step, step);
}

// Old-age pensions at 65+ (公的年金等収入). Most fall between 60万 and 250万 (厚生労働省
// 「厚生年金保険・国民年金事業の概況」: 国民年金 only ≈ 5.7万/month, 厚生年金 ≈ 14.6万/month
// with large differences between men and women).
std::int64_t old_age_pension(Prng& prng, char sex) {
  static constexpr std::array<std::int64_t, 8> kEdges = {20, 60, 100, 150, 200, 250, 350, 500};
  static constexpr std::array<std::uint32_t, 7> kMen = {3, 10, 17, 25, 25, 15, 5};
  static constexpr std::array<std::uint32_t, 7> kWomen = {8, 30, 25, 20, 10, 5, 2};
  return from_brackets(prng, kEdges, sex == '1' ? kMen : kWomen, 100);
}

// Full-time yearly salary by age and sex (shape of 賃金構造基本統計調査 2024: rising to the 50s,
// women about 75% of men), with a thin tail of high earners.
std::int64_t full_time_salary(Prng& prng, int age, char sex) {
  if (prng.chance(3, 100)) return amount(prng, 900 * k10k, 2000 * k10k, 1000);
  std::int64_t lo = 280, hi = 420;
  if (age >= 30) lo = 350, hi = 600;
  if (age >= 40) lo = 400, hi = 720;
  if (age >= 50) lo = 430, hi = 800;
  if (age >= 60) lo = 280, hi = 500;
  if (sex == '2') lo = lo * 3 / 4, hi = hi * 3 / 4;
  return amount(prng, lo * k10k, hi * k10k, 1000);
}

std::int64_t part_time_salary(Prng& prng, bool within_dependent_limit) {
  // Married part-timers stay under 103万/130万 (the 扶養 limits) more often than not.
  if (within_dependent_limit) return amount(prng, 40 * k10k, 129 * k10k, 1000);
  return amount(prng, 40 * k10k, 200 * k10k, 1000);
}

}  // namespace

std::int64_t salary_income_of(std::int64_t r) {
  std::int64_t deduction;
  if (r <= 1'625'000) deduction = 550'000;
  else if (r <= 1'800'000) deduction = r * 40 / 100 - 100'000;
  else if (r <= 3'600'000) deduction = r * 30 / 100 + 80'000;
  else if (r <= 6'600'000) deduction = r * 20 / 100 + 440'000;
  else if (r <= 8'500'000) deduction = r * 10 / 100 + 1'100'000;
  else deduction = 1'950'000;
  return std::max<std::int64_t>(0, r - deduction);
}

std::int64_t pension_misc_income_of(std::int64_t r, bool aged_65) {
  std::int64_t deduction;
  if (aged_65 && r <= 3'300'000) deduction = 1'100'000;
  else if (!aged_65 && r <= 1'300'000) deduction = 600'000;
  else if (r <= 4'100'000) deduction = r * 25 / 100 + 275'000;
  else if (r <= 7'700'000) deduction = r * 15 / 100 + 685'000;
  else if (r <= 10'000'000) deduction = r * 5 / 100 + 1'455'000;
  else deduction = 1'955'000;
  return std::max<std::int64_t>(0, r - deduction);
}

bool resident_tax_taxed(std::int64_t total_income, int dependents, bool on_welfare, bool income_limit_135) {
  if (on_welfare) return false;
  if (income_limit_135 && total_income <= 1'350'000) return false;
  std::int64_t limit = 350'000 * (1 + dependents) + 100'000;
  if (dependents > 0) limit += 210'000;
  return total_income > limit;
}

std::int64_t taxable_income_of(std::int64_t total_income, std::int64_t land_sale_special_deduction,
                               std::int64_t salary_revenue, std::int64_t pension_revenue, int deductible_dependents,
                               bool taxed) {
  if (!taxed) return 0;
  const std::int64_t deductions = 430'000 + salary_revenue * 15 / 100 + pension_revenue * 9 / 100 +
                                  330'000 * static_cast<std::int64_t>(deductible_dependents);
  const std::int64_t base = total_income - land_sale_special_deduction - deductions;
  return base <= 0 ? 0 : base / 1000 * 1000;
}

IncomeDraw draw_income(Prng& prng, const IncomeProfile& p) {
  IncomeDraw d;
  if (p.age < 16) return d;
  if (p.on_welfare) {
    // 生活保護 is paid on top of other income, so recipients have little: some a basic pension,
    // a few a small wage.
    if (p.age >= 65 && prng.chance(50, 100)) d.pension_revenue = amount(prng, 30 * k10k, 78 * k10k, 100);
    if (p.age < 65 && p.age >= 18 && prng.chance(15, 100)) d.salary_revenue = amount(prng, 20 * k10k, 90 * k10k, 1000);
    return d;
  }
  if (p.age < 18) {
    if (prng.chance(15, 100)) d.salary_revenue = amount(prng, 10 * k10k, 80 * k10k, 1000);
    return d;
  }
  if (p.age >= 65) {
    if (prng.chance(97, 100)) d.pension_revenue = old_age_pension(prng, p.sex);
    const int work_pct = p.age < 70 ? 45 : p.age < 75 ? 30 : 8;
    if (prng.chance(static_cast<std::uint64_t>(work_pct), 100))
      d.salary_revenue = prng.chance(60, 100) ? part_time_salary(prng, false) : full_time_salary(prng, 60, p.sex);
    else if (prng.chance(6, 100))
      d.business_income = amount(prng, 30 * k10k, 400 * k10k, 1000);
  } else if (p.age <= 22 && prng.chance(55, 100)) {
    d.salary_revenue = part_time_salary(prng, false);  // students
  } else if (p.age > 22) {
    // Labour force survey shape: most men work full time; women more often part time.
    const bool woman = p.sex == '2';
    const auto kind = prng.below(100);
    const std::uint64_t full_time = woman ? (p.has_employed_spouse ? 35 : 65) : 82;
    const std::uint64_t part_time = woman ? (p.has_employed_spouse ? 35 : 15) : 6;
    const std::uint64_t self_employed = 7;
    if (kind < full_time) d.salary_revenue = full_time_salary(prng, p.age, p.sex);
    else if (kind < full_time + part_time) d.salary_revenue = part_time_salary(prng, p.has_employed_spouse);
    else if (kind < full_time + part_time + self_employed) d.business_income = amount(prng, 50 * k10k, 800 * k10k, 1000);
  }
  // Selling land or a home: rare, mostly later in life; the 居住用財産 3,000万円 special
  // deduction (租税特別措置法35条) usually applies.
  if (p.age >= 40 && prng.chance(3, 1000)) {
    d.land_sale_gain = amount(prng, 300 * k10k, 4000 * k10k, 1000);
    if (prng.chance(70, 100)) d.land_sale_special_deduction = std::min<std::int64_t>(d.land_sale_gain, 3000 * k10k);
  }
  return d;
}

}  // namespace kaigo::sim

#pragma once
// The city's premium table (保険料段階表) for one 事業計画期間, as data: a rule file per plan
// period (config/rules/premium/*.json, format in docs/premium-table.md), effective-dated inside
// the period. The code never holds a stage, a ratio, a threshold or a base amount.
//
// Stages are matched in a fixed order of precedence that follows 介護保険法施行令38条1項:
//   1. a stage marked `welfare` takes everyone on 生活保護 or 中国残留邦人等支援給付 (1号イ);
//   2. a stage with an `old_age_welfare_pension` alternative for the person's tax status takes
//      a 老齢福祉年金 recipient with that status (1号ロ: household untaxed);
//   3. otherwise the stage whose income interval, for the person's tax status, holds the measure.
// Validation (load time) makes this unambiguous: for every tax status the intervals partition
// [0, ∞) with no gap and no overlap, exactly one stage is `welfare`, every stage is reachable.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/ratio.hpp"

namespace kaigo::premium {

// 課税状況 as of the 賦課期日 (施行令38条): the three groups the stages hang on.
enum class TaxStatus {
  household_untaxed,             // 世帯全員が市町村民税非課税
  self_untaxed_household_taxed,  // 本人非課税、世帯に課税者あり
  self_taxed,                    // 本人課税
};
std::string_view to_code(TaxStatus s);  // "household_untaxed", …
Result<TaxStatus> tax_status_from_code(std::string_view code);

// The income measure an interval compares (rules.md §2, 施行令38条1項各号):
//  - pension_revenue_plus_other: 課税年金収入額 + (合計所得金額 − 長期・短期譲渡所得の特別控除
//    − 公的年金等に係る雑所得 − min(給与所得, salary_income_deduction)), the second term floored
//    at 0 — the measure of the untaxed stages;
//  - total_income: 合計所得金額 − 長期・短期譲渡所得の特別控除 — the measure of the taxed stages.
// A negative result counts as 0.
enum class IncomeMeasure { pension_revenue_plus_other, total_income };
std::string_view to_code(IncomeMeasure m);
Result<IncomeMeasure> income_measure_from_code(std::string_view code);

// One bound of an interval. The ordinance says "以下" (≤) for the untaxed stages and "未満" (<)
// for the taxed ones; a city may write either, so each bound says which.
struct IncomeInterval {
  std::optional<std::int64_t> lower;  // none: from 0
  bool lower_inclusive = true;        // true: lower ≤ x ("以上"); false: lower < x ("を超える")
  std::optional<std::int64_t> upper;  // none: no upper bound
  bool upper_inclusive = false;       // true: x ≤ upper ("以下"); false: x < upper ("未満")

  bool contains(std::int64_t x) const;
  std::string describe() const;  // e.g. "80万9千円以下", "120万円以上210万円未満"
};

// One way into a stage.
struct StageAlternative {
  TaxStatus status = TaxStatus::household_untaxed;
  bool old_age_welfare_pension = false;  // true: 老齢福祉年金 recipients of this status (no interval)
  IncomeMeasure measure = IncomeMeasure::total_income;
  IncomeInterval interval;               // ignored when old_age_welfare_pension
};

struct Stage {
  int number = 0;                        // 1..N, consecutive
  std::string label;                     // "第1段階"
  bool welfare = false;                  // takes 生活保護・中国残留邦人等 recipients
  std::vector<StageAlternative> alternatives;
  Ratio ratio;                           // 基準額に対する割合
  std::optional<Ratio> reduced_ratio;    // 公費による軽減後の割合 (法124条の2), when the version applies it
  std::string note;                      // optional: the ordinance's words or article, shown as 根拠
};

// The table in force from `effective_from` until the next version of the same file.
struct PremiumTableVersion {
  Date effective_from;                  // first day (a 1 April: the 賦課期日 of a fiscal year)
  std::int64_t base_amount = 0;         // 基準額, yen per year
  bool apply_reduced_ratio = true;      // 公費軽減 in force
  std::int64_t salary_income_deduction = 0;  // 給与所得から控除する額 (施行令38条, 10万円 since FY2021)
  Rounding annual_rounding;             // the annual amount (e.g. 100円未満切捨て)
  Rounding proration_rounding;          // annual × months / 12 (月割)
  std::vector<Stage> stages;            // stages[i].number == i + 1
  std::string note;                     // optional: why this version (e.g. the amendment it follows)
};

struct PremiumTable {
  std::string name;                     // "第9期 (令和6〜8年度) 国の標準段階"
  int first_fiscal_year = 0;            // plan period, inclusive
  int last_fiscal_year = 0;
  std::filesystem::path source;         // the file it was read from
  std::string sha256;                   // of the file's bytes: the version stored with each assessment
  std::vector<PremiumTableVersion> versions;  // ascending effective_from, the first on 1 April of first_fiscal_year
  std::string note;                     // optional: the ordinance the table follows

  // The version in force on `day` (the 賦課期日 of the fiscal year): nullptr outside the period.
  const PremiumTableVersion* version_on(Date day) const;
};

// Checks a table: consecutive stage numbers; exactly one welfare stage; per status, intervals
// that partition [0, ∞) (no gap, no overlap — boundary inclusivity checked exactly); at most one
// old-age-welfare-pension alternative per status; every stage reachable; ratios > 0; base amount
// > 0; versions ascending inside the plan period. Errors name the version, stage and field.
Result<void> validate(const PremiumTable& table);

// Reads and validates one rule file (JSON, docs/premium-table.md). Errors name the file and the
// JSON path at fault ("versions[1].stages[3].alternatives[0].upper: …").
Result<PremiumTable> load_premium_table(const std::filesystem::path& file);
// The same for a rule file's bytes that did not come from a file (a table proposed through the
// API): errors are prefixed with `name` instead of a path; `source` stays empty.
Result<PremiumTable> parse_premium_table(std::string_view bytes, const std::string& name);

// Loads every *.json in `dir` (config/rules/premium) and checks that plan periods do not overlap.
Result<std::vector<PremiumTable>> load_premium_tables(const std::filesystem::path& dir);

// The table whose plan period holds `fiscal_year`, or nullptr.
const PremiumTable* table_for(const std::vector<PremiumTable>& tables, int fiscal_year);

}  // namespace kaigo::premium

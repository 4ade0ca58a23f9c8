// The assessment of one person for one fiscal year (rules.hpp): the stage by the table's
// precedence, the annual amount, the monthly proration, and the explanation staff read.
#include "premium/rules.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "premium/premium_table_text.hpp"

namespace kaigo::premium {

namespace {

std::string yen(std::int64_t n) { return with_commas(n).append("円"); }

// A 未申告 person is assessed as an untaxed person with no income (the city's practice until
// a declaration arrives and the year is revised); household members' tax is known separately.
AssessmentInputs as_assessed(const AssessmentInputs& in) {
  if (in.income_known) return in;
  AssessmentInputs out = in;
  out.self_taxed = false;
  out.total_income = out.land_sale_special_deduction = out.pension_misc_income = out.salary_income =
      out.taxable_pension_revenue = 0;
  return out;
}

std::vector<ExplanationLine> input_lines(const AssessmentInputs& in) {
  auto has = [](bool b) { return std::string(b ? "受給あり" : "受給なし"); };
  std::vector<ExplanationLine> lines;
  lines.reserve(17);
  lines.push_back({"入力: 生活保護・中国残留邦人等支援給付", has(in.public_assistance)});
  lines.push_back({"入力: 老齢福祉年金", has(in.old_age_welfare_pension)});
  lines.push_back({"入力: 本人の市町村民税", in.self_taxed ? "課税" : "非課税"});
  lines.push_back({"入力: 世帯の市町村民税", in.household_taxed ? "世帯に課税者あり" : "世帯全員非課税"});
  if (!in.income_known) {
    lines.push_back({"入力: 所得", "課税資料なし (未申告): 本人非課税・所得0円として賦課し、申告があれば更正します"});
    return lines;
  }
  lines.push_back({"入力: 合計所得金額", yen(in.total_income)});
  lines.push_back({"入力: 長期・短期譲渡所得の特別控除", yen(in.land_sale_special_deduction)});
  lines.push_back({"入力: 公的年金等に係る雑所得", yen(in.pension_misc_income)});
  lines.push_back({"入力: 給与所得", yen(in.salary_income)});
  lines.push_back({"入力: 課税年金収入額", yen(in.taxable_pension_revenue)});
  return lines;
}

std::string alternative_text(const StageAlternative& a) {
  if (a.old_age_welfare_pension) return fmt::format("{} かつ 老齢福祉年金を受給", status_label(a.status));
  return fmt::format("{} かつ {} {}", status_label(a.status), measure_label(a.measure), a.interval.describe());
}

const Stage& welfare_stage(const PremiumTableVersion& t) {
  for (const Stage& s : t.stages)
    if (s.welfare) return s;
  throw std::invalid_argument("premium table without a welfare stage (not validated)");
}

}  // namespace

TaxStatus tax_status_of(const AssessmentInputs& in) {
  if (in.self_taxed && in.income_known) return TaxStatus::self_taxed;
  if (in.household_taxed) return TaxStatus::self_untaxed_household_taxed;
  return TaxStatus::household_untaxed;
}

MeasureValue measure_value(const AssessmentInputs& raw, IncomeMeasure measure, std::int64_t salary_income_deduction) {
  const AssessmentInputs in = as_assessed(raw);
  if (!raw.income_known) return {0, fmt::format("{} 0 (課税資料なし)", measure_label(measure))};
  MeasureValue out;
  if (measure == IncomeMeasure::total_income) {
    // 施行令38条1項6号〜: 合計所得金額 less the special deductions of 租税特別措置法 for land sales.
    const std::int64_t v = in.total_income - in.land_sale_special_deduction;
    out.value = std::max<std::int64_t>(v, 0);
    out.arithmetic = fmt::format("合計所得金額 {} − 長期・短期譲渡所得の特別控除 {} = {}", with_commas(in.total_income),
                                 with_commas(in.land_sale_special_deduction), with_commas(v));
    if (v < 0) out.arithmetic += " → 0";
    return out;
  }
  // 施行令38条1項1号ハ等: 課税年金収入額 + (合計所得金額 − 特別控除 − 年金雑所得 − 給与所得のうち
  // 10万円まで (令和3年度〜)); the bracket counts as 0 when negative.
  const std::int64_t salary_part = std::clamp<std::int64_t>(in.salary_income, 0, salary_income_deduction);
  const std::int64_t other =
      in.total_income - in.land_sale_special_deduction - in.pension_misc_income - salary_part;
  const std::int64_t other_counted = std::max<std::int64_t>(other, 0);
  const std::int64_t v = in.taxable_pension_revenue + other_counted;
  out.value = std::max<std::int64_t>(v, 0);
  std::string bracket = fmt::format("合計所得金額 {}", with_commas(in.total_income));
  if (in.land_sale_special_deduction != 0)
    bracket += fmt::format(" − 譲渡所得の特別控除 {}", with_commas(in.land_sale_special_deduction));
  bracket += fmt::format(" − 年金雑所得 {} − 給与所得控除分 {}", with_commas(in.pension_misc_income), with_commas(salary_part));
  if (other < 0) bracket += fmt::format(" = {} → 0", with_commas(other));
  out.arithmetic = fmt::format("課税年金収入額 {} + その他の合計所得金額 {} ({}) = {}", with_commas(in.taxable_pension_revenue),
                               with_commas(other_counted), bracket, with_commas(v));
  if (v < 0) out.arithmetic += " → 0";
  return out;
}

StageDecision decide_stage(const AssessmentInputs& raw, const PremiumTableVersion& table) {
  const AssessmentInputs in = as_assessed(raw);
  const TaxStatus status = tax_status_of(raw);
  StageDecision d;
  d.explanation = input_lines(raw);
  d.explanation.reserve(d.explanation.size() + 8);  // status, measure, stage, 根拠, ratio, annual, 月割
  d.explanation.push_back({"課税状況", status_label(status)});

  const Stage* stage = nullptr;
  if (in.public_assistance) {
    // 施行令38条1項1号イ: 生活保護 (and 中国残留邦人等支援給付) decide the stage whatever the income.
    stage = &welfare_stage(table);
    d.matched_rule = "生活保護または中国残留邦人等支援給付を受給";
    d.explanation.push_back({"所得指標", "判定に用いない (生活保護等の受給者)"});
  }
  if (!stage && in.old_age_welfare_pension) {
    // 施行令38条1項1号ロ: 老齢福祉年金 with the status the table names (the household untaxed).
    for (const Stage& s : table.stages)
      for (const StageAlternative& a : s.alternatives)
        if (a.old_age_welfare_pension && a.status == status) {
          stage = &s;
          d.matched_rule = alternative_text(a);
        }
    if (stage) d.explanation.push_back({"所得指標", "判定に用いない (老齢福祉年金の受給者)"});
  }
  if (!stage) {
    const StageAlternative* first = nullptr;
    for (const Stage& s : table.stages)
      for (const StageAlternative& a : s.alternatives)
        if (!first && !a.old_age_welfare_pension && a.status == status) first = &a;
    if (!first) throw std::invalid_argument("premium table without an interval for a tax status (not validated)");
    // Validation gives each status one measure; its value is compared with every interval.
    const MeasureValue m = measure_value(raw, first->measure, table.salary_income_deduction);
    d.explanation.push_back({"所得指標", fmt::format("{}: {}", measure_label(first->measure), m.arithmetic)});
    for (const Stage& s : table.stages)
      for (const StageAlternative& a : s.alternatives)
        if (!stage && !a.old_age_welfare_pension && a.status == status && a.interval.contains(m.value)) {
          stage = &s;
          d.matched_rule = alternative_text(a);
        }
    if (!stage) throw std::invalid_argument("premium table whose intervals leave a gap (not validated)");
  }

  d.stage = stage->number;
  d.label = stage->label;
  d.explanation.push_back({"該当段階", fmt::format("{}: {}", stage->label, d.matched_rule)});
  if (!stage->note.empty()) d.explanation.push_back({"根拠", stage->note});

  d.reduced = table.apply_reduced_ratio && stage->reduced_ratio.has_value();
  d.ratio = d.reduced ? *stage->reduced_ratio : stage->ratio;
  d.explanation.push_back(
      {"保険料率", d.reduced ? fmt::format("基準額に対する割合 {} (公費による軽減後 {})", stage->ratio.decimal(), d.ratio.decimal())
                             : fmt::format("基準額に対する割合 {}", d.ratio.decimal())});
  const std::int64_t num = table.base_amount * d.ratio.num();
  d.annual_amount = table.annual_rounding.apply(num, d.ratio.den());
  d.explanation.push_back({"年額", fmt::format("基準額 {} × {} = {}円 → {} {}", yen(table.base_amount), d.ratio.decimal(),
                                               exact_decimal(num, d.ratio.den()), rounding_label(table.annual_rounding),
                                               yen(d.annual_amount))});
  return d;
}

std::int64_t prorated_amount(std::int64_t annual, int months, const PremiumTableVersion& table,
                             std::vector<ExplanationLine>* explanation) {
  if (months < 0 || months > 12) throw std::invalid_argument("chargeable months outside 0..12");
  std::int64_t amount = 0;
  std::string text;
  if (months == 12) {
    amount = annual;
    text = fmt::format("12か月: 年額のまま {}", yen(annual));
  } else if (months == 0) {
    text = "賦課月数 0か月: 0円";
  } else {
    // 法129条 / the city's 条例: 月割 = 年額 × 月数 / 12, rounded by the city's rule.
    amount = table.proration_rounding.apply(annual * months, 12);
    text = fmt::format("年額 {} × {}/12 = {}円 → {} {}", yen(annual), months, exact_decimal(annual * months, 12),
                       rounding_label(table.proration_rounding), yen(amount));
  }
  if (explanation) explanation->push_back({"月割", text});
  return amount;
}

}  // namespace kaigo::premium

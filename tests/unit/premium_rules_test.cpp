// The pure assessment rules (FK-11: compute the premium): the stage by precedence, the income
// measures, the annual amount and the monthly proration, against the shipped national table
// (config/rules/premium/fy2024-2026.json). Every row cites what it proves.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "premium/premium_table.hpp"
#include "premium/premium_table_text.hpp"
#include "premium/rules.hpp"

namespace {

using kaigo::Date;
using kaigo::Rounding;
using kaigo::RoundingMethod;
using namespace kaigo::premium;

const std::filesystem::path kShippedTable =
    std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "config" / "rules" / "premium" / "fy2024-2026.json";

const PremiumTable& shipped() {
  static const PremiumTable table = [] {
    auto t = load_premium_table(kShippedTable);
    if (!t) throw std::runtime_error(t.error().message);
    return *t;
  }();
  return table;
}

const PremiumTableVersion& fy(int year) {
  const PremiumTableVersion* v = shipped().version_on(Date(year, 4, 1));
  if (!v) throw std::runtime_error("no version");
  return *v;
}

// Household untaxed with a pension of `pension` (at most 110万円: no 公的年金等に係る雑所得 for
// 65+, 公的年金等控除 110万円) and other income `other`: the measure is pension + other.
AssessmentInputs hu(std::int64_t pension, std::int64_t other = 0) {
  AssessmentInputs in;
  in.taxable_pension_revenue = pension;
  in.total_income = other;
  return in;
}
// Self untaxed, someone in the household taxed.
AssessmentInputs su(std::int64_t pension, std::int64_t other = 0) {
  AssessmentInputs in = hu(pension, other);
  in.household_taxed = true;
  return in;
}
// Self taxed with 合計所得金額 `total`.
AssessmentInputs st(std::int64_t total) {
  AssessmentInputs in;
  in.self_taxed = in.household_taxed = true;
  in.total_income = total;
  return in;
}

struct StageCase {
  int fiscal_year;
  AssessmentInputs in;
  int stage;
  std::int64_t annual;
  const char* source;
};

// 基準額 74,700円 (みどり市), 10円未満切捨て: stage 1 74,700×0.285=21,289.5→21,280; 2 ×0.485=36,229.5→36,220;
// 3 ×0.685=51,169.5→51,160; 4 ×0.9=67,230; 5 ×1.0=74,700; 6 ×1.2=89,640; 7 ×1.3=97,110; 8 ×1.5=112,050;
// 9 ×1.7=126,990; 10 ×1.9=141,930; 11 ×2.1=156,870; 12 ×2.3=171,810; 13 ×2.4=179,280.
const StageCase kBoundaryCases[] = {
    // 第1/第2段階 and 第4/第5段階: 80万円 (FY2024), 80万9千円 (FY2025), 82万6,500円 (FY2026), "以下".
    {2024, hu(800'000), 1, 21'280, "施行令38条1項1号ハ: FY2024 80万円以下 (≤)"},
    {2024, hu(800'001), 2, 36'220, "施行令38条1項2号: FY2024 80万円を超え"},
    {2024, hu(700'000, 100'000), 1, 21'280, "rules.md §2: pension + other income 80万円 in FY2024"},
    {2025, hu(800'001), 1, 21'280, "令和7年度改正: 80万1円 is 第1段階 from FY2025"},
    {2025, hu(809'000), 1, 21'280, "令和7年度改正 施行令38条1項1号ハ: 80万9千円以下"},
    {2025, hu(809'001), 2, 36'220, "令和7年度改正 施行令38条1項2号: 80万9千円を超え"},
    {2026, hu(809'001), 1, 21'280, "令和7年政令第394号: 80万9千1円 is 第1段階 from FY2026"},
    {2026, hu(826'500), 1, 21'280, "令和7年政令第394号 施行令38条1項1号ハ: 82万6,500円以下"},
    {2026, hu(826'501), 2, 36'220, "令和7年政令第394号 施行令38条1項2号: 82万6,500円を超え"},
    {2024, hu(1'200'000), 2, 36'220, "施行令38条1項2号: 120万円以下"},
    {2025, hu(1'200'000), 2, 36'220, "施行令38条1項2号: 120万円以下 (unchanged in FY2025)"},
    {2024, hu(1'200'001), 3, 51'160, "施行令38条1項3号: 120万円を超える"},
    {2024, hu(0), 1, 21'280, "施行令38条1項1号ハ: no income at all"},
    {2024, su(800'000), 4, 67'230, "施行令38条1項4号: FY2024 80万円以下"},
    {2024, su(800'001), 5, 74'700, "施行令38条1項5号: FY2024 80万円を超え (基準額)"},
    {2025, su(800'001), 4, 67'230, "令和7年度改正: 80万1円 is 第4段階 from FY2025"},
    {2025, su(809'000), 4, 67'230, "令和7年度改正 施行令38条1項4号: 80万9千円以下"},
    {2025, su(809'001), 5, 74'700, "令和7年度改正 施行令38条1項5号: 80万9千円を超え"},
    {2026, su(826'500), 4, 67'230, "令和7年政令第394号 施行令38条1項4号: 82万6,500円以下"},
    {2026, su(826'501), 5, 74'700, "令和7年政令第394号 施行令38条1項5号: 82万6,500円を超え"},
    {2024, su(5'000'000), 5, 74'700, "施行令38条1項5号: no upper bound"},
    // 第6段階〜第13段階: 合計所得金額, "未満" (rules.md §2: stages 6+ compare with <).
    {2024, st(0), 6, 89'640, "施行令38条1項6号: taxed with 0 income"},
    {2024, st(1'199'999), 6, 89'640, "施行令38条1項6号: 120万円未満"},
    {2024, st(1'200'000), 7, 97'110, "施行令38条1項7号: 120万円以上"},
    {2025, st(1'199'999), 6, 89'640, "施行令38条1項6号: FY2025 unchanged"},
    {2025, st(1'200'000), 7, 97'110, "施行令38条1項7号: FY2025 unchanged"},
    {2024, st(2'099'999), 7, 97'110, "施行令38条1項7号: 210万円未満"},
    {2024, st(2'100'000), 8, 112'050, "施行令38条1項8号: 210万円以上"},
    {2024, st(3'199'999), 8, 112'050, "施行令38条1項8号: 320万円未満"},
    {2024, st(3'200'000), 9, 126'990, "施行令38条1項9号: 320万円以上"},
    {2024, st(4'199'999), 9, 126'990, "施行令38条1項9号: 420万円未満"},
    {2024, st(4'200'000), 10, 141'930, "施行令38条1項10号: 420万円以上"},
    {2024, st(5'199'999), 10, 141'930, "施行令38条1項10号: 520万円未満"},
    {2024, st(5'200'000), 11, 156'870, "施行令38条1項11号: 520万円以上"},
    {2024, st(6'199'999), 11, 156'870, "施行令38条1項11号: 620万円未満"},
    {2024, st(6'200'000), 12, 171'810, "施行令38条1項12号: 620万円以上"},
    {2024, st(7'199'999), 12, 171'810, "施行令38条1項12号: 720万円未満"},
    {2024, st(7'200'000), 13, 179'280, "施行令38条1項13号: 720万円以上"},
    {2026, st(7'200'000), 13, 179'280, "施行令38条1項13号: FY2026 unchanged"},
    {2024, st(100'000'000), 13, 179'280, "施行令38条1項13号: no upper bound"},
};

TEST(PremiumRules, FK_11_EveryStageBoundaryOnBothSidesInEveryVersion) {
  for (const StageCase& c : kBoundaryCases) {
    const StageDecision d = decide_stage(c.in, fy(c.fiscal_year));
    EXPECT_EQ(d.stage, c.stage) << c.source;
    EXPECT_EQ(d.label, "第" + std::to_string(c.stage) + "段階") << c.source;
    EXPECT_EQ(d.annual_amount, c.annual) << c.source;
  }
}

TEST(PremiumRules, FK_11_EveryStageOfTheShippedTableIsReachedByTheBoundaryCases) {
  for (int year : {2024, 2025, 2026}) {
    std::vector<int> seen;
    for (const StageCase& c : kBoundaryCases) seen.push_back(decide_stage(c.in, fy(year)).stage);
    for (int s = 1; s <= 13; ++s)
      EXPECT_NE(std::find(seen.begin(), seen.end(), s), seen.end()) << "FY" << year << " stage " << s;
  }
}

// ---- Precedence: welfare → 老齢福祉年金 → income interval (施行令38条1項1号イ・ロ) ----

TEST(PremiumRules, FK_11_WelfareTakesPrecedenceOverTaxAndIncome) {
  AssessmentInputs rich = st(10'000'000);
  rich.public_assistance = true;
  const StageDecision d = decide_stage(rich, fy(2025));
  EXPECT_EQ(d.stage, 1) << "施行令38条1項1号イ: 生活保護 decides whatever the income";
  EXPECT_EQ(d.annual_amount, 21'280);
  EXPECT_EQ(d.matched_rule, "生活保護または中国残留邦人等支援給付を受給");

  AssessmentInputs pensioner = hu(1'500'000);
  pensioner.public_assistance = pensioner.old_age_welfare_pension = true;
  EXPECT_EQ(decide_stage(pensioner, fy(2024)).stage, 1) << "welfare before 老齢福祉年金";
}

TEST(PremiumRules, FK_11_OldAgeWelfarePensionWithHouseholdUntaxedIsStage1) {
  AssessmentInputs in = hu(1'500'000);  // by income alone: 第3段階
  in.old_age_welfare_pension = true;
  const StageDecision d = decide_stage(in, fy(2024));
  EXPECT_EQ(d.stage, 1) << "施行令38条1項1号ロ: 老齢福祉年金 and household untaxed";
  EXPECT_EQ(d.matched_rule, "世帯全員が市町村民税非課税 かつ 老齢福祉年金を受給");

  AssessmentInputs taxed_household = su(500'000);
  taxed_household.old_age_welfare_pension = true;
  EXPECT_EQ(decide_stage(taxed_household, fy(2024)).stage, 4)
      << "施行令38条1項1号ロ needs the household untaxed: otherwise by income (4号)";
  AssessmentInputs taxed_self = st(2'500'000);
  taxed_self.old_age_welfare_pension = true;
  EXPECT_EQ(decide_stage(taxed_self, fy(2024)).stage, 8) << "a taxed recipient is placed by income";
}

// ---- The income measures (rules.md §2, 施行令38条1項) ----

struct MeasureCase {
  AssessmentInputs in;
  IncomeMeasure measure;
  std::int64_t value;
  const char* source;
};

AssessmentInputs with(AssessmentInputs in, std::int64_t land, std::int64_t pension_misc, std::int64_t salary) {
  in.land_sale_special_deduction = land;
  in.pension_misc_income = pension_misc;
  in.salary_income = salary;
  return in;
}

const MeasureCase kMeasureCases[] = {
    {hu(700'000, -300'000), IncomeMeasure::pension_revenue_plus_other, 700'000,
     "negative other income counts as 0, the pension revenue stays"},
    {st(-500'000), IncomeMeasure::total_income, 0, "negative 合計所得金額 counts as 0"},
    {with(hu(700'000, 150'000), 0, 0, 150'000), IncomeMeasure::pension_revenue_plus_other, 750'000,
     "施行令38条 (令和3年度〜): 給与所得 less 10万円"},
    {with(hu(700'000, 60'000), 0, 0, 60'000), IncomeMeasure::pension_revenue_plus_other, 700'000,
     "給与所得 under 10万円: all of it deducted, never below 0"},
    {with(st(1'250'000), 0, 0, 1'250'000), IncomeMeasure::total_income, 1'250'000,
     "the 10万円 is for the untaxed measure only: 合計所得金額 of the taxed stages keeps it"},
    {with(hu(1'500'000, 400'000), 0, 400'000, 0), IncomeMeasure::pension_revenue_plus_other, 1'500'000,
     "公的年金等に係る雑所得 is not counted twice (it is in 課税年金収入額)"},
    {with(st(3'000'000), 2'000'000, 0, 0), IncomeMeasure::total_income, 1'000'000,
     "rules.md §2: less 長期・短期譲渡所得の特別控除"},
    {with(hu(600'000, 2'000'000), 2'000'000, 0, 0), IncomeMeasure::pension_revenue_plus_other, 600'000,
     "rules.md §2: the untaxed measure less 譲渡所得の特別控除 too"},
};

TEST(PremiumRules, FK_11_IncomeMeasures) {
  for (const MeasureCase& c : kMeasureCases)
    EXPECT_EQ(measure_value(c.in, c.measure, 100'000).value, c.value) << c.source;
}

TEST(PremiumRules, FK_11_DeductionsMoveAPersonAcrossABoundary) {
  // 70万円 pension + 給与所得 20万9千円 − 10万円 = 80万9千円: 第1段階 in FY2025, 1 yen more is 第2段階.
  EXPECT_EQ(decide_stage(with(hu(700'000, 209'000), 0, 0, 209'000), fy(2025)).stage, 1);
  EXPECT_EQ(decide_stage(with(hu(700'000, 209'001), 0, 0, 209'001), fy(2025)).stage, 2);
  // Without the 給与所得 the same 合計所得 is 第2段階 (the 10万円 is only for 給与所得).
  EXPECT_EQ(decide_stage(hu(700'000, 209'000), fy(2025)).stage, 2);
  // 合計所得 420万 of which 特別控除 300万: 120万 → 第7段階, not 第10段階.
  EXPECT_EQ(decide_stage(with(st(4'200'000), 3'000'000, 0, 0), fy(2024)).stage, 7);
  // Negative income of a taxed person: 0 → 第6段階.
  EXPECT_EQ(decide_stage(st(-1'000'000), fy(2024)).stage, 6);
}

TEST(PremiumRules, FK_11_MeasureArithmeticIsShown) {
  const MeasureValue m =
      measure_value(with(hu(780'000, 29'000 + 100'000), 0, 0, 150'000), IncomeMeasure::pension_revenue_plus_other, 100'000);
  EXPECT_EQ(m.value, 809'000);
  EXPECT_EQ(m.arithmetic,
            "課税年金収入額 780,000 + その他の合計所得金額 29,000 (合計所得金額 129,000 − 年金雑所得 0 − 給与所得控除分 100,000) = 809,000");
  EXPECT_EQ(measure_value(st(-120'000), IncomeMeasure::total_income, 100'000).arithmetic,
            "合計所得金額 -120,000 − 長期・短期譲渡所得の特別控除 0 = -120,000 → 0");
}

// ---- 未申告 ----

TEST(PremiumRules, FK_11_UnknownIncomeIsAssessedAsUntaxedWithoutIncomeAndSaysSo) {
  AssessmentInputs in = st(9'000'000);
  in.income_known = false;
  in.household_taxed = false;
  const StageDecision d = decide_stage(in, fy(2025));
  EXPECT_EQ(d.stage, 1);
  EXPECT_EQ(tax_status_of(in), TaxStatus::household_untaxed);
  const bool says_so = std::any_of(d.explanation.begin(), d.explanation.end(),
                                   [](const ExplanationLine& l) { return l.text.find("未申告") != std::string::npos; });
  EXPECT_TRUE(says_so);
  in.household_taxed = true;
  EXPECT_EQ(decide_stage(in, fy(2025)).stage, 4) << "the household's tax is known apart from the person's";
}

// ---- The explanation staff read ----

TEST(PremiumRules, FK_11_ExplanationNamesInputsStatusMeasureStageAndArithmetic) {
  const StageDecision d = decide_stage(with(hu(780'000, 29'000), 0, 0, 0), fy(2025));
  ASSERT_EQ(d.stage, 1);
  auto line = [&](const std::string& label) {
    for (const ExplanationLine& l : d.explanation)
      if (l.label == label) return l.text;
    return std::string("(missing " + label + ")");
  };
  EXPECT_EQ(line("入力: 合計所得金額"), "29,000円");
  EXPECT_EQ(line("入力: 課税年金収入額"), "780,000円");
  EXPECT_EQ(line("入力: 生活保護・中国残留邦人等支援給付"), "受給なし");
  EXPECT_EQ(line("課税状況"), "世帯全員が市町村民税非課税");
  EXPECT_EQ(line("所得指標"),
            "課税年金収入額+その他の合計所得金額: 課税年金収入額 780,000 + その他の合計所得金額 29,000 (合計所得金額 29,000 − "
            "年金雑所得 0 − 給与所得控除分 0) = 809,000");
  EXPECT_EQ(line("該当段階"), "第1段階: 世帯全員が市町村民税非課税 かつ 課税年金収入額+その他の合計所得金額 80万9千円以下");
  EXPECT_EQ(d.matched_rule, "世帯全員が市町村民税非課税 かつ 課税年金収入額+その他の合計所得金額 80万9千円以下");
  EXPECT_NE(line("根拠").find("施行令38条1項1号"), std::string::npos);
  EXPECT_EQ(line("保険料率"), "基準額に対する割合 0.455 (公費による軽減後 0.285)");
  EXPECT_EQ(line("年額"), "基準額 74,700円 × 0.285 = 21,289.5円 → 10円未満切捨て 21,280円");
  EXPECT_TRUE(d.reduced);
  EXPECT_EQ(d.ratio, *kaigo::Ratio::parse("0.285"));
  // The order staff read: inputs → status → measure → stage → arithmetic.
  std::vector<std::string> order;
  for (const ExplanationLine& l : d.explanation)
    if (!l.label.starts_with("入力")) order.push_back(l.label);
  EXPECT_EQ(order, (std::vector<std::string>{"課税状況", "所得指標", "該当段階", "根拠", "保険料率", "年額"}));
}

TEST(PremiumRules, FK_11_ReducedRatioOnlyWhenTheVersionAppliesIt) {
  PremiumTableVersion v = fy(2025);
  v.apply_reduced_ratio = false;
  const StageDecision d = decide_stage(hu(0), v);
  EXPECT_FALSE(d.reduced);
  EXPECT_EQ(d.annual_amount, 33'980) << "74,700 × 0.455 = 33,988.5 → 10円未満切捨て";
  EXPECT_EQ(decide_stage(st(0), fy(2025)).reduced, false) << "no reduced ratio on 第6段階";
}

TEST(PremiumRules, FK_11_AnnualRoundingIsTheVersions) {
  PremiumTableVersion v = fy(2025);
  v.annual_rounding = Rounding{100, RoundingMethod::floor};
  EXPECT_EQ(decide_stage(hu(0), v).annual_amount, 21'200) << "21,289.5 → 100円未満切捨て";
  v.annual_rounding = Rounding{1, RoundingMethod::half_up};
  EXPECT_EQ(decide_stage(hu(0), v).annual_amount, 21'290) << "21,289.5 → 1円未満四捨五入";
  v.annual_rounding = Rounding{10, RoundingMethod::ceil};
  EXPECT_EQ(decide_stage(hu(0), v).annual_amount, 21'290) << "21,289.5 → 10円未満切上げ";
}

// ---- 月割 (法129条, rules.md §2) ----

struct ProrationCase {
  std::int64_t annual;
  int months;
  Rounding rounding;
  std::int64_t amount;
  const char* source;
};

const ProrationCase kProrationCases[] = {
    {21'280, 12, {10, RoundingMethod::floor}, 21'280, "a whole year: the annual amount itself"},
    {21'280, 7, {10, RoundingMethod::floor}, 12'410, "rules.md §2: April–October, 21,280×7/12 = 12,413.33 → 12,410"},
    {21'280, 0, {10, RoundingMethod::floor}, 0, "no chargeable month"},
    {74'700, 1, {10, RoundingMethod::floor}, 6'220, "one month: 6,225 → 10円未満切捨て"},
    {74'700, 1, {1, RoundingMethod::floor}, 6'225, "one month, 1円 unit"},
    {21'280, 7, {100, RoundingMethod::half_up}, 12'400, "12,413.33 → 100円未満四捨五入"},
    {21'280, 7, {10, RoundingMethod::ceil}, 12'420, "12,413.33 → 10円未満切上げ"},
    {179'280, 11, {10, RoundingMethod::floor}, 164'340, "179,280×11/12 = 164,340 exactly"},
};

TEST(PremiumRules, FK_11_MonthlyProration) {
  for (const ProrationCase& c : kProrationCases) {
    PremiumTableVersion v = fy(2025);
    v.proration_rounding = c.rounding;
    EXPECT_EQ(prorated_amount(c.annual, c.months, v), c.amount) << c.source;
  }
}

TEST(PremiumRules, FK_11_ProrationArithmeticIsExplained) {
  std::vector<ExplanationLine> lines;
  EXPECT_EQ(prorated_amount(21'280, 7, fy(2025), &lines), 12'410);
  EXPECT_EQ(prorated_amount(21'280, 12, fy(2025), &lines), 21'280);
  EXPECT_EQ(prorated_amount(21'280, 0, fy(2025), &lines), 0);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], (ExplanationLine{"月割", "年額 21,280円 × 7/12 = 12,413.333…円 → 10円未満切捨て 12,410円"}));
  EXPECT_EQ(lines[1], (ExplanationLine{"月割", "12か月: 年額のまま 21,280円"}));
  EXPECT_EQ(lines[2], (ExplanationLine{"月割", "賦課月数 0か月: 0円"}));
  EXPECT_THROW(prorated_amount(21'280, 13, fy(2025)), std::invalid_argument);
}

// ---- Wording ----

TEST(PremiumRules, IntervalsAreDescribedAsTheOrdinanceWritesThem) {
  EXPECT_EQ((IncomeInterval{std::nullopt, true, 809'000, true}.describe()), "80万9千円以下");
  EXPECT_EQ((IncomeInterval{1'200'000, true, 2'100'000, false}.describe()), "120万円以上210万円未満");
  EXPECT_EQ((IncomeInterval{800'000, false, 1'200'000, true}.describe()), "80万円を超え120万円以下");
  EXPECT_EQ((IncomeInterval{7'200'000, true, std::nullopt, false}.describe()), "720万円以上");
  EXPECT_EQ((IncomeInterval{1'200'000, false, std::nullopt, false}.describe()), "120万円を超える");
  EXPECT_EQ((IncomeInterval{0, true, 826'500, true}.describe()), "82万6,500円以下");
  EXPECT_EQ((IncomeInterval{}.describe()), "金額にかかわらず");
  EXPECT_EQ(man_yen(150'000'000), "1億5000万円");
  EXPECT_EQ(man_yen(5'000), "5千円");
  EXPECT_EQ(man_yen(0), "0円");
}

TEST(PremiumRules, IntervalContainsHonoursInclusivity) {
  const IncomeInterval le{std::nullopt, true, 800'000, true};
  const IncomeInterval gt{800'000, false, 1'200'000, true};
  EXPECT_TRUE(le.contains(800'000));
  EXPECT_FALSE(gt.contains(800'000));
  EXPECT_TRUE(gt.contains(800'001));
  EXPECT_TRUE(gt.contains(1'200'000));
  EXPECT_FALSE(gt.contains(1'200'001));
  const IncomeInterval lt{std::nullopt, true, 1'200'000, false};
  EXPECT_TRUE(lt.contains(1'199'999));
  EXPECT_FALSE(lt.contains(1'200'000));
}

TEST(PremiumRules, NumbersCarryThousandsSeparators) {
  EXPECT_EQ(with_commas(0), "0");
  EXPECT_EQ(with_commas(999), "999");
  EXPECT_EQ(with_commas(1'000), "1,000");
  EXPECT_EQ(with_commas(21'280), "21,280");
  EXPECT_EQ(with_commas(1'234'567), "1,234,567");
  EXPECT_EQ(with_commas(-120'000), "-120,000");
  EXPECT_EQ(exact_decimal(212'895, 10), "21,289.5");
  EXPECT_EQ(exact_decimal(148'960, 12), "12,413.333…");
  EXPECT_EQ(exact_decimal(1'968'960, 12), "164,080");
}

}  // namespace

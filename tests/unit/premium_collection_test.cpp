// 特別徴収 and 普通徴収 schedules (src/premium/collection.hpp), table-driven; every row cites its
// source: 介護保険法134〜141条 (special collection), 140条 (仮徴収), 135条 (本徴収), 施行令41条 (the
// 18万円 threshold), rules.md §2, and the city's 条例 for the ordinary instalments
// (config/rules/collection.json: 10 instalments June–March, 100-yen unit, remainder on the first).
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "premium/collection.hpp"

namespace kaigo::premium {
namespace {

std::filesystem::path config_dir() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "config";
}

CollectionRuleVersion city_rules(bool leveling = false) {
  CollectionRuleVersion r;
  r.effective_from = Date(2024, 4, 1);
  r.ordinary_months = {6, 7, 8, 9, 10, 11, 12, 1, 2, 3};
  r.ordinary_unit = 100;
  r.ordinary_remainder = RemainderPlacement::first;
  r.special_threshold = 180'000;
  r.special_unit = 100;
  r.leveling = leveling;
  return r;
}

YearMonth ym(int y, unsigned m) { return YearMonth{y, m}; }

// "S4:12000" = special slot 4; "O1:7800" = ordinary 期 1; due months follow from the number.
struct Row {
  char method;  // 'S' special, 'O' ordinary
  int number;
  YearMonth due;
  std::int64_t amount;
};

std::vector<Row> rows_of(const std::vector<Instalment>& v) {
  std::vector<Row> out;
  for (const auto& i : v) out.push_back({i.method == CollectionMethod::special ? 'S' : 'O', i.number, i.due, i.amount});
  return out;
}

std::string show(const std::vector<Row>& rows) {
  std::string s;
  for (const auto& r : rows) s += fmt::format("{}{}@{}:{} ", r.method, r.number, r.due.iso(), r.amount);
  return s;
}

std::vector<Instalment> stored(const std::vector<Instalment>& add, InstalmentStatus status = InstalmentStatus::planned) {
  std::vector<Instalment> out = add;
  std::int64_t id = 1;
  for (auto& i : out) {
    i.id = id++;
    i.status = status;
  }
  return out;
}

// ---- The capture month → start month table (rules.md §2, 法134条) ----

TEST(PremiumCollection, StartMonthFollowsTheCaptureMonth) {
  const std::pair<YearMonth, YearMonth> kTable[] = {
      {ym(2026, 4), ym(2026, 10)}, {ym(2026, 6), ym(2026, 12)}, {ym(2026, 8), ym(2027, 2)},
      {ym(2026, 10), ym(2027, 4)}, {ym(2026, 12), ym(2027, 6)}, {ym(2027, 2), ym(2027, 8)},
  };
  for (const auto& [captured, start] : kTable) {
    auto s = special_start_month(captured);
    ASSERT_TRUE(s) << captured.iso();
    EXPECT_EQ(*s, start) << "captured " << captured.iso() << " (rules.md §2)";
  }
  EXPECT_FALSE(special_start_month(ym(2026, 5))) << "May is not a capture month";
}

TEST(PremiumCollection, SlotsAreThePensionPaymentMonths) {
  const YearMonth kSlots[] = {ym(2026, 4), ym(2026, 6), ym(2026, 8), ym(2026, 10), ym(2026, 12), ym(2027, 2)};
  for (int slot = 1; slot <= 6; ++slot) {
    EXPECT_EQ(special_slot_month(2026, slot), kSlots[slot - 1]);
    EXPECT_EQ(special_slot_of(kSlots[slot - 1]), slot);
  }
  EXPECT_EQ(special_slot_of(ym(2026, 5)), 0);
  EXPECT_EQ(special_slot_of(ym(2027, 3)), 0);
}

TEST(PremiumCollection, EighteenManYenThreshold) {
  const auto r = city_rules();
  // 法134条1項, 施行令41条: 年額18万円以上; 老齢福祉年金 never.
  EXPECT_FALSE(pension_qualifies(179'999, false, r));
  EXPECT_TRUE(pension_qualifies(180'000, false, r));
  EXPECT_FALSE(pension_qualifies(410'000, true, r));
}

// ---- First plans of the year ----

struct FirstPlanCase {
  const char* source;
  std::int64_t annual;
  YearMonth first_open;
  std::optional<YearMonth> start;
  std::optional<std::int64_t> previous_february;
  bool leveling;
  std::vector<Row> expected;
  std::int64_t refund;
};

const FirstPlanCase kFirstPlans[] = {
    {"条例: 普通徴収 10期 (6月〜3月), 100円未満切捨て, 端数は第1期",
     74'400, ym(2026, 6), std::nullopt, std::nullopt, false,
     {{'O', 1, ym(2026, 6), 7'800}, {'O', 2, ym(2026, 7), 7'400}, {'O', 3, ym(2026, 8), 7'400}, {'O', 4, ym(2026, 9), 7'400},
      {'O', 5, ym(2026, 10), 7'400}, {'O', 6, ym(2026, 11), 7'400}, {'O', 7, ym(2026, 12), 7'400}, {'O', 8, ym(2027, 1), 7'400},
      {'O', 9, ym(2027, 2), 7'400}, {'O', 10, ym(2027, 3), 7'400}},
     0},
    {"条例: 年度途中 (9月から) の普通徴収は残りの期に",
     70'000, ym(2026, 9), std::nullopt, std::nullopt, false,
     {{'O', 4, ym(2026, 9), 10'000}, {'O', 5, ym(2026, 10), 10'000}, {'O', 6, ym(2026, 11), 10'000},
      {'O', 7, ym(2026, 12), 10'000}, {'O', 8, ym(2027, 1), 10'000}, {'O', 9, ym(2027, 2), 10'000},
      {'O', 10, ym(2027, 3), 10'000}},
     0},
    {"法140条1項: 仮徴収 = 前年度2月の額; 法135条: 本徴収 = (年額 − 仮徴収) ÷ 3, 100円未満切捨て, 端数は10月",
     80'000, ym(2026, 5), ym(2025, 10), 12'000, false,
     {{'S', 1, ym(2026, 4), 12'000}, {'S', 2, ym(2026, 6), 12'000}, {'S', 3, ym(2026, 8), 12'000},
      {'S', 4, ym(2026, 10), 14'800}, {'S', 5, ym(2026, 12), 14'600}, {'S', 6, ym(2027, 2), 14'600}},
     0},
    {"法140条2項 平準化: 6月・8月 = (年額/2 − 4月)/2",
     80'000, ym(2026, 5), ym(2025, 10), 8'000, true,
     {{'S', 1, ym(2026, 4), 8'000}, {'S', 2, ym(2026, 6), 16'000}, {'S', 3, ym(2026, 8), 16'000},
      {'S', 4, ym(2026, 10), 13'400}, {'S', 5, ym(2026, 12), 13'300}, {'S', 6, ym(2027, 2), 13'300}},
     0},
    {"rules.md §2: 年額 − 仮徴収 ≤ 0 → 本徴収なし、過誤納は還付",
     30'000, ym(2026, 5), ym(2025, 10), 12'000, false,
     {{'S', 1, ym(2026, 4), 12'000}, {'S', 2, ym(2026, 6), 12'000}, {'S', 3, ym(2026, 8), 12'000}},
     6'000},
    {"法134条: 4月捕捉 → 10月開始; 4〜9月分 (3回分) は普通徴収 (6〜9月), 本徴収は残り ÷ 3",
     60'000, ym(2026, 6), ym(2026, 10), std::nullopt, false,
     {{'O', 1, ym(2026, 6), 7'500}, {'O', 2, ym(2026, 7), 7'500}, {'O', 3, ym(2026, 8), 7'500}, {'O', 4, ym(2026, 9), 7'500},
      {'S', 4, ym(2026, 10), 10'000}, {'S', 5, ym(2026, 12), 10'000}, {'S', 6, ym(2027, 2), 10'000}},
     0},
    {"法134条: 前年12月捕捉 → 6月開始; 4月分は普通徴収 (6月前の期がないので随時期), 仮徴収 ÷ 5回, 本徴収の端数は10月",
     61'000, ym(2026, 5), ym(2026, 6), std::nullopt, false,
     {{'O', 11, ym(2026, 5), 10'100}, {'S', 2, ym(2026, 6), 10'100}, {'S', 3, ym(2026, 8), 10'100},
      {'S', 4, ym(2026, 10), 10'300}, {'S', 5, ym(2026, 12), 10'200}, {'S', 6, ym(2027, 2), 10'200}},
     0},
    {"法134条: 10月捕捉 → 翌年度4月開始: 今年度は普通徴収",
     20'000, ym(2026, 11), ym(2027, 4), std::nullopt, false,
     {{'O', 6, ym(2026, 11), 4'000}, {'O', 7, ym(2026, 12), 4'000}, {'O', 8, ym(2027, 1), 4'000},
      {'O', 9, ym(2027, 2), 4'000}, {'O', 10, ym(2027, 3), 4'000}},
     0},
    {"条例: 端数 (1期あたり100円未満) は第1期; 0円の期は作らない",
     250, ym(2026, 6), std::nullopt, std::nullopt, false, {{'O', 1, ym(2026, 6), 250}}, 0},
    {"rules.md §2: 保険料0円 (月割で0か月) は徴収なし", 0, ym(2026, 6), ym(2025, 10), 12'000, false, {}, 0},
};

TEST(PremiumCollection, FirstPlanOfTheYear) {
  for (const auto& c : kFirstPlans) {
    PlanInputs in{2026, c.annual, c.first_open, c.start, c.previous_february};
    const auto change = plan_change(in, {}, city_rules(c.leveling));
    EXPECT_EQ(show(rows_of(change.add)), show(c.expected)) << c.source;
    EXPECT_EQ(change.refund, c.refund) << c.source;
    std::int64_t total = -change.refund;
    for (const auto& i : change.add) total += i.amount;
    EXPECT_EQ(total, c.annual) << c.source << ": the plan adds up to the premium";
    if (c.annual > 0) {
      EXPECT_FALSE(change.explanation.empty()) << c.source;
    }
  }
}

TEST(PremiumCollection, RunningThePlanAgainChangesNothing) {
  for (const auto& c : kFirstPlans) {
    PlanInputs in{2026, c.annual, c.first_open, c.start, c.previous_february};
    const auto first = plan_change(in, {}, city_rules(c.leveling));
    auto rows = stored(first.add);
    if (first.refund > 0)
      rows.push_back(Instalment{99, CollectionMethod::ordinary, 0, c.first_open, first.refund, InstalmentStatus::refund});
    const auto again = plan_change(in, rows, city_rules(c.leveling));
    EXPECT_TRUE(again.empty()) << c.source << ": cancel " << again.cancel.size() << ", add " << show(rows_of(again.add));
  }
}

TEST(PremiumCollection, RequestingTheDeductionChangesNoOtherInstalment) {
  struct Case {
    const char* source;
    std::int64_t annual;
    YearMonth planned_from, requested_from, start;
  };
  const Case kCases[] = {
      {"法134条: 4月捕捉 (10月開始) を5月に計画し、6月に依頼: 6〜9月の普通徴収は計画どおり", 60'000, ym(2026, 6), ym(2026, 7),
       ym(2026, 10)},
      {"年度途中 (11月) の計画: 開始前の分は随時期に、依頼の後もそのまま", 74'400, ym(2026, 12), ym(2026, 12), ym(2026, 4)},
      {"前年12月捕捉 (6月開始) を5月に計画し、依頼", 61'000, ym(2026, 5), ym(2026, 6), ym(2026, 6)},
  };
  for (const auto& c : kCases) {
    const auto first = plan_change(PlanInputs{2026, c.annual, c.planned_from, c.start, std::nullopt}, {}, city_rules());
    auto rows = stored(first.add);
    for (auto& i : rows)
      if (i.method == CollectionMethod::special) i.status = InstalmentStatus::requested;
    const auto later = plan_change(PlanInputs{2026, c.annual, c.requested_from, c.start, std::nullopt}, rows, city_rules());
    EXPECT_TRUE(later.empty()) << c.source << ": cancel " << later.cancel.size() << ", add " << show(rows_of(later.add));
  }
}

// ---- Revisions during the year ----

// The continuing target of the third case: 仮徴収 12,000 × 3, 本徴収 14,800 / 14,600 / 14,600.
std::vector<Instalment> continuing_rows(InstalmentStatus provisional, InstalmentStatus august, InstalmentStatus definitive) {
  const std::int64_t amounts[] = {0, 12'000, 12'000, 12'000, 14'800, 14'600, 14'600};
  std::vector<Instalment> v;
  for (int slot = 1; slot <= 6; ++slot)
    v.push_back(Instalment{slot, CollectionMethod::special, slot, special_slot_month(2026, slot), amounts[slot],
                           slot <= 2 ? provisional : slot == 3 ? august : definitive});
  return v;
}

std::vector<Instalment> ordinary_rows_2026(std::int64_t first, std::int64_t each) {
  std::vector<Instalment> v;
  const unsigned months[] = {6, 7, 8, 9, 10, 11, 12, 1, 2, 3};
  for (int k = 0; k < 10; ++k)
    v.push_back(Instalment{100 + k, CollectionMethod::ordinary, k + 1, YearMonth{months[k] >= 4 ? 2026 : 2027, months[k]},
                           k == 0 ? first : each, InstalmentStatus::planned});
  return v;
}

struct RevisionCase {
  const char* source;
  std::vector<Instalment> current;
  std::int64_t annual;
  YearMonth first_open;
  std::optional<YearMonth> start;
  std::optional<std::int64_t> previous_february;
  std::vector<std::int64_t> cancel;
  std::vector<std::int64_t> stop;
  std::vector<Row> add;
  std::int64_t refund;
};

TEST(PremiumCollection, RevisionsDuringTheYear) {
  using S = InstalmentStatus;
  const RevisionCase kCases[] = {
      {"rules.md §2: 増額 — 依頼済みの特別徴収はそのまま、差額は普通徴収 (9月〜3月の7期, 端数は最初)",
       continuing_rows(S::collected, S::accepted, S::accepted), 86'000, ym(2026, 9), ym(2025, 10), 12'000, {}, {},
       {{'O', 4, ym(2026, 9), 1'200}, {'O', 5, ym(2026, 10), 800}, {'O', 6, ym(2026, 11), 800}, {'O', 7, ym(2026, 12), 800},
        {'O', 8, ym(2027, 1), 800}, {'O', 9, ym(2027, 2), 800}, {'O', 10, ym(2027, 3), 800}},
       0},
      {"rules.md §2: 減額 — 先の特別徴収を中止し、残額は普通徴収",
       continuing_rows(S::collected, S::accepted, S::accepted), 70'000, ym(2026, 9), ym(2025, 10), 12'000, {}, {4, 5, 6},
       {{'O', 4, ym(2026, 9), 5'200}, {'O', 5, ym(2026, 10), 4'800}, {'O', 6, ym(2026, 11), 4'800}, {'O', 7, ym(2026, 12), 4'800},
        {'O', 8, ym(2027, 1), 4'800}, {'O', 9, ym(2027, 2), 4'800}, {'O', 10, ym(2027, 3), 4'800}},
       0},
      {"rules.md §2: 減額で徴収済みが年額を超える → 特別徴収中止、過誤納を還付",
       continuing_rows(S::collected, S::collected, S::accepted), 30'000, ym(2026, 9), ym(2025, 10), 12'000, {}, {4, 5, 6}, {},
       6'000},
      {"FK-16 依頼不能: 本徴収は普通徴収へ (残りの期に)",
       [] {
         auto v = continuing_rows(S::collected, S::collected, S::not_accepted);
         return v;
       }(),
       80'000, ym(2026, 9), ym(2025, 10), 12'000, {}, {},
       {{'O', 4, ym(2026, 9), 6'800}, {'O', 5, ym(2026, 10), 6'200}, {'O', 6, ym(2026, 11), 6'200}, {'O', 7, ym(2026, 12), 6'200},
        {'O', 8, ym(2027, 1), 6'200}, {'O', 9, ym(2027, 2), 6'200}, {'O', 10, ym(2027, 3), 6'200}},
       0},
      {"条例: 普通徴収の更正 — 過ぎた期 (6〜9月) はそのまま、10月からの期を組み直す",
       ordinary_rows_2026(7'800, 7'400), 70'000, ym(2026, 10), std::nullopt, std::nullopt, {104, 105, 106, 107, 108, 109},
       {}, {{'O', 5, ym(2026, 10), 7'000}, {'O', 6, ym(2026, 11), 6'600}, {'O', 7, ym(2026, 12), 6'600},
            {'O', 8, ym(2027, 1), 6'600}, {'O', 9, ym(2027, 2), 6'600}, {'O', 10, ym(2027, 3), 6'600}},
       0},
      {"法134条: 年度途中に対象者となった (4月捕捉 → 10月開始): 9月までの分は普通徴収、10月から本徴収",
       ordinary_rows_2026(7'800, 7'400), 74'400, ym(2026, 9), ym(2026, 10), std::nullopt,
       {103, 104, 105, 106, 107, 108, 109}, {},
       {{'O', 4, ym(2026, 9), 14'600}, {'S', 4, ym(2026, 10), 12'400}, {'S', 5, ym(2026, 12), 12'400},
        {'S', 6, ym(2027, 2), 12'400}},
       0},
      {"法140条: 依頼前 (計画のみ) の増額は本徴収を組み直す; 過ぎた仮徴収は確定",
       stored(plan_change(PlanInputs{2026, 80'000, ym(2026, 5), ym(2025, 10), 12'000}, {}, city_rules()).add), 86'000,
       ym(2026, 8), ym(2025, 10), 12'000, {4, 5, 6}, {},
       {{'S', 4, ym(2026, 10), 16'800}, {'S', 5, ym(2026, 12), 16'600}, {'S', 6, ym(2027, 2), 16'600}}, 0},
      {"FK-16 不能の後は同じ年度に特別徴収を再開しない (対象者のままでも)",
       continuing_rows(S::collected, S::not_collected, S::not_collected), 80'000, ym(2026, 9), ym(2025, 10), 12'000, {}, {},
       {{'O', 4, ym(2026, 9), 8'000}, {'O', 5, ym(2026, 10), 8'000}, {'O', 6, ym(2026, 11), 8'000}, {'O', 7, ym(2026, 12), 8'000},
        {'O', 8, ym(2027, 1), 8'000}, {'O', 9, ym(2027, 2), 8'000}, {'O', 10, ym(2027, 3), 8'000}},
       0},
  };
  for (const auto& c : kCases) {
    PlanInputs in{2026, c.annual, c.first_open, c.start, c.previous_february};
    const auto change = plan_change(in, c.current, city_rules());
    auto sorted = [](std::vector<std::int64_t> v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    EXPECT_EQ(sorted(change.cancel), sorted(c.cancel)) << c.source;
    EXPECT_EQ(sorted(change.stop), sorted(c.stop)) << c.source;
    EXPECT_EQ(show(rows_of(change.add)), show(c.add)) << c.source;
    EXPECT_EQ(change.refund, c.refund) << c.source;
    // After the change the live rows (minus refunds) add up to the premium.
    std::int64_t total = -change.refund;
    for (const auto& i : c.current) {
      const bool gone = std::find(change.cancel.begin(), change.cancel.end(), i.id) != change.cancel.end() ||
                        std::find(change.stop.begin(), change.stop.end(), i.id) != change.stop.end();
      if (!gone && is_live(i.status)) total += i.amount;
    }
    for (const auto& i : change.add) total += i.amount;
    EXPECT_EQ(total, c.annual) << c.source;
  }
}

// ---- The rule file ----

TEST(PremiumCollection, TheShippedRuleFileLoads) {
  auto rules = load_collection_rules(config_dir() / "rules" / "collection.json");
  ASSERT_TRUE(rules) << rules.error().message;
  const auto* v = rules->version_on(Date(2026, 7, 1));
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->ordinary_months.size(), 10u);
  EXPECT_EQ(v->special_threshold, 180'000);
  EXPECT_EQ(rules->version_on(Date(2024, 3, 31)), nullptr);
}

TEST(PremiumCollection, RuleFileErrorsNameTheJsonPath) {
  const std::string good_version =
      R"({"effective_from":"2024-04-01","ordinary":{"months":[6,7,8],"unit":100,"remainder":"first"},)"
      R"("special":{"threshold":180000,"unit":100,"leveling":false}})";
  EXPECT_TRUE(parse_collection_rules(R"({"name":"x","versions":[)" + good_version + "]}", "t.json"));
  struct Bad {
    std::string text;
    std::string path;
  };
  const Bad kBad[] = {
      {R"({"name":"x","versions":[)" + good_version + R"(],"extra":1})", "extra"},
      {R"({"name":"x","versions":[{"effective_from":"2024-04-01","ordinary":{"months":[6,7,8],"unit":100,"remainder":"first","rounding":1},"special":{"threshold":180000,"unit":100,"leveling":false}}]})",
       "versions[0].ordinary.rounding"},
      {R"({"name":"x","versions":[{"effective_from":"2024-04-01","ordinary":{"months":[6,13],"unit":100,"remainder":"first"},"special":{"threshold":180000,"unit":100,"leveling":false}}]})",
       "versions[0].ordinary.months[1]"},
      {R"({"name":"x","versions":[{"effective_from":"2024-04-01","ordinary":{"months":[1,6],"unit":100,"remainder":"first"},"special":{"threshold":180000,"unit":100,"leveling":false}}]})",
       "versions[0].ordinary.months[1]"},
      {R"({"name":"x","versions":[{"effective_from":"2024-05-01","ordinary":{"months":[6],"unit":100,"remainder":"first"},"special":{"threshold":180000,"unit":100,"leveling":false}}]})",
       "versions[0].effective_from"},
      {R"({"name":"x","versions":[{"effective_from":"2024-04-01","ordinary":{"months":[6],"unit":50,"remainder":"first"},"special":{"threshold":180000,"unit":100,"leveling":false}}]})",
       "versions[0].ordinary.unit"},
      {R"({"name":"x","versions":[{"effective_from":"2024-04-01","ordinary":{"months":[6],"unit":100,"remainder":"middle"},"special":{"threshold":180000,"unit":100,"leveling":false}}]})",
       "versions[0].ordinary.remainder"},
      {R"({"name":"x","versions":[{"effective_from":"2024-04-01","ordinary":{"months":[6],"unit":100,"remainder":"first"},"special":{"unit":100,"leveling":false}}]})",
       "versions[0].special.threshold"},
      {R"({"name":"x","versions":[{"effective_from":"2024-04-01","ordinary":{"months":[6],"unit":100,"remainder":"first"},"special":{"threshold":180000,"unit":100,"leveling":"yes"}}]})",
       "versions[0].special.leveling"},
      {R"({"name":"x","versions":[)" + good_version + "," + good_version + "]}", "versions[1].effective_from"},
      {"{not json", "(top)"},
  };
  for (const auto& b : kBad) {
    auto r = parse_collection_rules(b.text, "t.json");
    ASSERT_FALSE(r) << b.path;
    EXPECT_EQ(r.error().field, b.path) << r.error().message;
    EXPECT_NE(r.error().message.find("t.json"), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace kaigo::premium

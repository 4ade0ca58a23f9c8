// The pure 認定 rules (rules.hpp) against the shipped rule file config/rules/certification/ and
// the shipped 特定疾病 list: the first stage at every band boundary (省令58号), the validity
// ranges and periods (施行規則38条・41条・44条), the deadline (法27条11項), the renewal window
// (施行規則35条), the caps (告示) with effective dating, the fees, and every broken-file case
// refused naming the file and the JSON path. These rules serve NT-08/NT-10 (first stage when the
// assessment and opinion are in), NT-12 (validity of the decision), NT-13 (cap on the notice),
// NT-15/16/17 (fees) and the application clock.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certification/rules.hpp"
#include "core/date.hpp"

namespace {

namespace fs = std::filesystem;
using kaigo::Date;
using kaigo::ErrorKind;
using nlohmann::json;
using namespace kaigo::certification;

fs::path config_dir() { return fs::path(__FILE__).parent_path().parent_path().parent_path() / "config"; }
fs::path rules_dir() { return config_dir() / "rules" / "certification"; }

const CertificationRules& shipped() {
  static const CertificationRules rules = [] {
    auto r = load_certification_rules(rules_dir());
    if (!r) throw std::runtime_error(r.error().message);
    return *r;
  }();
  return rules;
}

const CertificationRulesVersion& in_force(Date d) {
  auto v = shipped().on(d);
  if (!v) throw std::runtime_error(v.error().message);
  return **v;
}

const CertificationRulesVersion& r2025() { return in_force(Date(2025, 5, 15)); }

std::string shipped_text() {
  std::ifstream in(rules_dir() / "certification.json", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// ---- codes and labels ----

TEST(CertificationCodes, EveryCareLevelRoundTripsWithItsPrintedLabel) {
  const std::vector<std::tuple<CareLevel, std::string, std::string>> rows{
      {CareLevel::none, "none", "非該当"},           {CareLevel::support_1, "support_1", "要支援１"},
      {CareLevel::support_2, "support_2", "要支援２"}, {CareLevel::care_1, "care_1", "要介護１"},
      {CareLevel::care_2, "care_2", "要介護２"},       {CareLevel::care_3, "care_3", "要介護３"},
      {CareLevel::care_4, "care_4", "要介護４"},       {CareLevel::care_5, "care_5", "要介護５"},
  };
  for (const auto& [level, code, text] : rows) {
    EXPECT_EQ(to_code(level), code);
    EXPECT_EQ(label(level), text);
    auto back = care_level_from_code(code);
    ASSERT_TRUE(back) << code;
    EXPECT_EQ(*back, level);
    EXPECT_EQ(is_certified(level), level != CareLevel::none);
  }
  auto bad = care_level_from_code("care_6");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(bad.error().field, "level");
}

TEST(CertificationCodes, EveryApplicationKindRoundTrips) {
  const std::vector<std::tuple<ApplicationKind, std::string, std::string>> rows{
      {ApplicationKind::new_application, "new", "新規"}, {ApplicationKind::renewal, "renewal", "更新"},
      {ApplicationKind::change, "change", "区分変更"},   {ApplicationKind::ex_officio, "ex_officio", "職権"},
      {ApplicationKind::transfer, "transfer", "転入"},
  };
  for (const auto& [kind, code, text] : rows) {
    EXPECT_EQ(to_code(kind), code);
    EXPECT_EQ(label(kind), text);
    auto back = application_kind_from_code(code);
    ASSERT_TRUE(back) << code;
    EXPECT_EQ(*back, kind);
  }
  auto bad = application_kind_from_code("renew");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "kind");
}

// ---- the shipped file and effective dating ----

TEST(CertificationRulesFile, ShippedFileLoadsWithTwoVersionsInForceFromTheirDays) {
  ASSERT_EQ(shipped().versions.size(), 2u);
  EXPECT_EQ(shipped().versions[0].effective_from, Date(2021, 4, 1));
  EXPECT_EQ(shipped().versions[1].effective_from, Date(2024, 4, 1));
  auto before = shipped().on(Date(2021, 3, 31));
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().kind, ErrorKind::not_found);
  EXPECT_EQ(&in_force(Date(2021, 4, 1)), &shipped().versions[0]);
  EXPECT_EQ(&in_force(Date(2024, 3, 31)), &shipped().versions[0]);
  EXPECT_EQ(&in_force(Date(2024, 4, 1)), &shipped().versions[1]);
  EXPECT_EQ(&in_force(Date(2030, 1, 1)), &shipped().versions[1]);
  for (const auto& v : shipped().versions) {
    EXPECT_EQ(v.deadline_days, 30);               // 法27条11項
    EXPECT_EQ(v.warn_days_before, 5);
    EXPECT_EQ(v.renewal_window_days, 60);         // 施行規則35条
    EXPECT_EQ(v.transfer_certificate_days, 14);   // 法36条
    EXPECT_FALSE(v.source.empty());
  }
}

// ---- 一次判定 at every band boundary (省令58号: 25, 32, 50, 70, 90, 110分) ----

struct StageRow {
  std::int64_t tenths;
  bool cognitive;
  bool unstable;
  CareLevel expected;
};

TEST(CertificationFirstStage, EveryBandBoundaryWithAndWithoutEachFlag) {
  const std::vector<StageRow> rows{
      {0, false, false, CareLevel::none},
      {249, false, false, CareLevel::none},       {249, true, true, CareLevel::none},
      {250, false, false, CareLevel::support_1},  {250, true, true, CareLevel::support_1},
      {319, false, false, CareLevel::support_1},  {319, true, false, CareLevel::support_1},
      {319, false, true, CareLevel::support_1},
      {320, false, false, CareLevel::support_2},  {320, true, false, CareLevel::care_1},
      {320, false, true, CareLevel::care_1},      {320, true, true, CareLevel::care_1},
      {499, false, false, CareLevel::support_2},  {499, true, false, CareLevel::care_1},
      {499, false, true, CareLevel::care_1},      {499, true, true, CareLevel::care_1},
      {500, false, false, CareLevel::care_2},     {500, true, false, CareLevel::care_2},
      {500, false, true, CareLevel::care_2},
      {699, false, false, CareLevel::care_2},     {700, false, false, CareLevel::care_3},
      {899, false, false, CareLevel::care_3},     {900, false, false, CareLevel::care_4},
      {1099, false, false, CareLevel::care_4},    {1100, false, false, CareLevel::care_5},
      {1100, true, true, CareLevel::care_5},      {9999, false, false, CareLevel::care_5},
  };
  for (const auto& r : rows)
    for (const auto* v : {&in_force(Date(2021, 4, 1)), &in_force(Date(2024, 4, 1))})
      EXPECT_EQ(first_stage(*v, r.tenths, r.cognitive, r.unstable).level, r.expected)
          << r.tenths << " tenths, cognitive " << r.cognitive << ", unstable " << r.unstable;
}

TEST(CertificationFirstStage, ExplanationNamesTheMinutesTheBandAndTheFlags) {
  EXPECT_EQ(first_stage(r2025(), 453, true, false).explanation,
            "要介護認定等基準時間 45.3分: 32分以上50分未満、認知機能の低下あり → 要介護１");
  EXPECT_EQ(first_stage(r2025(), 453, false, true).explanation,
            "要介護認定等基準時間 45.3分: 32分以上50分未満、状態の不安定性あり → 要介護１");
  EXPECT_EQ(first_stage(r2025(), 320, true, true).explanation,
            "要介護認定等基準時間 32分: 32分以上50分未満、認知機能の低下・状態の不安定性あり → 要介護１");
  EXPECT_EQ(first_stage(r2025(), 499, false, false).explanation,
            "要介護認定等基準時間 49.9分: 32分以上50分未満、認知機能の低下・状態の不安定性なし → 要支援２");
  EXPECT_EQ(first_stage(r2025(), 249, false, false).explanation, "要介護認定等基準時間 24.9分: 25分未満 → 非該当");
  EXPECT_EQ(first_stage(r2025(), 1100, false, false).explanation, "要介護認定等基準時間 110分: 110分以上 → 要介護５");
  EXPECT_EQ(first_stage(r2025(), 655, true, false).explanation, "要介護認定等基準時間 65.5分: 50分以上70分未満 → 要介護２");
}

// ---- validity ranges (施行規則38条・41条・44条, 令和3年4月) ----

struct RangeRow {
  ApplicationKind kind;
  bool same_level;
  int default_months, min_months, max_months;
};

TEST(CertificationValidity, EveryKindAtItsMinimumMaximumAndOutside) {
  const std::vector<RangeRow> rows{
      {ApplicationKind::new_application, false, 6, 3, 12}, {ApplicationKind::new_application, true, 6, 3, 12},
      {ApplicationKind::change, false, 6, 3, 12},          {ApplicationKind::change, true, 6, 3, 12},
      {ApplicationKind::ex_officio, false, 6, 3, 12},      {ApplicationKind::transfer, false, 6, 3, 12},
      {ApplicationKind::renewal, true, 12, 3, 48},         {ApplicationKind::renewal, false, 12, 3, 36},
  };
  const Date applied(2025, 5, 15);
  const Date previous_end(2025, 6, 30);
  for (const auto& r : rows) {
    const std::string what = std::string(to_code(r.kind)) + (r.same_level ? " same level" : " other level");
    const ValidityRange range = validity_range(r2025(), r.kind, r.same_level);
    EXPECT_EQ(range.default_months, r.default_months) << what;
    EXPECT_EQ(range.min_months, r.min_months) << what;
    EXPECT_EQ(range.max_months, r.max_months) << what;
    for (int months : {r.min_months, r.default_months, r.max_months})
      EXPECT_TRUE(validity_period(r2025(), r.kind, applied, previous_end, r.same_level, months)) << what << " " << months;
    for (int months : {r.min_months - 1, r.max_months + 1, 0}) {
      auto bad = validity_period(r2025(), r.kind, applied, previous_end, r.same_level, months);
      ASSERT_FALSE(bad) << what << " " << months;
      EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
      EXPECT_EQ(bad.error().field, "validity_months");
    }
  }
}

struct PeriodRow {
  std::string why;
  ApplicationKind kind;
  Date applied;
  std::optional<Date> previous_end;
  int months;
  Date from, to;
};

TEST(CertificationValidity, PeriodsOfRulesMdAndMonthEndsAndLeapYears) {
  const auto nw = ApplicationKind::new_application;
  const auto rn = ApplicationKind::renewal;
  const std::vector<PeriodRow> rows{
      {"rules.md §3 example", nw, Date(2025, 5, 15), std::nullopt, 6, Date(2025, 5, 15), Date(2025, 11, 30)},
      {"applied on the 1st: the month itself counts", nw, Date(2025, 5, 1), std::nullopt, 6, Date(2025, 5, 1), Date(2025, 10, 31)},
      {"applied on the last day", nw, Date(2025, 5, 31), std::nullopt, 6, Date(2025, 5, 31), Date(2025, 11, 30)},
      {"change, 12 months over a year end", ApplicationKind::change, Date(2025, 12, 15), std::nullopt, 12, Date(2025, 12, 15), Date(2026, 12, 31)},
      {"ex officio, 3 months", ApplicationKind::ex_officio, Date(2025, 11, 2), std::nullopt, 3, Date(2025, 11, 2), Date(2026, 2, 28)},
      {"ends in a leap February", nw, Date(2023, 8, 31), std::nullopt, 6, Date(2023, 8, 31), Date(2024, 2, 29)},
      {"ends in a common February", nw, Date(2024, 8, 20), std::nullopt, 6, Date(2024, 8, 20), Date(2025, 2, 28)},
      {"applied on 29 February", nw, Date(2024, 2, 29), std::nullopt, 12, Date(2024, 2, 29), Date(2025, 2, 28)},
      {"renewal from the previous end", rn, Date(2025, 10, 1), Date(2025, 11, 30), 12, Date(2025, 12, 1), Date(2026, 11, 30)},
      {"renewal, 48 months", rn, Date(2025, 10, 1), Date(2025, 11, 30), 48, Date(2025, 12, 1), Date(2029, 11, 30)},
      {"renewal into a leap February", rn, Date(2023, 10, 1), Date(2023, 11, 30), 3, Date(2023, 12, 1), Date(2024, 2, 29)},
      {"renewal after a mid-month end (transfer certificate)", rn, Date(2025, 5, 1), Date(2025, 6, 14), 12, Date(2025, 6, 15), Date(2026, 6, 30)},
  };
  for (const auto& r : rows) {
    const bool same = true;
    auto v = validity_period(r2025(), r.kind, r.applied, r.previous_end, same, r.months);
    ASSERT_TRUE(v) << r.why << ": " << v.error().message;
    EXPECT_EQ(v->from, r.from) << r.why;
    EXPECT_EQ(v->to, r.to) << r.why;
  }
}

TEST(CertificationValidity, RenewalWithoutThePreviousEndIsRefused) {
  auto v = validity_period(r2025(), ApplicationKind::renewal, Date(2025, 10, 1), std::nullopt, true, 12);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(v.error().field, "previous_valid_to");
}

// ---- the clock: deadline (法27条11項), warning, renewal window (施行規則35条) ----

TEST(CertificationClock, DeadlineWarningAndRenewalWindow) {
  struct Row {
    Date applied, due, warn;
  };
  const std::vector<Row> rows{
      {Date(2025, 5, 15), Date(2025, 6, 14), Date(2025, 6, 9)},
      {Date(2025, 1, 31), Date(2025, 3, 2), Date(2025, 2, 25)},   // across a common February
      {Date(2024, 1, 31), Date(2024, 3, 1), Date(2024, 2, 25)},   // across a leap February
      {Date(2025, 12, 10), Date(2026, 1, 9), Date(2026, 1, 4)},   // across a year end
  };
  for (const auto& r : rows) {
    EXPECT_EQ(deadline(r2025(), r.applied), r.due) << r.applied.iso();
    EXPECT_EQ(warn_from(r2025(), r.applied), r.warn) << r.applied.iso();
  }
  const std::vector<std::pair<Date, Date>> opens{
      {Date(2025, 11, 30), Date(2025, 10, 2)},
      {Date(2024, 3, 31), Date(2024, 2, 1)},    // leap year: 29 February inside the window
      {Date(2025, 3, 31), Date(2025, 1, 31)},
      {Date(2026, 1, 31), Date(2025, 12, 3)},
  };
  for (const auto& [valid_to, first] : opens) {
    EXPECT_EQ(renewal_opens(r2025(), valid_to), first) << valid_to.iso();
    EXPECT_EQ(first.days_until(valid_to) + 1, 60) << "the window is 60 days with the expiry day";
  }
}

// ---- caps (区分支給限度基準額, 令和元年10月以降) and effective dating ----

TEST(CertificationCaps, EveryCertifiedLevelInEveryVersionAndNoneHasNoCap) {
  const std::vector<std::pair<CareLevel, std::int64_t>> caps{
      {CareLevel::support_1, 5032}, {CareLevel::support_2, 10531}, {CareLevel::care_1, 16765},
      {CareLevel::care_2, 19705},   {CareLevel::care_3, 27048},    {CareLevel::care_4, 30938},
      {CareLevel::care_5, 36217},
  };
  for (Date d : {Date(2021, 4, 1), Date(2024, 3, 31), Date(2024, 4, 1), Date(2026, 4, 1)})
    for (const auto& [level, units] : caps) {
      auto u = monthly_cap_units(in_force(d), level);
      ASSERT_TRUE(u) << to_code(level);
      EXPECT_EQ(*u, units) << to_code(level) << " on " << d.iso();
    }
  auto none = monthly_cap_units(r2025(), CareLevel::none);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::not_found);
}

TEST(CertificationCaps, ACapChangeTakesEffectOnItsDay) {
  json doc = json::parse(shipped_text());
  doc["versions"][1]["monthly_cap_units"][0]["units"] = 5100;
  auto rules = parse_certification_rules(doc.dump(), "test.json");
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(*monthly_cap_units(**rules->on(Date(2024, 3, 31)), CareLevel::support_1), 5032);
  EXPECT_EQ(*monthly_cap_units(**rules->on(Date(2024, 4, 1)), CareLevel::support_1), 5100);
}

// ---- fees ----

TEST(CertificationFees, EveryKeyOfTheWorkflowAndTheChangeOfApril2024) {
  const std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> rows{
      {"assessment.new.home", 4500, 4800},        {"assessment.new.facility", 3500, 3700},
      {"assessment.renewal.home", 4000, 4300},    {"assessment.renewal.facility", 3000, 3200},
      {"opinion.first.home", 5500, 5500},         {"opinion.first.facility", 4400, 4400},
      {"opinion.continued.home", 4400, 4400},     {"opinion.continued.facility", 3300, 3300},
      {"committee.chair", 22000, 22000},          {"committee.member", 20000, 20000},
  };
  for (const auto& [key, before, after] : rows) {
    auto a = fee(in_force(Date(2024, 3, 31)), key);
    auto b = fee(in_force(Date(2024, 4, 1)), key);
    ASSERT_TRUE(a && b) << key;
    EXPECT_EQ(a->yen, before) << key;
    EXPECT_EQ(b->yen, after) << key;
    EXPECT_FALSE(a->label.empty());
    EXPECT_EQ(a->key, key);
  }
  auto missing = fee(r2025(), "assessment.unknown.home");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_NE(missing.error().message.find("assessment.unknown.home"), std::string::npos);
}

// ---- broken files: each refused naming the file and the JSON path ----

struct BrokenRow {
  std::string why;
  std::function<void(json&)> change;
  std::string path;
};

TEST(CertificationRulesFile, EveryBrokenFileIsRefusedNamingTheFileAndPath) {
  const std::vector<BrokenRow> rows{
      {"unknown top key", [](json& d) { d["extra"] = 1; }, "extra"},
      {"unknown version key", [](json& d) { d["versions"][0]["deadline"] = 30; }, "versions[0].deadline"},
      {"missing key", [](json& d) { d["versions"][0].erase("fees"); }, "versions[0].fees"},
      {"no versions", [](json& d) { d["versions"] = json::array(); }, "versions"},
      {"wrong type: string for integer", [](json& d) { d["versions"][0]["deadline_days"] = "30"; }, "versions[0].deadline_days"},
      {"wrong type: fraction", [](json& d) { d["versions"][0]["bands"][1]["to_tenths"] = 320.5; }, "versions[0].bands[1].to_tenths"},
      {"bad date", [](json& d) { d["versions"][0]["effective_from"] = "2021-02-30"; }, "versions[0].effective_from"},
      {"comment not text", [](json& d) { d["_comment"] = 1; }, "_comment"},
      {"warn not before the deadline", [](json& d) { d["versions"][0]["warn_days_before"] = 30; }, "versions[0].warn_days_before"},
      {"band gap", [](json& d) { d["versions"][0]["bands"][2]["from_tenths"] = 330; }, "versions[0].bands[2].from_tenths"},
      {"band overlap", [](json& d) { d["versions"][0]["bands"][2]["from_tenths"] = 310; }, "versions[0].bands[2].from_tenths"},
      {"bands unsorted", [](json& d) { std::swap(d["versions"][0]["bands"][3], d["versions"][0]["bands"][4]); }, "versions[0].bands[4].from_tenths"},
      {"first band above 0", [](json& d) { d["versions"][0]["bands"][0]["from_tenths"] = 10; }, "versions[0].bands[0].from_tenths"},
      {"last band closed", [](json& d) { d["versions"][0]["bands"][6]["to_tenths"] = 2000; }, "versions[0].bands[6].to_tenths"},
      {"unreachable band after an open one", [](json& d) {
         d["versions"][0]["bands"][5].erase("to_tenths");
       }, "versions[0].bands[6]"},
      {"empty band", [](json& d) { d["versions"][0]["bands"][1]["to_tenths"] = 250; }, "versions[0].bands[1].to_tenths"},
      {"unknown level", [](json& d) { d["versions"][0]["bands"][1]["level"] = "care_9"; }, "versions[0].bands[1].level"},
      {"level going down", [](json& d) { d["versions"][0]["bands"][4]["level"] = "care_1"; }, "versions[0].bands[4].level"},
      {"flag level not higher", [](json& d) { d["versions"][0]["bands"][2]["level_if_cognitive_or_unstable"] = "support_1"; },
       "versions[0].bands[2].level_if_cognitive_or_unstable"},
      {"unknown band key", [](json& d) { d["versions"][0]["bands"][0]["to"] = 250; }, "versions[0].bands[0].to"},
      {"min above default", [](json& d) { d["versions"][0]["validity"]["new_or_change"]["min_months"] = 7; },
       "versions[0].validity.new_or_change.min_months"},
      {"default above max", [](json& d) { d["versions"][0]["validity"]["renewal_same_level"]["default_months"] = 49; },
       "versions[0].validity.renewal_same_level.max_months"},
      {"range missing", [](json& d) { d["versions"][0]["validity"].erase("renewal_other_level"); },
       "versions[0].validity.renewal_other_level"},
      {"cap missing a level", [](json& d) { d["versions"][0]["monthly_cap_units"].erase(6); }, "versions[0].monthly_cap_units"},
      {"cap listed twice", [](json& d) { d["versions"][0]["monthly_cap_units"][1]["level"] = "support_1"; },
       "versions[0].monthly_cap_units[1].level"},
      {"cap for none", [](json& d) { d["versions"][0]["monthly_cap_units"][0]["level"] = "none"; },
       "versions[0].monthly_cap_units[0].level"},
      {"cap not positive", [](json& d) { d["versions"][0]["monthly_cap_units"][3]["units"] = 0; },
       "versions[0].monthly_cap_units[3].units"},
      {"fee key missing", [](json& d) { d["versions"][1]["fees"].erase(9); }, "versions[1].fees"},
      {"fee key listed twice", [](json& d) { d["versions"][0]["fees"][1]["key"] = "assessment.new.home"; }, "versions[0].fees[1].key"},
      {"unknown fee key", [](json& d) { d["versions"][0]["fees"][0]["key"] = "assessment.home"; }, "versions[0].fees[0].key"},
      {"negative fee", [](json& d) { d["versions"][0]["fees"][2]["yen"] = -1; }, "versions[0].fees[2].yen"},
      {"fee without label", [](json& d) { d["versions"][0]["fees"][2]["label"] = ""; }, "versions[0].fees[2].label"},
      {"two versions on one day", [](json& d) { d["versions"][1]["effective_from"] = "2021-04-01"; }, "versions[1].effective_from"},
      {"versions out of order", [](json& d) { d["versions"][1]["effective_from"] = "2020-04-01"; }, "versions[1].effective_from"},
  };
  for (const auto& r : rows) {
    json doc = json::parse(shipped_text());
    r.change(doc);
    auto rules = parse_certification_rules(doc.dump(), "broken.json");
    ASSERT_FALSE(rules) << r.why;
    EXPECT_EQ(rules.error().kind, ErrorKind::invalid_input) << r.why;
    EXPECT_EQ(rules.error().field, r.path) << r.why << ": " << rules.error().message;
    EXPECT_EQ(rules.error().message.rfind("broken.json: " + r.path + ": ", 0), 0u) << r.why << ": " << rules.error().message;
  }
  auto not_json = parse_certification_rules("{\"name\": ", "broken.json");
  ASSERT_FALSE(not_json);
  EXPECT_NE(not_json.error().message.find("broken.json"), std::string::npos);
}

class CertificationRulesDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kaigo-cert-rules-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                        "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name, std::ios::binary) << text; }
  fs::path dir_;
};

TEST_F(CertificationRulesDir, VersionsOfTwoFilesMergeByDate) {
  json a = json::parse(shipped_text());
  json b = a;
  a["versions"].erase(1);
  b["versions"].erase(0);
  write("b-2024.json", b.dump());
  write("a-2021.json", a.dump());
  auto rules = load_certification_rules(dir_);
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->versions.size(), 2u);
  EXPECT_EQ(rules->versions[0].effective_from, Date(2021, 4, 1));
  EXPECT_EQ((*rules->on(Date(2024, 4, 1)))->effective_from, Date(2024, 4, 1));
}

TEST_F(CertificationRulesDir, TwoVersionsOnOneDayInTwoFilesAreRefused) {
  write("a.json", shipped_text());
  json b = json::parse(shipped_text());
  b["versions"].erase(0);
  write("b.json", b.dump());
  auto rules = load_certification_rules(dir_);
  ASSERT_FALSE(rules);
  EXPECT_EQ(rules.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(rules.error().field, "versions[0].effective_from");
  EXPECT_NE(rules.error().message.find("b.json"), std::string::npos) << rules.error().message;
  EXPECT_NE(rules.error().message.find("a.json"), std::string::npos) << rules.error().message;
}

TEST_F(CertificationRulesDir, AnEmptyOrMissingDirectoryIsRefused) {
  auto empty = load_certification_rules(dir_);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::invalid_input);
  auto missing = load_certification_rules(dir_ / "nothing");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::invalid_input);
}

// ---- 特定疾病 (施行令2条) ----

TEST(SpecifiedDiseases, TheShippedListIsThe16OfTheCabinetOrder) {
  auto list = load_specified_diseases(config_dir() / "codes" / "specified_diseases.tsv");
  ASSERT_TRUE(list) << list.error().message;
  const std::vector<std::string> names{
      "がん（医師が一般に認められている医学的知見に基づき回復の見込みがない状態に至ったと判断したものに限る。）",
      "関節リウマチ", "筋萎縮性側索硬化症", "後縦靱帯骨化症", "骨折を伴う骨粗鬆症", "初老期における認知症",
      "進行性核上性麻痺、大脳皮質基底核変性症及びパーキンソン病", "脊髄小脳変性症", "脊柱管狭窄症", "早老症",
      "多系統萎縮症", "糖尿病性神経障害、糖尿病性腎症及び糖尿病性網膜症", "脳血管疾患", "閉塞性動脈硬化症",
      "慢性閉塞性肺疾患", "両側の膝関節又は股関節に著しい変形を伴う変形性関節症",
  };
  ASSERT_EQ(list->size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ((*list)[i].code, (i < 9 ? "0" : "") + std::to_string(i + 1));
    EXPECT_EQ((*list)[i].name, names[i]);
  }
}

TEST_F(CertificationRulesDir, ABrokenDiseaseListIsRefusedNamingLineAndColumn) {
  struct Row {
    std::string why, text, field, line;
  };
  const std::vector<Row> rows{
      {"one-digit code", "# c\ncode\tname\n01\tA\n2\tB\n", "code", ":4:"},
      {"code twice", "code\tname\n01\tA\n01\tB\n", "code", ":3:"},
      {"empty name", "code\tname\n01\t\n", "name", ":2:"},
      {"missing column", "code\tlabel\n01\tA\n", "name", ":1:"},
      {"wrong field count", "code\tname\n01\tA\textra\n", "columns", ":2:"},
      {"no rows", "code\tname\n", "code", ":1:"},
  };
  for (const auto& r : rows) {
    write("d.tsv", r.text);
    auto list = load_specified_diseases(dir_ / "d.tsv");
    ASSERT_FALSE(list) << r.why;
    EXPECT_EQ(list.error().kind, ErrorKind::invalid_input) << r.why;
    EXPECT_EQ(list.error().field, r.field) << r.why << ": " << list.error().message;
    EXPECT_NE(list.error().message.find("d.tsv" + r.line), std::string::npos) << r.why << ": " << list.error().message;
  }
}

}  // namespace

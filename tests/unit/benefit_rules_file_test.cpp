// The benefit rule file (config/rules/benefit/, docs/benefit-rules.md): the shipped file loads with
// its two versions (低所得 基準額 80万 → 80.9万 on 2025-08-01) and every broken file is refused
// naming the file and the JSON path; a directory of several files merges, refusing two versions on
// one day. These rules serve KY-03 (負担割合), KY-16 (高額), KY-18 (加算金), KY-23 (合算).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "benefit/rules.hpp"

namespace {

namespace fs = std::filesystem;
using kaigo::Date;
using kaigo::ErrorKind;
using nlohmann::json;
using namespace kaigo::benefit;

fs::path rules_dir() { return fs::path(__FILE__).parent_path().parent_path().parent_path() / "config" / "rules" / "benefit"; }

std::string shipped_text() {
  std::ifstream in(rules_dir() / "benefit.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(BenefitRulesFile, ShippedFileLoadsWithTwoVersionsInForceFromTheirDays) {
  auto rules = load_benefit_rules(rules_dir());
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->versions.size(), 2u);
  EXPECT_FALSE(rules->on(Date(2021, 7, 31)));
  EXPECT_EQ(rules->on(Date(2021, 7, 31)).error().kind, ErrorKind::not_found);
  auto v1 = rules->on(Date(2025, 7, 31));
  ASSERT_TRUE(v1);
  EXPECT_EQ((*v1)->effective_from, Date(2021, 8, 1));
  EXPECT_EQ((*v1)->low_income_limit, 800000);
  auto v2 = rules->on(Date(2025, 8, 1));
  ASSERT_TRUE(v2);
  EXPECT_EQ((*v2)->low_income_limit, 809000);
  EXPECT_FALSE((*v2)->source.empty());
  // rules.md §4, both versions.
  for (const auto& v : rules->versions) {
    EXPECT_EQ(v.copayment.rate3_total_income, 2200000);
    EXPECT_EQ(v.copayment.rate3_single, 3400000);
    EXPECT_EQ(v.copayment.rate3_multi, 4630000);
    EXPECT_EQ(v.copayment.rate2_total_income, 1600000);
    EXPECT_EQ(v.copayment.rate2_single, 2800000);
    EXPECT_EQ(v.copayment.rate2_multi, 3460000);
    EXPECT_EQ(high_cost_cap(v, IncomeCategory::taxable_690)->household, 140100);
    EXPECT_EQ(high_cost_cap(v, IncomeCategory::taxable_380)->household, 93000);
    EXPECT_EQ(high_cost_cap(v, IncomeCategory::taxed)->household, 44400);
    EXPECT_EQ(high_cost_cap(v, IncomeCategory::household_untaxed)->household, 24600);
    EXPECT_FALSE(high_cost_cap(v, IncomeCategory::household_untaxed)->individual);
    EXPECT_EQ(high_cost_cap(v, IncomeCategory::low_income)->household, 24600);
    EXPECT_EQ(high_cost_cap(v, IncomeCategory::low_income)->individual, 15000);
    EXPECT_EQ(high_cost_cap(v, IncomeCategory::public_assistance)->household, 15000);
    EXPECT_EQ(v.taxable_690, 6900000);
    EXPECT_EQ(v.taxable_380, 3800000);
    EXPECT_EQ(v.combined_minimum, 500);
    EXPECT_EQ(v.combined_limits.size(), 11u);
    EXPECT_EQ(v.surcharge_numerator, 40);
    EXPECT_EQ(v.surcharge_denominator, 100);
    EXPECT_EQ(v.repayment_due_days, 30);
  }
}

struct BrokenRow {
  std::string why;
  std::function<void(json&)> change;
  std::string path;
};

TEST(BenefitRulesFile, EveryBrokenFileIsRefusedNamingTheFileAndPath) {
  const std::vector<BrokenRow> rows{
      {"not an object", [](json& d) { d = json::array(); }, "(top)"},
      {"unknown top key", [](json& d) { d["extra"] = 1; }, "extra"},
      {"name empty", [](json& d) { d["name"] = ""; }, "name"},
      {"no versions", [](json& d) { d["versions"] = json::array(); }, "versions"},
      {"unknown version key", [](json& d) { d["versions"][0]["caps"] = 1; }, "versions[0].caps"},
      {"missing section", [](json& d) { d["versions"][1].erase("repayment"); }, "versions[1].repayment"},
      {"missing source", [](json& d) { d["versions"][0].erase("source"); }, "versions[0].source"},
      {"empty source", [](json& d) { d["versions"][0]["source"] = ""; }, "versions[0].source"},
      {"bad date", [](json& d) { d["versions"][0]["effective_from"] = "2021-02-30"; }, "versions[0].effective_from"},
      {"date not text", [](json& d) { d["versions"][0]["effective_from"] = 20210801; }, "versions[0].effective_from"},
      {"comment not text", [](json& d) { d["versions"][0]["_comment"] = 1; }, "versions[0]._comment"},
      {"threshold as string", [](json& d) { d["versions"][0]["copayment"]["rate3_single"] = "3400000"; },
       "versions[0].copayment.rate3_single"},
      {"threshold a fraction", [](json& d) { d["versions"][0]["copayment"]["rate2_single"] = 2800000.5; },
       "versions[0].copayment.rate2_single"},
      {"threshold zero", [](json& d) { d["versions"][0]["copayment"]["rate2_total_income"] = 0; },
       "versions[0].copayment.rate2_total_income"},
      {"threshold missing", [](json& d) { d["versions"][0]["copayment"].erase("rate3_multi"); },
       "versions[0].copayment.rate3_multi"},
      {"unknown threshold", [](json& d) { d["versions"][0]["copayment"]["rate1"] = 1; }, "versions[0].copayment.rate1"},
      {"3割 income not above 2割", [](json& d) { d["versions"][0]["copayment"]["rate3_total_income"] = 1600000; },
       "versions[0].copayment.rate3_total_income"},
      {"3割 single not above 2割", [](json& d) { d["versions"][0]["copayment"]["rate3_single"] = 2800000; },
       "versions[0].copayment.rate3_single"},
      {"3割 multi not above 2割", [](json& d) { d["versions"][1]["copayment"]["rate2_multi"] = 4630000; },
       "versions[1].copayment.rate3_multi"},
      {"multi below single", [](json& d) { d["versions"][0]["copayment"]["rate2_multi"] = 2700000; },
       "versions[0].copayment.rate2_multi"},
      {"380 not below 690", [](json& d) { d["versions"][0]["high_cost"]["taxable_380"] = 6900000; },
       "versions[0].high_cost.taxable_380"},
      {"low income limit negative", [](json& d) { d["versions"][1]["high_cost"]["low_income_limit"] = -1; },
       "versions[1].high_cost.low_income_limit"},
      {"caps not an array", [](json& d) { d["versions"][0]["high_cost"]["caps"] = json::object(); },
       "versions[0].high_cost.caps"},
      {"cap missing a category", [](json& d) { d["versions"][0]["high_cost"]["caps"].erase(5); }, "versions[0].high_cost.caps"},
      {"cap listed twice", [](json& d) { d["versions"][0]["high_cost"]["caps"][1]["category"] = "taxable_690"; },
       "versions[0].high_cost.caps[1].category"},
      {"unknown category", [](json& d) { d["versions"][0]["high_cost"]["caps"][2]["category"] = "rich"; },
       "versions[0].high_cost.caps[2].category"},
      {"cap zero", [](json& d) { d["versions"][0]["high_cost"]["caps"][3]["household"] = 0; },
       "versions[0].high_cost.caps[3].household"},
      {"individual above household", [](json& d) { d["versions"][0]["high_cost"]["caps"][4]["individual"] = 30000; },
       "versions[0].high_cost.caps[4].individual"},
      {"unknown cap key", [](json& d) { d["versions"][0]["high_cost"]["caps"][0]["person"] = 1; },
       "versions[0].high_cost.caps[0].person"},
      {"combined minimum missing", [](json& d) { d["versions"][0]["combined"].erase("minimum"); },
       "versions[0].combined.minimum"},
      {"no combined limits", [](json& d) { d["versions"][0]["combined"]["limits"] = json::array(); },
       "versions[0].combined.limits"},
      {"unknown age band", [](json& d) { d["versions"][0]["combined"]["limits"][0]["age_band"] = "over_75"; },
       "versions[0].combined.limits[0].age_band"},
      {"empty income class", [](json& d) { d["versions"][0]["combined"]["limits"][2]["income_class"] = ""; },
       "versions[0].combined.limits[2].income_class"},
      {"combined limit twice", [](json& d) { d["versions"][1]["combined"]["limits"][1]["income_class"] = "active_3"; },
       "versions[1].combined.limits[1].income_class"},
      {"combined limit zero", [](json& d) { d["versions"][0]["combined"]["limits"][7]["limit"] = 0; },
       "versions[0].combined.limits[7].limit"},
      {"surcharge above the whole", [](json& d) { d["versions"][0]["repayment"]["surcharge_numerator"] = 140; },
       "versions[0].repayment.surcharge_numerator"},
      {"surcharge denominator zero", [](json& d) { d["versions"][0]["repayment"]["surcharge_denominator"] = 0; },
       "versions[0].repayment.surcharge_denominator"},
      {"due days zero", [](json& d) { d["versions"][0]["repayment"]["due_days"] = 0; }, "versions[0].repayment.due_days"},
      {"due days missing", [](json& d) { d["versions"][1]["repayment"].erase("due_days"); }, "versions[1].repayment.due_days"},
      {"two versions on one day", [](json& d) { d["versions"][1]["effective_from"] = "2021-08-01"; },
       "versions[1].effective_from"},
      {"versions out of order", [](json& d) { d["versions"][1]["effective_from"] = "2020-08-01"; },
       "versions[1].effective_from"},
  };
  for (const auto& r : rows) {
    json doc = json::parse(shipped_text());
    r.change(doc);
    auto rules = parse_benefit_rules(doc.dump(), "broken.json");
    ASSERT_FALSE(rules) << r.why;
    EXPECT_EQ(rules.error().kind, ErrorKind::invalid_input) << r.why;
    EXPECT_EQ(rules.error().field, r.path) << r.why << ": " << rules.error().message;
    EXPECT_EQ(rules.error().message.rfind("broken.json: " + r.path + ": ", 0), 0u) << r.why << ": " << rules.error().message;
  }
  auto not_json = parse_benefit_rules("{\"name\": ", "broken.json");
  ASSERT_FALSE(not_json);
  EXPECT_NE(not_json.error().message.find("broken.json"), std::string::npos);
}

class BenefitRulesDir : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("kaigo_benefit_rules_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                              "_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  void write(const std::string& name, const json& doc) { std::ofstream(dir / name) << doc.dump(); }
};

TEST_F(BenefitRulesDir, TwoFilesMergeByDateAndTheSameDayTwiceIsRefusedNamingTheSecondFile) {
  json all = json::parse(shipped_text());
  json first = all, second = all;
  first["versions"].erase(1);
  second["versions"].erase(0);
  write("a.json", second);  // the later version in the file read first: merged by date anyway
  write("b.json", first);
  auto rules = load_benefit_rules(dir);
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->versions.size(), 2u);
  EXPECT_EQ(rules->versions[0].effective_from, Date(2021, 8, 1));
  EXPECT_EQ(rules->versions[1].effective_from, Date(2025, 8, 1));

  write("c.json", first);
  auto twice = load_benefit_rules(dir);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().field, "versions[0].effective_from");
  EXPECT_NE(twice.error().message.find("c.json"), std::string::npos);
}

TEST_F(BenefitRulesDir, AnEmptyOrMissingDirectoryAndABrokenFileAreRefused) {
  auto empty = load_benefit_rules(dir);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::invalid_input);
  auto missing = load_benefit_rules(dir / "nowhere");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::invalid_input);
  std::ofstream(dir / "bad.json") << "{";
  auto bad = load_benefit_rules(dir);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("bad.json"), std::string::npos);
}

}  // namespace

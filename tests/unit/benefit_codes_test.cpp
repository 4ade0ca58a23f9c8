// BenefitConfig::load (benefit/codes.hpp): the shipped config loads — the rules, the サービス種類
// コード with what counts for 高額 (59 food/housing, 41/44 purchase, home alteration do not;
// rules.md §4), the demo city's care offices (10-digit numbers, ~10 making care plans), the
// 国保連 layouts — and every bad line of the two lists is refused naming the file, the line and
// the column.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "benefit/codes.hpp"

namespace {

namespace fs = std::filesystem;
using kaigo::ErrorKind;
using namespace kaigo::benefit;

fs::path config_dir() { return fs::path(__FILE__).parent_path().parent_path().parent_path() / "config"; }

TEST(BenefitConfig, TheShippedConfigLoads) {
  auto c = BenefitConfig::load(config_dir());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->rules.versions.size(), 2u);
  ASSERT_NE(c->service_kind("11"), nullptr);
  EXPECT_EQ(c->service_kind("11")->name, "訪問介護");
  EXPECT_TRUE(c->service_kind("11")->counts_for_high_cost);
  EXPECT_TRUE(c->service_kind("11")->needs_care_plan);
  EXPECT_FALSE(c->service_kind("51")->needs_care_plan);
  for (const char* not_counted : {"59", "41", "44", "42", "45"}) {
    ASSERT_NE(c->service_kind(not_counted), nullptr) << not_counted;
    EXPECT_FALSE(c->service_kind(not_counted)->counts_for_high_cost) << not_counted;
  }
  for (const char* facility : {"51", "52", "53", "54", "55", "43"})
    EXPECT_TRUE(c->service_kind(facility)->counts_for_high_cost) << facility;
  EXPECT_EQ(c->service_kind("99"), nullptr);

  EXPECT_GE(c->offices.size(), 55u);
  int planners = 0;
  for (const auto& o : c->offices) {
    EXPECT_EQ(o.office_no.size(), 10u);
    for (const auto& k : o.service_kinds) EXPECT_NE(c->service_kind(k), nullptr) << o.office_no << " " << k;
    if (o.makes_care_plans) ++planners;
  }
  EXPECT_GE(planners, 8);
  EXPECT_LE(planners, 12);
  ASSERT_NE(c->office(c->offices.front().office_no), nullptr);
  EXPECT_EQ(c->office("0000000000"), nullptr);
  // Offices for the facility kinds and for food and housing exist (the claims simulator needs them).
  bool facility = false, food = false;
  for (const auto& o : c->offices) {
    facility = facility || o.service_kinds.contains("51");
    food = food || o.service_kinds.contains("59");
  }
  EXPECT_TRUE(facility);
  EXPECT_TRUE(food);
  EXPECT_NE(c->layouts.find("KY04"), nullptr);
  EXPECT_NE(c->layouts.find("KY03"), nullptr);
}

class BenefitCodesFile : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("kaigo_benefit_codes_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  }
};

struct BadLine {
  std::string why;
  std::string line;
  std::string column;
};

TEST_F(BenefitCodesFile, EveryBadServiceKindLineIsRefusedNamingFileLineAndColumn) {
  const std::string header = "# comment\ncode\tname\tcounts_for_high_cost\tneeds_care_plan\n11\t訪問介護\t1\t1\n";
  const std::vector<BadLine> rows{
      {"one digit", "1\tx\t1\t1", "code"},
      {"letters", "2A\tx\t1\t1", "code"},
      {"twice", "11\tx\t1\t1", "code"},
      {"no name", "12\t\t1\t1", "name"},
      {"flag not 0/1", "12\tx\tyes\t1", "counts_for_high_cost"},
      {"plan flag empty", "12\tx\t1\t", "needs_care_plan"},
  };
  for (const auto& r : rows) {
    auto f = write("kinds.tsv", header + r.line + "\n");
    auto k = load_service_kinds(f);
    ASSERT_FALSE(k) << r.why;
    EXPECT_EQ(k.error().kind, ErrorKind::invalid_input) << r.why;
    EXPECT_EQ(k.error().field, r.column) << r.why << ": " << k.error().message;
    EXPECT_NE(k.error().message.find("kinds.tsv:4: " + r.column), std::string::npos) << r.why << ": " << k.error().message;
  }
  auto missing_column = load_service_kinds(write("kinds.tsv", "code\tname\tcounts_for_high_cost\n11\tx\t1\n"));
  ASSERT_FALSE(missing_column);
  auto empty = load_service_kinds(write("kinds.tsv", "code\tname\tcounts_for_high_cost\tneeds_care_plan\n"));
  ASSERT_FALSE(empty);
}

TEST_F(BenefitCodesFile, EveryBadCareOfficeLineIsRefusedNamingFileLineAndColumn) {
  const std::string header =
      "office_no\tname\taddress\tservice_kinds\tmakes_care_plans\n1479802001\tA\tみどり市中央区本町1丁目\t43\t1\n";
  const std::vector<BadLine> rows{
      {"9 digits", "147980200\tB\taddr\t11\t0", "office_no"},
      {"not digits", "14798020AB\tB\taddr\t11\t0", "office_no"},
      {"twice", "1479802001\tB\taddr\t11\t0", "office_no"},
      {"no name", "1479802002\t\taddr\t11\t0", "name"},
      {"no address", "1479802002\tB\t\t11\t0", "address"},
      {"no kinds", "1479802002\tB\taddr\t\t0", "service_kinds"},
      {"bad kind", "1479802002\tB\taddr\t11|1\t0", "service_kinds"},
      {"kind twice", "1479802002\tB\taddr\t11|11\t0", "service_kinds"},
      {"flag", "1479802002\tB\taddr\t11\t2", "makes_care_plans"},
      {"plans without 43/46", "1479802002\tB\taddr\t11\t1", "makes_care_plans"},
  };
  for (const auto& r : rows) {
    auto f = write("offices.tsv", header + r.line + "\n");
    auto o = load_care_offices(f);
    ASSERT_FALSE(o) << r.why;
    EXPECT_EQ(o.error().kind, ErrorKind::invalid_input) << r.why;
    EXPECT_EQ(o.error().field, r.column) << r.why << ": " << o.error().message;
    EXPECT_NE(o.error().message.find("offices.tsv:3: " + r.column), std::string::npos) << r.why << ": " << o.error().message;
  }
}

TEST_F(BenefitCodesFile, AnOfficeKindMissingFromTheKindListStopsTheLoad) {
  // A copy of the shipped config with one office offering a kind the list does not have.
  fs::copy(config_dir() / "rules", dir / "rules", fs::copy_options::recursive);
  fs::copy(config_dir() / "layouts", dir / "layouts", fs::copy_options::recursive);
  fs::create_directories(dir / "codes");
  fs::copy(config_dir() / "codes" / "service_kinds.tsv", dir / "codes" / "service_kinds.tsv");
  write("codes/care_offices.tsv",
        "office_no\tname\taddress\tservice_kinds\tmakes_care_plans\n1479802001\tA\taddr\t43\t1\n1479802002\tB\taddr\t11|98\t0\n");
  auto c = BenefitConfig::load(dir);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().field, "service_kinds");
  EXPECT_NE(c.error().message.find("care_offices.tsv:3"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("98"), std::string::npos) << c.error().message;
  // And with a good list it loads.
  write("codes/care_offices.tsv", "office_no\tname\taddress\tservice_kinds\tmakes_care_plans\n1479802001\tA\taddr\t43\t1\n");
  auto ok = BenefitConfig::load(dir);
  ASSERT_TRUE(ok) << ok.error().message;
  // A broken rule file stops it too, naming the rule file.
  std::ofstream(dir / "rules" / "benefit" / "benefit.json") << "{";
  auto bad = BenefitConfig::load(dir);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("benefit.json"), std::string::npos);
}

}  // namespace

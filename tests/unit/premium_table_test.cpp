// The premium table as data (FK-11: the table the premium is computed with): the shipped rule
// file loads and validates, versions are found by date, a city's own 16-stage table replaces it,
// and every broken table is refused with the file and the JSON path at fault.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "core/date.hpp"
#include "core/hash.hpp"
#include "premium/premium_table.hpp"
#include "premium/rules.hpp"

namespace {

namespace fs = std::filesystem;
using kaigo::Date;
using kaigo::Ratio;
using namespace kaigo::premium;

const fs::path kRepo = fs::path(__FILE__).parent_path().parent_path().parent_path();
const fs::path kShippedDir = kRepo / "config" / "rules" / "premium";
const fs::path kData = kRepo / "tests" / "data" / "premium";

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---- The shipped national table ----

TEST(PremiumTable, FK_11_ShippedTableLoadsValidatesAndIsHashedByItsBytes) {
  const fs::path file = kShippedDir / "fy2024-2026.json";
  auto t = load_premium_table(file);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->first_fiscal_year, 2024);
  EXPECT_EQ(t->last_fiscal_year, 2026);
  EXPECT_EQ(t->source, file);
  EXPECT_EQ(t->sha256, kaigo::sha256_hex(bytes_of(file)));
  EXPECT_EQ(t->sha256.size(), 64u);
  EXPECT_TRUE(validate(*t).has_value());
  // The hash is the version of the rules stored with every assessment: an edit of the shipped
  // table must be deliberate (update this line in the same commit, and say why).
  EXPECT_EQ(t->sha256, "2fc50bcaea16da7fcdb8b53483a91be7d40a513a875b438037a1e9a9ef7926a5");

  ASSERT_EQ(t->versions.size(), 3u);
  const Date starts[] = {Date(2024, 4, 1), Date(2025, 4, 1), Date(2026, 4, 1)};
  const std::int64_t stage1_bound[] = {800'000, 809'000, 826'500};
  for (std::size_t i = 0; i < 3; ++i) {
    const PremiumTableVersion& v = t->versions[i];
    EXPECT_EQ(v.effective_from, starts[i]);
    EXPECT_EQ(v.base_amount, 74'700) << "第9期 national average 6,225円/月 × 12";
    EXPECT_EQ(v.salary_income_deduction, 100'000) << "施行令38条 (令和3年度〜)";
    EXPECT_TRUE(v.apply_reduced_ratio);
    EXPECT_EQ(v.annual_rounding.unit, 10);
    EXPECT_EQ(v.annual_rounding.method, kaigo::RoundingMethod::floor);
    EXPECT_EQ(v.proration_rounding.unit, 10);
    ASSERT_EQ(v.stages.size(), 13u) << "施行令38条1項: 13 standard stages";
    EXPECT_EQ(v.stages[0].alternatives.at(1).interval.upper, stage1_bound[i]);
    EXPECT_EQ(v.stages[3].alternatives.at(0).interval.upper, stage1_bound[i]);
    // rules.md §2 table: ratio and reduced ratio of every stage.
    const char* ratios[] = {"0.455", "0.685", "0.69", "0.9", "1", "1.2", "1.3", "1.5", "1.7", "1.9", "2.1", "2.3", "2.4"};
    const char* reduced[] = {"0.285", "0.485", "0.685"};
    for (std::size_t s = 0; s < 13; ++s) {
      EXPECT_EQ(v.stages[s].ratio.decimal(), ratios[s]) << "stage " << s + 1;
      if (s < 3) EXPECT_EQ(v.stages[s].reduced_ratio.value_or(Ratio()).decimal(), reduced[s]) << "stage " << s + 1;
      else EXPECT_FALSE(v.stages[s].reduced_ratio.has_value()) << "stage " << s + 1;
    }
  }
}

TEST(PremiumTable, FK_11_VersionInForceOnADay) {
  auto t = load_premium_table(kShippedDir / "fy2024-2026.json");
  ASSERT_TRUE(t.has_value()) << t.error().message;
  struct Case { Date day; int version; const char* source; };
  const Case cases[] = {
      {Date(2024, 3, 31), -1, "before the plan period"},
      {Date(2024, 4, 1), 0, "賦課期日 of FY2024"},
      {Date(2024, 10, 15), 0, "acquisition during FY2024"},
      {Date(2025, 3, 31), 0, "last day of FY2024"},
      {Date(2025, 4, 1), 1, "令和7年度改正 in force"},
      {Date(2026, 4, 1), 2, "令和7年政令第394号 in force"},
      {Date(2027, 3, 31), 2, "last day of the plan period"},
      {Date(2027, 4, 1), -1, "after the plan period"},
  };
  for (const Case& c : cases) {
    const PremiumTableVersion* v = t->version_on(c.day);
    if (c.version < 0) EXPECT_EQ(v, nullptr) << c.source;
    else EXPECT_EQ(v, &t->versions[static_cast<std::size_t>(c.version)]) << c.source;
  }
}

TEST(PremiumTable, FK_11_TablesOfADirectoryAndThePlanPeriodOfAFiscalYear) {
  auto tables = load_premium_tables(kShippedDir);
  ASSERT_TRUE(tables.has_value()) << tables.error().message;
  ASSERT_EQ(tables->size(), 1u);
  EXPECT_EQ(table_for(*tables, 2023), nullptr);
  for (int fy : {2024, 2025, 2026}) EXPECT_EQ(table_for(*tables, fy), &tables->front());
  EXPECT_EQ(table_for(*tables, 2027), nullptr);
}

TEST(PremiumTable, FK_11_OverlappingPlanPeriodsInOneDirectoryAreRefused) {
  const fs::path dir = fs::temp_directory_path() / ("kaigo-premium-tables-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::copy_file(kShippedDir / "fy2024-2026.json", dir / "a.json", fs::copy_options::overwrite_existing);
  fs::copy_file(kData / "city16.json", dir / "b.json", fs::copy_options::overwrite_existing);
  auto tables = load_premium_tables(dir);
  fs::remove_all(dir);
  ASSERT_FALSE(tables.has_value());
  EXPECT_NE(tables.error().message.find("b.json"), std::string::npos) << tables.error().message;
  EXPECT_NE(tables.error().message.find("a.json"), std::string::npos) << tables.error().message;
  EXPECT_NE(tables.error().message.find("overlaps"), std::string::npos) << tables.error().message;
  EXPECT_FALSE(load_premium_tables(kData / "no-such-directory").has_value());
}

// ---- A city's own table (docs/premium-table.md) ----

TEST(PremiumTable, FK_11_ACitys16StageTableReplacesTheNationalOneWithoutCode) {
  auto t = load_premium_table(kData / "city16.json");
  ASSERT_TRUE(t.has_value()) << t.error().message;
  const PremiumTableVersion* v = t->version_on(Date(2025, 4, 1));
  ASSERT_NE(v, nullptr);
  ASSERT_EQ(v->stages.size(), 16u);
  auto taxed = [](std::int64_t total) {
    AssessmentInputs in;
    in.self_taxed = in.household_taxed = true;
    in.total_income = total;
    return in;
  };
  struct Case { std::int64_t total; int stage; std::int64_t annual; };
  // 基準額 78,000円, 100円未満切捨て: ×2.3 = 179,400; ×2.4 = 187,200; ×2.6 = 202,800; ×2.8 = 218,400; ×3.0 = 234,000.
  const Case cases[] = {{7'199'999, 12, 179'400}, {7'200'000, 13, 187'200}, {9'999'999, 13, 187'200},
                        {10'000'000, 14, 202'800}, {19'999'999, 15, 218'400}, {20'000'000, 16, 234'000}};
  for (const Case& c : cases) {
    const StageDecision d = decide_stage(taxed(c.total), *v);
    EXPECT_EQ(d.stage, c.stage) << c.total;
    EXPECT_EQ(d.annual_amount, c.annual) << c.total;
  }
  // 78,000 × 0.285 = 22,230 exactly; 100円未満切捨て → 22,200.
  EXPECT_EQ(decide_stage(AssessmentInputs{}, *v).annual_amount, 22'200);
}

// ---- Broken tables: the whole file refused, the file and JSON path named ----

struct BadFile {
  const char* file;
  const char* path;  // the JSON path the error names (also Error::field)
  const char* says;  // a phrase of the message
};

const BadFile kBadFiles[] = {
    {"gap.json", "versions[0].stages[1].alternatives[0].lower", "gap: for 世帯全員が市町村民税非課税 no stage takes the amounts from 800,001 to 810,000 yen"},
    {"overlap.json", "versions[0].stages[1].alternatives[0].lower", "overlap"},
    {"both_inclusive.json", "versions[0].stages[1].alternatives[0].lower",
     "the boundary 800,000 yen is included by both 第1段階 (80万円以下) and 第2段階 (80万円以上)"},
    {"both_exclusive.json", "versions[0].stages[1].alternatives[0].lower", "gap: for 世帯全員が市町村民税非課税 no stage takes the amount 800,000 yen, between 第1段階 (80万円未満) and 第2段階 (80万円を超える)"},
    {"no_top.json", "versions[0].stages[1].alternatives[0].upper", "no stage takes amounts above 4,999,999 yen"},
    {"unreachable.json", "versions[0].stages[2]", "第3段階 is unreachable"},
    {"two_welfare.json", "versions[0].stages[3].welfare", "a second welfare stage"},
    {"unknown_key.json", "versions[0].stages[2].ratios", "unknown key"},
    {"number_ratio.json", "versions[0].stages[2].ratio", "as a string of an exact decimal"},
    {"missing_inclusive.json", "versions[0].stages[0].alternatives[1].upper_inclusive", "is required with 'upper'"},
    {"not_april.json", "versions[0].effective_from", "2024-10-01 is not a 1 April"},
    {"duplicate_key.json", "versions[0].base_amount", "the key appears twice"},
    {"syntax.json", "line 43", "not valid JSON"},
};

TEST(PremiumTable, FK_11_BrokenTablesAreRefusedNamingFileAndPath) {
  ASSERT_TRUE(load_premium_table(kData / "valid_small.json").has_value()) << "the files below are this one, broken once";
  for (const BadFile& b : kBadFiles) {
    auto t = load_premium_table(kData / b.file);
    ASSERT_FALSE(t.has_value()) << b.file;
    const std::string& m = t.error().message;
    EXPECT_EQ(t.error().kind, kaigo::ErrorKind::invalid_input) << b.file;
    EXPECT_EQ(t.error().field, b.path) << b.file << ": " << m;
    EXPECT_NE(m.find((kData / b.file).string()), std::string::npos) << b.file << ": " << m;
    EXPECT_NE(m.find(b.path), std::string::npos) << b.file << ": " << m;
    EXPECT_NE(m.find(b.says), std::string::npos) << b.file << ": " << m;
  }
}

TEST(PremiumTable, FK_11_ATableFromBytesIsReadLikeAFile) {
  const std::string bytes = bytes_of(kShippedDir / "fy2024-2026.json");
  auto t = parse_premium_table(bytes, "table");
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->sha256, kaigo::sha256_hex(bytes));
  EXPECT_TRUE(t->source.empty());
  auto bad = parse_premium_table(bytes_of(kData / "gap.json"), "table");
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(bad.error().message.starts_with("table: versions[0].stages[1].alternatives[0].lower: gap")) << bad.error().message;
  EXPECT_EQ(bad.error().field, "versions[0].stages[1].alternatives[0].lower");
}

TEST(PremiumTable, FK_11_AmountsAreWholeYenThatFit) {
  const std::string valid = bytes_of(kData / "valid_small.json");
  ASSERT_NE(valid.find("\"base_amount\": 72000"), std::string::npos);
  auto with_base = [&](const std::string& text) {
    std::string s = valid;
    s.replace(s.find("72000"), 5, text);
    return parse_premium_table(s, "t");
  };
  ASSERT_TRUE(with_base("72000").has_value());
  for (const char* text : {"72000.0", "\"72000\"", "18446744073709551615", "99999999999999999999999", "-1", "7.2e4"}) {
    auto t = with_base(text);
    ASSERT_FALSE(t.has_value()) << text;
    EXPECT_EQ(t.error().field, "versions[0].base_amount") << text << ": " << t.error().message;
  }
}

TEST(PremiumTable, FK_11_AMissingFileIsUnavailableNotInvalid) {
  auto t = load_premium_table(kData / "no-such-file.json");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().kind, kaigo::ErrorKind::unavailable);
}

// ---- validate() on tables built in code ----

PremiumTable small() {
  auto t = load_premium_table(kData / "valid_small.json");
  if (!t) throw std::runtime_error(t.error().message);
  return *t;
}

TEST(PremiumTable, FK_11_ValidateRefusesWhatTheFileFormatCannotCatch) {
  struct Case {
    void (*breakit)(PremiumTable&);
    const char* field;
    const char* says;
  };
  const Case cases[] = {
      {[](PremiumTable& t) { t.versions[0].stages[1].number = 3; }, "versions[0].stages[1].number", "stage number 3 where 2"},
      {[](PremiumTable& t) { t.versions[0].stages[0].reduced_ratio = Ratio(6, 10); }, "versions[0].stages[0].reduced_ratio",
       "above the ratio"},
      {[](PremiumTable& t) { t.versions[0].stages[2].ratio = Ratio(0, 1); }, "versions[0].stages[2].ratio", "greater than 0"},
      {[](PremiumTable& t) { t.versions[0].base_amount = 0; }, "versions[0].base_amount", "base amount"},
      {[](PremiumTable& t) { t.versions[0].stages[0].welfare = false; }, "versions[0].stages", "no welfare stage"},
      {[](PremiumTable& t) { t.versions[0].stages[2].alternatives.push_back(t.versions[0].stages[0].alternatives[0]); },
       "versions[0].stages[2].alternatives[1].old_age_welfare_pension", "already leads to 第1段階"},
      {[](PremiumTable& t) { t.versions[0].stages[1].alternatives[0].measure = IncomeMeasure::total_income; },
       "versions[0].stages[1].alternatives[0].measure", "one status, one measure"},
      {[](PremiumTable& t) { t.versions[0].stages[3].alternatives.clear(); }, "versions[0].stages[3]", "unreachable"},
      {[](PremiumTable& t) {
         t.versions[0].stages[3].alternatives[0].status = TaxStatus::self_untaxed_household_taxed;
         t.versions[0].stages[3].alternatives[0].measure = IncomeMeasure::pension_revenue_plus_other;
       },
       "versions[0].stages[3].alternatives[0].lower", "overlap"},
      {[](PremiumTable& t) {
         t.versions[0].stages[1].alternatives[0].interval = IncomeInterval{900'000, true, 900'000, false};
       },
       "versions[0].stages[1].alternatives[0]", "holds no amount"},
      {[](PremiumTable& t) {
         t.versions.push_back(t.versions[0]);
         t.versions[1].effective_from = Date(2024, 4, 1);
       },
       "versions[1].effective_from", "versions ascend"},
      {[](PremiumTable& t) {
         t.versions.push_back(t.versions[0]);
         t.versions[1].effective_from = Date(2027, 4, 1);
       },
       "versions[1].effective_from", "outside the plan period"},
      {[](PremiumTable& t) { t.versions[0].effective_from = Date(2025, 4, 1); }, "versions[0].effective_from",
       "the first version must start on 2024-04-01"},
      {[](PremiumTable& t) { t.versions[0].annual_rounding.unit = 5; }, "versions[0].annual_rounding.unit",
       "not 1, 10, 100 or 1000"},
  };
  for (const Case& c : cases) {
    PremiumTable t = small();
    c.breakit(t);
    auto r = validate(t);
    ASSERT_FALSE(r.has_value()) << c.field;
    EXPECT_EQ(r.error().field, c.field) << r.error().message;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
  }
  // A second version a year later is fine.
  PremiumTable ok = small();
  ok.versions.push_back(ok.versions[0]);
  ok.versions[1].effective_from = Date(2025, 4, 1);
  EXPECT_TRUE(validate(ok).has_value());
}

}  // namespace

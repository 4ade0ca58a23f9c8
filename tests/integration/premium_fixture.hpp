#pragma once
// A database with the premium tables loaded and helpers to build small households with kaigo's
// own tax rows (as FK-02 brings them) — shared by the premium integration tests.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "eligibility/register.hpp"
#include "premium/assessment.hpp"
#include "test_db.hpp"

namespace kaigo::premium {

inline Date d(const char* iso) { return *Date::parse(iso); }

class PremiumFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = testing::fresh_database(GetParam());
    auto loaded = load_premium_tables(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/premium");
    ASSERT_TRUE(loaded) << loaded.error().message;
    tables_ = std::move(*loaded);
  }

  // A resident since birth in household `household`.
  void add_person(const std::string& id, const std::string& birth, const std::string& household,
                  const std::string& relation) {
    ASSERT_TRUE(db_->exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                          "ward_code, household_id, relation, registry_status, status_date, updated_at) VALUES "
                          "($1, '試験 太郎', 'シケン タロウ', $2, '1', '2910000', 'みどり市中央区本町1-1', '981', $3, $4, "
                          "'resident', NULL, '2026-01-01T00:00:00+09:00')",
                          {id, birth, household, relation}));
    ASSERT_TRUE(db_->exec("INSERT INTO person_history (person_id, valid_from, valid_to, name_kanji, name_kana, birth_date, "
                          "sex, postal_code, address, ward_code, household_id, relation, registry_status, reason, "
                          "recorded_at, recorded_by) VALUES ($1, $2, NULL, '試験 太郎', 'シケン タロウ', $2, '1', "
                          "'2910000', 'みどり市中央区本町1-1', '981', $3, $4, 'resident', 'birth', "
                          "'2026-01-01T00:00:00+09:00', 'test')",
                          {id, birth, household, relation}));
  }

  // kaigo's own tax row (as FK-02 brings it) for income year 2025 (fiscal year 2026).
  void add_tax(const std::string& id, bool taxed, std::int64_t total_income, std::int64_t pension_revenue,
               std::int64_t pension_misc, const std::string& recorded_at = "2026-06-01T09:00:00+09:00") {
    ASSERT_TRUE(db_->exec(
        "INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
        "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income, source, "
        "source_exchange_id, recorded_at, recorded_by) VALUES ($1, 2025, $2, $3, $3, $4, 0, 0, $5, 0, 'tax_office', "
        "NULL, $6, 'test')",
        {id, total_income, pension_revenue, pension_misc, std::int64_t{taxed ? 1 : 0}, recorded_at}));
  }

  void register_everyone() {
    auto r = eligibility::register_initial_residents(
        *db_, clock_, eligibility::ChangeSource{"staff", std::nullopt, std::nullopt, "tester", "初期登録"});
    ASSERT_TRUE(r) << r.error().message;
  }

  Assessment current(const std::string& id, int fy = 2026) {
    Assessment out;
    EXPECT_TRUE(db_->with_connection([&](store::Connection& c) -> Result<void> {
      auto a = current_assessment(c, id, fy);
      if (!a) return std::unexpected(a.error());
      if (!*a) return fail(ErrorKind::not_found, "no current assessment");
      out = **a;
      return {};
    }));
    return out;
  }

  std::vector<Assessment> history(const std::string& id) {
    std::vector<Assessment> out;
    EXPECT_TRUE(db_->with_connection([&](store::Connection& c) -> Result<void> {
      auto a = assessments_for(c, id);
      if (!a) return std::unexpected(a.error());
      out = std::move(*a);
      return {};
    }));
    return out;
  }

  std::string explanation_text(const Assessment& a) {
    std::string all;
    for (const auto& line : nlohmann::json::parse(a.explanation)) all += line["label"].get<std::string>() + ":" +
                                                                          line["text"].get<std::string>() + "\n";
    return all;
  }

  AssessmentRun annual(int chunk = 10000) {
    AnnualRunOptions o;
    o.fiscal_year = 2026;
    o.actor = "tester";
    o.chunk = chunk;
    auto run = run_annual_assessment(*db_, clock_, tables_, o);
    EXPECT_TRUE(run) << run.error().message;
    return run ? *run : AssessmentRun{};
  }

  // An elderly couple: P1 (76) and P2 (74), both on small pensions.
  void couple(bool spouse_taxed) {
    add_person("P1", "1950-05-10", "H1", "世帯主");
    add_person("P2", "1952-02-20", "H1", "妻");
    add_tax("P1", false, 0, 700000, 0);  // 課税年金収入 70万, 年金雑所得 0 (公的年金等控除 110万)
    add_tax("P2", spouse_taxed, spouse_taxed ? 2000000 : 0, 600000, 0);
    register_everyone();
  }

  std::unique_ptr<store::Database> db_;
  std::vector<PremiumTable> tables_;
  FixedClock clock_ = FixedClock::at(d("2026-11-24"));
};

}  // namespace kaigo::premium

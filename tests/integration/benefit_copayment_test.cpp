// 利用者負担割合 over a real database (SQLite and PostgreSQL): the yearly determination for
// 1 August with the 1/2/3割 boundaries of the rule file for a household of one and of two, category
// 2 always 1割, a resumed run, a re-run that writes nothing, a changed income that supersedes only
// the changed row, one recipient_event per new or changed rate, new recipients picked up from
// certification_event, a redetermination from a day, and the routes' read of a person's rates.
#include <map>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "benefit/copayment.hpp"
#include "benefit/income.hpp"
#include "core/clock.hpp"
#include "test_db.hpp"

namespace kaigo::benefit {
namespace {

constexpr int kYear = 2026;  // the period 2026-08-01 … 2027-07-31 reads income year 2025

class Copayment : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    auto loaded = load_benefit_rules(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/benefit");
    ASSERT_TRUE(loaded) << loaded.error().message;
    rules = std::move(*loaded);
    auto v = rules.on(Date(kYear, 8, 1));
    ASSERT_TRUE(v);
    t = (*v)->copayment;
  }

  void person(const std::string& id, const std::string& household, const std::string& birth = "1950-04-01") {
    ASSERT_TRUE(db->exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                         "ward_code, household_id, relation, registry_status, status_date, updated_at) VALUES "
                         "($1, '負担 太郎', 'フタン タロウ', $2, '1', '2910000', 'みどり市中央区本町1-1', '981', $3, "
                         "'世帯主', 'resident', NULL, '2026-01-01T00:00:00+09:00')",
                         {id, birth, household}));
  }
  void category(const std::string& id, const std::string& cat) {
    ASSERT_TRUE(db->exec("INSERT INTO eligibility_period (person_id, period_no, acquired_on, lost_on, category, "
                         "acquisition_reason, loss_reason, revision_id) VALUES ($1, 1, '2015-04-01', NULL, $2, 'turning_65', "
                         "NULL, 1)",
                         {id, cat}));
  }
  // A person's row of income year 2025 whose whole 合計所得 is pension (年金雑所得 = 合計所得, so
  // "pension + other income" is the pension revenue alone).
  void tax(const std::string& id, std::int64_t total, std::int64_t pension, bool taxed = true, int year = kYear - 1,
           const std::string& at = "2026-06-01T09:00:00+09:00") {
    ASSERT_TRUE(db->exec(
        "INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
        "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income, source, "
        "source_exchange_id, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $4, $3, 0, 0, $5, 0, 'tax_office', NULL, "
        "$6, 'test')",
        {id, std::int64_t{year}, total, pension, std::int64_t{taxed ? 1 : 0}, at}));
  }
  // A current certification from `from` (with its application, as the 認定 side writes them).
  void certified(const std::string& id, const std::string& from = "2026-04-01", const std::string& to = "2027-03-31",
                 bool event = false) {
    static int n = 0;
    const std::string no = "T" + std::to_string(++n) + id;
    ASSERT_TRUE(db->exec(
        "INSERT INTO certification_application (application_no, person_id, insured_no, kind, category, applied_on, "
        "deadline_on, place, applicant_relation, status, created_at, created_by, updated_at) VALUES ($1, $2, '0000000000', "
        "'new', '1', '2026-03-01', '2026-03-31', 'home', '本人', 'decided', 'x', 'test', 'x')",
        {no, id}));
    ASSERT_TRUE(db->exec(
        "INSERT INTO care_certification (person_id, application_id, care_level, valid_from, valid_to, certified_on, "
        "monthly_cap_units, status, recorded_at) SELECT $1, application_id, '21', $2, $3, $2, 16765, 'current', 'x' "
        "FROM certification_application WHERE application_no = $4",
        {id, from, to, no}));
    if (event) {
      ASSERT_TRUE(db->exec("INSERT INTO certification_event (person_id, certification_id, kind, created_at) SELECT $1, "
                           "certification_id, 'granted', 'x' FROM care_certification WHERE person_id = $1 AND valid_from = $2",
                           {id, from}));
    }
  }

  std::int64_t count(const std::string& sql, const store::Params& p = {}) {
    auto r = db->query(sql, p);
    EXPECT_TRUE(r) << r.error().message;
    return r && !r->empty() ? r->front().i64(0) : -1;
  }
  CopaymentRunReport run(std::optional<int> chunks = std::nullopt) {
    CopaymentService s(*db, clock, rules);
    auto r = s.run_yearly(kYear, "tester", chunks);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : CopaymentRunReport{};
  }
  std::optional<CopaymentRate> rate_on(const std::string& id, Date d) {
    CopaymentService s(*db, clock, rules);
    auto r = s.in_force(id, d);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::nullopt;
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 7, 20));
  BenefitRules rules;
  CopaymentThresholds t;
};

TEST_P(Copayment, YearlyRateBoundariesForHouseholdsOfOneAndTwo) {
  // Household of one: exactly at the 3割 figures; one yen below the 3割 sum → 2割; at the 2割
  // figures; one yen below the 2割 total income → 1割.
  person("0000000001", "H1");
  tax("0000000001", t.rate3_total_income, t.rate3_single);
  person("0000000002", "H2");
  tax("0000000002", t.rate3_total_income, t.rate3_single - 1);
  person("0000000003", "H3");
  tax("0000000003", t.rate2_total_income, t.rate2_single);
  person("0000000004", "H4");
  tax("0000000004", t.rate2_total_income - 1, t.rate3_single);
  // Household of two (both 65+): the multi figures count the pair's sum.
  person("0000000005", "H5");
  person("0000000006", "H5");
  tax("0000000005", t.rate3_total_income, t.rate3_multi - 1000000);
  tax("0000000006", 0, 1000000, false);
  // Same pair figures one yen short of the 3割 multi sum → 2割 (the pair sum ≥ rate2_multi).
  person("0000000007", "H7");
  person("0000000008", "H7");
  tax("0000000007", t.rate3_total_income, t.rate3_multi - 1000001);
  tax("0000000008", 0, 1000000, false);
  // Category 2 (a 64-year-old) with a 3割 income: always 1割.
  person("0000000009", "H9", "1962-09-01");
  category("0000000009", "2");
  tax("0000000009", t.rate3_total_income * 3, t.rate3_single * 3);
  for (int i = 1; i <= 9; ++i) certified(fmt::format("{:010}", i));

  auto r = run();
  EXPECT_EQ(r.status, "done");
  EXPECT_EQ(r.persons, 9);
  EXPECT_EQ(r.written, 9);
  const std::map<std::string, int> want = {{"0000000001", 3}, {"0000000002", 2}, {"0000000003", 2},
                                           {"0000000004", 1}, {"0000000005", 3}, {"0000000007", 2},
                                           {"0000000009", 1}};
  for (const auto& [id, rate] : want) {
    auto got = rate_on(id, Date(kYear, 8, 1));
    ASSERT_TRUE(got) << id;
    EXPECT_EQ(got->rate, rate) << id << " " << got->explanation;
    EXPECT_EQ(got->reason, "yearly");
    EXPECT_EQ(got->tax_year, kYear - 1);
    EXPECT_EQ(got->valid_to, "2027-07-31");
    auto j = nlohmann::json::parse(got->explanation);
    EXPECT_FALSE(j["decision"].get<std::string>().empty());
    EXPECT_FALSE(j["facts"].empty());
  }
  // The pair's explanation counts two 第1号被保険者 and names both tax rows.
  auto pair = nlohmann::json::parse(rate_on("0000000005", Date(kYear, 8, 1))->explanation);
  EXPECT_EQ(pair["household_category_1_count"], 2);
  EXPECT_EQ(pair["household_pension_and_other"], t.rate3_multi);
  // One recipient_event per written rate.
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_event WHERE kind = 'copayment_rate'"), 9);
}

TEST_P(Copayment, RunIsResumableAndARerunWritesOnlyChangedRates) {
  // More persons than a chunk, so a stop after one chunk leaves work to resume.
  const int n = 1005;
  ASSERT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
    for (int i = 1; i <= n; ++i) {
      const std::string id = fmt::format("{:010}", i);
      auto p = c.exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                      "ward_code, household_id, relation, registry_status, status_date, updated_at) VALUES ($1, '負担 一郎', "
                      "'フタン イチロウ', '1950-04-01', '1', '2910000', 'x', '981', $1, '世帯主', 'resident', NULL, 'x')",
                      {id});
      if (!p) return std::unexpected(p.error());
      auto a = c.exec("INSERT INTO certification_application (application_no, person_id, insured_no, kind, category, "
                      "applied_on, deadline_on, place, applicant_relation, status, created_at, created_by, updated_at) "
                      "VALUES ($1, $1, '0', 'new', '1', '2026-03-01', '2026-03-31', 'home', '本人', 'decided', 'x', 't', 'x')",
                      {id});
      if (!a) return std::unexpected(a.error());
      auto cc = c.exec("INSERT INTO care_certification (person_id, application_id, care_level, valid_from, valid_to, "
                       "certified_on, monthly_cap_units, status, recorded_at) SELECT $1, application_id, '21', "
                       "'2026-04-01', '2027-03-31', '2026-04-01', 16765, 'current', 'x' FROM certification_application "
                       "WHERE application_no = $1",
                       {id});
      if (!cc) return std::unexpected(cc.error());
    }
    return {};
  }));
  tax("0000000001", t.rate3_total_income, t.rate3_single);

  auto first = run(1);
  EXPECT_EQ(first.status, "running");
  EXPECT_EQ(first.persons, 1000);
  auto rest = run();
  EXPECT_EQ(rest.status, "done");
  EXPECT_EQ(rest.persons, n);
  EXPECT_EQ(rest.written, 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM copayment_rate WHERE status = 'current'"), n);
  // Most persons have no tax row: their rate is provisional and names the missing fact.
  auto missing = nlohmann::json::parse(rate_on("0000000002", Date(kYear, 8, 1))->explanation);
  EXPECT_TRUE(missing["provisional"].get<bool>());
  EXPECT_EQ(missing["missing"][0]["ask_flow"], "KY-06");

  // The finished run answers its report again and writes nothing.
  auto again = run();
  EXPECT_EQ(again.status, "done");
  EXPECT_EQ(again.written, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_event"), n);

  // A redetermination after an income correction writes nothing when the rate stays, and ends the
  // old row the day before when it changes.
  CopaymentService s(*db, clock, rules);
  tax("0000000002", t.rate2_total_income, t.rate2_single, true, kYear - 1, "2026-09-01T09:00:00+09:00");
  auto same = s.redetermine("0000000001", Date(2026, 10, 1), "income_corrected", "tester");
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_FALSE(same->changed);
  auto changed = s.redetermine("0000000002", Date(2026, 10, 1), "income_corrected", "tester");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_TRUE(changed->changed);
  EXPECT_EQ(changed->rate.rate, 2);
  EXPECT_EQ(changed->rate.reason, "correction");
  EXPECT_EQ(changed->rate.valid_from, "2026-10-01");
  EXPECT_EQ(rate_on("0000000002", Date(2026, 9, 30))->rate, 1);
  EXPECT_EQ(rate_on("0000000002", Date(2026, 10, 1))->rate, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_event"), n + 1);
  auto bad = s.redetermine("0000000002", Date(2026, 10, 1), "because", "tester");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "reason");
}

TEST_P(Copayment, RedeterminationFromTheFirstDaySupersedesTheSamePeriodOnlyWhenTheRateChanged) {
  person("0000000001", "H1");
  tax("0000000001", t.rate2_total_income, t.rate2_single);
  person("0000000002", "H2");
  tax("0000000002", 0, 500000, false);
  certified("0000000001");
  certified("0000000002");
  ASSERT_EQ(run().written, 2);
  EXPECT_EQ(rate_on("0000000001", Date(kYear, 8, 1))->rate, 2);
  // The tax office's 更正 raises one income; both are redetermined from 1 August.
  tax("0000000001", t.rate3_total_income, t.rate3_single, true, kYear - 1, "2026-07-25T09:00:00+09:00");
  CopaymentService s(*db, clock, rules);
  auto one = s.redetermine("0000000001", Date(kYear, 8, 1), "income_corrected", "tester");
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_TRUE(one->changed);
  auto two = s.redetermine("0000000002", Date(kYear, 8, 1), "income_corrected", "tester");
  ASSERT_TRUE(two) << two.error().message;
  EXPECT_FALSE(two->changed);
  EXPECT_EQ(rate_on("0000000001", Date(kYear, 8, 1))->rate, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM copayment_rate WHERE person_id = '0000000001' AND status = 'superseded' "
                  "AND valid_from = '2026-08-01' AND valid_to = '2027-07-31'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM copayment_rate WHERE person_id = '0000000002'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_event"), 3);
}

TEST_P(Copayment, NewRecipientGetsARateFromItsCertificationOnce) {
  person("0000000001", "H1");
  tax("0000000001", t.rate2_total_income, t.rate2_single);
  certified("0000000001", "2026-11-15", "2027-11-30", true);
  // A renewal of someone who already holds a rate writes nothing.
  person("0000000002", "H2");
  tax("0000000002", 0, 500000, false);
  certified("0000000002");
  ASSERT_EQ(run().written, 1);  // 0000000001 is not certified on 1 August
  certified("0000000002", "2027-04-01", "2028-03-31", true);

  CopaymentService s(*db, clock, rules);
  auto n = s.pick_up_new_recipients("job");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 1);
  auto r = rate_on("0000000001", Date(2026, 11, 15));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason, "new_recipient");
  EXPECT_EQ(r->rate, 2);
  EXPECT_EQ(r->valid_from, "2026-11-15");
  EXPECT_EQ(r->valid_to, "2027-07-31");
  EXPECT_FALSE(rate_on("0000000001", Date(2026, 11, 14)));
  // The cursor moved: running again writes nothing.
  auto again = s.pick_up_new_recipients("job");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_event WHERE person_id = '0000000001'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Db, Copayment, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::benefit

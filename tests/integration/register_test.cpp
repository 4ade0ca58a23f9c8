// The insured register over a real database (SQLite and PostgreSQL): facts in, periods derived,
// revisions and events out, numbers issued once.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "eligibility/register.hpp"
#include "test_db.hpp"

namespace kaigo::eligibility {
namespace {

using testing::backend_name;
using testing::backends;

Date d(const char* iso) { return *Date::parse(iso); }

class RegisterTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { db_ = testing::fresh_database(GetParam()); }

  void add_person(const std::string& id, const std::string& birth) {
    ASSERT_TRUE(db_->exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                          "ward_code, household_id, relation, registry_status, status_date, updated_at) VALUES "
                          "($1, '試験 太郎', 'シケン タロウ', $2, '1', '9810000', 'みどり市中央1-1', '981', 'H1', '世帯主', "
                          "'resident', NULL, '2026-01-01T00:00:00+09:00')",
                          {id, birth}));
  }

  ChangeSource source(const std::string& cause = "試験") { return ChangeSource{"staff", std::nullopt, std::nullopt, "tester", cause}; }

  template <typename Fn>
  auto in_tx(Fn&& fn) {
    std::invoke_result_t<Fn, store::Connection&> out = fail(ErrorKind::internal, "not run");
    auto tx = db_->transaction([&](store::Connection& c) -> Result<void> {
      out = fn(c);
      if (!out) return std::unexpected(out.error());
      return {};
    });
    (void)tx;
    return out;
  }

  Result<RegisterOutcome> fact(const std::string& person, AddressFactKind kind, const char* on,
                               std::optional<Date> new_address_on = std::nullopt) {
    return in_tx([&](store::Connection& c) {
      return record_address_fact(c, clock_, person, AddressFact{kind, d(on), new_address_on, ""}, source());
    });
  }

  RegisterView view(const std::string& person) {
    RegisterView v;
    EXPECT_TRUE(db_->with_connection([&](store::Connection& c) -> Result<void> {
      auto r = load_register(c, person);
      if (!r) return std::unexpected(r.error());
      v = **r;
      return {};
    }));
    return v;
  }

  std::unique_ptr<store::Database> db_;
  FixedClock clock_ = FixedClock::at(d("2026-11-24"));
};

TEST_P(RegisterTest, MoveInOfA70YearOldMakesCategory1AndIssuesOneNumber) {
  add_person("P1", "1956-03-10");
  auto out = fact("P1", AddressFactKind::move_in, "2026-04-01");
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->periods.size(), 1u);
  EXPECT_EQ(out->periods[0].acquired_on, d("2026-04-01"));
  EXPECT_EQ(out->periods[0].category, InsuredCategory::category_1);
  EXPECT_EQ(out->periods[0].acquisition_reason, AcquisitionReason::move_in);
  ASSERT_TRUE(out->revision_id);
  EXPECT_EQ(out->issued_insured_no, "1000000001");

  auto v = view("P1");
  EXPECT_EQ(v.insured_no, "1000000001");
  ASSERT_EQ(v.revisions.size(), 1u);
  EXPECT_EQ(v.revisions[0].cause, "試験");
  EXPECT_EQ(v.revisions[0].earliest_change_on, "2026-04-01");
  EXPECT_EQ(nlohmann::json::parse(v.revisions[0].changes_json)[0]["kind"], "added");

  // Re-deriving with nothing new writes nothing and issues no second number.
  auto again = in_tx([&](store::Connection& c) { return rederive(c, clock_, "P1", source()); });
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->revision_id);
  EXPECT_FALSE(again->issued_insured_no);
  EXPECT_EQ(view("P1").revisions.size(), 1u);
}

TEST_P(RegisterTest, RetroactiveMoveOutChangesThePeriodAndPublishesOneEvent) {
  add_person("P1", "1950-01-15");
  ASSERT_TRUE(fact("P1", AddressFactKind::move_in, "2020-05-01"));
  // A domestic move reported late: the new city's 転入日 is the loss date (法11条ただし書).
  auto out = fact("P1", AddressFactKind::move_out, "2026-06-30", d("2026-07-01"));
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->changes.size(), 1u);
  EXPECT_EQ(out->changes[0].kind, PeriodChangeKind::changed);
  EXPECT_EQ(out->periods[0].lost_on, d("2026-07-01"));
  EXPECT_EQ(out->periods[0].loss_reason, LossReason::move_out_domestic);
  EXPECT_EQ(view("P1").revisions.front().earliest_change_on, "2026-07-01");

  Result<std::vector<EligibilityEvent>> events = fail(ErrorKind::internal, "");
  ASSERT_TRUE(db_->with_connection([&](store::Connection& c) -> Result<void> {
    events = events_after_cursor(c, "premium", 100);
    return {};
  }));
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].effective_from, "2026-07-01");
  ASSERT_TRUE(db_->transaction([&](store::Connection& c) { return advance_cursor(c, "premium", (*events)[1].event_id); }));
  ASSERT_TRUE(db_->with_connection([&](store::Connection& c) -> Result<void> {
    events = events_after_cursor(c, "premium", 100);
    return {};
  }));
  EXPECT_TRUE(events->empty());
  // A cursor never goes back.
  EXPECT_FALSE(db_->transaction([&](store::Connection& c) { return advance_cursor(c, "premium", 0); }));
}

TEST_P(RegisterTest, CancellingAFactRestoresThePeriod) {
  add_person("P1", "1950-01-15");
  ASSERT_TRUE(fact("P1", AddressFactKind::move_in, "2020-05-01"));
  ASSERT_TRUE(fact("P1", AddressFactKind::emigration, "2026-08-10"));
  auto v = view("P1");
  ASSERT_EQ(v.periods[0].lost_on, d("2026-08-11"));  // emigration: the next day
  auto out = in_tx([&](store::Connection& c) {
    return cancel_address_fact(c, clock_, "P1", v.facts.back().fact_id, "届出の取消", source("職権修正"));
  });
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_FALSE(out->periods[0].lost_on);
  v = view("P1");
  ASSERT_EQ(v.facts.size(), 2u);
  EXPECT_EQ(v.facts.back().cancel_reason, "届出の取消");
  // Twice is a conflict, and nothing changes.
  auto twice = in_tx([&](store::Connection& c) {
    return cancel_address_fact(c, clock_, "P1", v.facts.back().fact_id, "again", source());
  });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
}

TEST_P(RegisterTest, Category2FollowsMedicalInsuranceAndBecomesCategory1At65) {
  add_person("P2", "1970-06-02");  // 40 on 2010-06-01, 65 on 2035-06-01
  ASSERT_TRUE(fact("P2", AddressFactKind::move_in, "2000-04-01"));
  EXPECT_TRUE(view("P2").periods.empty());  // no medical insurance: not category 2 (法9条2号); 65 is years away
  auto gained = in_tx([&](store::Connection& c) {
    return record_medical_insurance_gained(c, clock_, "P2", MedicalInsuranceGain{"kokuho", "149800", d("2001-01-01")}, source());
  });
  ASSERT_TRUE(gained) << gained.error().message;
  // The register knows up to its horizon (the end of January 2027): one open category-2 period.
  ASSERT_EQ(gained->periods.size(), 1u);
  EXPECT_EQ(gained->periods[0].acquired_on, d("2010-06-01"));
  EXPECT_EQ(gained->periods[0].category, InsuredCategory::category_2);
  EXPECT_EQ(gained->periods[0].acquisition_reason, AcquisitionReason::reaching_40_with_medical_insurance);
  EXPECT_FALSE(gained->periods[0].lost_on);

  auto lost = in_tx([&](store::Connection& c) { return record_medical_insurance_lost(c, clock_, "P2", d("2026-10-01"), source()); });
  ASSERT_TRUE(lost) << lost.error().message;
  ASSERT_EQ(lost->periods.size(), 1u);
  EXPECT_EQ(lost->periods[0].lost_on, d("2026-10-01"));  // 法11条2項: that day
  EXPECT_EQ(lost->periods[0].loss_reason, LossReason::medical_insurance_lost);

  // Years later the horizon reaches the 65th birthday: 第1号 by age (10条4号), not a category change.
  FixedClock later = FixedClock::at(d("2035-05-15"));
  auto at_65 = in_tx([&](store::Connection& c) { return rederive(c, later, "P2", source("年齢到達")); });
  ASSERT_TRUE(at_65) << at_65.error().message;
  ASSERT_EQ(at_65->periods.size(), 2u);
  EXPECT_EQ(at_65->periods[1].acquired_on, d("2035-06-01"));
  EXPECT_EQ(at_65->periods[1].acquisition_reason, AcquisitionReason::reaching_65);

  auto no_open = in_tx([&](store::Connection& c) { return record_medical_insurance_lost(c, clock_, "P2", d("2026-11-01"), source()); });
  ASSERT_FALSE(no_open);
  EXPECT_EQ(no_open.error().kind, ErrorKind::conflict);
}

TEST_P(RegisterTest, FormerAddressRuleAndExemptionBothWays) {
  add_person("P3", "1940-02-01");
  ASSERT_TRUE(fact("P3", AddressFactKind::move_in, "2026-01-10"));
  // Another city's insured moved into a 特養 here: that city insures them (法13条).
  FormerAddressRule theirs{0, "P3", FormerAddressDirection::theirs_living_here, FacilityKind::special_nursing_home,
                           "特養みどり苑", "149802", "131016", d("2026-01-10"), std::nullopt, "", "", ""};
  auto started = in_tx([&](store::Connection& c) { return start_former_address_rule(c, clock_, theirs, source()); });
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_TRUE(started->second.periods.empty());
  auto ended = in_tx([&](store::Connection& c) {
    return end_former_address_rule(c, clock_, started->first, d("2026-09-01"), source());
  });
  ASSERT_TRUE(ended) << ended.error().message;
  ASSERT_EQ(ended->periods.size(), 1u);
  EXPECT_EQ(ended->periods[0].acquisition_reason, AcquisitionReason::former_address_rule_ended);

  // A グループホーム is not a 住所地特例対象施設.
  theirs.facility_kind = FacilityKind::dementia_group_home;
  auto refused = in_tx([&](store::Connection& c) { return start_former_address_rule(c, clock_, theirs, source()); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "facility_kind");

  Exemption stay{0, "P3", "disability_support_facility", "みどり更生園", d("2026-10-05"), std::nullopt, "", "", ""};
  auto exempt = in_tx([&](store::Connection& c) { return start_exemption(c, clock_, stay, source()); });
  ASSERT_TRUE(exempt) << exempt.error().message;
  EXPECT_EQ(exempt->second.periods.back().lost_on, d("2026-10-06"));
  EXPECT_EQ(exempt->second.periods.back().loss_reason, LossReason::entered_exempt_facility);

  std::vector<Exemption> open;
  std::vector<FormerAddressRule> rules;
  ASSERT_TRUE(db_->with_connection([&](store::Connection& c) -> Result<void> {
    open = *list_exemptions(c, d("2026-11-24"), 50, 0);
    rules = *list_former_address_rules(c, FormerAddressDirection::theirs_living_here, std::nullopt, 50, 0);
    return {};
  }));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].facility_name, "みどり更生園");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].ended_on, d("2026-09-01"));
}

TEST_P(RegisterTest, FactsAfterDeathAreRefused) {
  add_person("P4", "1935-05-05");
  ASSERT_TRUE(fact("P4", AddressFactKind::move_in, "1990-01-01"));
  auto death = fact("P4", AddressFactKind::death, "2026-03-03");
  ASSERT_TRUE(death);
  EXPECT_EQ(death->periods[0].lost_on, d("2026-03-04"));
  auto late = fact("P4", AddressFactKind::move_out, "2026-05-01");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().field, "on");
  auto second = fact("P4", AddressFactKind::death, "2026-03-03");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::conflict);
  auto unknown = fact("NOBODY", AddressFactKind::move_in, "2026-01-01");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
}

TEST_P(RegisterTest, RebuildIsChunkedAndIdempotent) {
  for (int i = 0; i < 25; ++i) {
    const std::string id = "R" + std::to_string(100 + i);
    add_person(id, i % 2 ? "1950-01-01" : "1990-01-01");  // half are 65+, half 36 (never insured)
    ASSERT_TRUE(db_->exec("INSERT INTO eligibility_fact (person_id, kind, on_date, source, recorded_at, recorded_by) "
                          "VALUES ($1, 'move_in', '2000-01-01', 'synthetic_city', 'now', 'test')",
                          {id}));
  }
  auto first = rebuild(*db_, clock_, ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "test", "初期登録"}, "", "", 10);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->persons, 25);
  EXPECT_EQ(first->changed, 12);
  EXPECT_EQ(first->numbers_issued, 12);
  auto second = rebuild(*db_, clock_, ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "test", "再計算"}, "", "", 10);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->persons, 25);
  EXPECT_EQ(second->changed, 0);
  EXPECT_EQ(second->numbers_issued, 0);
  auto numbers = db_->query("SELECT COUNT(DISTINCT insured_no), MIN(insured_no), MAX(insured_no) FROM insured_number");
  ASSERT_TRUE(numbers);
  EXPECT_EQ(numbers->front().i64(0), 12);
  EXPECT_EQ(numbers->front().str(1), "1000000001");
  EXPECT_EQ(numbers->front().str(2), "1000000012");
}

TEST_P(RegisterTest, IssuedNumbersSkipABlockAlreadyTaken) {
  add_person("P5", "1940-01-01");
  add_person("P6", "1941-01-01");
  // A number migrated from the former system sits where the sequence would go next.
  ASSERT_TRUE(db_->exec("INSERT INTO insured_number (insured_no, person_id, assigned_on) VALUES ('1000000001', 'P6', '2005-01-01')"));
  auto out = fact("P5", AddressFactKind::move_in, "2026-01-01");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->issued_insured_no, "1000000002");
}

INSTANTIATE_TEST_SUITE_P(Db, RegisterTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::eligibility

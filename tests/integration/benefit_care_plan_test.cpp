// KY-01 care-plan notifications (register, refuse, replace, cancel), 給付制限, and KY-02 the
// care-plan changes to welfare and committee support, over SQLite and PostgreSQL.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "benefit/care_plan.hpp"
#include "benefit/care_plan_provision.hpp"
#include "benefit/restriction.hpp"
#include "benefit_recipient_fixture.hpp"

namespace kaigo {
namespace {

using certification::CareLevel;

class BenefitCarePlan : public testing::BenefitRecipientFixture {
 protected:
  Result<benefit::CarePlan> notify(const std::string& person, const std::string& kind, const std::string& office, Date from) {
    return benefit::register_care_plan(*db, clock, *benefit_config, person,
                                       {kind, office.empty() ? std::nullopt : std::optional<std::string>(office), clock.today(), from},
                                       "tester");
  }
};

TEST_P(BenefitCarePlan, KY_01_RegisterRefuseReplaceCancel) {
  person("1000001001", "計画 一郎");
  // No certification yet: refused.
  auto early = notify("1000001001", "home_care", kOffice, Date(2026, 11, 2));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().kind, ErrorKind::conflict);
  decide(apply("1000001001"), CareLevel::care_1, 6);  // 2026-11-02 … 2027-05-31

  auto wrong_level = notify("1000001001", "prevention", kPrevention, Date(2026, 11, 2));
  ASSERT_FALSE(wrong_level);
  EXPECT_EQ(wrong_level.error().kind, ErrorKind::conflict);
  EXPECT_EQ(wrong_level.error().field, "plan_kind");
  auto unknown = notify("1000001001", "home_care", "9999999999", Date(2026, 11, 2));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "office_no");
  auto not_planner = notify("1000001001", "home_care", kNoPlans, Date(2026, 11, 2));
  ASSERT_FALSE(not_planner);
  EXPECT_EQ(not_planner.error().field, "office_no");
  auto bad_kind = notify("1000001001", "facility", kOffice, Date(2026, 11, 2));
  ASSERT_FALSE(bad_kind);
  EXPECT_EQ(bad_kind.error().field, "plan_kind");
  person("1000001002", "未加入 花子");
  ASSERT_TRUE(db->exec("DELETE FROM eligibility_period WHERE person_id = '1000001002'"));
  auto uninsured = notify("1000001002", "self", "", Date(2026, 11, 2));
  ASSERT_FALSE(uninsured);
  EXPECT_EQ(uninsured.error().kind, ErrorKind::conflict);

  auto first = notify("1000001001", "home_care", kOffice, Date(2026, 11, 2));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->status, "current");
  set_day(Date(2027, 1, 10));
  auto second = notify("1000001001", "self", "", Date(2027, 1, 15));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(text("SELECT status FROM care_plan WHERE care_plan_id = $1", {first->care_plan_id}), "ended");
  EXPECT_EQ(text("SELECT valid_to FROM care_plan WHERE care_plan_id = $1", {first->care_plan_id}), "2027-01-14");
  // Same day again: refused until cancelled.
  auto again = notify("1000001001", "self", "", Date(2027, 1, 15));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);

  auto on = db->transaction([&](store::Connection& c) -> Result<void> {
    auto p = benefit::current_care_plan(c, "1000001001", Date(2027, 1, 1));
    EXPECT_TRUE(p && *p && (*p)->care_plan_id == first->care_plan_id);
    auto q = benefit::current_care_plan(c, "1000001001", Date(2027, 2, 1));
    EXPECT_TRUE(q && *q && (*q)->care_plan_id == second->care_plan_id);
    return {};
  });
  ASSERT_TRUE(on);

  const std::string recorder = second->recorded_by;
  auto cancelled = benefit::cancel_care_plan(*db, clock, second->care_plan_id, "canceller");
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, "cancelled");
  // Who recorded it stays; who cancelled it, and when, beside it.
  EXPECT_EQ(cancelled->recorded_by, recorder);
  EXPECT_EQ(cancelled->changed_by, "canceller");
  EXPECT_EQ(cancelled->changed_at, clock.timestamp());
  EXPECT_EQ(text("SELECT status FROM care_plan WHERE care_plan_id = $1", {first->care_plan_id}), "current");
  EXPECT_EQ(count("SELECT COUNT(*) FROM care_plan WHERE care_plan_id = $1 AND valid_to IS NULL", {first->care_plan_id}), 1);
  // register, end+register, cancel+reopen: five events, all under the writers' lock.
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_event WHERE kind = 'care_plan' AND person_id = '1000001001'"), 5);
  EXPECT_GE(count("SELECT next_value FROM number_sequence WHERE name = 'recipient_event_lock'"), 5);
}

TEST_P(BenefitCarePlan, KY_02_CarePlansToWelfareAndCommitteeOnce) {
  person("1000001101", "提供 一郎");
  auto nothing = benefit::send_care_plans(*db, clock);
  ASSERT_TRUE(nothing);
  EXPECT_FALSE(nothing->fukushi_exchange_id);
  decide(apply("1000001101"), CareLevel::support_2, 6);
  auto plan = notify("1000001101", "prevention", kPrevention, Date(2026, 11, 2));
  ASSERT_TRUE(plan) << plan.error().message;
  // A restriction event is passed over by KY-02 (it reads care-plan events only).
  ASSERT_TRUE(benefit::register_restriction(*db, clock, "1000001101",
                                            {"reimbursement_only", Date(2026, 11, 2), std::nullopt, clock.today(), "保険料滞納 1年以上"},
                                            "tester"));
  auto sent = benefit::send_care_plans(*db, clock);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->events, 2);
  EXPECT_EQ(sent->rows, 1);
  ASSERT_TRUE(sent->fukushi_exchange_id);
  ASSERT_TRUE(sent->shinsa_exchange_id);
  EXPECT_EQ(text("SELECT counterpart FROM exchange WHERE exchange_id = $1", {*sent->fukushi_exchange_id}), "fukushi");
  EXPECT_EQ(text("SELECT counterpart FROM exchange WHERE exchange_id = $1", {*sent->shinsa_exchange_id}), "shinsa");
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'KY-02'"), count("SELECT MAX(event_id) FROM recipient_event"));
  const std::string payload = text("SELECT payload FROM exchange WHERE exchange_id = $1", {*sent->shinsa_exchange_id});
  EXPECT_EQ(payload, text("SELECT payload FROM exchange WHERE exchange_id = $1", {*sent->fukushi_exchange_id}));
  const std::string insured = text("SELECT insured_no FROM insured_number WHERE person_id = '1000001101'");
  const std::string row = fmt::format("{},1000001101,{},{},2,介護予防支援事業所,{},20261102,20261102,,current,適用中\r\n",
                                      count("SELECT MAX(event_id) FROM recipient_event WHERE kind = 'care_plan'"), insured,
                                      plan->care_plan_id, kPrevention);
  EXPECT_EQ(payload.substr(0, payload.find("\r\n") + 2),
            "事象番号,宛名番号,被保険者番号,届出番号,計画作成区分,計画作成区分名称,事業所番号,届出年月日,適用開始年月日,"
            "適用終了年月日,届出状態,届出状態名称\r\n");
  EXPECT_NE(payload.find(row), std::string::npos) << payload;

  auto again = benefit::send_care_plans(*db, clock);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->fukushi_exchange_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-02'"), 2);
}

TEST_P(BenefitCarePlan, BenefitRestriction_RegisterOverlapEnd) {
  person("1000001201", "制限 一郎");
  auto bad = benefit::register_restriction(*db, clock, "1000001201", {"fine", Date(2026, 11, 1), std::nullopt, clock.today(), "x"}, "t");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "kind");
  auto r = benefit::register_restriction(*db, clock, "1000001201",
                                         {"payment_suspended", Date(2026, 11, 1), std::nullopt, clock.today(), "保険料滞納 1年6月以上"},
                                         "tester");
  ASSERT_TRUE(r) << r.error().message;
  auto overlap = benefit::register_restriction(*db, clock, "1000001201",
                                               {"payment_suspended", Date(2026, 12, 1), std::nullopt, clock.today(), "再"}, "tester");
  ASSERT_FALSE(overlap);
  EXPECT_EQ(overlap.error().kind, ErrorKind::conflict);
  auto ended = benefit::end_restriction(*db, clock, r->restriction_id, Date(2026, 12, 31), "ender");
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(ended->status, "ended");
  EXPECT_EQ(ended->recorded_by, "tester");
  EXPECT_EQ(ended->changed_by, "ender");
  EXPECT_EQ(ended->changed_at, clock.timestamp());
  EXPECT_EQ(ended->valid_to->iso(), "2026-12-31");
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_event WHERE kind = 'benefit_restriction' AND ref_id = $1", {r->restriction_id}), 2);
}

INSTANTIATE_TEST_SUITE_P(Db, BenefitCarePlan, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo

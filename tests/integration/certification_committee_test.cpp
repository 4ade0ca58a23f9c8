// 認定 committee end to end (NT-11, NT-12), SQLite and PostgreSQL: sessions and their cases, the
// NT-11 document sent, NT-12 decisions through the inbox into decisions, certifications (validity
// and cap), deferred cases, attendance and fees; every bad decision document refused whole with its
// path and nothing written; a renewal superseding the previous certification; replays changing
// nothing.
#include "certification/certification_decision.hpp"
#include "certification_workflow_fixture.hpp"

namespace kaigo::testing {
namespace {

using linkage::InboundOutcome;
using nlohmann::json;

class CertificationCommitteeTest : public CertificationWorkflowFixture {
 protected:
  std::string footprint() {
    return fmt::format(
        "decisions {} certs {} events {} fees {} statuses {} sessions {} attended {} outcomes {}",
        count("SELECT COUNT(*) FROM certification_decision"), count("SELECT COUNT(*) FROM care_certification"),
        count("SELECT COUNT(*) FROM certification_event"), count("SELECT COUNT(*) FROM certification_fee WHERE flow_id = 'NT-15'"),
        text("SELECT COALESCE(MAX(status), '') || COUNT(*) FROM certification_application WHERE status = 'scheduled'"),
        count("SELECT COUNT(*) FROM committee_session WHERE status = 'decided'"),
        count("SELECT COUNT(*) FROM committee_session_member WHERE attended IS NOT NULL"),
        count("SELECT COUNT(*) FROM committee_case WHERE outcome IS NOT NULL"));
  }
  std::int64_t ready_application(const std::string& id, const std::string& minutes = "45.3", bool cognitive = true) {
    person(id, "1944-03-01");
    const auto app = new_application(id);
    make_ready(app, minutes, cognitive);
    return app;
  }
};

TEST_P(CertificationCommitteeTest, NT_11_SessionRequestSchedulesItsCases) {
  const auto app1 = ready_application("1000000001", "45.3", true);   // care_1
  const auto app2 = ready_application("1000000002", "72.5", false);  // care_3
  person("1000000003", "1944-03-01");
  const auto not_ready = new_application("1000000003");
  today(Date(2026, 11, 13));

  auto s = committee->create_session({"第1合議体", Date(2026, 11, 20), {{"M01", "chair"}, {"M02", "member"}, {"M06", "member"}}}, "staff1");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->session_no, "S20261120-1");
  EXPECT_EQ(s->status, "planned");
  ASSERT_EQ(s->members.size(), 3u);
  EXPECT_EQ(s->members[0].role, "chair");
  EXPECT_EQ(s->members[0].profession, "医師");
  EXPECT_EQ(count("SELECT COUNT(*) FROM committee_member"), static_cast<std::int64_t>(config->members.size()));

  // Only ready applications, once.
  auto refused = committee->add_cases(s->session_id, {app1, not_ready}, "staff1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::conflict);
  EXPECT_EQ(refused.error().field, "application_ids[1]");
  EXPECT_EQ(count("SELECT COUNT(*) FROM committee_case"), 0);
  auto with_cases = committee->add_cases(s->session_id, {app1, app2, app1}, "staff1");
  ASSERT_TRUE(with_cases) << with_cases.error().message;
  ASSERT_EQ(with_cases->cases.size(), 2u);
  EXPECT_EQ(with_cases->cases[0].case_order, 1);
  EXPECT_EQ(with_cases->cases[1].first_stage_level, "care_3");
  // Each application in one open session at a time.
  auto other = session(Date(2026, 11, 27), {});
  auto twice = committee->add_cases(other, {app1}, "staff1");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);

  auto requested = committee->request(s->session_id, "staff1");
  ASSERT_TRUE(requested) << requested.error().message;
  EXPECT_EQ(requested->status, "requested");
  EXPECT_EQ(status(app1), "scheduled");
  EXPECT_EQ(status(app2), "scheduled");
  EXPECT_EQ(text("SELECT scheduled_on FROM certification_application WHERE application_id = $1", {app1}), "2026-11-13");
  ASSERT_TRUE(requested->request_exchange_id);
  auto ex = db->query("SELECT flow_id, counterpart, payload FROM exchange WHERE exchange_id = $1", {*requested->request_exchange_id});
  ASSERT_TRUE(ex && ex->size() == 1);
  EXPECT_EQ(ex->front().str(0), "NT-11");
  EXPECT_EQ(ex->front().str(1), "shinsa");
  const json doc = json::parse(ex->front().str(2));
  EXPECT_EQ(doc["format"], "kaigo.shinsa.session_request/1");
  EXPECT_EQ(doc["session_no"], "S20261120-1");
  EXPECT_EQ(doc["held_on"], "2026-11-20");
  ASSERT_EQ(doc["members"].size(), 3u);
  ASSERT_EQ(doc["cases"].size(), 2u);
  EXPECT_EQ(doc["cases"][0]["application_no"], application_no(app1));
  EXPECT_EQ(doc["cases"][0]["first_stage_level"], "care_1");
  EXPECT_EQ(doc["cases"][0]["standard_minutes"], "45.3");
  auto version = config->rules.on(Date(2026, 11, 2));
  ASSERT_TRUE(version);
  EXPECT_EQ(doc["cases"][0]["validity_default_months"], (*version)->new_or_change.default_months);
  EXPECT_EQ(doc["cases"][0]["validity_max_months"], (*version)->new_or_change.max_months);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1", {*requested->request_exchange_id}), 2);
  // Requested once: no second NT-11, no more cases.
  EXPECT_EQ(committee->request(s->session_id, "staff1").error().kind, ErrorKind::conflict);
  EXPECT_EQ(committee->add_cases(s->session_id, {app2}, "staff1").error().kind, ErrorKind::conflict);
  // A scheduled application takes no new request.
  EXPECT_EQ(workflow->request_assessment(app1, {"contractor", "C001", "", std::nullopt}, "staff1").error().kind, ErrorKind::conflict);
}

TEST_P(CertificationCommitteeTest, NT_11_BadSessionsAreRefused) {
  struct Case {
    const char* what;
    certification::SessionInput input;
    const char* field;
  };
  const Date day(2026, 11, 20);
  const Case cases[] = {
      {"two members", {"第1合議体", day, {{"M01", "chair"}, {"M02", "member"}}}, "members"},
      {"no chair", {"第1合議体", day, {{"M01", "member"}, {"M02", "member"}, {"M03", "member"}}}, "members"},
      {"two chairs", {"第1合議体", day, {{"M01", "chair"}, {"M02", "chair"}, {"M03", "member"}}}, "members"},
      {"unknown member", {"第1合議体", day, {{"M01", "chair"}, {"M99", "member"}, {"M03", "member"}}}, "members[1].member_code"},
      {"member twice", {"第1合議体", day, {{"M01", "chair"}, {"M02", "member"}, {"M02", "member"}}}, "members[2].member_code"},
      {"bad role", {"第1合議体", day, {{"M01", "chair"}, {"M02", "secretary"}, {"M03", "member"}}}, "members[1].role"},
      {"no panel", {"", day, {{"M01", "chair"}, {"M02", "member"}, {"M03", "member"}}}, "panel"},
      {"in the past", {"第1合議体", Date(2026, 11, 1), {{"M01", "chair"}, {"M02", "member"}, {"M03", "member"}}}, "held_on"},
  };
  for (const auto& c : cases) {
    auto r = committee->create_session(c.input, "staff1");
    ASSERT_FALSE(r) << c.what;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << c.what;
    EXPECT_EQ(r.error().field, c.field) << c.what;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM committee_session"), 0);
  const auto empty = session(Date(2026, 11, 20), {});
  EXPECT_EQ(committee->request(empty, "staff1").error().kind, ErrorKind::conflict);  // no cases
}

TEST_P(CertificationCommitteeTest, NT_12_DecisionsThroughTheInboxGrantDeferAndPayOnce) {
  const auto app1 = ready_application("1000000001", "45.3", true);    // care_1
  const auto app2 = ready_application("1000000002", "20.0", false);   // none
  const auto app3 = ready_application("1000000003", "60.0", false);   // care_2
  const auto s = session(Date(2026, 11, 20), {app1, app2, app3});
  today(Date(2026, 11, 20));
  auto r = decide(s, {decided(app1, "care_1", 6, "通所リハビリテーションの利用が望ましい"), decided(app2, "none", nullptr), deferred(app3)},
                  json{"M01", "M06"});
  ASSERT_EQ(r.outcome, InboundOutcome::applied) << r.reason;
  // The NT-11 it answers is applied with it.
  EXPECT_EQ(text("SELECT e.status FROM committee_session s JOIN exchange e ON e.exchange_id = s.request_exchange_id "
                 "WHERE s.session_id = $1",
                 {s}),
            "applied");

  // app1: decided, certified 2026-11-02 … 2027-05-31 (施行規則38条: 6 months after the month of
  // application), the cap of 要介護１.
  EXPECT_EQ(status(app1), "decided");
  EXPECT_EQ(text("SELECT decided_on FROM certification_application WHERE application_id = $1", {app1}), "2026-11-20");
  auto d = db->query(
      "SELECT care_level, first_stage_level, validity_months, valid_from, valid_to, remarks, session_id, source_exchange_id "
      "FROM certification_decision WHERE application_id = $1",
      {app1});
  ASSERT_TRUE(d && d->size() == 1);
  EXPECT_EQ(d->front().str(0), "care_1");
  EXPECT_EQ(d->front().str(1), "care_1");
  EXPECT_EQ(d->front().i64(2), 6);
  EXPECT_EQ(d->front().str(3), "2026-11-02");
  EXPECT_EQ(d->front().str(4), "2027-05-31");
  EXPECT_EQ(d->front().str(5), "通所リハビリテーションの利用が望ましい");
  EXPECT_EQ(d->front().i64(6), s);
  EXPECT_EQ(d->front().i64(7), r.exchange_id);
  auto cert = db->query(
      "SELECT care_level, valid_from, valid_to, certified_on, monthly_cap_units, status FROM care_certification WHERE application_id = $1",
      {app1});
  ASSERT_TRUE(cert && cert->size() == 1);
  EXPECT_EQ(cert->front().str(2), "2027-05-31");
  EXPECT_EQ(cert->front().str(3), "2026-11-20");
  auto version = config->rules.on(Date(2026, 11, 2));
  ASSERT_TRUE(version);
  EXPECT_EQ(cert->front().i64(4), *certification::monthly_cap_units(**version, certification::CareLevel::care_1));
  EXPECT_EQ(cert->front().str(5), "current");
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_event WHERE kind = 'granted'"), 1);

  // app2: 非該当 — decided, no certification.
  EXPECT_EQ(status(app2), "decided");
  EXPECT_EQ(count("SELECT COUNT(*) FROM care_certification WHERE application_id = $1", {app2}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_decision WHERE application_id = $1 AND valid_from IS NULL", {app2}), 1);

  // app3: deferred (再審査), back to ready, its case marked.
  EXPECT_EQ(status(app3), "ready");
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_application WHERE application_id = $1 AND scheduled_on IS NULL", {app3}), 1);
  EXPECT_EQ(text("SELECT outcome FROM committee_case WHERE session_id = $1 AND application_id = $2", {s, app3}), "deferred");
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_decision WHERE application_id = $1", {app3}), 0);

  // Attendance and NT-15 fees: the chair and M06 sat, M02 did not.
  EXPECT_EQ(count("SELECT COUNT(*) FROM committee_session_member WHERE session_id = $1 AND attended = 1", {s}), 2);
  EXPECT_EQ(count("SELECT attended FROM committee_session_member WHERE session_id = $1 AND member_code = 'M02'", {s}), 0);
  auto fees = db->query("SELECT basis_key, fee_kind, amount, payee_code FROM certification_fee WHERE flow_id = 'NT-15' ORDER BY basis_key");
  ASSERT_TRUE(fees && fees->size() == 2);
  EXPECT_EQ(fees->at(0).str(0), fmt::format("NT-15:session:{}:M01", s));
  EXPECT_EQ(fees->at(0).str(1), "committee.chair");
  EXPECT_EQ(fees->at(0).i64(2), fee_yen("committee.chair", Date(2026, 11, 20)));
  EXPECT_EQ(fees->at(0).str(3), config->member("M01")->payee_code);
  EXPECT_EQ(fees->at(1).str(1), "committee.member");
  EXPECT_EQ(fees->at(1).i64(2), fee_yen("committee.member", Date(2026, 11, 20)));
  EXPECT_EQ(text("SELECT status FROM committee_session WHERE session_id = $1", {s}), "decided");

  // The same document again changes nothing; another decision for the decided session (a
  // duplicate decision) is refused.
  const std::string after = footprint();
  auto replay = receive("NT-12",
                        decisions_doc(s, {decided(app1, "care_1", 6, "通所リハビリテーションの利用が望ましい"), decided(app2, "none", nullptr),
                                          deferred(app3)},
                                      json{"M01", "M06"}),
                        nt11_correlation(s));
  EXPECT_EQ(replay.outcome, InboundOutcome::already_applied);
  auto duplicate = receive("NT-12", decisions_doc(s, {decided(app1, "care_2", 12), decided(app2, "none", nullptr), deferred(app3)}));
  ASSERT_EQ(duplicate.outcome, InboundOutcome::rejected);
  EXPECT_NE(duplicate.reason.find("session_no: the session is already decided"), std::string::npos) << duplicate.reason;
  EXPECT_EQ(footprint(), after);

  // The deferred case goes before a later session and is decided there.
  today(Date(2026, 11, 27));
  const auto later = session(Date(2026, 11, 27), {app3});
  ASSERT_EQ(decide(later, {decided(app3, "care_2", 12)}).outcome, InboundOutcome::applied);
  EXPECT_EQ(status(app3), "decided");
  EXPECT_EQ(text("SELECT valid_to FROM care_certification WHERE application_id = $1", {app3}), "2027-11-30");
  EXPECT_EQ(count("SELECT COUNT(*) FROM committee_case WHERE application_id = $1", {app3}), 2);
}

TEST_P(CertificationCommitteeTest, NT_12_BadDecisionsAreRefusedWholeNamingThePath) {
  const auto app1 = ready_application("1000000001", "45.3", true);
  const auto app2 = ready_application("1000000002", "60.0", false);
  const auto outsider = ready_application("1000000003", "60.0", false);
  const auto s = session(Date(2026, 11, 20), {app1, app2});
  ASSERT_TRUE(committee->request(s, "staff1"));
  dispatch();
  today(Date(2026, 11, 20));
  const std::string before = footprint();

  json wrong_day = decisions_doc(s, {decided(app1, "care_1", 6), decided(app2, "care_2", 6)});
  wrong_day["held_on"] = "2026-11-19";
  json unknown_session = decisions_doc(s, {decided(app1, "care_1", 6), decided(app2, "care_2", 6)});
  unknown_session["session_no"] = "S20261120-9";
  struct Case {
    const char* what;
    json doc;
    std::string path;
  };
  const std::vector<Case> cases = {
      {"validity outside the range of a new application",
       decisions_doc(s, {decided(app1, "care_1", 6), decided(app2, "care_2", 13)}), "decisions[1].validity_months"},
      {"validity below the range", decisions_doc(s, {decided(app1, "care_1", 2), decided(app2, "care_2", 6)}),
       "decisions[0].validity_months"},
      {"a level code that does not exist", decisions_doc(s, {decided(app1, "care_1", 6), decided(app2, "care_9", 6)}),
       "decisions[1].care_level"},
      {"a case missing", decisions_doc(s, {decided(app1, "care_1", 6)}), "decisions"},
      {"a case not of this session",
       decisions_doc(s, {decided(app1, "care_1", 6), decided(app2, "care_2", 6), decided(outsider, "care_2", 6)}),
       "decisions[2].application_no"},
      {"a member not of the session", decisions_doc(s, {decided(app1, "care_1", 6), decided(app2, "care_2", 6)}, json{"M01", "M03"}),
       "attended[1]"},
      {"held on another day", wrong_day, "held_on"},
      {"an unknown session", unknown_session, "session_no"},
  };
  for (const auto& c : cases) {
    auto r = receive("NT-12", c.doc);
    ASSERT_EQ(r.outcome, InboundOutcome::rejected) << c.what;
    EXPECT_EQ(r.reason.rfind("decisions (NT-12) refused: " + c.path, 0), 0u) << c.what << ": " << r.reason;
    EXPECT_EQ(r.reason.find("1000000"), std::string::npos) << "a person id in the reason";
    EXPECT_EQ(footprint(), before) << c.what << ": nothing half-applied";
  }
  EXPECT_EQ(status(app1), "scheduled");
  EXPECT_EQ(status(app2), "scheduled");
  // A session whose NT-11 was never sent takes no decision.
  const auto planned = session(Date(2026, 11, 27), {outsider});
  auto early = receive("NT-12", decisions_doc(planned, {decided(outsider, "care_2", 6)}));
  ASSERT_EQ(early.outcome, InboundOutcome::rejected);
  EXPECT_NE(early.reason.find("session_no: the session is planned"), std::string::npos) << early.reason;
}

TEST_P(CertificationCommitteeTest, NT_12_RenewalSupersedesThePreviousCertification) {
  const auto first = ready_application("1000000001", "45.3", true);
  const auto s1 = session(Date(2026, 11, 20), {first});
  today(Date(2026, 11, 20));
  ASSERT_EQ(decide(s1, {decided(first, "care_1", 6)}).outcome, InboundOutcome::applied);
  const auto previous = count("SELECT certification_id FROM care_certification WHERE application_id = $1", {first});
  ASSERT_EQ(text("SELECT valid_to FROM care_certification WHERE certification_id = $1", {previous}), "2027-05-31");

  // 更新: from 60 days before the end (施行規則35条).
  today(Date(2027, 4, 15));
  const auto renewal = new_application("1000000001", "renewal");
  ASSERT_GT(renewal, 0);
  make_ready(renewal, "46.0", true);  // care_1 again
  const auto s2 = session(Date(2027, 4, 28), {renewal});
  today(Date(2027, 4, 28));
  ASSERT_TRUE(committee->request(s2, "staff1"));
  dispatch();
  const json nt11 = json::parse(text("SELECT e.payload FROM committee_session s JOIN exchange e ON e.exchange_id = s.request_exchange_id "
                                     "WHERE s.session_id = $1",
                                     {s2}));
  EXPECT_EQ(nt11["cases"][0]["previous_level"], "care_1");
  auto version = config->rules.on(Date(2027, 4, 15));
  ASSERT_TRUE(version);
  EXPECT_EQ(nt11["cases"][0]["validity_max_months"], (*version)->renewal_same_level.max_months);
  EXPECT_EQ(nt11["cases"][0]["validity_other_level"]["max_months"], (*version)->renewal_other_level.max_months);

  // Another level with the same-level maximum: outside the other-level range, refused.
  const int same_max = (*version)->renewal_same_level.max_months;
  auto refused = receive("NT-12", decisions_doc(s2, {decided(renewal, "care_2", same_max)}), nt11_correlation(s2));
  ASSERT_EQ(refused.outcome, InboundOutcome::rejected);
  EXPECT_NE(refused.reason.find("decisions[0].validity_months"), std::string::npos) << refused.reason;
  EXPECT_NE(refused.reason.find("at another level"), std::string::npos) << refused.reason;

  // The same level for the same-level maximum: granted from the day after the previous end.
  auto r = receive("NT-12", decisions_doc(s2, {decided(renewal, "care_1", same_max)}), nt11_correlation(s2));
  ASSERT_EQ(r.outcome, InboundOutcome::applied) << r.reason;
  auto cert = db->query("SELECT valid_from, valid_to, status FROM care_certification WHERE application_id = $1", {renewal});
  ASSERT_TRUE(cert && cert->size() == 1);
  EXPECT_EQ(cert->front().str(0), "2027-06-01");
  EXPECT_EQ(cert->front().str(1), Date(2027, 6, 1).add_months(same_max - 1).last_of_month().iso());
  EXPECT_EQ(cert->front().str(2), "current");
  EXPECT_EQ(text("SELECT status FROM care_certification WHERE certification_id = $1", {previous}), "superseded");
  EXPECT_EQ(text("SELECT valid_to FROM care_certification WHERE certification_id = $1", {previous}), "2027-05-31");
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_event WHERE certification_id = $1 AND kind = 'superseded'", {previous}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_event WHERE kind = 'granted'"), 2);
}

TEST_P(CertificationCommitteeTest, RecordDecisionChangeEndsThePreviousTheDayBeforeAndRefusesADuplicate) {
  const auto first = ready_application("1000000001", "45.3", true);
  const auto s1 = session(Date(2026, 11, 20), {first});
  today(Date(2026, 11, 20));
  ASSERT_EQ(decide(s1, {decided(first, "care_1", 12)}).outcome, InboundOutcome::applied);
  const auto previous = count("SELECT certification_id FROM care_certification WHERE application_id = $1", {first});

  // 区分変更 on 2027-02-10: the new certification starts that day, the old one ends the day before
  // (法29条).
  today(Date(2027, 2, 10));
  const auto change = new_application("1000000001", "change");
  ASSERT_GT(change, 0);
  certification::RecordedDecision recorded;
  auto tx = db->transaction([&](store::Connection& c) -> Result<void> {
    certification::DecisionInput in;
    in.application_id = change;
    in.level = certification::CareLevel::care_3;
    in.validity_months = 6;
    in.decided_on = Date(2027, 2, 25);
    in.actor = "staff1";
    auto r = certification::record_decision(c, clock, config->rules, in);
    if (!r) return std::unexpected(r.error());
    recorded = *r;
    return {};
  });
  ASSERT_TRUE(tx) << tx.error().message;
  ASSERT_TRUE(recorded.validity);
  EXPECT_EQ(recorded.validity->from, Date(2027, 2, 10));
  EXPECT_EQ(recorded.validity->to, Date(2027, 8, 31));
  EXPECT_EQ(recorded.superseded_certification_id, previous);
  EXPECT_EQ(text("SELECT valid_to FROM care_certification WHERE certification_id = $1", {previous}), "2027-02-09");
  EXPECT_EQ(text("SELECT status FROM care_certification WHERE certification_id = $1", {previous}), "superseded");

  // A second decision of the same application: conflict, nothing written.
  const auto decisions = count("SELECT COUNT(*) FROM certification_decision");
  auto again = db->transaction([&](store::Connection& c) -> Result<void> {
    certification::DecisionInput in;
    in.application_id = change;
    in.level = certification::CareLevel::care_2;
    in.validity_months = 6;
    in.decided_on = Date(2027, 2, 26);
    in.actor = "staff1";
    auto r = certification::record_decision(c, clock, config->rules, in);
    if (!r) return std::unexpected(r.error());
    return {};
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_decision"), decisions);
}

INSTANTIATE_TEST_SUITE_P(Db, CertificationCommitteeTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

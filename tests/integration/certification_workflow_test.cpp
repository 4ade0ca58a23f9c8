// 認定 assessment and opinion end to end (NT-07 … NT-10), SQLite and PostgreSQL: the requests in
// the outbox and sent, the results through the inbox into the application, its fees and its
// first stage (at every band boundary, through the import), each bad document refused whole with
// its path and nothing written, the same document twice changing nothing.
#include "certification_workflow_fixture.hpp"

namespace kaigo::testing {
namespace {

using linkage::InboundOutcome;
using nlohmann::json;

class CertificationWorkflowTest : public CertificationWorkflowFixture {
 protected:
  // What an NT-08/NT-10 could have written, to prove a refused document wrote nothing.
  std::string footprint() {
    return fmt::format(
        "received {} {} fees {} first {} ready {} clock {} persons {}",
        count("SELECT COUNT(*) FROM home_assessment WHERE status = 'received'"),
        count("SELECT COUNT(*) FROM physician_opinion WHERE status = 'received'"), count("SELECT COUNT(*) FROM certification_fee"),
        count("SELECT COUNT(*) FROM first_stage_result"),
        count("SELECT COUNT(*) FROM certification_application WHERE status = 'ready'"),
        count("SELECT COUNT(*) FROM certification_application WHERE assessment_received_on IS NOT NULL OR opinion_received_on IS NOT NULL"),
        count("SELECT COUNT(*) FROM exchange_person ep JOIN exchange e ON e.exchange_id = ep.exchange_id WHERE e.direction = 'inbound'"));
  }
};

TEST_P(CertificationWorkflowTest, NT_07_RequestsTheAssessmentAndSendsTheForm) {
  person("1000000001", "1944-03-01");
  const auto app = new_application("1000000001");
  today(Date(2026, 11, 4));
  auto r = workflow->request_assessment(app, {"contractor", "C001", "", std::nullopt}, "staff1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->view.request_no, "C2026000001-1");
  EXPECT_EQ(r->view.status, "requested");
  EXPECT_EQ(r->view.due_on, "2026-11-18");  // kDefaultDueDays
  EXPECT_EQ(r->person_id, "1000000001");
  EXPECT_EQ(status(app), "investigating");
  EXPECT_EQ(text("SELECT assessment_requested_on FROM certification_application WHERE application_id = $1", {app}), "2026-11-04");

  // The form in the outbox to chosa, then sent by the dispatcher.
  auto ex = db->query("SELECT flow_id, counterpart, status, idempotency_key, payload FROM exchange WHERE exchange_id = $1",
                      {r->exchange_id});
  ASSERT_TRUE(ex && ex->size() == 1);
  EXPECT_EQ(ex->front().str(0), "NT-07");
  EXPECT_EQ(ex->front().str(1), "chosa");
  EXPECT_EQ(ex->front().str(2), "queued");
  EXPECT_EQ(ex->front().str(3), "out:NT-07:C2026000001-1");  // enqueue_outbound prefixes "out:"
  const json doc = json::parse(ex->front().str(4));
  EXPECT_EQ(doc["format"], "kaigo.chosa.request/1");
  EXPECT_EQ(doc["application_no"], "A2026000001");
  EXPECT_EQ(doc["contractor_code"], "C001");
  EXPECT_EQ(doc["kind"], "new");
  EXPECT_EQ(doc["place"], "home");
  EXPECT_EQ(doc["person"]["birth_date"], "1944-03-01");
  EXPECT_GE(dispatch().sent, 1);
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {r->exchange_id}), "sent");
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1 AND person_id = '1000000001'", {r->exchange_id}), 1);

  // The contractor gave it back: the city's own assessor takes it; the open request is cancelled
  // and the first request's day stays the clock's.
  today(Date(2026, 11, 6));
  auto city = workflow->request_assessment(app, {"city", std::nullopt, "市 調査員", Date(2026, 11, 13)}, "staff1");
  ASSERT_TRUE(city) << city.error().message;
  EXPECT_EQ(city->view.request_no, "C2026000001-2");
  EXPECT_EQ(city->view.due_on, "2026-11-13");
  EXPECT_EQ(text("SELECT status FROM home_assessment WHERE request_no = 'C2026000001-1'"), "cancelled");
  EXPECT_EQ(text("SELECT assessment_requested_on FROM certification_application WHERE application_id = $1", {app}), "2026-11-04");
  EXPECT_TRUE(json::parse(text("SELECT payload FROM exchange WHERE exchange_id = $1", {city->exchange_id}))["contractor_code"].is_null());
}

TEST_P(CertificationWorkflowTest, NT_07_BadRequestsAreRefusedAndWriteNothing) {
  person("1000000001", "1944-03-01");
  const auto app = new_application("1000000001");
  struct Case {
    const char* what;
    certification::AssessmentRequestInput input;
    ErrorKind kind;
    const char* field;
  };
  const Case cases[] = {
      {"unknown contractor", {"contractor", "C999", "", std::nullopt}, ErrorKind::invalid_input, "contractor_code"},
      {"contractor without code", {"contractor", std::nullopt, "", std::nullopt}, ErrorKind::invalid_input, "contractor_code"},
      {"city without a name", {"city", std::nullopt, "", std::nullopt}, ErrorKind::invalid_input, "assessor_name"},
      {"unknown kind", {"hospital", std::nullopt, "x", std::nullopt}, ErrorKind::invalid_input, "assessor_kind"},
      {"due in the past", {"contractor", "C001", "", Date(2026, 11, 1)}, ErrorKind::invalid_input, "due_on"},
  };
  for (const auto& c : cases) {
    auto r = workflow->request_assessment(app, c.input, "staff1");
    ASSERT_FALSE(r) << c.what;
    EXPECT_EQ(r.error().kind, c.kind) << c.what;
    EXPECT_EQ(r.error().field, c.field) << c.what;
  }
  auto missing = workflow->request_assessment(app + 100, {"contractor", "C001", "", std::nullopt}, "staff1");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  auto bad_opinion = workflow->request_opinion(app, {"M9999", "田中 医師", true, std::nullopt}, "staff1");
  ASSERT_FALSE(bad_opinion);
  EXPECT_EQ(bad_opinion.error().field, "institution_code");
  EXPECT_EQ(count("SELECT COUNT(*) FROM home_assessment"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM physician_opinion"), 0);
  EXPECT_EQ(status(app), "received");

  // A withdrawn application takes no request.
  ASSERT_TRUE(applications->withdraw(app, "本人死亡", "staff1"));
  auto closed = workflow->request_assessment(app, {"contractor", "C001", "", std::nullopt}, "staff1");
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().kind, ErrorKind::conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'NT-07'"), 0);
}

TEST_P(CertificationWorkflowTest, NT_08_ResultTakenInThroughTheInboxOnceWithItsFee) {
  person("1000000001", "1944-03-01");
  const auto app = new_application("1000000001");
  auto a = assess_by(app);
  dispatch();
  today(Date(2026, 11, 10));
  auto r = receive("NT-08", results_doc({result(a.view.request_no, app, "45.3", true, false)}));
  ASSERT_EQ(r.outcome, InboundOutcome::applied) << r.reason;
  auto row = db->query(
      "SELECT status, assessed_on, standard_tenths, cognitive_decline, unstable_condition, dementia_independence, "
      "bedridden_independence, items, special_notes, assessor_name, result_exchange_id, received_on FROM home_assessment "
      "WHERE assessment_id = $1",
      {a.view.assessment_id});
  ASSERT_TRUE(row && row->size() == 1);
  const auto& h = row->front();
  EXPECT_EQ(h.str(0), "received");
  EXPECT_EQ(h.str(1), "2026-11-10");
  EXPECT_EQ(h.i64(2), 453);
  EXPECT_EQ(h.i64(3), 1);
  EXPECT_EQ(h.i64(4), 0);
  EXPECT_EQ(h.str(5), "IIb");
  EXPECT_EQ(h.str(6), "A1");
  EXPECT_EQ(json::parse(h.str(7)).size(), 74u);
  EXPECT_EQ(h.str(8), "居室内は伝い歩き。");
  EXPECT_EQ(h.str(9), "佐藤 一郎");
  EXPECT_EQ(h.i64(10), r.exchange_id);
  EXPECT_EQ(h.str(11), "2026-11-10");
  EXPECT_EQ(text("SELECT assessment_received_on FROM certification_application WHERE application_id = $1", {app}), "2026-11-10");
  EXPECT_EQ(status(app), "investigating");  // the opinion is not in yet
  EXPECT_EQ(count("SELECT COUNT(*) FROM first_stage_result"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1 AND person_id = '1000000001'", {r.exchange_id}), 1);

  // NT-16: the contractor's fee, once, at the amount of the rule file on the day of the visit.
  auto fee = db->query("SELECT flow_id, basis_key, payee_code, fee_kind, amount, work_on, application_id FROM certification_fee");
  ASSERT_TRUE(fee && fee->size() == 1);
  EXPECT_EQ(fee->front().str(0), "NT-16");
  EXPECT_EQ(fee->front().str(1), fmt::format("NT-16:assessment:{}", a.view.assessment_id));
  EXPECT_EQ(fee->front().str(2), config->contractor("C001")->payee_code);
  EXPECT_EQ(fee->front().str(3), "assessment.new.home");
  EXPECT_EQ(fee->front().i64(4), fee_yen("assessment.new.home", Date(2026, 11, 10)));
  EXPECT_EQ(fee->front().str(5), "2026-11-10");
  EXPECT_EQ(fee->front().i64(6), app);

  // The same document again: the inbox knows it, nothing changes.
  auto again = receive("NT-08", results_doc({result(a.view.request_no, app, "45.3", true, false)}));
  EXPECT_EQ(again.outcome, InboundOutcome::already_applied);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_fee"), 1);
  // Another document with the same result: the request has its result, refused.
  auto other = receive("NT-08", results_doc({result(a.view.request_no, app, "45.4", true, false)}));
  EXPECT_EQ(other.outcome, InboundOutcome::rejected);
  EXPECT_NE(other.reason.find("results[0].request_no: the request already has its result"), std::string::npos) << other.reason;
  EXPECT_EQ(count("SELECT standard_tenths FROM home_assessment WHERE assessment_id = $1", {a.view.assessment_id}), 453);
}

TEST_P(CertificationWorkflowTest, NT_08_BadDocumentsAreRefusedWholeNamingThePath) {
  person("1000000001", "1944-03-01");
  person("1000000002", "1944-05-01");
  person("1000000003", "1944-07-01");
  const auto app1 = new_application("1000000001");
  const auto app2 = new_application("1000000002");
  const auto app3 = new_application("1000000003");
  auto a1 = assess_by(app1);
  auto a2 = assess_by(app2);
  auto a3 = assess_by(app3);
  today(Date(2026, 11, 10));
  // app3 is withdrawn: its request is still open, the application is closed.
  ASSERT_TRUE(applications->withdraw(app3, "入院のため", "staff1"));
  // app2's first request was given back: C…-1 cancelled, C…-2 open.
  auto a2b = assess_by(app2, "C002");

  struct Case {
    const char* what;
    json second;  // results[1]; results[0] is a good result of app1
    std::string path;
  };
  json missing_item = result(a2b.view.request_no, app2);
  missing_item["items"].erase("2-5");
  json bad_choice = result(a2b.view.request_no, app2);
  bad_choice["items"]["1-5"] = "5";
  json unknown_item = result(a2b.view.request_no, app2);
  unknown_item["items"]["1-14"] = "1";
  json wrong_app = result(a2b.view.request_no, app2);
  wrong_app["application_no"] = application_no(app1);
  json future = result(a2b.view.request_no, app2);
  future["assessed_on"] = "2026-11-11";
  json before_request = result(a2b.view.request_no, app2);
  before_request["assessed_on"] = "2026-11-01";
  json bad_minutes = result(a2b.view.request_no, app2);
  bad_minutes["standard_minutes"] = "45.25";
  json unknown_request = result("C2026999999-1", app2);
  const std::vector<Case> cases = {
      {"an item missing", missing_item, "results[1].items.2-5"},
      {"a bad choice value", bad_choice, "results[1].items.1-5"},
      {"an unknown item", unknown_item, "results[1].items.1-14"},
      {"an unknown request", unknown_request, "results[1].request_no"},
      {"a cancelled request", result(a2.view.request_no, app2), "results[1].request_no"},
      {"a closed (withdrawn) application", result(a3.view.request_no, app3), "results[1].application_no"},
      {"another application's number", wrong_app, "results[1].application_no"},
      {"a visit after today", future, "results[1].assessed_on"},
      {"a visit before the request", before_request, "results[1].assessed_on"},
      {"minutes with two decimals", bad_minutes, "results[1].standard_minutes"},
  };
  const std::string before = footprint();
  for (const auto& c : cases) {
    auto r = receive("NT-08", results_doc({result(a1.view.request_no, app1), c.second}));
    ASSERT_EQ(r.outcome, InboundOutcome::rejected) << c.what;
    EXPECT_EQ(r.reason.rfind("assessment results (NT-08) refused: " + c.path + ": ", 0), 0u) << c.what << ": " << r.reason;
    EXPECT_EQ(r.reason.find("1000000"), std::string::npos) << "a person id in the reason";
    EXPECT_EQ(r.reason.find("佐藤"), std::string::npos) << "a name in the reason";
    EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {r.exchange_id}), "rejected");
    EXPECT_EQ(footprint(), before) << c.what << ": results[0] must not be applied either";
  }
  // After all that, the good result alone is taken.
  EXPECT_EQ(receive("NT-08", results_doc({result(a1.view.request_no, app1)})).outcome, InboundOutcome::applied);
}

TEST_P(CertificationWorkflowTest, NT_09_NT_10_OpinionFeeAndFirstStageMakeTheApplicationReady) {
  person("1000000001", "1944-03-01");
  const auto app = new_application("1000000001", "new", "facility");
  auto a = assess_by(app);
  today(Date(2026, 11, 4));
  auto o = workflow->request_opinion(app, {"M0001", "田中 医師", false, std::nullopt}, "staff1");
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->view.request_no, "D2026000001-1");
  EXPECT_FALSE(o->view.first_visit);
  EXPECT_EQ(text("SELECT opinion_requested_on FROM certification_application WHERE application_id = $1", {app}), "2026-11-04");
  const json form = json::parse(text("SELECT payload FROM exchange WHERE exchange_id = $1", {o->exchange_id}));
  EXPECT_EQ(form["format"], "kaigo.iryokikan.opinion_request/1");
  EXPECT_EQ(text("SELECT counterpart FROM exchange WHERE exchange_id = $1", {o->exchange_id}), "iryokikan");
  EXPECT_EQ(form["first_visit"], false);
  dispatch();

  today(Date(2026, 11, 9));
  ASSERT_EQ(receive("NT-10", opinions_doc({opinion(o->view.request_no, app)})).outcome, InboundOutcome::applied);
  EXPECT_EQ(status(app), "investigating");  // the assessment is not in yet
  EXPECT_EQ(text("SELECT opinion_received_on FROM certification_application WHERE application_id = $1", {app}), "2026-11-09");
  auto fee = db->query("SELECT flow_id, fee_kind, amount, payee_code FROM certification_fee");
  ASSERT_TRUE(fee && fee->size() == 1);
  EXPECT_EQ(fee->front().str(0), "NT-17");
  EXPECT_EQ(fee->front().str(1), "opinion.continued.facility");
  EXPECT_EQ(fee->front().i64(2), fee_yen("opinion.continued.facility", Date(2026, 11, 9)));
  EXPECT_EQ(fee->front().str(3), config->institution("M0001")->payee_code);
  const json content = json::parse(text("SELECT content FROM physician_opinion WHERE opinion_id = $1", {o->view.opinion_id}));
  EXPECT_EQ(content["diagnoses"][0], "脳梗塞後遺症");
  EXPECT_EQ(content["specified_disease_differs"], false);

  today(Date(2026, 11, 12));
  ASSERT_EQ(receive("NT-08", results_doc({result(a.view.request_no, app, "52.0")})).outcome, InboundOutcome::applied);
  EXPECT_EQ(status(app), "ready");
  EXPECT_EQ(text("SELECT ready_on FROM certification_application WHERE application_id = $1", {app}), "2026-11-12");
  auto first = db->query("SELECT care_level, standard_tenths, assessment_id, explanation FROM first_stage_result WHERE application_id = $1",
                         {app});
  ASSERT_TRUE(first && first->size() == 1);
  EXPECT_EQ(first->front().str(0), "care_2");
  EXPECT_EQ(first->front().i64(1), 520);
  EXPECT_EQ(first->front().i64(2), a.view.assessment_id);
  EXPECT_NE(first->front().str(3).find("要介護２"), std::string::npos) << first->front().str(3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_fee"), 2);
  EXPECT_EQ(text("SELECT fee_kind FROM certification_fee WHERE flow_id = 'NT-16'"), "assessment.new.facility");

  // The opinion's own refusals: another institution than asked.
  person("1000000002", "1944-05-01");
  const auto app2 = new_application("1000000002");
  auto o2 = opinion_of(app2);
  json other = opinion(o2.view.request_no, app2);
  other["institution_code"] = "M0002";
  auto refused = receive("NT-10", opinions_doc({other}));
  ASSERT_EQ(refused.outcome, InboundOutcome::rejected);
  EXPECT_NE(refused.reason.find("opinions[0].institution_code"), std::string::npos) << refused.reason;
  EXPECT_EQ(count("SELECT COUNT(*) FROM physician_opinion WHERE status = 'received'"), 1);
}

TEST_P(CertificationWorkflowTest, NT_08_FirstStageAtTheBandBoundariesThroughTheImport) {
  // rules.md §3: < 25 非該当; 25–<32 要支援1; 32–<50 要支援2, or 要介護1 with cognitive decline or an
  // unstable condition; 50–<70 要介護2; 70–<90 要介護3; 90–<110 要介護4; ≥ 110 要介護5.
  struct Row {
    const char* minutes;
    bool cognitive, unstable;
    const char* level;
  };
  const Row rows[] = {
      {"24.9", false, false, "none"},      {"25.0", false, false, "support_1"}, {"31.9", true, true, "support_1"},
      {"32.0", false, false, "support_2"}, {"32.0", true, false, "care_1"},     {"49.9", false, true, "care_1"},
      {"49.9", false, false, "support_2"}, {"50.0", false, false, "care_2"},    {"69.9", false, false, "care_2"},
      {"70.0", false, false, "care_3"},    {"89.9", false, false, "care_3"},    {"90.0", false, false, "care_4"},
      {"109.9", false, false, "care_4"},   {"110.0", false, false, "care_5"},   {"0.0", false, false, "none"},
  };
  int n = 0;
  for (const auto& r : rows) {
    const std::string id = fmt::format("10000001{:02}", ++n);
    person(id, "1944-03-01");
    const auto app = new_application(id);
    make_ready(app, r.minutes, r.cognitive, r.unstable);
    EXPECT_EQ(text("SELECT care_level FROM first_stage_result WHERE application_id = $1", {app}), r.level)
        << r.minutes << " cognitive " << r.cognitive << " unstable " << r.unstable;
  }
}

TEST_P(CertificationWorkflowTest, NT_10_CategoryTwoDiseaseDifferenceIsShownNotRefused) {
  person("1000000001", "1970-05-01", true);  // 56: category 2
  const auto app = new_application("1000000001", "new", "home", std::string("13"));  // 脳血管疾患
  ASSERT_EQ(text("SELECT category FROM certification_application WHERE application_id = $1", {app}), "2");
  auto o = opinion_of(app);
  auto r = receive("NT-10", opinions_doc({opinion(o.view.request_no, app, std::string("12"))}));
  ASSERT_EQ(r.outcome, InboundOutcome::applied) << r.reason;
  EXPECT_EQ(text("SELECT specified_disease FROM physician_opinion WHERE opinion_id = $1", {o.view.opinion_id}), "12");
  const json content = json::parse(text("SELECT content FROM physician_opinion WHERE opinion_id = $1", {o.view.opinion_id}));
  EXPECT_EQ(content["specified_disease_differs"], true);
}

TEST_P(CertificationWorkflowTest, NT_07_ReassessmentOfAReadyApplicationRecomputesTheFirstStage) {
  person("1000000001", "1944-03-01");
  const auto app = new_application("1000000001");
  make_ready(app, "40.0");
  EXPECT_EQ(text("SELECT care_level FROM first_stage_result WHERE application_id = $1", {app}), "support_2");
  const auto planned = session(Date(2026, 11, 20), {app});
  today(Date(2026, 11, 5));
  auto again = assess_by(app, "C003");
  EXPECT_EQ(status(app), "investigating");
  EXPECT_EQ(count("SELECT COUNT(*) FROM committee_case WHERE session_id = $1", {planned}), 0) << "no longer ready: off the session";
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_application WHERE application_id = $1 AND ready_on IS NULL", {app}), 1);
  ASSERT_EQ(receive("NT-08", results_doc({result(again.view.request_no, app, "75.0")})).outcome, InboundOutcome::applied);
  EXPECT_EQ(status(app), "ready");
  EXPECT_EQ(text("SELECT care_level FROM first_stage_result WHERE application_id = $1", {app}), "care_3");
  EXPECT_EQ(count("SELECT assessment_id FROM first_stage_result WHERE application_id = $1", {app}), again.view.assessment_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_fee WHERE flow_id = 'NT-16'"), 2);  // two visits, two fees
}

INSTANTIATE_TEST_SUITE_P(Db, CertificationWorkflowTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

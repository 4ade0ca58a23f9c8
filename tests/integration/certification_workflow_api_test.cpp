// The 認定 workflow routes over HTTP, SQLite and PostgreSQL (docs/api-certification.md "Assessment,
// opinion, committee"): the code lists, NT-07 / NT-09 requests, a committee session from creation
// to NT-11, the results and the decision taken in through the inbox and visible on the
// application; errors name their field; every person's data read or written is access-logged.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "certification/workflow.hpp"
#include "linkage/exchange_store.hpp"
#include "server_fixture.hpp"

namespace kaigo::testing {
namespace {

using nlohmann::json;

json body(const httplib::Result& r) { return json::parse(r->body); }

class CertificationWorkflowApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<ServerFixture>(GetParam());
    seed_standard_data(*f);
    handlers = certification::certification_workflow_inbound_handlers(f->clock(), f->certification());
  }

  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = f->db().query(sql, params);
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? rows->front().i64(0) : -1;
  }

  linkage::InboundOutcome receive(const std::string& flow, const json& doc) {
    linkage::InboundMessage m{flow, "shinsa", doc.dump(), "application/json", std::nullopt, "", {}, "from shinsa", "channel:test"};
    auto r = linkage::receive_inbound(f->db(), f->clock(), m, handlers.at(flow));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    EXPECT_TRUE(!r || r->outcome == linkage::InboundOutcome::applied) << (r ? r->reason : "");
    return r ? r->outcome : linkage::InboundOutcome::rejected;
  }

  std::unique_ptr<ServerFixture> f;
  linkage::InboundHandlers handlers;
};

TEST_P(CertificationWorkflowApiTest, NT_07_NT_12_FromRequestsToTheCommitteesDecisionOverTheApi) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("certification_staff")->status, 200);

  // The code lists for the forms.
  auto masters = c.get("/api/v1/certification/masters");
  ASSERT_EQ(masters->status, 200) << masters->body;
  const json m = body(masters);
  EXPECT_EQ(m["assessment_items"].size(), 74u);
  EXPECT_EQ(m["assessment_items"][0]["choices"][1]["label"], "ある");
  EXPECT_EQ(m["contractors"].size(), f->certification().contractors.size());
  EXPECT_EQ(m["institutions"].size(), f->certification().institutions.size());
  EXPECT_EQ(m["members"].size(), f->certification().members.size());
  EXPECT_EQ(m["specified_diseases"].size(), 16u);
  EXPECT_EQ(m["care_levels"].size(), 8u);
  EXPECT_EQ(m["kinds"].size(), 5u);

  // NT-01 (the application routes), then NT-07 and NT-09.
  auto made = c.post("/api/v1/certification/applications",
                     R"({"person_id":"1000000001","kind":"new","applied_on":"2026-11-24","place":"home","applicant_relation":"本人"})");
  ASSERT_EQ(made->status, 201) << made->body;
  const std::int64_t app = body(made)["application_id"];
  const std::string app_path = "/api/v1/certification/applications/" + std::to_string(app);
  const std::int64_t logged_before = count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001'");

  auto bad = c.post(app_path + "/assessment-request", R"({"assessor_kind":"contractor","contractor_code":"C999"})");
  ASSERT_EQ(bad->status, 400);
  EXPECT_EQ(body(bad)["error"]["field"], "contractor_code");
  auto no_kind = c.post(app_path + "/assessment-request", R"({"contractor_code":"C001"})");
  ASSERT_EQ(no_kind->status, 400);
  EXPECT_EQ(body(no_kind)["error"]["field"], "assessor_kind");
  EXPECT_EQ(c.post("/api/v1/certification/applications/999999/assessment-request",
                   R"({"assessor_kind":"contractor","contractor_code":"C001"})")
                ->status,
            404);

  auto assessment = c.post(app_path + "/assessment-request", R"({"assessor_kind":"contractor","contractor_code":"C002"})");
  ASSERT_EQ(assessment->status, 201) << assessment->body;
  const json a = body(assessment);
  EXPECT_EQ(a["status"], "requested");
  EXPECT_EQ(a["contractor_name"], f->certification().contractor("C002")->name);
  EXPECT_EQ(a["due_on"], "2026-12-08");
  auto no_first_visit = c.post(app_path + "/opinion-request", R"({"institution_code":"M0003","doctor_name":"佐藤 医師"})");
  ASSERT_EQ(no_first_visit->status, 400);
  EXPECT_EQ(body(no_first_visit)["error"]["field"], "first_visit");
  auto opinion = c.post(app_path + "/opinion-request", R"({"institution_code":"M0003","doctor_name":"佐藤 医師","first_visit":true})");
  ASSERT_EQ(opinion->status, 201) << opinion->body;
  const json o = body(opinion);
  EXPECT_EQ(o["institution_name"], f->certification().institution("M0003")->name);
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001'"), logged_before + 2);

  // shinsa sends the result and the opinion: the application is ready.
  json items = json::object();
  for (const auto& i : f->certification().assessment_items) items[i.code] = "1";
  const std::string no = body(made)["application_no"];
  receive("NT-08", {{"format", "kaigo.shinsa.assessment_results/1"},
                    {"results",
                     {{{"request_no", a["request_no"]}, {"application_no", no}, {"assessed_on", "2026-11-24"},
                       {"assessor_name", "調査員"}, {"items", items}, {"special_notes", ""}, {"standard_minutes", "55.0"},
                       {"cognitive_decline", false}, {"unstable_condition", false}, {"dementia_independence", "I"},
                       {"bedridden_independence", "J2"}}}}});
  receive("NT-10", {{"format", "kaigo.shinsa.opinions/1"},
                    {"opinions",
                     {{{"request_no", o["request_no"]}, {"application_no", no}, {"written_on", "2026-11-24"},
                       {"institution_code", "M0003"}, {"doctor_name", "佐藤 医師"}, {"diagnoses", {"変形性膝関節症"}},
                       {"specified_disease", nullptr}, {"dementia_independence", "I"}, {"bedridden_independence", "J2"},
                       {"remarks", ""}}}}});

  // A session: refused without a chair, made, given the case, requested (NT-11).
  auto no_chair = c.post("/api/v1/certification/sessions",
                         R"({"panel":"第2合議体","held_on":"2026-12-01","members":[{"member_code":"M01","role":"member"},)"
                         R"({"member_code":"M04","role":"member"},{"member_code":"M10","role":"member"}]})");
  ASSERT_EQ(no_chair->status, 400);
  EXPECT_EQ(body(no_chair)["error"]["field"], "members");
  auto session = c.post("/api/v1/certification/sessions",
                        R"({"panel":"第2合議体","held_on":"2026-12-01","members":[{"member_code":"M01","role":"chair"},)"
                        R"({"member_code":"M04","role":"member"},{"member_code":"M10","role":"member"}]})");
  ASSERT_EQ(session->status, 201) << session->body;
  const std::int64_t sid = body(session)["session_id"];
  EXPECT_EQ(body(session)["session_no"], "S20261201-1");
  const std::string session_path = "/api/v1/certification/sessions/" + std::to_string(sid);
  auto with_case = c.post(session_path + "/cases", fmt::format(R"({{"application_ids":[{}]}})", app));
  ASSERT_EQ(with_case->status, 200) << with_case->body;
  EXPECT_EQ(body(with_case)["cases"][0]["first_stage_level"], "care_2");
  EXPECT_EQ(body(with_case)["cases"][0]["standard_minutes"], "55.0");
  auto bad_ids = c.post(session_path + "/cases", R"({"application_ids":["x"]})");
  ASSERT_EQ(bad_ids->status, 400);
  EXPECT_EQ(body(bad_ids)["error"]["field"], "application_ids[0]");

  auto list = c.get("/api/v1/certification/sessions?from=2026-12-01&to=2026-12-31");
  ASSERT_EQ(list->status, 200);
  ASSERT_EQ(body(list)["items"].size(), 1u);
  EXPECT_EQ(body(list)["items"][0]["cases"], 1);
  EXPECT_EQ(c.get("/api/v1/certification/sessions?from=2026-13-01")->status, 400);
  EXPECT_EQ(body(c.get("/api/v1/certification/sessions?to=2026-11-30"))["items"].size(), 0u);

  const std::int64_t reads_before = count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001' AND action = 'read'");
  auto one = c.get(session_path);
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(body(one)["cases"][0]["name"], "山田 太郎");
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001' AND action = 'read'"), reads_before + 1);
  EXPECT_EQ(c.get("/api/v1/certification/sessions/999999")->status, 404);

  auto requested = c.post(session_path + "/request", "{}");
  ASSERT_EQ(requested->status, 200) << requested->body;
  EXPECT_EQ(body(requested)["status"], "requested");
  EXPECT_EQ(body(requested)["cases"][0]["status"], "scheduled");
  EXPECT_EQ(c.post(session_path + "/request", "{}")->status, 409);

  // The committee decides (NT-12): the application shows the decision and its certification.
  f->clock().set(FixedClock::at(Date(2026, 12, 1)).now());
  receive("NT-12", {{"format", "kaigo.shinsa.decisions/1"},
                    {"session_no", "S20261201-1"},
                    {"held_on", "2026-12-01"},
                    {"attended", {"M01", "M04", "M10"}},
                    {"decisions",
                     {{{"application_no", no}, {"outcome", "decided"}, {"care_level", "care_2"}, {"validity_months", 12},
                       {"remarks", ""}, {"change_reason", ""}}}}});
  ASSERT_EQ(c.login("certification_staff")->status, 200);  // a week later: a new login
  auto decided = c.get(session_path);
  EXPECT_EQ(body(decided)["status"], "decided");
  EXPECT_EQ(body(decided)["cases"][0]["decided_level"], "care_2");
  EXPECT_EQ(body(decided)["cases"][0]["valid_to"], "2027-11-30");
  EXPECT_EQ(body(decided)["members"][0]["attended"], true);
  auto detail = c.get(app_path);
  ASSERT_EQ(detail->status, 200) << detail->body;
  EXPECT_EQ(body(detail)["status"], "decided");
  EXPECT_EQ(body(detail)["decision"]["care_level"], "care_2");
  EXPECT_EQ(body(detail)["first_stage"]["care_level"], "care_2");
  EXPECT_EQ(body(detail)["certification"]["valid_from"], "2026-11-24");
}

TEST_P(CertificationWorkflowApiTest, OtherRolesAreRefused) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("premium_staff")->status, 200);
  EXPECT_EQ(c.get("/api/v1/certification/masters")->status, 403);
  EXPECT_EQ(c.post("/api/v1/certification/sessions", "{}")->status, 403);
}

INSTANTIATE_TEST_SUITE_P(Db, CertificationWorkflowApiTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

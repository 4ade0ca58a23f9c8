// The 認定 application API end to end over HTTP (docs/api-certification.md "Applications and the
// clock"), SQLite and PostgreSQL: NT-01 intake, the list with its timers and tabs, one application,
// 取下げ, 延期通知 and its PDF, the report, a person's certifications — with the errors naming the
// field, the access log of every person read or written, and the roles.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/roles.hpp"
#include "server_fixture.hpp"

namespace kaigo::testing {
namespace {

using nlohmann::json;

json body(const httplib::Result& r) { return json::parse(r->body); }

class CertificationApplicationApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f_ = std::make_unique<ServerFixture>(GetParam());
    seed_standard_data(*f_);  // 1000000001 and 1000000002 insured (category 1); 1000000003 aged 46, not insured
  }

  ApiClient as(const std::string& role) {
    ApiClient c(f_->port());
    EXPECT_EQ(c.login(role)->status, 200);
    return c;
  }

  std::int64_t access_rows(const std::string& person, const std::string& action, const std::string& resource) {
    auto rows = f_->db().query("SELECT COUNT(*) FROM access_log WHERE person_id = $1 AND action = $2 AND resource = $3",
                               {person, action, resource});
    EXPECT_TRUE(rows);
    return rows ? rows->front().i64(0) : -1;
  }

  // Moves the calendar; the sessions of the old day have expired, so the caller logs in again.
  std::unique_ptr<ApiClient> today(const char* iso, const std::string& role = "certification_staff") {
    f_->clock().set(FixedClock::at(*Date::parse(iso)).now());
    auto c = std::make_unique<ApiClient>(f_->port());
    EXPECT_EQ(c->login(role)->status, 200);
    return c;
  }

  std::unique_ptr<ServerFixture> f_;
};

constexpr const char* kIntake =
    R"({"person_id": "1000000001", "kind": "new", "applied_on": "2026-11-24", "place": "home", "applicant_relation": "家族"})";

TEST_P(CertificationApplicationApiTest, NT_01_IntakeListShowWithdrawOverHttp) {
  ApiClient c = as("certification_staff");
  auto made = c.post("/api/v1/certification/applications", kIntake);
  ASSERT_EQ(made->status, 201) << made->body;
  const json a = body(made);
  EXPECT_EQ(a["application_no"], "A2026000001");
  EXPECT_EQ(a["kind"], "new");
  EXPECT_EQ(a["kind_label"], "新規");
  EXPECT_EQ(a["insured_no"], "0100000001");
  EXPECT_EQ(a["name"], "山田 太郎");
  EXPECT_EQ(a["deadline_on"], "2026-12-24");
  EXPECT_EQ(a["days_elapsed"], 0);
  EXPECT_EQ(a["days_left"], 30);
  EXPECT_EQ(a["clock"], "on_time");
  EXPECT_EQ(a["status"], "received");
  EXPECT_EQ(a["status_label"], "受付");
  EXPECT_EQ(a["stage_label"], "調査依頼前・意見書依頼前");
  EXPECT_EQ(a["applicant_relation"], "家族");
  EXPECT_EQ(a["stages"].size(), 7u);
  EXPECT_TRUE(a["decision"].is_null());
  EXPECT_TRUE(a["postponements"].empty());
  const std::int64_t id = a["application_id"];
  EXPECT_EQ(access_rows("1000000001", "write", "POST /api/v1/certification/applications"), 1);
  // The NT-01 document waits in the outbox for the committee-support system.
  auto out = f_->db().query("SELECT COUNT(*) FROM exchange WHERE flow_id = 'NT-01' AND counterpart = 'shinsa'");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->front().i64(0), 1);

  // Ten days later: the list shows the timer; the tab counts come with it.
  auto later = today("2026-12-04");
  auto list = later->get("/api/v1/certification/applications");
  ASSERT_EQ(list->status, 200) << list->body;
  const json l = body(list);
  ASSERT_EQ(l["total"], 1);
  EXPECT_EQ(l["items"][0]["application_id"], id);
  EXPECT_EQ(l["items"][0]["days_elapsed"], 10);
  EXPECT_EQ(l["items"][0]["days_left"], 20);
  EXPECT_EQ(l["counts"]["open"], 1);
  EXPECT_EQ(l["counts"]["overdue"], 0);
  EXPECT_EQ(access_rows("1000000001", "read", "GET /api/v1/certification/applications"), 1);
  auto by_kana = later->get("/api/v1/certification/applications?filter=all&q=%E3%83%A4%E3%83%9E%E3%83%80");  // ヤマダ
  ASSERT_EQ(by_kana->status, 200);
  EXPECT_EQ(body(by_kana)["total"], 1);
  auto late = later->get("/api/v1/certification/applications?filter=overdue");
  ASSERT_EQ(late->status, 200);
  EXPECT_EQ(body(late)["total"], 0);

  auto one = later->get("/api/v1/certification/applications/" + std::to_string(id));
  ASSERT_EQ(one->status, 200) << one->body;
  EXPECT_EQ(body(one)["stages"][0]["days"], 10);
  EXPECT_EQ(access_rows("1000000001", "read", "GET /api/v1/certification/applications/{application_id}"), 1);

  auto person = later->get("/api/v1/certification/persons/1000000001");
  ASSERT_EQ(person->status, 200) << person->body;
  EXPECT_EQ(body(person)["insured_no"], "0100000001");
  EXPECT_EQ(body(person)["applications"].size(), 1u);
  EXPECT_TRUE(body(person)["certifications"].empty());
  EXPECT_EQ(access_rows("1000000001", "read", "GET /api/v1/certification/persons/{person_id}"), 1);

  auto w = later->post("/api/v1/certification/applications/" + std::to_string(id) + "/withdraw", R"({"reason": "本人の意向"})");
  ASSERT_EQ(w->status, 200) << w->body;
  EXPECT_EQ(body(w)["status"], "withdrawn");
  EXPECT_EQ(body(w)["clock"], "done");
  EXPECT_EQ(body(w)["withdraw_reason"], "本人の意向");
  EXPECT_EQ(access_rows("1000000001", "write", "POST /api/v1/certification/applications/{application_id}/withdraw"), 1);
  auto again = later->post("/api/v1/certification/applications/" + std::to_string(id) + "/withdraw", R"({"reason": "x"})");
  EXPECT_EQ(again->status, 409);
}

TEST_P(CertificationApplicationApiTest, NT_01_BadInputNamesTheField) {
  ApiClient c = as("supervisor");
  auto expect = [&](const std::string& b, int status, const std::string& field) {
    auto r = c.post("/api/v1/certification/applications", b);
    ASSERT_EQ(r->status, status) << b << " → " << r->body;
    EXPECT_EQ(body(r)["error"]["field"], field) << r->body;
  };
  expect(R"({"kind": "new", "applied_on": "2026-11-24", "place": "home"})", 400, "person_id");
  expect(R"({"person_id": "1000000001", "kind": "later", "applied_on": "2026-11-24", "place": "home", "applicant_relation": "本人"})",
         400, "kind");
  expect(R"({"person_id": "1000000001", "kind": "new", "applied_on": "2026-11-31", "place": "home"})", 400, "applied_on");
  expect(R"({"person_id": "1000000001", "kind": "new", "applied_on": "2026-11-24", "place": "home", "applicant_relation": "友人"})",
         400, "applicant_relation");
  expect(R"({"person_id": "1000000003", "kind": "new", "applied_on": "2026-11-24", "place": "home", "applicant_relation": "本人"})",
         409, "person_id");  // 46 and not insured
  expect(R"({"person_id": "1999999999", "kind": "new", "applied_on": "2026-11-24", "place": "home", "applicant_relation": "本人"})",
         404, "person_id");
  auto n = f_->db().query("SELECT COUNT(*) FROM certification_application");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->front().i64(0), 0);
  auto bad_filter = c.get("/api/v1/certification/applications?filter=late");
  EXPECT_EQ(bad_filter->status, 400);
  EXPECT_EQ(body(bad_filter)["error"]["field"], "filter");
  auto missing = c.get("/api/v1/certification/applications/999");
  EXPECT_EQ(missing->status, 404);
  auto bad_month = c.get("/api/v1/certification/report?from=2026-1");
  EXPECT_EQ(bad_month->status, 400);
  EXPECT_EQ(body(bad_month)["error"]["field"], "from");
}

TEST_P(CertificationApplicationApiTest, PostponementNoticeAndReport) {
  ApiClient c = as("certification_staff");
  auto made = c.post("/api/v1/certification/applications", kIntake);
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string id = std::to_string(body(made)["application_id"].get<std::int64_t>());
  auto day31 = today("2026-12-25");
  auto list = day31->get("/api/v1/certification/applications?filter=overdue");
  ASSERT_EQ(list->status, 200);
  ASSERT_EQ(body(list)["total"], 1);
  EXPECT_EQ(body(list)["items"][0]["clock"], "overdue");
  EXPECT_EQ(body(list)["items"][0]["days_left"], -1);

  auto bad = day31->post("/api/v1/certification/applications/" + id + "/postponements",
                    R"({"reason": "主治医意見書の未着", "expected_on": "2026-12-20"})");
  ASSERT_EQ(bad->status, 400);
  EXPECT_EQ(body(bad)["error"]["field"], "expected_on");
  auto p = day31->post("/api/v1/certification/applications/" + id + "/postponements",
                  R"({"reason": "主治医意見書の未着", "expected_on": "2027-01-15"})");
  ASSERT_EQ(p->status, 201) << p->body;
  EXPECT_EQ(body(p)["expected_on"], "2027-01-15");
  EXPECT_FALSE(body(p)["document_id"].is_null());
  EXPECT_EQ(access_rows("1000000001", "write", "POST /api/v1/certification/applications/{application_id}/postponements"), 1);
  auto postponed = day31->get("/api/v1/certification/applications?filter=postponed");
  ASSERT_EQ(postponed->status, 200);
  EXPECT_EQ(body(postponed)["total"], 1);
  EXPECT_EQ(body(postponed)["items"][0]["postponed_until"], "2027-01-15");
  auto one = day31->get("/api/v1/certification/applications/" + id);
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(body(one)["clock"], "postponed");
  ASSERT_EQ(body(one)["documents"].size(), 1u);
  EXPECT_EQ(body(one)["documents"][0]["kind"], "postponement_notice");
  // The 延期通知書 as PDF, its read logged.
  const std::string pp = std::to_string(body(p)["postponement_id"].get<std::int64_t>());
  auto pdf = day31->get("/api/v1/certification/applications/" + id + "/postponements/" + pp + "/notice.pdf");
  ASSERT_EQ(pdf->status, 200) << pdf->body.substr(0, 300);
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body.substr(0, 5), "%PDF-");
  EXPECT_EQ(access_rows("1000000001", "read",
                        "GET /api/v1/certification/applications/{application_id}/postponements/{postponement_id}/notice.pdf"),
            1);
  auto other = day31->get("/api/v1/certification/applications/" + id + "/postponements/999/notice.pdf");
  EXPECT_EQ(other->status, 404);

  // Decided (as NT-12 leaves it) on day 40: the report counts it, late.
  ASSERT_TRUE(f_->db().exec(
      "UPDATE certification_application SET status = 'decided', decided_on = '2027-01-03' WHERE application_id = $1",
      {std::stoll(id)}));
  auto later = today("2027-01-10");
  auto rep = later->get("/api/v1/certification/report?from=2026-12&to=2027-01");
  ASSERT_EQ(rep->status, 200) << rep->body;
  const json r = body(rep);
  EXPECT_EQ(r["from"], "2026-12");
  EXPECT_EQ(r["to"], "2027-01");
  ASSERT_EQ(r["months"].size(), 1u);
  EXPECT_EQ(r["months"][0]["month"], "2027-01");
  EXPECT_EQ(r["months"][0]["count"], 1);
  EXPECT_EQ(r["months"][0]["mean_days_tenths"], 400);
  EXPECT_EQ(r["months"][0]["max_days"], 40);
  EXPECT_EQ(r["months"][0]["within_deadline_count"], 0);
  EXPECT_EQ(r["months"][0]["postponed"], 1);
  EXPECT_EQ(r["total"]["count"], 1);
  EXPECT_EQ(r["stages"].size(), 7u);
}

TEST_P(CertificationApplicationApiTest, OnlyCertificationWorkersSeeApplications) {
  for (server::Role role : server::all_roles()) {
    ApiClient c = as(std::string(server::role_name(role)));
    auto r = c.get("/api/v1/certification/applications");
    if (server::certification_workers().contains(role)) EXPECT_EQ(r->status, 200) << server::role_name(role);
    else EXPECT_EQ(r->status, 403) << server::role_name(role);
  }
}

INSTANTIATE_TEST_SUITE_P(Db, CertificationApplicationApiTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

// Counter cases through the HTTP API (docs/api-eligibility.md "Counter cases"), on SQLite and
// PostgreSQL: SK-01 open → checklist → complete, SK-06/07, an SK-04/05 inquiry sent from the case
// and its answer applied, the roles that may use the routes, and the access log of every read and
// write of the case's person.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "gateway/inquiry_service.hpp"
#include "gateway/transport.hpp"
#include "server_fixture.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "sim/number_network/settable_clock.hpp"

namespace kaigo::testing {
namespace {

using nlohmann::json;

json body(const httplib::Result& r) { return json::parse(r->body); }

class MovementCaseApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<ServerFixture>(GetParam());
    seed_standard_data(*f);
    // Not in the register yet (the fixture's insured have lived here since birth): a newcomer.
    f->add_person("2000000001", "窓口 三郎", "ソウグチ サブロウ", "1950-05-10", "H0009", "世帯主");
  }
  // Connects the server to the in-process 中間サーバー simulator (as serve does with chukan configured).
  void attach_gateway() {
    auto book = gateway::CodeBook::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(book) << book.error().message;
    codes = std::make_unique<gateway::CodeBook>(*book);
    sim_clock = std::make_unique<sim::network::SettableClock>(f->clock());
    simulator = std::make_unique<sim::network::IntermediateServerSim>(f->db(), *sim_clock);
    transport = gateway::make_in_process_transport(simulator->handler());
    inquiries = std::make_unique<gateway::InquiryService>(f->db(), *transport, *codes, f->clock());
    f->server().attach_gateway(*inquiries, *codes);
  }
  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = f->db().query(sql, params);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows && !rows->empty() ? (*rows)[0].i64(0) : -1;
  }
  std::int64_t access(const std::string& person, const std::string& action, const std::string& resource) {
    return count("SELECT COUNT(*) FROM access_log WHERE person_id = $1 AND action = $2 AND resource = $3",
                 {person, action, resource});
  }
  json open_case(ApiClient& c, const json& request) {
    auto r = c.post("/api/v1/movement-cases", request.dump());
    EXPECT_EQ(r->status, 201) << r->body;
    return body(r);
  }
  void tick_all(ApiClient& c, const json& k) {
    for (const auto& item : k["checklist"])
      if (!item["done"].get<bool>()) {
        auto r = c.post(fmt::format("/api/v1/movement-cases/{}/checklist/{}", k["case_id"].get<std::int64_t>(),
                                    item["item"].get<std::string>()),
                        R"({"done":true})");
        ASSERT_EQ(r->status, 200) << r->body;
      }
  }

  std::unique_ptr<ServerFixture> f;
  std::unique_ptr<gateway::CodeBook> codes;
  std::unique_ptr<sim::network::SettableClock> sim_clock;
  std::unique_ptr<sim::network::IntermediateServerSim> simulator;
  std::unique_ptr<gateway::Transport> transport;
  std::unique_ptr<gateway::InquiryService> inquiries;
};

const json kMoveIn = {{"person_id", "2000000001"}, {"movement_kind", "move_in"}, {"movement_date", "2026-11-10"},
                      {"notified_on", "2026-11-13"}, {"notifier", "本人"},        {"note", "前住所 横浜市"}};

TEST_P(MovementCaseApiTest, SK_01_OpenTickCompleteWithTheAccessLog) {
  ApiClient staff(f->port());
  ASSERT_EQ(staff.login("eligibility_staff")->status, 200);
  json k = open_case(staff, kMoveIn);
  const auto id = k["case_id"].get<std::int64_t>();
  EXPECT_EQ(k["movement_kind_label"], "転入");
  EXPECT_EQ(k["name_kanji"], "窓口 三郎");
  EXPECT_EQ(k["status"], "open");
  EXPECT_TRUE(k["outcome"].is_null());
  ASSERT_FALSE(k["checklist"].empty());
  EXPECT_EQ(k["checklist"][1]["item"], "former_city_address");
  EXPECT_EQ(k["checklist"][1]["label"], "前住所地への住民票関係情報照会 (SK-04)");
  EXPECT_EQ(access("2000000001", "write", "POST /api/v1/movement-cases"), 1);

  const std::string path = fmt::format("/api/v1/movement-cases/{}", id);
  auto got = staff.get(path);
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(body(got)["case_id"], id);
  EXPECT_EQ(access("2000000001", "read", "GET /api/v1/movement-cases/{case_id}"), 1);

  auto early = staff.post(path + "/complete", "");
  ASSERT_EQ(early->status, 409) << early->body;
  EXPECT_EQ(body(early)["error"]["field"], "checklist");

  tick_all(staff, k);
  EXPECT_GE(access("2000000001", "write", "POST /api/v1/movement-cases/{case_id}/checklist/{item}"), 1);
  auto done = staff.post(path + "/complete", "");
  ASSERT_EQ(done->status, 200) << done->body;
  json outcome = body(done)["outcome"];
  EXPECT_EQ(body(done)["status"], "completed");
  ASSERT_TRUE(outcome["revision_id"].is_number()) << done->body;
  EXPECT_FALSE(outcome["changes"].empty()) << outcome.dump();
  EXPECT_NE(outcome["summary"].get<std::string>().find("転入 2026-11-10"), std::string::npos);
  EXPECT_EQ(access("2000000001", "write", "POST /api/v1/movement-cases/{case_id}/complete"), 1);
  EXPECT_EQ(staff.post(path + "/complete", "")->status, 409);
  EXPECT_EQ(staff.post(path + "/cancel", R"({"reason":"x"})")->status, 409);

  auto list = staff.get("/api/v1/movement-cases?status=completed");
  ASSERT_EQ(list->status, 200);
  ASSERT_EQ(body(list)["items"].size(), 1u);
  EXPECT_EQ(body(list)["items"][0]["case_id"], id);
  EXPECT_EQ(access("2000000001", "read", "GET /api/v1/movement-cases"), 1);
  EXPECT_EQ(staff.get("/api/v1/movement-cases?status=open")->status, 200);
  EXPECT_TRUE(body(staff.get("/api/v1/movement-cases?status=open"))["items"].empty());
}

TEST_P(MovementCaseApiTest, SK_01_OnlyEligibilityStaffAndSupervisorsUseCases) {
  ApiClient supervisor(f->port());
  ASSERT_EQ(supervisor.login("supervisor")->status, 200);
  const auto id = open_case(supervisor, kMoveIn)["case_id"].get<std::int64_t>();
  for (const char* role : {"premium_staff", "certification_staff", "benefit_staff", "auditor", "administrator"}) {
    ApiClient other(f->port());
    ASSERT_EQ(other.login(role)->status, 200);
    EXPECT_EQ(other.get(fmt::format("/api/v1/movement-cases/{}", id))->status, 403) << role;
    EXPECT_EQ(other.post("/api/v1/movement-cases", kMoveIn.dump())->status, 403) << role;
  }
  ApiClient anon(f->port());
  EXPECT_EQ(anon.get("/api/v1/movement-cases")->status, 401);
  EXPECT_EQ(count("SELECT COUNT(*) FROM movement_case"), 1);
}

TEST_P(MovementCaseApiTest, SK_01_BadRequestsNameTheirField) {
  ApiClient staff(f->port());
  ASSERT_EQ(staff.login("eligibility_staff")->status, 200);
  auto field = [&](const std::string& method, const std::string& path, const std::string& b) {
    auto r = staff.send(method, path, b);
    const json field = body(r)["error"]["field"];
    return std::make_pair(r->status, field.is_string() ? field.get<std::string>() : std::string());
  };
  json bad = kMoveIn;
  bad["movement_kind"] = "moving";
  EXPECT_EQ(field("POST", "/api/v1/movement-cases", bad.dump()), std::make_pair(400, std::string("movement_kind")));
  bad = kMoveIn;
  bad.erase("notifier");
  EXPECT_EQ(field("POST", "/api/v1/movement-cases", bad.dump()), std::make_pair(400, std::string("notifier")));
  bad = kMoveIn;
  bad["person_id"] = "9999999999";
  EXPECT_EQ(field("POST", "/api/v1/movement-cases", bad.dump()), std::make_pair(404, std::string("person_id")));
  EXPECT_EQ(field("GET", "/api/v1/movement-cases/77", ""), std::make_pair(404, std::string("case_id")));
  EXPECT_EQ(field("GET", "/api/v1/movement-cases/x", ""), std::make_pair(400, std::string("case_id")));
  EXPECT_EQ(field("GET", "/api/v1/movement-cases?status=done", ""), std::make_pair(400, std::string("status")));
  const auto id = open_case(staff, kMoveIn)["case_id"].get<std::int64_t>();
  const std::string path = fmt::format("/api/v1/movement-cases/{}", id);
  EXPECT_EQ(field("POST", path + "/checklist/identity", R"({"done":"yes"})"), std::make_pair(400, std::string("done")));
  EXPECT_EQ(field("POST", path + "/checklist/nothing", R"({"done":true})"), std::make_pair(404, std::string("item")));
  EXPECT_EQ(field("POST", path + "/inquiries", R"({"kind":"city_resident"})").first, 503) << "no gateway configured";
  EXPECT_EQ(field("POST", path + "/cancel", "{}"), std::make_pair(400, std::string("reason")));
}

TEST_P(MovementCaseApiTest, SK_06_07_NonRegisteredQuestionAndAnswer) {
  ApiClient staff(f->port());
  ASSERT_EQ(staff.login("eligibility_staff")->status, 200);
  json request = kMoveIn;
  request["movement_kind"] = "former_address_rule_start";
  const auto id = open_case(staff, request)["case_id"].get<std::int64_t>();
  const std::string path = fmt::format("/api/v1/movement-cases/{}/non-registered", id);
  EXPECT_EQ(staff.post(path + "/answer", R"({"answer":"施設","answered_on":"2026-11-20"})")->status, 409);
  auto asked = staff.post(path + "/question", R"({"question":"現在の居所は","asked_on":"2026-11-18"})");
  ASSERT_EQ(asked->status, 200) << asked->body;
  EXPECT_EQ(body(asked)["non_registered"]["question"], "現在の居所は");
  EXPECT_TRUE(body(asked)["non_registered"]["answer"].is_null());
  auto answered = staff.post(path + "/answer", R"({"answer":"市外の有料老人ホーム","answered_on":"2026-11-20"})");
  ASSERT_EQ(answered->status, 200) << answered->body;
  EXPECT_EQ(body(answered)["non_registered"]["answer"], "市外の有料老人ホーム");
  for (const auto& item : body(answered)["checklist"]) {
    if (item["item"] == "non_registered") {
      EXPECT_TRUE(item["done"].get<bool>());
    }
  }
  EXPECT_EQ(access("2000000001", "write", "POST /api/v1/movement-cases/{case_id}/non-registered/answer"), 1);
}

TEST_P(MovementCaseApiTest, SK_04_05_InquiryFromTheCaseScreenAndItsAnswerApplied) {
  attach_gateway();
  ASSERT_TRUE(f->db().exec("INSERT INTO person_origin (person_id, former_municipality_code, former_municipality_name, "
                           "moved_in_on, source, recorded_at, recorded_by) VALUES ('2000000001', '141003', '神奈川県横浜市', "
                           "'2026-11-10', 'synthetic_city', '2026-01-01T00:00:00+09:00', 'test')"));
  ApiClient staff(f->port());
  ASSERT_EQ(staff.login("eligibility_staff")->status, 200);
  const auto id = open_case(staff, kMoveIn)["case_id"].get<std::int64_t>();
  const std::string path = fmt::format("/api/v1/movement-cases/{}", id);
  auto sent = staff.post(path + "/inquiries", R"({"kind":"city_resident"})");
  ASSERT_EQ(sent->status, 200) << sent->body;
  json q = body(sent)["inquiries"][0];
  EXPECT_EQ(q["flow_id"], "SK-04");
  EXPECT_EQ(q["status"], "submitted");
  EXPECT_EQ(q["applied"], false);
  const auto inquiry_id = q["inquiry_id"].get<std::int64_t>();
  const std::string apply = fmt::format("{}/inquiries/{}/apply", path, inquiry_id);
  EXPECT_EQ(staff.post(apply, "")->status, 409) << "no answer yet";
  EXPECT_EQ(staff.post(path + "/inquiries", R"({"kind":"city_weather"})")->status, 400);

  f->clock().advance(std::chrono::minutes(10));
  ASSERT_TRUE(inquiries->run_due(f->clock()));
  auto answered = staff.get(path);
  ASSERT_EQ(body(answered)["inquiries"][0]["status"], "provided") << answered->body;
  EXPECT_EQ(body(answered)["inquiries"][0]["answer"]["items"]["former_municipality_code"], "141003");
  auto applied = staff.post(apply, "");
  ASSERT_EQ(applied->status, 200) << applied->body;
  json a = body(applied)["inquiries"][0];
  EXPECT_EQ(a["applied"], true);
  EXPECT_EQ(a["answer_flow_id"], "SK-05");
  EXPECT_NE(a["apply_summary"].get<std::string>().find("氏名: 一致"), std::string::npos) << a.dump();
  for (const auto& item : body(applied)["checklist"]) {
    if (item["item"] == "former_city_address") {
      EXPECT_TRUE(item["done"].get<bool>());
    }
  }
  auto twice = staff.post(apply, "");
  ASSERT_EQ(twice->status, 200);
  EXPECT_EQ(body(twice)["inquiries"][0]["applied_at"], a["applied_at"]);
  EXPECT_EQ(access("2000000001", "write", "POST /api/v1/movement-cases/{case_id}/inquiries"), 1);
  EXPECT_EQ(access("2000000001", "write", "POST /api/v1/movement-cases/{case_id}/inquiries/{inquiry_id}/apply"), 2);
}

INSTANTIATE_TEST_SUITE_P(Db, MovementCaseApiTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

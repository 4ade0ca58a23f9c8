// 住基連携 routes: the registry files and quarantine for 資格担当 and 監督者 only, resolving a line,
// asking the registry about a person (SK-02, access-logged), and the simulator demo controls.
#include <gtest/gtest.h>

#include "eligibility/juki_service.hpp"
#include "linkage/exchange_store.hpp"
#include "server_fixture.hpp"

namespace kaigo {
namespace {

using nlohmann::json;
using testing::ApiClient;
using testing::ServerFixture;

const std::string kDiff =
    "異動番号,異動事由,異動日,届出日,宛名番号,世帯番号,氏名,氏名カナ,生年月日,性別,続柄,郵便番号,住所,区コード,"
    "前住所市町村コード,前住所市町村名,転出先転入日\n"
    "M1,02,20260403,20260403,9999999999,7000000001,佐藤 太郎,サトウ タロウ,19500101,1,世帯主,2910100,住所,981,,,\n";

class JukiApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<ServerFixture>(GetParam());
    testing::seed_standard_data(*f);
  }
  json body(const httplib::Result& r) { return json::parse(r->body); }
  std::int64_t count(const std::string& sql, const store::Params& p = {}) { return (*f->db().query(sql, p)).front().i64(0); }
  std::unique_ptr<ServerFixture> f;
};

TEST_P(JukiApiTest, SK_16_LoadsAndQuarantineListedAndResolvedByRegistryStaff) {
  // A difference file naming an unknown person: applied, its line quarantined.
  linkage::InboundMessage m{"SK-16", "juki", kDiff, "text/csv", std::nullopt, "", {}, "file SK-16_diff.csv from juki", "test"};
  auto r = linkage::receive_inbound(f->db(), f->clock(), m, eligibility::juki::registry_file_handler(f->clock()));
  ASSERT_TRUE(r && r->outcome == linkage::InboundOutcome::applied);

  ApiClient other(f->port());
  ASSERT_EQ(other.login("premium_staff")->status, 200);
  EXPECT_EQ(other.get("/api/v1/juki/loads")->status, 403);
  EXPECT_EQ(other.get("/api/v1/juki/quarantine")->status, 403);

  ApiClient c(f->port());
  ASSERT_EQ(c.login("eligibility_staff")->status, 200);
  auto loads = c.get("/api/v1/juki/loads");
  ASSERT_EQ(loads->status, 200) << loads->body;
  ASSERT_EQ(body(loads)["items"].size(), 1u);
  EXPECT_EQ(body(loads)["items"][0]["file_name"], "SK-16_diff.csv");
  EXPECT_EQ(body(loads)["items"][0]["quarantined"], 1);
  EXPECT_EQ(body(loads)["items"][0]["status"], "applied");
  EXPECT_EQ(c.get("/api/v1/juki/loads?limit=0")->status, 400);

  auto open = c.get("/api/v1/juki/quarantine?status=open");
  ASSERT_EQ(open->status, 200) << open->body;
  ASSERT_EQ(body(open)["items"].size(), 1u);
  const json item = body(open)["items"][0];
  EXPECT_EQ(item["line_no"], 2);
  EXPECT_EQ(item["field"], "宛名番号");
  EXPECT_EQ(item["person_id"], "9999999999");
  // The person named on the line is in the access log as read.
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '9999999999' AND action = 'read'"), 1);
  EXPECT_EQ(c.get("/api/v1/juki/quarantine?status=maybe")->status, 400);

  const std::string resolve = "/api/v1/juki/quarantine/" + std::to_string(item["quarantine_id"].get<std::int64_t>()) + "/resolve";
  EXPECT_EQ(c.post(resolve, R"({})")->status, 400);
  auto done = c.post(resolve, R"({"resolution":"他市の宛名番号: 住基に返送"})");
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(body(done)["status"], "resolved");
  EXPECT_EQ(body(done)["resolved_by"], "eligibility_staff");
  EXPECT_EQ(c.post(resolve, R"({"resolution":"again"})")->status, 409);
  EXPECT_EQ(c.post("/api/v1/juki/quarantine/999/resolve", R"({"resolution":"x"})")->status, 404);
  EXPECT_EQ(body(c.get("/api/v1/juki/quarantine?status=open"))["items"].size(), 0u);
}

TEST_P(JukiApiTest, SK_02_RegistryInquiryQueuedAndLogged) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("supervisor")->status, 200);
  auto r = c.post("/api/v1/persons/1000000001/registry-inquiry", "{}");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["status"], "queued");
  const auto id = body(r)["exchange_id"].get<std::int64_t>();
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE exchange_id = $1 AND flow_id = 'SK-02' AND counterpart = 'juki'", {id}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001' AND action = 'write'"), 1);
  EXPECT_EQ(c.post("/api/v1/persons/9999999999/registry-inquiry", "{}")->status, 404);
  ApiClient other(f->port());
  ASSERT_EQ(other.login("benefit_staff")->status, 200);
  EXPECT_EQ(other.post("/api/v1/persons/1000000001/registry-inquiry", "{}")->status, 403);
}

TEST_P(JukiApiTest, SimulatorControlsAdvanceTheAttachedSimulator) {
  int asked = 0;
  f->server().attach_simulator("juki", [&asked](int days) -> Result<std::string> {
    asked = days;
    return std::string("2026-04-01 – 2026-04-30: 12 movements");
  });
  ApiClient c(f->port());
  ASSERT_EQ(c.login("eligibility_staff")->status, 200);
  auto list = c.get("/api/v1/simulators");
  ASSERT_EQ(list->status, 200);
  ASSERT_EQ(body(list)["items"].size(), 1u);
  EXPECT_EQ(body(list)["items"][0]["label"], "住民基本台帳 (模擬)");
  auto adv = c.post("/api/v1/simulators/juki/advance", R"({"days":30})");
  ASSERT_EQ(adv->status, 200) << adv->body;
  EXPECT_EQ(asked, 30);
  EXPECT_EQ(body(adv)["summary"], "2026-04-01 – 2026-04-30: 12 movements");
  EXPECT_EQ(c.post("/api/v1/simulators/juki/advance", R"({"days":0})")->status, 400);
  EXPECT_EQ(c.post("/api/v1/simulators/juki/advance", R"({"days":"x"})")->status, 400);
  EXPECT_EQ(c.post("/api/v1/simulators/kokuho/advance", R"({"days":1})")->status, 404);
}

INSTANTIATE_TEST_SUITE_P(Db, JukiApiTest, ::testing::ValuesIn(kaigo::testing::backends()), kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo

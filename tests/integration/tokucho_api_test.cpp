// 特別徴収 routes: a person's collection (賦課担当・監督者・資格担当 read it; the read is in the access
// log), the 特別徴収 files with a refused file's errors by record and field, queueing FK-15.
#include <gtest/gtest.h>

#include "linkage/exchange_store.hpp"
#include "premium/tokucho_service.hpp"
#include "server_fixture.hpp"

namespace kaigo {
namespace {

using nlohmann::json;
using testing::ApiClient;
using testing::ServerFixture;

class TokuchoApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<ServerFixture>(GetParam());
    testing::seed_standard_data(*f);
    auto loaded = premium::TokuchoConfig::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(loaded) << loaded.error().message;
    config = std::make_unique<premium::TokuchoConfig>(std::move(*loaded));
    f->clock().set(FixedClock::at(Date(2026, 5, 20)).now());
  }
  json body(const httplib::Result& r) { return json::parse(r->body); }
  std::int64_t count(const std::string& sql, const store::Params& p = {}) { return (*f->db().query(sql, p)).front().i64(0); }
  std::unique_ptr<ServerFixture> f;
  std::unique_ptr<premium::TokuchoConfig> config;
};

TEST_P(TokuchoApiTest, FK_15_APersonsCollectionIsReadByPremiumStaffAndLogged) {
  ASSERT_TRUE(f->db().exec(
      "INSERT INTO premium_assessment (person_id, fiscal_year, revision, is_current, insured_no, base_date, stage, "
      "stage_label, ratio, reduced, annual_amount, months, amount, previous_amount, table_name, table_sha256, "
      "table_effective_from, inputs, explanation, cause, assessed_at, assessed_by) VALUES ('1000000001', 2026, 0, 1, "
      "'0100000001', '2026-04-01', 5, '第5段階', '1/1', 0, 74400, 12, 74400, 0, 't', 'x', '2026-04-01', '{}', '[]', "
      "'annual', 'x', 'test')"));
  premium::tokucho::PlanOptions o;
  o.fiscal_year = 2026;
  o.actor = "test";
  auto run = premium::tokucho::plan_collection(f->db(), f->clock(), *config, o);
  ASSERT_TRUE(run) << run.error().message;

  ApiClient c(f->port());
  ASSERT_EQ(c.login("premium_staff")->status, 200);
  auto r = c.get("/api/v1/persons/1000000001/premium/collection");
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = body(r);
  ASSERT_EQ(j["years"].size(), 1u);
  EXPECT_EQ(j["years"][0]["deduction_status"], "none");
  EXPECT_EQ(j["years"][0]["instalments"].size(), 10u) << "普通徴収 10期 (config/rules/collection.json)";
  EXPECT_EQ(j["years"][0]["assessment"]["amount"], 74400);
  EXPECT_FALSE(j["years"][0]["plans"][0]["explanation"].empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001' AND action = 'read' AND resource = "
                  "'GET /api/v1/persons/{person_id}/premium/collection'"),
            1);
  EXPECT_EQ(c.get("/api/v1/persons/9999999999/premium/collection")->status, 404);

  ApiClient auditor(f->port());
  ASSERT_EQ(auditor.login("auditor")->status, 200);
  EXPECT_EQ(auditor.get("/api/v1/persons/1000000001/premium/collection")->status, 403);
}

TEST_P(TokuchoApiTest, FK_14_RefusedFilesAreListedWithRecordAndField) {
  // A target list cut short: refused whole, its error named for staff.
  const std::string bytes(96 + 499, '0');
  auto payload = premium::tokucho::payload_of(bytes);
  ASSERT_TRUE(payload);
  linkage::InboundMessage m{"FK-14", "kokuhoren", *payload, "text/plain", std::nullopt, "", {},
                            "file FK-14_short.txt from kokuhoren", "channel:test"};
  auto in = linkage::receive_inbound(f->db(), f->clock(), m, premium::tokucho::target_list_handler(f->clock(), *config));
  ASSERT_TRUE(in);
  ASSERT_EQ(in->outcome, linkage::InboundOutcome::rejected);
  ASSERT_TRUE(premium::tokucho::record_rejected_files(f->db(), f->clock(), *config));

  ApiClient c(f->port());
  ASSERT_EQ(c.login("supervisor")->status, 200);
  auto r = c.get("/api/v1/tokucho/files?status=rejected");
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = body(r);
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["file_name"], "FK-14_short.txt");
  EXPECT_EQ(j["items"][0]["errors"][0]["record_no"], 0);
  EXPECT_EQ(j["items"][0]["errors"][0]["field"], "(ファイル)");
  EXPECT_EQ(c.get("/api/v1/tokucho/files?status=lost")->status, 400);

  ApiClient other(f->port());
  ASSERT_EQ(other.login("eligibility_staff")->status, 200);
  EXPECT_EQ(other.get("/api/v1/tokucho/files")->status, 403);
}

TEST_P(TokuchoApiTest, FK_15_RequestsAreQueuedFromTheApi) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("premium_staff")->status, 200);
  EXPECT_EQ(c.post("/api/v1/tokucho/requests", "{}")->status, 400) << "fiscal_year is required";
  auto r = c.post("/api/v1/tokucho/requests", R"({"fiscal_year": 2026})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["status"], "nothing_to_request");
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'FK-15'"), 0);
}

INSTANTIATE_TEST_SUITE_P(Db, TokuchoApiTest, ::testing::ValuesIn(kaigo::testing::backends()), kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo

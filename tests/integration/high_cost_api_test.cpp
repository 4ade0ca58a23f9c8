// 高額介護サービス費 through the API (SQLite and PostgreSQL): KY-05 the application keyed in at the
// counter (a bad field named, the account answered masked), the monthly run, the decision with its
// explanation, the KY-16 notice, the KY-17 payment file sent once; every read and write of the
// person in the access log.
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "benefit/codes.hpp"
#include "server_fixture.hpp"
#include "test_db.hpp"

namespace kaigo::testing {
namespace {

using nlohmann::json;

json body(const httplib::Result& r) { return json::parse(r->body); }

class HighCostApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<ServerFixture>(GetParam());
    seed_standard_data(*f);
    auto rules = benefit::load_benefit_rules(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/benefit");
    ASSERT_TRUE(rules) << rules.error().message;
    config.rules = std::move(*rules);
    config.service_kinds = {{"11", "訪問介護", true, true}, {"41", "特定福祉用具購入費", false, false}};
    f->server().attach_benefit(config);
    f->clock().set(FixedClock::at(Date(2026, 7, 10)).now());
    // 山田 太郎 (1000000001), household H0001: taxed, 課税所得 below 380万 → cap 44,400.
    ASSERT_TRUE(f->db().exec(
        "INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
        "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income, source, "
        "source_exchange_id, recorded_at, recorded_by) VALUES ('1000000001', 2024, 2000000, 1500000, 1500000, 0, 0, 0, 1, "
        "1000000, 'tax_office', NULL, '2025-06-01T09:00:00+09:00', 'test')"));
    ASSERT_TRUE(f->db().exec("INSERT INTO benefit_inbound_file (flow_id, exchange_id, sha256, layout_version, status, "
                             "record_count, summary, quarantine_path, received_at) VALUES ('KY-04', NULL, 'api', 'v1', "
                             "'applied', 1, '{}', NULL, '2026-06-20T09:00:00+09:00')"));
    ASSERT_TRUE(f->db().exec(
        "INSERT INTO benefit_record (claim_no, person_id, insured_no, service_month, review_month, office_no, service_kind, "
        "payment_kind, days, units, unit_price_hundredths, total_cost, insurance_paid, copayment, public_paid, status, "
        "file_id, line_no, replaced_by, recorded_at) VALUES ('A1', '1000000001', '0100000001', '2026-05', '2026-06', "
        "'1410000001', '11', 'in_kind', 20, 50000, 1000, 500000, 450000, 50000, 0, 'current', 1, 1, NULL, "
        "'2026-06-20T09:00:00+09:00')"));
    client = std::make_unique<ApiClient>(f->port());
    ASSERT_EQ(client->login("benefit_staff")->status, 200);
  }

  std::int64_t count(const std::string& sql) {
    auto r = f->db().query(sql);
    EXPECT_TRUE(r);
    return r && !r->empty() ? r->front().i64(0) : -1;
  }

  std::unique_ptr<ServerFixture> f;
  benefit::BenefitConfig config;
  std::unique_ptr<ApiClient> client;
};

TEST_P(HighCostApi, KY_05_KY_16_KY_17_ApplicationRunDecisionNoticeAndPaymentFile) {
  const std::string apps = "/api/v1/persons/1000000001/high-cost-applications";
  auto bad = client->post(apps, R"({"first_month":"2026-04","bank_code":"12","branch_code":"123","account_kind":"ordinary",
                                   "account_no":"1234567","account_holder_kana":"ﾔﾏﾀﾞ ﾀﾛｳ"})");
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(body(bad)["error"]["field"], "bank_code");
  auto ok = client->post(apps, R"({"first_month":"2026-04","bank_code":"0001","branch_code":"123","account_kind":"ordinary",
                                  "account_no":"1234567","account_holder_kana":"ﾔﾏﾀﾞ ﾀﾛｳ"})");
  ASSERT_EQ(ok->status, 201) << ok->body;
  EXPECT_EQ(body(ok)["account_no"], "****567");
  EXPECT_EQ(body(ok)["account_holder_kana"], "ヤマダ タロウ");
  auto listed = client->get(apps);
  ASSERT_EQ(listed->status, 200);
  EXPECT_EQ(body(listed)["items"].size(), 1u);

  auto run = client->post("/api/v1/benefit/high-cost-runs", R"({"month":"2026-05"})");
  ASSERT_EQ(run->status, 201) << run->body;
  EXPECT_EQ(body(run)["persons"], 1);
  EXPECT_EQ(body(run)["paid"], 1);
  EXPECT_EQ(body(run)["paid_total"], 5600);
  auto bad_month = client->post("/api/v1/benefit/high-cost-runs", R"({"month":"2026-5"})");
  ASSERT_EQ(bad_month->status, 400);
  EXPECT_EQ(body(bad_month)["error"]["field"], "month");

  auto decisions = client->get("/api/v1/persons/1000000001/high-cost-decisions");
  ASSERT_EQ(decisions->status, 200);
  ASSERT_EQ(body(decisions)["items"].size(), 1u);
  const json d = body(decisions)["items"][0];
  EXPECT_EQ(d["amount"], 5600);
  EXPECT_EQ(d["held"], false);
  const std::string id = std::to_string(d["decision_id"].get<std::int64_t>());
  auto one = client->get("/api/v1/high-cost-decisions/" + id);
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(body(one)["explanation"]["category"], "taxed");
  EXPECT_EQ(body(one)["explanation"]["cap"]["household"], 44400);

  auto pdf = client->get("/api/v1/high-cost-decisions/" + id + "/notice.pdf");
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body.rfind("%PDF", 0), 0u);

  auto sent = client->post("/api/v1/benefit/payment-files", R"({"flow":"KY-17"})");
  ASSERT_EQ(sent->status, 201) << sent->body;
  ASSERT_EQ(body(sent)["items"].size(), 1u);
  EXPECT_EQ(body(sent)["items"][0]["rows"], 1);
  EXPECT_EQ(body(sent)["items"][0]["total"], 5600);
  auto nothing = client->post("/api/v1/benefit/payment-files", R"({"flow":"KY-17"})");
  ASSERT_EQ(nothing->status, 200);
  EXPECT_TRUE(body(nothing)["items"].empty());
  auto files = client->get("/api/v1/benefit/payment-files?flow=KY-17");
  ASSERT_EQ(files->status, 200);
  EXPECT_EQ(body(files)["items"].size(), 1u);
  auto wrong_flow = client->post("/api/v1/benefit/payment-files", R"({"flow":"KY-99"})");
  ASSERT_EQ(wrong_flow->status, 400);
  EXPECT_EQ(body(wrong_flow)["error"]["field"], "flow");

  // The counter's reads and writes of the person are in the access log.
  EXPECT_GE(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001' AND resource LIKE '%high-cost%'"), 5);
  EXPECT_GE(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001' AND resource LIKE '%payment-files%'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Db, HighCostApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

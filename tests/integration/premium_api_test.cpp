// The 賦課 API end to end over HTTP (SQLite and PostgreSQL): a person's assessment with its
// explanation, the table in force, the yearly run opened on screen and worked by the background
// job, the what-if with a bad and a good table, the FK-11 notice PDF, and the roles.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "eligibility/register.hpp"
#include "premium/assessment.hpp"
#include "premium/premium_notice.hpp"
#include "server_fixture.hpp"

namespace kaigo::testing {
namespace {

using nlohmann::json;

json body(const httplib::Result& r) { return json::parse(r->body); }

class PremiumApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f_ = std::make_unique<ServerFixture>(GetParam());
    seed_standard_data(*f_);
    f_->add_person("0000900001", "賦課 一郎", "フカ イチロウ", "1948-06-15", "H900", "世帯主");
    ASSERT_TRUE(f_->db().exec(
        "INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
        "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income, source, "
        "source_exchange_id, recorded_at, recorded_by) VALUES ('0000900001', 2025, 0, 700000, 700000, 0, 0, 0, 0, 0, "
        "'tax_office', NULL, '2026-06-01T09:00:00+09:00', 'test')"));
    auto r = eligibility::register_initial_residents(
        f_->db(), f_->clock(), eligibility::ChangeSource{"staff", std::nullopt, std::nullopt, "tester", "初期登録"});
    ASSERT_TRUE(r) << r.error().message;
  }

  ApiClient as(const std::string& role) {
    ApiClient c(f_->port());
    EXPECT_EQ(c.login(role)->status, 200);
    return c;
  }

  std::unique_ptr<ServerFixture> f_;
};

TEST_P(PremiumApiTest, AssessAPersonAndReadWhy) {
  ApiClient c = as("premium_staff");
  auto made = c.post("/api/v1/persons/0000900001/premium/assessments", R"({"fiscal_year": 2026})");
  ASSERT_EQ(made->status, 200) << made->body;
  EXPECT_EQ(body(made)["outcome"], "created");
  EXPECT_EQ(body(made)["assessment"]["stage"], 1);

  auto read = c.get("/api/v1/persons/0000900001/premium/assessments");
  ASSERT_EQ(read->status, 200) << read->body;
  const json a = body(read)["assessments"][0];
  EXPECT_EQ(a["stage_label"], "第1段階");
  EXPECT_EQ(a["amount"], 21280);
  EXPECT_EQ(a["inputs"]["tax"]["from"]["source"], "tax_office");
  bool has_base_date = false;
  for (const auto& line : a["explanation"]) has_base_date |= line["label"] == "賦課基準日";
  EXPECT_TRUE(has_base_date) << a["explanation"].dump();

  auto logged = f_->db().query("SELECT COUNT(*) FROM access_log WHERE person_id = '0000900001' AND user_id = 'premium_staff'");
  ASSERT_TRUE(logged);
  EXPECT_GE(logged->at(0).i64(0), 2);  // the write and the read

  auto again = c.post("/api/v1/persons/0000900001/premium/assessments", R"({"fiscal_year": 2026})");
  EXPECT_EQ(body(again)["outcome"], "unchanged");
  auto nobody = c.post("/api/v1/persons/NOBODY/premium/assessments", R"({"fiscal_year": 2026})");
  EXPECT_EQ(nobody->status, 404);

  // 資格担当 reads, does not assess.
  ApiClient e = as("eligibility_staff");
  EXPECT_EQ(e.get("/api/v1/persons/0000900001/premium/assessments")->status, 200);
  EXPECT_EQ(e.post("/api/v1/persons/0000900001/premium/assessments", R"({"fiscal_year": 2026})")->status, 403);
}

TEST_P(PremiumApiTest, TheTableInForce) {
  ApiClient c = as("premium_staff");
  auto t = c.get("/api/v1/premium/table?fiscal_year=2026");
  ASSERT_EQ(t->status, 200) << t->body;
  EXPECT_EQ(body(t)["base_amount"], 74700);
  EXPECT_EQ(body(t)["stages"].size(), 13u);
  EXPECT_EQ(body(t)["effective_from"], "2026-04-01");
  EXPECT_EQ(c.get("/api/v1/premium/table?fiscal_year=1999")->status, 404);
  EXPECT_EQ(c.get("/api/v1/premium/table?fiscal_year=20x6")->status, 400);
}

TEST_P(PremiumApiTest, TheYearlyRunOpenedOnScreenIsWorkedInTheBackground) {
  ApiClient c = as("premium_staff");
  auto opened = c.post("/api/v1/premium/runs", R"({"job": "annual", "fiscal_year": 2026})");
  ASSERT_EQ(opened->status, 202) << opened->body;
  EXPECT_EQ(body(opened)["status"], "running");
  // What the server's background job does each pass.
  auto worked = premium::resume_annual_runs(f_->db(), f_->clock(), f_->premium_tables());
  ASSERT_TRUE(worked) << worked.error().message;
  auto runs = c.get("/api/v1/premium/runs");
  ASSERT_EQ(runs->status, 200);
  const json run = body(runs)["runs"][0];
  EXPECT_EQ(run["status"], "done");
  EXPECT_EQ(run["done"], run["total"]);
  EXPECT_GE(run["done"].get<int>(), 1);
  auto bad = c.post("/api/v1/premium/runs", R"({"job": "weekly"})");
  EXPECT_EQ(bad->status, 400);
  auto revisions = c.post("/api/v1/premium/runs", R"({"job": "revisions"})");
  ASSERT_EQ(revisions->status, 200) << revisions->body;
  EXPECT_EQ(body(revisions)["status"], "nothing_queued");
}

TEST_P(PremiumApiTest, WhatIfWithABadAndAGoodTable) {
  ApiClient c = as("premium_staff");
  auto bad = c.post("/api/v1/premium/simulations", R"({"fiscal_year": 2026, "table": {"name": "x"}})");
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_NE(body(bad)["error"]["message"].get<std::string>().find("table"), std::string::npos);

  std::ifstream in(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/premium/fy2024-2026.json");
  std::stringstream shipped;
  shipped << in.rdbuf();
  json request = {{"fiscal_year", 2026}, {"table", json::parse(shipped.str())}};
  auto good = c.post("/api/v1/premium/simulations", request.dump());
  ASSERT_EQ(good->status, 200) << good->body;
  const json sim = body(good);
  EXPECT_GE(sim["current"]["persons"].get<int>(), 1);
  EXPECT_EQ(sim["current"]["stages"].size(), 13u);
  // The proposed table is the shipped one's first version (FY2024 figures): same persons.
  EXPECT_EQ(sim["proposed"]["persons"], sim["current"]["persons"]);
}

TEST_P(PremiumApiTest, FK_11_TheNoticeOfOnePersonIsAPdf) {
  ApiClient c = as("premium_staff");
  ASSERT_EQ(c.post("/api/v1/persons/0000900001/premium/assessments", R"({"fiscal_year": 2026})")->status, 200);
  auto pdf = c.get("/api/v1/persons/0000900001/premium/notice.pdf?fiscal_year=2026");
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body.substr(0, 5), "%PDF-");
  EXPECT_EQ(c.get("/api/v1/persons/0000900001/premium/notice.pdf?fiscal_year=2020")->status, 404);
  // The print run over the screen: opened, worked, its file downloadable.
  auto opened = c.post("/api/v1/premium/notice-runs", R"({"fiscal_year": 2026})");
  ASSERT_EQ(opened->status, 200) << opened->body;  // the one assessment was noticed at the counter
  EXPECT_EQ(body(opened)["status"], "nothing_to_notice");
}

INSTANTIATE_TEST_SUITE_P(Db, PremiumApiTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

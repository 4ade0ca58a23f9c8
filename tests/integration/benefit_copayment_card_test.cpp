// 介護保険負担割合証 and KY-06 through the API (SQLite and PostgreSQL): the yearly co-payment run
// prints a card for every rate it wrote in its print file (recorded once: asking for the finished
// run again prints nothing more); the card at the counter is the rate in force, read back with
// pdftotext (the rate, the validity in 和暦, the insured number); a reprint is recorded without the
// once_key; staff ask the city's tax system (KY-06) for a person's missing tax facts; every read
// and write in the access log.
#include <filesystem>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "benefit/codes.hpp"
#include "server_fixture.hpp"
#include "support/poppler.hpp"
#include "test_db.hpp"

namespace kaigo::testing {
namespace {

using nlohmann::json;

class CopaymentCardApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<ServerFixture>(GetParam());
    seed_standard_data(*f);
    auto rules = benefit::load_benefit_rules(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/benefit");
    ASSERT_TRUE(rules) << rules.error().message;
    config.rules = std::move(*rules);
    f->server().attach_benefit(config);
    f->clock().set(FixedClock::at(Date(2026, 8, 3)).now());
    client = std::make_unique<ApiClient>(f->port());
    ASSERT_EQ(client->login("benefit_staff")->status, 200);
  }

  // 山田 太郎 (1000000001, insured 0100000001) certified over 1 August 2026.
  void certified() {
    ASSERT_TRUE(f->db().exec(
        "INSERT INTO certification_application (application_no, person_id, insured_no, kind, category, applied_on, "
        "deadline_on, place, applicant_relation, status, created_at, created_by, updated_at) VALUES ('CARD1', "
        "'1000000001', '0100000001', 'new', '1', '2026-03-01', '2026-03-31', 'home', '本人', 'decided', 'x', 'test', 'x')"));
    ASSERT_TRUE(f->db().exec(
        "INSERT INTO care_certification (person_id, application_id, care_level, valid_from, valid_to, certified_on, "
        "monthly_cap_units, status, recorded_at) SELECT '1000000001', application_id, '21', '2026-04-01', '2027-03-31', "
        "'2026-04-01', 16765, 'current', 'x' FROM certification_application WHERE application_no = 'CARD1'"));
  }
  // Income year 2025 of a member, all of its 合計所得 pension income.
  void tax(const std::string& id, std::int64_t total, std::int64_t pension, bool taxed) {
    ASSERT_TRUE(f->db().exec(
        "INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
        "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income, source, "
        "source_exchange_id, recorded_at, recorded_by) VALUES ($1, 2025, $2, $3, $3, $2, 0, 0, $4, 0, 'tax_office', "
        "NULL, '2026-06-01T09:00:00+09:00', 'test')",
        {id, total, pension, std::int64_t{taxed ? 1 : 0}}));
  }
  std::int64_t count(const std::string& sql, const store::Params& p = {}) {
    auto r = f->db().query(sql, p);
    EXPECT_TRUE(r);
    return r && !r->empty() ? r->front().i64(0) : -1;
  }

  std::unique_ptr<ServerFixture> f;
  benefit::BenefitConfig config;
  std::unique_ptr<ApiClient> client;
};

TEST_P(CopaymentCardApi, KY_06_StaffAskTheCityForAPersonsMissingTaxFacts) {
  auto bad = client->post("/api/v1/persons/1000000001/zeimu-inquiries", R"({"base_date": "2026-13-01"})");
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_NE(bad->body.find("base_date"), std::string::npos) << bad->body;
  auto ok = client->post("/api/v1/persons/1000000001/zeimu-inquiries", R"({"base_date": "2026-08-01"})");
  ASSERT_EQ(ok->status, 201) << ok->body;
  const json sent = json::parse(ok->body);
  EXPECT_EQ(sent["flow_id"], "KY-06");
  EXPECT_EQ(sent["tax_year"], 2025);
  EXPECT_GE(sent["persons"].get<int>(), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-06' AND counterpart = 'zeimu' AND status = 'queued'"),
            1);
  // Asked already: a second request is refused; nothing more is queued.
  auto again = client->post("/api/v1/persons/1000000001/zeimu-inquiries", R"({"base_date": "2026-08-01"})");
  EXPECT_EQ(again->status, 409) << again->body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-06'"), 1);
  EXPECT_GE(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001' AND "
                  "resource = 'POST /api/v1/persons/{person_id}/zeimu-inquiries'"),
            2);
  // The month's missing: nobody has a benefit record of August, so nothing is sent.
  auto month = client->post("/api/v1/benefit/zeimu-inquiries", R"({"month": "2026-08"})");
  ASSERT_EQ(month->status, 200) << month->body;
  EXPECT_TRUE(json::parse(month->body)["exchange_id"].is_null());
}

TEST_P(CopaymentCardApi, CopaymentCardPrintedByTheYearlyRunAndAtTheCounter) {
  certified();
  // Household H0001 of two 65+ members: the 3割 figures of a household of two (the rule file).
  auto v = config.rules.on(Date(2026, 8, 1));
  ASSERT_TRUE(v);
  const auto& t = (*v)->copayment;
  tax("1000000001", t.rate3_total_income, t.rate3_multi - 1000000, true);
  tax("1000000002", 0, 1000000, false);

  auto yearly = client->post("/api/v1/benefit/copayment-runs", R"({"rate_year": 2026})");
  ASSERT_EQ(yearly->status, 200) << yearly->body;
  const json report = json::parse(yearly->body);
  EXPECT_EQ(report["status"], "done");
  EXPECT_EQ(report["written"], 1);
  EXPECT_EQ(report["cards"], 1);
  const std::string print_file = report["print_file"];
  EXPECT_TRUE(std::filesystem::exists(print_file)) << print_file;
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE kind = 'copayment_card' AND once_key = 'copayment_card:' "
                  "|| CAST(ref_id AS TEXT) AND batch_run_id IS NOT NULL AND person_id = '1000000001'"),
            1);
  if (have("pdftotext")) {
    const std::string text = testing::run("pdftotext -layout " + print_file + " -");
    EXPECT_NE(text.find("3割"), std::string::npos) << text;
  }
  // The finished run asked again: its report, nothing printed twice.
  auto again = client->post("/api/v1/benefit/copayment-runs", R"({"rate_year": 2026})");
  ASSERT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(json::parse(again->body)["cards"], 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE kind = 'copayment_card'"), 1);

  // At the counter: the rate in force, a reprint of the card the run issued.
  auto card = client->get("/api/v1/persons/1000000001/copayment-card.pdf");
  ASSERT_EQ(card->status, 200) << card->body;
  EXPECT_EQ(card->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(card->body.rfind("%PDF", 0), 0u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE kind = 'copayment_card' AND once_key IS NULL AND "
                  "issued_by = 'benefit_staff'"),
            1);
  if (have("pdftotext")) {
    const std::string text = pdf_text(card->body);
    EXPECT_NE(text.find("3割"), std::string::npos) << text;
    EXPECT_NE(text.find("令和8年8月1日"), std::string::npos) << text;
    EXPECT_NE(text.find("令和9年7月31日"), std::string::npos) << text;
    EXPECT_NE(text.find("0100000001"), std::string::npos) << text;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM access_log WHERE person_id = '1000000001' AND "
                  "resource = 'GET /api/v1/persons/{person_id}/copayment-card.pdf'"),
            1);
  // A person without a rate: not found; an unknown person: not found.
  EXPECT_EQ(client->get("/api/v1/persons/1000000003/copayment-card.pdf")->status, 404);
  EXPECT_EQ(client->get("/api/v1/persons/9999999999/copayment-card.pdf")->status, 404);
}

INSTANTIATE_TEST_SUITE_P(Db, CopaymentCardApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

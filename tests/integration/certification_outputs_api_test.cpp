// The 認定 outputs over HTTP (SQLite and PostgreSQL): NT-13 issued at the counter and its PDF,
// refused before the decision; NT-06 at the counter; the NT-13 print run and its file; renewals
// and reminders; NT-14 now; fees and the fee run — each read or write of a person in the access
// log, and the roles (認定担当・監督者 only).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "certification/application.hpp"
#include "certification/certification_decision.hpp"
#include "server_fixture.hpp"
#include "support/poppler.hpp"

namespace kaigo::testing {
namespace {

using nlohmann::json;

json body(const httplib::Result& r) { return r ? json::parse(r->body, nullptr, false) : json(); }

class CertificationOutputsApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f_ = std::make_unique<ServerFixture>(GetParam());
    seed_standard_data(*f_);
    // 1000000001 and 1000000002 are insured (born 1955, 1958): category 1 on 2026-11-24.
    applications_ = std::make_unique<certification::ApplicationService>(f_->db(), f_->clock(), f_->certification(), nullptr);
  }

  ApiClient as(const std::string& role) {
    ApiClient c(f_->port());
    EXPECT_TRUE(c.login(role));
    return c;
  }

  std::int64_t apply(const std::string& person_id) {
    auto app = applications_->intake({person_id, "new", f_->clock().today(), "home", "本人", std::nullopt, ""}, "tester");
    EXPECT_TRUE(app) << app.error().message;
    return app ? app->row.application_id : 0;
  }

  void decide(std::int64_t application_id, certification::CareLevel level, std::optional<int> months) {
    auto r = f_->db().transaction([&](store::Connection& c) -> Result<void> {
      certification::DecisionInput in;
      in.application_id = application_id;
      in.level = level;
      in.validity_months = months;
      in.decided_on = f_->clock().today();
      in.actor = "tester";
      auto d = certification::record_decision(c, f_->clock(), f_->certification().rules, in);
      if (!d) return std::unexpected(d.error());
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  std::int64_t logged(const std::string& person_id, const std::string& user) {
    auto rows = f_->db().query("SELECT COUNT(*) FROM access_log WHERE person_id = $1 AND user_id = $2", {person_id, user});
    EXPECT_TRUE(rows);
    return rows ? rows->at(0).i64(0) : -1;
  }

  std::unique_ptr<ServerFixture> f_;
  std::unique_ptr<certification::ApplicationService> applications_;
};

TEST_P(CertificationOutputsApi, NT_13_NoticeAtTheCounterThenItsPdf_AccessLogged) {
  const std::int64_t app = apply("1000000001");
  ApiClient c = as("certification_staff");
  const std::string path = "/api/v1/certification/applications/" + std::to_string(app) + "/notice";
  auto early = c.post(path, "{}");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409) << early->body;
  EXPECT_EQ(body(early)["error"]["field"], "application_id");

  decide(app, certification::CareLevel::care_4, 6);
  auto issued = c.post(path, "{}");
  ASSERT_TRUE(issued);
  ASSERT_EQ(issued->status, 201) << issued->body;
  const json doc = body(issued);
  EXPECT_EQ(doc["kind"], "result_notice");
  EXPECT_EQ(doc["reprint"], false);
  EXPECT_TRUE(doc["card_issue_id"].is_number_integer());
  EXPECT_EQ(logged("1000000001", "certification_staff"), 1);

  auto pdf = c.get(doc["pdf"].get<std::string>());
  ASSERT_TRUE(pdf);
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  if (have("pdftotext")) {
    const std::string text = pdf_text(pdf->body);
    EXPECT_NE(text.find("要介護４"), std::string::npos) << text;
    EXPECT_NE(text.find("30,938"), std::string::npos) << text;  // 区分支給限度基準額 of 要介護4
  }
  EXPECT_EQ(logged("1000000001", "certification_staff"), 2);

  // SK-17: a card reissued at the counter after the decision carries the certification panel too.
  ApiClient counter = as("eligibility_staff");
  auto card = counter.get("/api/v1/persons/1000000001/insurance-card.pdf?reason=reissue_lost");
  ASSERT_TRUE(card);
  ASSERT_EQ(card->status, 200) << card->body;
  if (have("pdftotext")) {
    const std::string text = pdf_text(card->body);
    EXPECT_NE(text.find("要介護４"), std::string::npos) << text;
    EXPECT_NE(text.find("30,938"), std::string::npos) << text;
  }

  // Other business staff may not.
  ApiClient other = as("eligibility_staff");
  auto refused = other.get(doc["pdf"].get<std::string>());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  auto none = c.get("/api/v1/certification/documents/999999.pdf");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
}

TEST_P(CertificationOutputsApi, NT_06_CertificateAtTheCounter) {
  ApiClient c = as("supervisor");
  auto refused = c.post("/api/v1/certification/persons/1000000002/entitlement-certificate", "{}");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 409) << refused->body;
  decide(apply("1000000002"), certification::CareLevel::support_1, 12);
  auto bad = c.post("/api/v1/certification/persons/1000000002/entitlement-certificate", R"({"moved_out_on": "2026-13-01"})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(body(bad)["error"]["field"], "moved_out_on");
  auto issued = c.post("/api/v1/certification/persons/1000000002/entitlement-certificate",
                       R"({"moved_out_on": "2026-11-30", "new_address": "あおぞら市西町5-6"})");
  ASSERT_TRUE(issued);
  ASSERT_EQ(issued->status, 201) << issued->body;
  const json doc = body(issued);
  EXPECT_EQ(doc["kind"], "entitlement_certificate");
  ASSERT_TRUE(doc["exchange_id"].is_number_integer());
  auto flow = f_->db().query("SELECT flow_id, counterpart FROM exchange WHERE exchange_id = $1", {doc["exchange_id"].get<std::int64_t>()});
  ASSERT_TRUE(flow && !flow->empty());
  EXPECT_EQ(flow->at(0).str(0) + " " + flow->at(0).str(1), "NT-06 iryo");
  EXPECT_EQ(logged("1000000002", "supervisor"), 1);
}

TEST_P(CertificationOutputsApi, NT_13_PrintRunRenewalsResultsToWelfareAndFees) {
  const std::int64_t a1 = apply("1000000001");
  const std::int64_t a2 = apply("1000000002");
  decide(a1, certification::CareLevel::care_1, 3);  // 2026-11-24 … 2027-02-28
  decide(a2, certification::CareLevel::none, std::nullopt);
  ApiClient c = as("certification_staff");

  auto run = c.post("/api/v1/certification/notice-runs", "{}");
  ASSERT_TRUE(run);
  ASSERT_EQ(run->status, 201) << run->body;
  EXPECT_EQ(body(run)["notices"], 2);
  EXPECT_EQ(body(run)["cards"], 1);
  auto file = c.get(body(run)["pdf"].get<std::string>());
  ASSERT_TRUE(file);
  EXPECT_EQ(file->status, 200);
  EXPECT_EQ(file->get_header_value("Content-Type"), "application/pdf");
  auto runs = c.get("/api/v1/certification/print-runs");
  ASSERT_TRUE(runs);
  EXPECT_EQ(body(runs)["items"][0]["job"], "certification_result_notices");
  auto nothing = c.post("/api/v1/certification/notice-runs", "{}");
  ASSERT_TRUE(nothing);
  EXPECT_EQ(body(nothing)["status"], "nothing_to_notice");

  // Renewals: the care_1 certification ends 2027-02-28; its window opens 2026-12-31.
  auto due = c.get("/api/v1/certification/renewals?within_days=120");
  ASSERT_TRUE(due);
  ASSERT_EQ(due->status, 200) << due->body;
  ASSERT_EQ(body(due)["items"].size(), 1u);
  EXPECT_EQ(body(due)["items"][0]["valid_to"], "2027-02-28");
  EXPECT_EQ(body(due)["items"][0]["renewal_opens"], "2026-12-31");
  EXPECT_TRUE(body(due)["items"][0]["renewal_application"].is_null());
  auto bad = c.get("/api/v1/certification/renewals?within_days=-3");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto early = c.post("/api/v1/certification/renewal-reminders", "{}");
  ASSERT_TRUE(early);
  EXPECT_EQ(body(early)["issued"], 0);  // the window is not open yet
  f_->clock().set(FixedClock::at(Date(2027, 1, 5)).now());
  ApiClient later = as("certification_staff");  // the session of 2026-11-24 has expired
  auto reminders = later.post("/api/v1/certification/renewal-reminders", "{}");
  ASSERT_TRUE(reminders);
  ASSERT_EQ(reminders->status, 200) << reminders->body;
  EXPECT_EQ(body(reminders)["issued"], 1);
  EXPECT_EQ(body(reminders)["document_ids"].size(), 1u);

  // NT-14 now: the one certification granted.
  auto welfare = later.post("/api/v1/certification/results-to-welfare", "{}");
  ASSERT_TRUE(welfare);
  ASSERT_EQ(welfare->status, 200) << welfare->body;
  EXPECT_EQ(body(welfare)["rows"], 1);
  EXPECT_TRUE(body(welfare)["exchange_id"].is_number_integer());
  auto again = later.post("/api/v1/certification/results-to-welfare", "{}");
  ASSERT_TRUE(again);
  EXPECT_TRUE(body(again)["exchange_id"].is_null());

  // Fees: one owed, then sent.
  ASSERT_TRUE(f_->db().exec("INSERT INTO certification_fee (flow_id, basis_key, payee_code, payee_name, fee_kind, amount, "
                            "work_on, application_id, created_at) VALUES ('NT-17', 'NT-17:opinion:1', 'P-M0001', "
                            "'みどり中央病院', 'opinion.first.home', 5500, '2026-11-20', $1, 'x')",
                            {a1}));
  auto owed = later.get("/api/v1/certification/fees?sent=false");
  ASSERT_TRUE(owed);
  ASSERT_EQ(owed->status, 200) << owed->body;
  EXPECT_EQ(body(owed)["items"].size(), 1u);
  EXPECT_EQ(body(owed)["total_amount"], 5500);
  auto paid = later.post("/api/v1/certification/fee-runs", "{}");
  ASSERT_TRUE(paid);
  ASSERT_EQ(paid->status, 201) << paid->body;
  ASSERT_EQ(body(paid)["files"].size(), 1u);
  EXPECT_EQ(body(paid)["files"][0]["flow_id"], "NT-17");
  EXPECT_EQ(body(paid)["files"][0]["total"], 5500);
  auto owed_after = later.get("/api/v1/certification/fees?sent=false");
  ASSERT_TRUE(owed_after);
  EXPECT_EQ(body(owed_after)["items"].size(), 0u);
  auto none = later.post("/api/v1/certification/fee-runs", "{}");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 200);
  EXPECT_TRUE(body(none)["files"].empty());

  // The persons of the batches are in the access log.
  EXPECT_GE(logged("1000000001", "certification_staff"), 4);  // notice run, print file, renewals, reminders, NT-14
  EXPECT_GE(logged("1000000002", "certification_staff"), 2);  // notice run, print file
}

INSTANTIATE_TEST_SUITE_P(Db, CertificationOutputsApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

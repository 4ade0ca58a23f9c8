// The recipient side of 給付 over HTTP (SQLite and PostgreSQL), with real data end to end: a
// care plan registered (KY-01) and one refused naming the field, a 給付制限, the KY-03 draft built,
// its pre-send check list read, sent, file.csv downloaded (CP932 bytes decoded and parsed with the
// KY03 layout), a 訂正, and each read and write of a person in the access log.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "benefit/kokuhoren_csv.hpp"
#include "benefit/recipient_event.hpp"
#include "certification/application.hpp"
#include "certification/certification_decision.hpp"
#include "people/city_profile.hpp"
#include "server_fixture.hpp"

namespace kaigo::testing {
namespace {

using nlohmann::json;

json body(const httplib::Result& r) { return r ? json::parse(r->body, nullptr, false) : json(); }

constexpr const char* kOffice = "1479802001";  // config/codes/care_offices.tsv: makes care plans

class BenefitRecipientApi : public ::testing::TestWithParam<std::string> {
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

  // Certified as the committee's NT-12 records it, on the clock's day (2026-11-24 … +6 months).
  void certify(const std::string& person_id, certification::CareLevel level) {
    auto app = applications_->intake({person_id, "new", f_->clock().today(), "home", "本人", std::nullopt, ""}, "tester");
    ASSERT_TRUE(app) << app.error().message;
    auto r = f_->db().transaction([&](store::Connection& c) -> Result<void> {
      certification::DecisionInput in;
      in.application_id = app->row.application_id;
      in.level = level;
      in.validity_months = 6;
      in.decided_on = f_->clock().today();
      in.actor = "tester";
      auto d = certification::record_decision(c, f_->clock(), f_->certification().rules, in);
      if (!d) return std::unexpected(d.error());
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  // A co-payment rate as the income engineer's determination writes it (with its event).
  void rate(const std::string& person_id, int r) {
    auto done = f_->db().transaction([&](store::Connection& c) -> Result<void> {
      auto id = c.query_one(
          "INSERT INTO copayment_rate (person_id, rate_year, valid_from, valid_to, rate, tax_year, reason, explanation, status, "
          "decided_at, decided_by) VALUES ($1, 2026, '2026-11-24', '2027-07-31', $2, 2025, 'new_recipient', '{}', 'current', "
          "'x', 'tester') RETURNING rate_id",
          {person_id, std::int64_t{r}});
      if (!id) return std::unexpected(id.error());
      auto e = benefit::add_recipient_event(c, f_->clock(), person_id, "copayment_rate", (*id)->i64(0));
      if (!e) return std::unexpected(e.error());
      return {};
    });
    ASSERT_TRUE(done) << done.error().message;
  }

  std::int64_t logged(const std::string& person_id, const std::string& user, const std::string& action,
                      const std::string& resource) {
    auto rows = f_->db().query(
        "SELECT COUNT(*) FROM access_log WHERE person_id = $1 AND user_id = $2 AND action = $3 AND resource = $4",
        {person_id, user, action, resource});
    EXPECT_TRUE(rows);
    return rows ? rows->at(0).i64(0) : -1;
  }

  std::unique_ptr<ServerFixture> f_;
  std::unique_ptr<certification::ApplicationService> applications_;
};

TEST_P(BenefitRecipientApi, KY_01_KY_03_CarePlanRestrictionDraftChecksSendCsvCorrection_AccessLogged) {
  const std::string p1 = "1000000001", p2 = "1000000002";
  certify(p1, certification::CareLevel::care_2);
  certify(p2, certification::CareLevel::care_1);  // no co-payment rate: held by the check
  rate(p1, 1);
  ApiClient c = as("benefit_staff");

  // KY-01: refused naming the field (an office not in the register), then registered.
  auto refused = c.post("/api/v1/persons/" + p1 + "/care-plans",
                        R"({"plan_kind": "home_care", "office_no": "1479809999", "valid_from": "2026-11-24"})");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_EQ(body(refused)["error"]["field"], "office_no");
  auto no_kind = c.post("/api/v1/persons/" + p1 + "/care-plans", R"({"office_no": "1479802001", "valid_from": "2026-11-24"})");
  ASSERT_TRUE(no_kind);
  EXPECT_EQ(no_kind->status, 400) << no_kind->body;
  EXPECT_EQ(body(no_kind)["error"]["field"], "plan_kind");
  auto plan = c.post("/api/v1/persons/" + p1 + "/care-plans",
                     json{{"plan_kind", "home_care"}, {"office_no", kOffice}, {"valid_from", "2026-11-24"}}.dump());
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->status, 201) << plan->body;
  EXPECT_EQ(body(plan)["office_no"], kOffice);
  EXPECT_EQ(body(plan)["status"], "current");
  auto plans = c.get("/api/v1/persons/" + p1 + "/care-plans");
  ASSERT_TRUE(plans);
  ASSERT_EQ(plans->status, 200) << plans->body;
  ASSERT_EQ(body(plans)["items"].size(), 1u);
  EXPECT_EQ(body(plans)["items"][0]["valid_from"], "2026-11-24");

  // A 給付制限 (法66条 償還払い) from next month; a bad kind is refused naming the field.
  auto bad_limit = c.post("/api/v1/persons/" + p1 + "/benefit-restrictions",
                          R"({"kind": "forever", "valid_from": "2026-12-01", "reason": "保険料滞納 1年以上"})");
  ASSERT_TRUE(bad_limit);
  EXPECT_EQ(bad_limit->status, 400) << bad_limit->body;
  EXPECT_EQ(body(bad_limit)["error"]["field"], "kind");
  auto limit = c.post("/api/v1/persons/" + p1 + "/benefit-restrictions",
                      R"({"kind": "reimbursement_only", "valid_from": "2026-12-01", "reason": "保険料滞納 1年以上"})");
  ASSERT_TRUE(limit);
  ASSERT_EQ(limit->status, 201) << limit->body;
  EXPECT_EQ(body(limit)["kind"], "reimbursement_only");

  // KY-03: the draft, with the check list (p2 held for the missing rate).
  auto built = c.post("/api/v1/benefit/recipient-files", "{}");
  ASSERT_TRUE(built);
  ASSERT_EQ(built->status, 201) << built->body;
  const json draft = body(built);
  EXPECT_EQ(draft["status"], "draft");
  EXPECT_EQ(draft["record_count"], 1);
  EXPECT_EQ(draft["held_count"], 1);
  const std::int64_t file_id = draft["file_id"].get<std::int64_t>();
  const std::string base = "/api/v1/benefit/recipient-files/" + std::to_string(file_id);
  auto read = c.get(base);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->status, 200) << read->body;
  const json checks = body(read)["checks"];
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0]["person_id"], p2);
  ASSERT_EQ(checks[0]["check_causes"].size(), 1u);
  EXPECT_EQ(checks[0]["check_causes"][0]["cause"], "copayment_rate_missing");
  EXPECT_EQ(checks[0]["check_causes"][0]["field"], "copayment_rate");
  ASSERT_EQ(body(read)["records"].size(), 2u);

  // Sent: the exchange is KY-03 to the 国保連; sending twice is refused.
  auto sent = c.post(base + "/send", "{}");
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->status, 200) << sent->body;
  EXPECT_EQ(body(sent)["status"], "sent");
  ASSERT_TRUE(body(sent)["exchange_id"].is_number_integer());
  auto flow = f_->db().query("SELECT flow_id || ' ' || counterpart FROM exchange WHERE exchange_id = $1",
                             {body(sent)["exchange_id"].get<std::int64_t>()});
  ASSERT_TRUE(flow && !flow->empty());
  EXPECT_EQ(flow->at(0).str(0), "KY-03 kokuhoren");
  auto twice = c.post(base + "/send", "{}");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 409) << twice->body;

  // file.csv: CP932 bytes that parse with the KY03 layout, one record, the person's data as composed.
  auto csv = c.get(base + "/file.csv");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=Shift_JIS");
  const auto& layouts = f_->benefit().layouts;
  auto city = people::load_city_profile(KAIGO_SOURCE_CONFIG_DIR);
  ASSERT_TRUE(city) << city.error().message;
  benefit::csv::ParseContext pc{city->insurer_no,
                                [this](std::string_view, std::string_view code) { return f_->benefit().office(code) != nullptr; }};
  auto parsed = benefit::csv::parse_cp932(layouts, csv->body, pc);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front().field << ": " << parsed.errors.front().message;
  ASSERT_EQ(parsed.file.data_count(), 1u);
  const auto* layout = layouts.find("KY03");
  ASSERT_TRUE(layout);
  auto field = [&](const char* key) { return std::string(parsed.file.value(0, layout->data.index_of(key))); };
  EXPECT_EQ(field("insured_no"), "0100000001");
  EXPECT_EQ(field("name_kana"), "ヤマダ タロウ");  // decoded from CP932
  EXPECT_EQ(field("change_kind"), "1");
  EXPECT_EQ(field("change_date"), "20261124");
  EXPECT_EQ(field("care_level"), "22");
  EXPECT_EQ(field("plan_office_no"), kOffice);
  EXPECT_EQ(field("copayment_rate"), "1");
  EXPECT_EQ(field("restriction_kind"), "1");
  EXPECT_EQ(field("restriction_from"), "20261201");

  // 訂正: a bad kind names the field; a correction of p1's record (訂正区分 1) is drafted.
  auto bad_fix = c.post("/api/v1/persons/" + p1 + "/recipient-corrections", R"({"correction": "undo"})");
  ASSERT_TRUE(bad_fix);
  EXPECT_EQ(bad_fix->status, 400) << bad_fix->body;
  EXPECT_EQ(body(bad_fix)["error"]["field"], "correction");
  auto fix = c.post("/api/v1/persons/" + p1 + "/recipient-corrections", R"({"correction": "correct"})");
  ASSERT_TRUE(fix);
  ASSERT_EQ(fix->status, 201) << fix->body;
  EXPECT_EQ(body(fix)["kind"], "correction");
  ASSERT_EQ(body(fix)["records"].size(), 1u);
  EXPECT_EQ(body(fix)["records"][0]["correction"], "correct");
  EXPECT_EQ(body(fix)["records"][0]["fields"]["correction"], "1");
  EXPECT_TRUE(body(fix)["records"][0]["corrects_record_id"].is_number_integer());

  // The access log: every read and write of the persons, by route.
  const std::string u = "benefit_staff";
  EXPECT_EQ(logged(p1, u, "write", "POST /api/v1/persons/{person_id}/care-plans"), 1);
  EXPECT_EQ(logged(p1, u, "read", "GET /api/v1/persons/{person_id}/care-plans"), 1);
  EXPECT_EQ(logged(p1, u, "write", "POST /api/v1/persons/{person_id}/benefit-restrictions"), 1);
  for (const auto& p : {p1, p2}) {
    EXPECT_EQ(logged(p, u, "read", "POST /api/v1/benefit/recipient-files"), 1) << p;
    EXPECT_EQ(logged(p, u, "read", "GET /api/v1/benefit/recipient-files/{file_id}"), 1) << p;
    EXPECT_EQ(logged(p, u, "read", "POST /api/v1/benefit/recipient-files/{file_id}/send"), 1) << p;
  }
  EXPECT_EQ(logged(p1, u, "read", "GET /api/v1/benefit/recipient-files/{file_id}/file.csv"), 1);
  EXPECT_EQ(logged(p2, u, "read", "GET /api/v1/benefit/recipient-files/{file_id}/file.csv"), 0);  // held: not in the file
  EXPECT_EQ(logged(p1, u, "read", "POST /api/v1/persons/{person_id}/recipient-corrections"), 1);

  // Other business staff may not.
  ApiClient other = as("eligibility_staff");
  auto forbidden = other.get(base);
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->status, 403);
}

INSTANTIATE_TEST_SUITE_P(Db, BenefitRecipientApi, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

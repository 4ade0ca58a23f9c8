// The insured register over HTTP (docs/api-eligibility.md): the person's register, 職権 facts,
// ledgers and exemptions, card issue and the monthly 65歳到達 batch — with roles and access log.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "server_fixture.hpp"
#include "support/poppler.hpp"

namespace kaigo::testing {
namespace {

using nlohmann::json;

class EligibilityApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<ServerFixture>(GetParam());
    seed_standard_data(*f);
  }
  json body(const httplib::Result& r) { return json::parse(r->body); }
  std::int64_t access_rows(const std::string& person, const std::string& action) {
    auto rows = f->db().query("SELECT COUNT(*) FROM access_log WHERE person_id = $1 AND action = $2", {person, action});
    return rows->front().i64(0);
  }
  std::unique_ptr<ServerFixture> f;
};

TEST_P(EligibilityApiTest, SK_01_RegisterShowsPeriodsAndAStaffFactRevisesThem) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("eligibility_staff")->status, 200);
  auto reg = c.get("/api/v1/persons/1000000001/eligibility");
  ASSERT_EQ(reg->status, 200) << reg->body;
  json v = body(reg);
  EXPECT_EQ(v["insured_no"], "0100000001");
  ASSERT_EQ(v["periods"].size(), 1u);
  EXPECT_EQ(v["periods"][0]["category"], "1");
  EXPECT_EQ(v["periods"][0]["acquisition_reason_label"], "65歳到達");
  EXPECT_EQ(v["today"]["insured"], true);
  EXPECT_EQ(access_rows("1000000001", "read"), 1);

  // 職権 転出 to another city that the person entered on 2026-10-02: loss that day (法11条ただし書).
  auto moved = c.post("/api/v1/persons/1000000001/eligibility/facts",
                      R"({"kind":"move_out","on":"2026-10-01","new_address_on":"2026-10-02","reason":"転出届 受理漏れ"})");
  ASSERT_EQ(moved->status, 201) << moved->body;
  json out = body(moved);
  EXPECT_EQ(out["periods"][0]["lost_on"], "2026-10-02");
  EXPECT_EQ(out["periods"][0]["loss_reason_label"], "転出");
  EXPECT_EQ(out["changes"][0]["kind"], "changed");
  EXPECT_EQ(access_rows("1000000001", "write"), 1);

  v = body(c.get("/api/v1/persons/1000000001/eligibility"));
  EXPECT_EQ(v["today"]["insured"], false);
  ASSERT_EQ(v["revisions"].size(), 2u);
  EXPECT_EQ(v["revisions"][0]["revised_by"], "eligibility_staff");
  EXPECT_EQ(v["revisions"][0]["cause"], "職権 転出: 転出届 受理漏れ");
  EXPECT_EQ(v["revisions"][0]["changes"][0]["after"]["loss_reason_label"], "転出");

  // The correction: cancel the fact, the period is open again.
  const auto fact_id = v["facts"].back()["fact_id"].get<std::int64_t>();
  auto cancelled = c.post(fmt::format("/api/v1/persons/1000000001/eligibility/facts/{}/cancel", fact_id),
                          R"({"reason":"誤入力"})");
  ASSERT_EQ(cancelled->status, 200) << cancelled->body;
  EXPECT_TRUE(body(cancelled)["periods"][0]["lost_on"].is_null());
}

TEST_P(EligibilityApiTest, SK_01_BadFactsNameTheirFieldAndChangeNothing) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("eligibility_staff")->status, 200);
  const std::string path = "/api/v1/persons/1000000001/eligibility/facts";
  auto field_of = [&](const std::string& b) {
    auto r = c.post(path, b);
    EXPECT_EQ(r->status, 400) << b;
    return body(r)["error"]["field"].get<std::string>();
  };
  EXPECT_EQ(field_of(R"({"kind":"vanished","on":"2026-10-01","reason":"x"})"), "kind");
  EXPECT_EQ(field_of(R"({"kind":"move_out","on":"2026-02-30","reason":"x"})"), "on");
  EXPECT_EQ(field_of(R"({"kind":"move_out","on":"2026-10-01","new_address_on":"2026-09-01","reason":"x"})"), "new_address_on");
  EXPECT_EQ(field_of(R"({"kind":"move_out","on":"2026-10-01","reason":""})"), "reason");
  EXPECT_EQ(c.post("/api/v1/persons/9999999999/eligibility/facts", R"({"kind":"death","on":"2026-10-01","reason":"x"})")->status, 404);
  EXPECT_EQ(body(c.get("/api/v1/persons/1000000001/eligibility"))["revisions"].size(), 1u);
  // Other business roles read the register but may not write it.
  ApiClient premium(f->port());
  ASSERT_EQ(premium.login("premium_staff")->status, 200);
  EXPECT_EQ(premium.get("/api/v1/persons/1000000001/eligibility")->status, 200);
  EXPECT_EQ(premium.post(path, R"({"kind":"death","on":"2026-10-01","reason":"x"})")->status, 403);
}

TEST_P(EligibilityApiTest, FormerAddressRuleAndExemptionLedgers) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("eligibility_staff")->status, 200);
  auto rule = c.post("/api/v1/persons/1000000002/former-address-rules",
                     R"({"direction":"ours_living_elsewhere","facility_kind":"special_nursing_home","facility_name":"特養さくら苑",
                         "facility_municipality_code":"131016","other_insurer_no":"131016","started_on":"2026-09-01"})");
  ASSERT_EQ(rule->status, 201) << rule->body;
  const auto rule_id = body(rule)["rule_id"].get<std::int64_t>();
  auto ledger = body(c.get("/api/v1/former-address-rules?direction=ours_living_elsewhere&open_on=2026-11-24"));
  ASSERT_EQ(ledger["items"].size(), 1u);
  EXPECT_EQ(ledger["items"][0]["name_kanji"], "山田 花子");
  EXPECT_EQ(ledger["items"][0]["facility_kind_label"], "介護老人福祉施設 (特養)");
  EXPECT_TRUE(body(c.get("/api/v1/former-address-rules?direction=theirs_living_here"))["items"].empty());
  auto group_home = c.post("/api/v1/persons/1000000001/former-address-rules",
                           R"({"direction":"theirs_living_here","facility_kind":"dementia_group_home","facility_name":"GH",
                               "facility_municipality_code":"149802","other_insurer_no":"131016","started_on":"2026-09-01"})");
  EXPECT_EQ(group_home->status, 400);
  EXPECT_EQ(body(group_home)["error"]["field"], "facility_kind");
  EXPECT_EQ(c.post(fmt::format("/api/v1/former-address-rules/{}/end", rule_id), R"({"ended_on":"2026-11-01"})")->status, 200);
  EXPECT_EQ(c.post(fmt::format("/api/v1/former-address-rules/{}/end", rule_id), R"({"ended_on":"2026-11-01"})")->status, 409);

  auto stay = c.post("/api/v1/persons/1000000001/exemptions",
                     R"({"facility_kind":"relief_facility","facility_name":"みどり救護園","entered_on":"2026-10-10"})");
  ASSERT_EQ(stay->status, 201) << stay->body;
  EXPECT_EQ(body(stay)["periods"][0]["lost_on"], "2026-10-11");
  auto list = body(c.get("/api/v1/exemptions?open_on=2026-11-24"));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["facility_kind_label"], "救護施設 (生活保護法38条1項1号)");
  EXPECT_EQ(c.post("/api/v1/persons/1000000001/exemptions",
                   R"({"facility_kind":"hotel","facility_name":"x","entered_on":"2026-10-10"})")->status, 400);
  auto codes = body(c.get("/api/v1/code-lists/eligibility"));
  EXPECT_GE(codes["exempt_facility_kinds"].size(), 5u);
  EXPECT_EQ(codes["facility_kinds"][0]["former_address_rule"], true);
}

TEST_P(EligibilityApiTest, SK_17_MonthlyTurning65CardBatchIsOnePrintFileAndRunsOnce) {
  // Born 1961-12-10 → 65 on 2026-12-09: in December's run. Born 1961-12-01 → 65 on 2026-11-30: not.
  f->add_person("1000000010", "佐藤 一", "サトウ ハジメ", "1961-12-10", "H0010", "世帯主");
  f->add_person("1000000011", "鈴木 二郎", "スズキ ジロウ", "1961-12-01", "H0011", "世帯主");
  for (const char* id : {"1000000010", "1000000011"})
    ASSERT_TRUE(f->db().exec("INSERT INTO eligibility_fact (person_id, kind, on_date, source, recorded_at, recorded_by) "
                             "VALUES ($1, 'move_in', '1990-01-01', 'staff', 'now', 'test')",
                             {std::string(id)}));
  ApiClient c(f->port());
  ASSERT_EQ(c.login("eligibility_staff")->status, 200);
  auto run = c.post("/api/v1/batches/insurance-cards-turning-65", R"({"month":"2026-12"})");
  ASSERT_EQ(run->status, 201) << run->body;
  json r = body(run);
  EXPECT_EQ(r["status"], "done");
  EXPECT_EQ(r["count"], 1);
  auto pdf = c.get(fmt::format("/api/v1/batches/{}/output.pdf", r["batch_run_id"].get<std::int64_t>()));
  ASSERT_EQ(pdf->status, 200);
  const std::string text = pdf_text(pdf->body);
  EXPECT_NE(text.find("佐藤"), std::string::npos) << text;
  EXPECT_EQ(text.find("鈴木"), std::string::npos);
  EXPECT_NE(text.find("令和8年12月9日"), std::string::npos) << "交付年月日 = the 65th-reaching day";
  // The card issue is on the person's register; running the month again issues nothing new.
  auto again = c.post("/api/v1/batches/insurance-cards-turning-65", R"({"month":"2026-12"})");
  EXPECT_EQ(body(again)["count"], 1);
  auto reg = body(c.get("/api/v1/persons/1000000010/eligibility"));
  ASSERT_EQ(reg["cards"].size(), 1u);
  EXPECT_EQ(reg["cards"][0]["reason_label"], "65歳到達");
  EXPECT_EQ(reg["periods"][0]["acquisition_reason"], "reaching_65");
  EXPECT_EQ(c.post("/api/v1/batches/insurance-cards-turning-65", R"({"month":"2026-13"})")->status, 400);
  EXPECT_EQ(body(c.get("/api/v1/batches/insurance-cards-turning-65"))["items"].size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Db, EligibilityApiTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::testing

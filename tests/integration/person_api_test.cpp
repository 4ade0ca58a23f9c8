// Person search and the person page: criteria, masking of the My Number by role, and the access
// log entry behind every read.
#include <gtest/gtest.h>

#include <fstream>

#include "server_fixture.hpp"
#include "support/poppler.hpp"

namespace kaigo {
namespace {

using nlohmann::json;
using testing::ApiClient;
using testing::ServerFixture;

class PersonApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<ServerFixture>(GetParam());
    testing::seed_standard_data(*f);
  }
  json body(const httplib::Result& r) { return json::parse(r->body); }
  std::int64_t access_rows(const std::string& person_id, int shown = -1) {
    std::string sql = "SELECT COUNT(*) FROM access_log WHERE person_id = $1";
    store::Params p{person_id};
    if (shown >= 0) {
      sql += " AND my_number_shown = $2";
      p.emplace_back(std::int64_t{shown});
    }
    return (*f->db().query(sql, p)).front().i64(0);
  }
  std::unique_ptr<ServerFixture> f;
};

TEST_P(PersonApiTest, SearchByKanaPrefixKanjiBirthDateAndNumbers) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("premium_staff")->status, 200);
  auto kana = c.get("/api/v1/persons?kana=%E3%83%A4%E3%83%9E%E3%83%80");  // ヤマダ
  ASSERT_EQ(kana->status, 200) << kana->body;
  ASSERT_EQ(body(kana)["items"].size(), 2u);
  EXPECT_EQ(body(kana)["items"][0]["name_kana"], "ヤマダ タロウ");
  EXPECT_EQ(body(kana)["truncated"], false);
  auto kanji = c.get("/api/v1/persons?kanji=%E9%AB%99");  // 髙
  ASSERT_EQ(body(kanji)["items"].size(), 1u);
  EXPECT_EQ(body(kanji)["items"][0]["person_id"], "1000000003");
  auto birth = c.get("/api/v1/persons?birth_date=1958-09-01");
  ASSERT_EQ(body(birth)["items"].size(), 1u);
  EXPECT_EQ(body(birth)["items"][0]["insured_no"], "0100000002");
  auto insured = c.get("/api/v1/persons?insured_no=0100000001");
  ASSERT_EQ(body(insured)["items"].size(), 1u);
  EXPECT_EQ(body(insured)["items"][0]["ward_name"], "中央区");
  auto pid = c.get("/api/v1/persons?person_id=1000000003");
  ASSERT_EQ(body(pid)["items"].size(), 1u);
  EXPECT_TRUE(body(pid)["items"][0]["insured_no"].is_null());
  auto limited = c.get("/api/v1/persons?kana=%E3%83%A4&limit=1");
  EXPECT_EQ(body(limited)["items"].size(), 1u);
  EXPECT_EQ(body(limited)["truncated"], true);
}

TEST_P(PersonApiTest, SearchRejectsBadCriteriaNamingTheField) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("benefit_staff")->status, 200);
  struct Case {
    const char* query;
    const char* field;
  } cases[] = {{"", "q"},
               {"?birth_date=1958-02-30", "birth_date"},
               {"?birth_date=19580901", "birth_date"},
               {"?insured_no=123", "insured_no"},
               {"?person_id=abc", "person_id"},
               {"?kana=%E3%83%A4&limit=0", "limit"},
               {"?kana=%E3%83%A4&limit=x", "limit"}};
  for (const auto& cs : cases) {
    auto r = c.get(std::string("/api/v1/persons") + cs.query);
    ASSERT_EQ(r->status, 400) << cs.query;
    EXPECT_EQ(body(r)["error"]["field"], cs.field) << cs.query;
  }
}

TEST_P(PersonApiTest, PersonPageShowsIdentityHouseholdAndHistory) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("certification_staff")->status, 200);
  auto r = c.get("/api/v1/persons/1000000001");
  ASSERT_EQ(r->status, 200) << r->body;
  auto b = body(r);
  EXPECT_EQ(b["person"]["name_kanji"], "山田 太郎");
  EXPECT_EQ(b["person"]["age"], 71);  // born 1955-04-10, on 2026-11-24
  EXPECT_EQ(b["household"].size(), 2u);
  EXPECT_EQ(b["history"].size(), 1u);
  EXPECT_EQ(b["history"][0]["reason"], "birth");
  EXPECT_EQ(c.get("/api/v1/persons/9999999999")->status, 404);
}

TEST_P(PersonApiTest, MyNumberIsMaskedUnlessTheRoleMayShowIt) {
  ApiClient premium(f->port());
  ASSERT_EQ(premium.login("premium_staff")->status, 200);
  auto masked = premium.get("/api/v1/persons/1000000001");
  EXPECT_EQ(body(masked)["my_number"], "********9018");
  EXPECT_EQ(body(masked)["can_show_my_number"], false);
  auto refused = premium.get("/api/v1/persons/1000000001?show_my_number=1");
  EXPECT_EQ(refused->status, 403);

  ApiClient eligibility(f->port());
  ASSERT_EQ(eligibility.login("eligibility_staff")->status, 200);
  auto still_masked = eligibility.get("/api/v1/persons/1000000001");
  EXPECT_EQ(body(still_masked)["my_number"], "********9018") << "masked until asked for";
  EXPECT_EQ(body(still_masked)["can_show_my_number"], true);
  auto shown = eligibility.get("/api/v1/persons/1000000001?show_my_number=1");
  ASSERT_EQ(shown->status, 200);
  EXPECT_EQ(body(shown)["my_number"], testing::kTestMyNumber);
  EXPECT_EQ(body(shown)["my_number_shown"], true);

  // The number is not stored in clear anywhere in the database.
  auto rows = f->db().query("SELECT ciphertext FROM my_number");
  ASSERT_TRUE(rows);
  for (const auto& row : *rows) EXPECT_EQ(row.str(0).find(testing::kTestMyNumber), std::string::npos);
}

TEST_P(PersonApiTest, EveryReadIsInTheAccessLogWithWhetherTheNumberWasShown) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("eligibility_staff")->status, 200);
  EXPECT_EQ(access_rows("1000000001"), 0);
  c.get("/api/v1/persons?kana=%E3%83%A4%E3%83%9E%E3%83%80");  // two people found
  EXPECT_EQ(access_rows("1000000001"), 1);
  EXPECT_EQ(access_rows("1000000002"), 1);
  c.get("/api/v1/persons/1000000001");  // the person and the household member shown
  EXPECT_EQ(access_rows("1000000001"), 2);
  EXPECT_EQ(access_rows("1000000002"), 2);
  c.get("/api/v1/persons/1000000001?show_my_number=1");
  EXPECT_EQ(access_rows("1000000001", 1), 1);
  auto who = (*f->db().query("SELECT DISTINCT user_id FROM access_log"));
  ASSERT_EQ(who.size(), 1u);
  EXPECT_EQ(who.front().str(0), "eligibility_staff");

  ApiClient auditor(f->port());
  ASSERT_EQ(auditor.login("auditor")->status, 200);
  EXPECT_EQ(auditor.get("/api/v1/persons/1000000001")->status, 403) << "auditors see logs, not business data";
  auto log = auditor.get("/api/v1/persons/1000000001/access-log");
  ASSERT_EQ(log->status, 200);
  EXPECT_EQ(body(log)["items"].size(), 3u);
  EXPECT_EQ(body(log)["items"][0]["my_number_shown"], true);
  auto verify = auditor.get("/api/v1/audit/verify");
  ASSERT_EQ(verify->status, 200);
  for (const auto& l : body(verify)["logs"]) EXPECT_EQ(l["intact"], true) << l.dump();

  // A row changed behind the system's back is found and named.
  ASSERT_TRUE(f->db().exec("UPDATE access_log SET user_id = 'someone_else' WHERE seq = 2"));
  auto broken = auditor.get("/api/v1/audit/verify");
  EXPECT_EQ(body(broken)["logs"][0]["intact"], false);
  EXPECT_EQ(body(broken)["logs"][0]["first_broken_seq"], 2);
}

TEST_P(PersonApiTest, SK17_InsuranceCardPdfForTheCounterAndItsReissue) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("eligibility_staff")->status, 200);
  auto card = c.get("/api/v1/persons/1000000001/insurance-card.pdf");
  ASSERT_EQ(card->status, 200) << card->body;
  EXPECT_EQ(card->get_header_value("Content-Type"), "application/pdf");
  ASSERT_TRUE(card->body.starts_with("%PDF"));
  const std::string text = testing::pdf_text(card->body);
  EXPECT_NE(text.find("0100000001"), std::string::npos) << text;
  EXPECT_NE(text.find("山田"), std::string::npos);
  EXPECT_NE(text.find("149802"), std::string::npos) << "保険者番号 from config/city.json";
  EXPECT_NE(text.find("令和8年11月24日"), std::string::npos) << "交付年月日 in 和暦";
  EXPECT_EQ(text.find("再交付"), std::string::npos);
  auto reissue = c.get("/api/v1/persons/1000000001/insurance-card.pdf?reason=reissue_lost");
  ASSERT_EQ(reissue->status, 200);
  const std::string again = testing::pdf_text(reissue->body);
  EXPECT_NE(again.find("再交付"), std::string::npos);
  EXPECT_NE(again.find("紛失"), std::string::npos);
  auto not_insured = c.get("/api/v1/persons/1000000003/insurance-card.pdf");
  EXPECT_EQ(not_insured->status, 409);
  EXPECT_EQ(json::parse(not_insured->body)["error"]["field"], "insured_no");
  EXPECT_EQ(access_rows("1000000001"), 2) << "each card issued is logged";
  auto bad_reason = c.get("/api/v1/persons/1000000001/insurance-card.pdf?reason=because");
  EXPECT_EQ(bad_reason->status, 400);
  auto issued = f->db().query("SELECT reason FROM insurance_card_issue WHERE person_id = '1000000001' ORDER BY card_issue_id");
  ASSERT_TRUE(issued);
  ASSERT_EQ(issued->size(), 2u);
  EXPECT_EQ((*issued)[0].str(0), "new");
  EXPECT_EQ((*issued)[1].str(0), "reissue_lost");
}

INSTANTIATE_TEST_SUITE_P(Db, PersonApiTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo

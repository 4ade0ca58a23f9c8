// The 認定 outputs' pure parts: config/certification_outputs.json (the real file loads; every fault
// names its JSON path), the NT-14 and NT-15…17 CSV writers (header, CRLF, quoting, the trailer).
#include <filesystem>

#include <gtest/gtest.h>

#include "certification/certification_outputs_config.hpp"
#include "certification/fee_run.hpp"
#include "certification/results_to_welfare.hpp"

namespace kaigo::certification {
namespace {

// The source tree's config/ (unit tests have no compile definition for it).
std::filesystem::path source_config_dir() { return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "config"; }

constexpr const char* kGood = R"({
  "office": {"department": "介護保険課", "address": "本町1-1", "phone": "012-345-6789"},
  "review_board": "みどり県介護保険審査会", "where_to_apply": "介護保険課",
  "budget_accounts": {"NT-15": {"code": "a", "name": "報酬"}, "NT-16": {"code": "b", "name": "委託料"},
                      "NT-17": {"code": "c", "name": "役務費"}}})";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(CertificationOutputsConfig, TheRealFileLoads) {
  auto c = OutputsConfig::load(source_config_dir());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->budget_accounts.size(), 3u);
  const auto issuer = c->issuer(people::CityProfile{"149802", "みどり市", {}});
  EXPECT_EQ(issuer.insurer_no, "149802");
  EXPECT_EQ(issuer.department, c->department);
}

TEST(CertificationOutputsConfig, EveryFaultNamesItsPath) {
  ASSERT_TRUE(OutputsConfig::parse(kGood, "x.json"));
  struct Case {
    std::string text;
    std::string field;
  };
  const Case cases[] = {
      {"not json", "certification_outputs.json"},
      {replaced(kGood, R"("department": "介護保険課", )", ""), "office.department"},
      {replaced(kGood, R"("phone": "012-345-6789")", R"("phone": 12)"), "office.phone"},
      {replaced(kGood, R"("review_board": "みどり県介護保険審査会", )", ""), "review_board"},
      {replaced(kGood, R"("NT-15": {"code": "a", "name": "報酬"}, )", ""), "budget_accounts.NT-15"},
      {replaced(kGood, R"("NT-15")", R"("NT-99")"), "budget_accounts.NT-99"},
      {replaced(kGood, R"({"code": "b", "name": "委託料"})", R"({"code": "", "name": "委託料"})"), "budget_accounts.NT-16.code"},
  };
  for (const auto& c : cases) {
    auto r = OutputsConfig::parse(c.text, "x.json");
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << c.field;
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_NE(r.error().message.find("x.json"), std::string::npos) << r.error().message;
  }
}

TEST(CertificationOutputsFiles, NT_15_PaymentFileHasHeaderRowsAndATrailerWithCountAndTotal) {
  Fee a;
  a.fee_id = 42;
  a.flow_id = "NT-15";
  a.payee_code = "P01";
  a.payee_name = "委員, 一郎";  // a comma: quoted
  a.fee_kind = "committee.chair";
  a.fee_label = "審査会委員報酬 (会長)";
  a.amount = 21000;
  a.work_on = Date(2026, 11, 20);
  a.basis_no = "S20261120-1";
  Fee b = a;
  b.fee_id = 43;
  b.payee_name = "委員 二郎";
  b.amount = 19000;
  const std::string file = write_fee_file("NT-15", {a, b}, BudgetAccount{"01-03-01-01", "報酬"});
  EXPECT_EQ(file,
            "レコード区分,支払番号,債権者コード,債権者名,支払区分,支払区分コード,金額,根拠,作業日,予算科目コード,予算科目名,連携区分\r\n"
            "D,NT15-0000000042,P01,\"委員, 一郎\",審査会委員報酬 (会長),committee.chair,21000,S20261120-1,20261120,01-03-01-01,報酬,NT-15\r\n"
            "D,NT15-0000000043,P01,委員 二郎,審査会委員報酬 (会長),committee.chair,19000,S20261120-1,20261120,01-03-01-01,報酬,NT-15\r\n"
            "T,2,,,,,40000,,,01-03-01-01,報酬,NT-15\r\n");
}

TEST(CertificationOutputsFiles, NT_14_ResultsFileHasTheDocumentedColumns) {
  WelfareResultRow r{7, "granted", "1000000001", "0100000001", 3, "A2026000001", "renewal", "care_5",
                     Date(2026, 12, 1), Date(2027, 11, 30), Date(2026, 11, 20), 36217, "current"};
  const std::string file = write_results_to_welfare_file({r});
  EXPECT_EQ(file,
            "事象番号,異動区分,異動区分名称,宛名番号,被保険者番号,認定番号,申請番号,申請区分,申請区分名称,要介護状態区分コード,"
            "要介護度,要介護度名称,有効期間開始日,有効期間終了日,認定年月日,区分支給限度基準額,認定状態\r\n"
            "7,granted,認定,1000000001,0100000001,3,A2026000001,renewal,更新,25,care_5,要介護５,20261201,20271130,20261120,"
            "36217,current\r\n");
}

}  // namespace
}  // namespace kaigo::certification

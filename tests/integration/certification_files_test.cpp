// 認定 files over a real database (SQLite and PostgreSQL): NT-14 results to welfare after a grant
// and a renewal that supersedes it (rows, columns, the cursor, nothing twice, through the fukushi
// channel), and the NT-15 / NT-16 / NT-17 payment files to accounting (rows, the trailer equal to
// the database's sum and to the reported total, nothing twice, a bad fee refusing the run whole).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "certification/fee_run.hpp"
#include "certification/results_to_welfare.hpp"
#include "core/tsv.hpp"
#include "certification_output_fixture.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/folder_channel.hpp"

namespace kaigo {
namespace {

namespace fs = std::filesystem;
using certification::CareLevel;

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "every line ends with CRLF";
    if (end == std::string::npos) break;
    rows.push_back(split(text.substr(start, end - start), ','));
    start = end + 2;
  }
  return rows;
}

class CertificationFiles : public testing::CertificationOutputFixture {
 protected:
  // Sends the outbox of `counterpart` through a folder channel and returns the file written.
  std::string send_through_folder(const std::string& counterpart, const std::string& flow_id, std::int64_t exchange_id) {
    const fs::path dir = testing::scratch_dir(counterpart + "-out");
    linkage::ChannelSet channels;
    channels.bind(counterpart, std::make_shared<linkage::FolderChannel>(counterpart, dir));
    linkage::Dispatcher dispatcher({});
    auto report = dispatcher.run_once(*db, channels, clock);
    EXPECT_TRUE(report) << report.error().message;
    EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {exchange_id}), "sent");
    const std::string correlation = text("SELECT correlation_id FROM exchange WHERE exchange_id = $1", {exchange_id});
    const fs::path file = dir / "out" / (flow_id + "_" + correlation + ".csv");
    EXPECT_TRUE(fs::exists(file)) << file;
    std::stringstream content;
    content << std::ifstream(file, std::ios::binary).rdbuf();
    return content.str();
  }

  // A fee as the workflow accrues it (workflow_common.cpp accrue_fee, committee_decisions.cpp).
  void fee(const std::string& flow, const std::string& basis, const std::string& payee, const std::string& key,
           std::int64_t amount, const std::string& work_on, std::optional<std::int64_t> application_id,
           std::optional<std::int64_t> session_id) {
    ASSERT_TRUE(db->exec("INSERT INTO certification_fee (flow_id, basis_key, payee_code, payee_name, fee_kind, amount, work_on, "
                         "application_id, session_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'x')",
                         {flow, basis, payee, "支払先 " + payee, key, amount, work_on, store::opt(application_id),
                          store::opt(session_id)}));
  }

  std::int64_t session(const std::string& no) {
    auto row = db->query("INSERT INTO committee_session (session_no, panel, held_on, status, created_at, created_by) "
                         "VALUES ($1, '第1合議体', '2026-11-20', 'decided', 'x', 'tester') RETURNING session_id",
                         {no});
    EXPECT_TRUE(row) << row.error().message;
    return row ? row->front().i64(0) : 0;
  }

  certification::FeeRun fee_run() {
    auto run = certification::run_fee_payments(*db, clock, config->rules, outputs->budget_accounts, "tester");
    EXPECT_TRUE(run) << run.error().message;
    return run ? *run : certification::FeeRun{};
  }
};

TEST_P(CertificationFiles, NT_14_ResultsAfterGrantAndSupersede_CursorMovesNothingTwice) {
  person("1000000601", "福祉 一郎");
  // Nothing decided: no file, the cursor stays.
  auto empty = certification::send_results_to_welfare(*db, clock);
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_FALSE(empty->exchange_id);

  const std::int64_t first = apply("1000000601");
  set_day(Date(2026, 11, 25));
  auto granted = decide(first, CareLevel::care_1, 6);  // 2026-11-02 … 2027-05-31
  ASSERT_TRUE(granted.certification_id);
  set_day(Date(2027, 4, 10));
  const std::int64_t renewal = apply("1000000601", "renewal");
  set_day(Date(2027, 5, 1));
  auto renewed = decide(renewal, CareLevel::care_2, 12);  // 2027-06-01 … 2028-05-31, the first superseded
  ASSERT_TRUE(renewed.certification_id);

  auto sent = certification::send_results_to_welfare(*db, clock);
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_TRUE(sent->exchange_id);
  EXPECT_EQ(sent->events, 3);
  EXPECT_EQ(sent->rows, 3);
  EXPECT_EQ(count("SELECT last_event_id FROM event_cursor WHERE consumer = 'NT-14'"), sent->cursor);
  EXPECT_EQ(count("SELECT MAX(event_id) FROM certification_event"), sent->cursor);
  EXPECT_EQ(text("SELECT counterpart FROM exchange WHERE exchange_id = $1", {*sent->exchange_id}), "fukushi");

  const std::string file = send_through_folder("fukushi", "NT-14", *sent->exchange_id);
  const auto rows = csv_rows(file);
  ASSERT_EQ(rows.size(), 4u) << file;
  EXPECT_EQ(rows[0], certification::results_to_welfare_header());
  const std::string insured = text("SELECT insured_no FROM insured_number WHERE person_id = '1000000601'");
  // 異動区分, 宛名番号, 被保険者番号, 申請区分, 要介護状態区分コード, 要介護度名称, 有効期間, 認定状態.
  auto brief = [](const std::vector<std::string>& r) {
    return r[1] + "|" + r[3] + "|" + r[4] + "|" + r[7] + "|" + r[9] + "|" + r[11] + "|" + r[12] + "-" + r[13] + "|" + r[16];
  };
  // record_decision writes the supersede before the grant of the renewal.
  EXPECT_EQ(brief(rows[1]), "granted|1000000601|" + insured + "|new|21|要介護１|20261102-20270531|superseded");
  EXPECT_EQ(brief(rows[2]), "superseded|1000000601|" + insured + "|new|21|要介護１|20261102-20270531|superseded");
  EXPECT_EQ(brief(rows[3]), "granted|1000000601|" + insured + "|renewal|22|要介護２|20270601-20280531|current");
  EXPECT_EQ(rows[2][2], "終了");
  EXPECT_EQ(rows[3][15], "19705");  // 区分支給限度基準額 of 要介護2

  // Again: nothing new, nothing sent, the cursor where it was.
  auto again = certification::send_results_to_welfare(*db, clock);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->exchange_id);
  EXPECT_EQ(again->cursor, sent->cursor);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'NT-14'"), 1);
}

TEST_P(CertificationFiles, NT_15_16_17_PaymentFilesTotalsCheckedNothingTwice) {
  person("1000000701", "報酬 一郎");
  const std::int64_t app = apply("1000000701");
  const std::string app_no = text("SELECT application_no FROM certification_application WHERE application_id = $1", {app});
  const std::int64_t s = session("S20261120-1");
  auto version = config->rules.on(Date(2026, 11, 20));
  ASSERT_TRUE(version);
  auto yen = [&](const char* key) {
    auto f = certification::fee(**version, key);
    EXPECT_TRUE(f) << key;
    return f ? f->yen : 0;
  };
  fee("NT-15", "NT-15:session:1:M01", "P-M01", "committee.chair", yen("committee.chair"), "2026-11-20", std::nullopt, s);
  fee("NT-15", "NT-15:session:1:M02", "P-M02", "committee.member", yen("committee.member"), "2026-11-20", std::nullopt, s);
  fee("NT-15", "NT-15:session:1:M03", "P-M03", "committee.member", yen("committee.member"), "2026-11-20", std::nullopt, s);
  fee("NT-16", "NT-16:assessment:1", "P-C001", "assessment.new.home", yen("assessment.new.home"), "2026-11-10", app, std::nullopt);
  fee("NT-17", "NT-17:opinion:1", "P-M0001", "opinion.first.home", yen("opinion.first.home"), "2026-11-12", app, std::nullopt);

  auto run = fee_run();
  ASSERT_EQ(run.files.size(), 3u);
  const std::int64_t committee_total = yen("committee.chair") + 2 * yen("committee.member");
  EXPECT_EQ(run.files[0].flow_id, "NT-15");
  EXPECT_EQ(run.files[0].rows, 3);
  EXPECT_EQ(run.files[0].total, committee_total);
  EXPECT_EQ(run.files[1].flow_id, "NT-16");
  EXPECT_EQ(run.files[1].total, yen("assessment.new.home"));
  EXPECT_EQ(run.files[2].flow_id, "NT-17");
  EXPECT_EQ(run.files[2].total, yen("opinion.first.home"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_fee WHERE exchange_id IS NULL"), 0);

  // The NT-15 file as accounting receives it: data rows, the trailer's count and total.
  const std::string file = send_through_folder("zaimu", "NT-15", run.files[0].exchange_id);
  const auto rows = csv_rows(file);
  ASSERT_EQ(rows.size(), 5u) << file;
  EXPECT_EQ(rows[0][0], "レコード区分");
  std::int64_t sum = 0;
  for (std::size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(rows[i][0], "D");
    EXPECT_EQ(rows[i][7], "S20261120-1");  // 根拠: the session
    EXPECT_EQ(rows[i][8], "20261120");
    EXPECT_EQ(rows[i][9], outputs->budget_accounts.at("NT-15").code);
    sum += std::stoll(rows[i][6]);
  }
  EXPECT_EQ(rows[1][4], certification::fee(**version, "committee.chair")->label);  // 支払区分: the rule file's label
  EXPECT_EQ(rows[1][5], "committee.chair");
  EXPECT_EQ(rows[4][0], "T");
  EXPECT_EQ(rows[4][1], "3");
  EXPECT_EQ(std::stoll(rows[4][6]), sum);
  EXPECT_EQ(sum, committee_total);
  EXPECT_EQ(count("SELECT SUM(amount) FROM certification_fee WHERE exchange_id = $1", {run.files[0].exchange_id}), sum);
  // The NT-16 row names the application.
  const auto assessment = csv_rows(text("SELECT payload FROM exchange WHERE exchange_id = $1", {run.files[1].exchange_id}));
  ASSERT_EQ(assessment.size(), 3u);
  EXPECT_EQ(assessment[1][7], app_no);
  EXPECT_EQ(assessment[1][2], "P-C001");

  // Again: nothing owed, nothing sent. A new fee goes alone in the next file.
  EXPECT_TRUE(fee_run().files.empty());
  fee("NT-16", "NT-16:assessment:2", "P-C002", "assessment.renewal.home", yen("assessment.renewal.home"), "2026-11-30", app,
      std::nullopt);
  auto next = fee_run();
  ASSERT_EQ(next.files.size(), 1u);
  EXPECT_EQ(next.files[0].flow_id, "NT-16");
  EXPECT_EQ(next.files[0].rows, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id IN ('NT-15', 'NT-16', 'NT-17')"), 4);
}

TEST_P(CertificationFiles, NT_16_AFeeOfAnUnknownKeyRefusesTheRunWhole) {
  person("1000000801", "報酬 二郎");
  const std::int64_t app = apply("1000000801");
  fee("NT-17", "NT-17:opinion:1", "P-M0001", "opinion.first.home", 5500, "2026-11-12", app, std::nullopt);
  fee("NT-16", "NT-16:assessment:9", "P-C001", "assessment.unknown", 1000, "2026-11-10", app, std::nullopt);
  auto run = certification::run_fee_payments(*db, clock, config->rules, outputs->budget_accounts, "tester");
  ASSERT_FALSE(run);
  EXPECT_NE(run.error().message.find("assessment.unknown"), std::string::npos) << run.error().message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id IN ('NT-15', 'NT-16', 'NT-17')"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_fee WHERE exchange_id IS NOT NULL"), 0);
}

INSTANTIATE_TEST_SUITE_P(Db, CertificationFiles, ::testing::ValuesIn(kaigo::testing::backends()),
                         kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo

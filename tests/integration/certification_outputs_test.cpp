// 認定 documents over a real database (SQLite and PostgreSQL): NT-13 認定結果通知書 with the updated
// 被保険者証 (read back with pdftotext: level, 有効期間 in 和暦, the cap), the application notified once
// and a reprint that changes nothing else; the NT-13 print run (every decided application once, a
// crashed run finished); NT-06 受給資格証明書 at the counter and for a move-out of the register, each
// sent to the medical insurer through its channel; the renewal reminders, once per certification.
#include <filesystem>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "certification/renewal.hpp"
#include "certification/fee_run.hpp"
#include "certification/results_to_welfare.hpp"
#include "certification_output_fixture.hpp"
#include "certification_workflow_fixture.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/simulator_channel.hpp"
#include "support/poppler.hpp"

namespace kaigo {
namespace {

namespace fs = std::filesystem;
using certification::CareLevel;
using nlohmann::json;

class CertificationOutputs : public testing::CertificationOutputFixture {
 protected:
  // Sends the outbox through a simulator channel of `counterpart` (as the bundled simulator would
  // take it) and returns how many were sent.
  std::int64_t dispatch(const std::string& counterpart) {
    linkage::ChannelSet channels;
    channels.bind(counterpart, std::make_shared<linkage::SimulatorChannel>(counterpart));
    linkage::Dispatcher dispatcher({});
    auto report = dispatcher.run_once(*db, channels, clock);
    EXPECT_TRUE(report) << report.error().message;
    return report ? report->sent : -1;
  }
};

TEST_P(CertificationOutputs, NT_13_NoticeAndCardAfterTheDecision_NotifiedOnce) {
  if (!testing::have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  person("1000000101", "認定 一郎");
  const std::int64_t app = apply("1000000101");
  // Before the decision there is nothing to notify.
  auto early = certification::issue_result_notice(*db, clock, out(), app, "tester");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().kind, ErrorKind::conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_document"), 0);

  set_day(Date(2026, 11, 24));
  decide(app, CareLevel::care_2, 6, "通所リハビリテーションの利用が望ましい");
  auto issued = certification::issue_result_notice(*db, clock, out(), app, "tester");
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_FALSE(issued->reprint);
  ASSERT_TRUE(issued->card_issue_id);
  const std::string printed = testing::pdf_text(issued->pdf);
  EXPECT_NE(printed.find("結果通知書"), std::string::npos) << printed;
  EXPECT_NE(printed.find("要介護２"), std::string::npos) << printed;
  // 申請 2026-11-02, 6 months → 2026-11-02 … 2027-05-31 (施行規則38条), printed in 和暦.
  EXPECT_NE(printed.find("令和8年11月2日"), std::string::npos) << printed;
  EXPECT_NE(printed.find("令和9年5月31日"), std::string::npos) << printed;
  EXPECT_NE(printed.find("19,705"), std::string::npos) << printed;  // 区分支給限度基準額 of 要介護2
  EXPECT_NE(printed.find("被保険者証"), std::string::npos) << printed;  // the card follows the notice
  EXPECT_NE(printed.find("通所リハビリテーション"), std::string::npos) << printed;

  EXPECT_EQ(text("SELECT status FROM certification_application WHERE application_id = $1", {app}), "notified");
  EXPECT_EQ(text("SELECT notified_on FROM certification_application WHERE application_id = $1", {app}), "2026-11-24");
  EXPECT_EQ(text("SELECT reason FROM insurance_card_issue WHERE card_issue_id = $1", {*issued->card_issue_id}), "certification");
  EXPECT_EQ(text("SELECT once_key FROM certification_document WHERE document_id = $1", {issued->document.document_id}),
            "result_notice:" + std::to_string(app));

  // Twice: a reprint — a second document row without once_key, the once-row stays one.
  auto again = certification::issue_result_notice(*db, clock, out(), app, "tester");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->reprint);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_document WHERE once_key = $1", {"result_notice:" + std::to_string(app)}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_document WHERE application_id = $1", {app}), 2);
  EXPECT_EQ(text("SELECT notified_on FROM certification_application WHERE application_id = $1", {app}), "2026-11-24");

  // The stored document renders again the same.
  auto pdf = certification::document_pdf(*db, out(), issued->document.document_id);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_NE(testing::pdf_text(*pdf).find("令和9年5月31日"), std::string::npos);
}

TEST_P(CertificationOutputs, NT_13_NotCertifiedGetsTheNoticeWithTheReasonAndNoCard) {
  if (!testing::have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  person("1000000102", "認定 二郎");
  const std::int64_t app = apply("1000000102");
  decide(app, CareLevel::none, std::nullopt);
  auto issued = certification::issue_result_notice(*db, clock, out(), app, "tester");
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_FALSE(issued->card_issue_id);
  const std::string printed = testing::pdf_text(issued->pdf);
  EXPECT_NE(printed.find("非該当"), std::string::npos) << printed;
  EXPECT_NE(printed.find("いずれにも該当"), std::string::npos) << printed;
  EXPECT_EQ(count("SELECT COUNT(*) FROM insurance_card_issue WHERE person_id = '1000000102' AND reason = 'certification'"), 0);
  EXPECT_EQ(text("SELECT status FROM certification_application WHERE application_id = $1", {app}), "notified");
}

TEST_P(CertificationOutputs, NT_13_BatchNotifiesEveryDecidedApplicationOnce) {
  if (!testing::have("pdfinfo")) GTEST_SKIP() << "pdfinfo (poppler-utils) is not installed";
  for (int i = 1; i <= 4; ++i) person("100000020" + std::to_string(i), "一括 " + std::to_string(i));
  std::vector<std::int64_t> apps;
  for (int i = 1; i <= 4; ++i) apps.push_back(apply("100000020" + std::to_string(i)));
  set_day(Date(2026, 11, 20));
  decide(apps[0], CareLevel::support_1, 6);
  decide(apps[1], CareLevel::care_3, 12);
  decide(apps[2], CareLevel::none, std::nullopt);
  // apps[3] stays undecided; apps[0] is notified at the counter first.
  ASSERT_TRUE(certification::issue_result_notice(*db, clock, out(), apps[0], "tester"));

  auto run = certification::run_result_notices(*db, clock, out(), print_dir, "tester", 1);  // a chunk per application
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->status, "done");
  EXPECT_EQ(run->notices, 2);
  EXPECT_EQ(run->cards, 1);  // care_3 has a card, 非該当 none
  ASSERT_TRUE(fs::exists(run->output_path)) << run->output_path;
  // Notice + card for care_3, the notice alone for 非該当.
  const std::string info = testing::run("pdfinfo " + run->output_path);
  EXPECT_TRUE(testing::has_field(info, "Pages", "3")) << info;
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(text("SELECT status FROM certification_application WHERE application_id = $1", {apps[i]}), "notified");
  EXPECT_EQ(text("SELECT status FROM certification_application WHERE application_id = $1", {apps[3]}), "received");
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_document WHERE kind = 'result_notice'"), 3);

  // Again: nothing waits.
  auto second = certification::run_result_notices(*db, clock, out(), print_dir, "tester");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, "nothing_to_notice");
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_document WHERE kind = 'result_notice'"), 3);

  // A run a crash left running (rows recorded, no file) is finished by the next call, with what is new.
  decide(apps[3], CareLevel::care_1, 6);
  ASSERT_TRUE(db->exec("INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, started_by) VALUES "
                       "('certification_result_notices', 'crashed', 'running', '', 0, 'x', 'tester')"));
  const std::int64_t crashed = count("SELECT batch_run_id FROM batch_run WHERE run_key = 'crashed'");
  auto resumed = certification::run_result_notices(*db, clock, out(), print_dir, "tester");
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->batch_run_id, crashed);
  EXPECT_EQ(resumed->notices, 1);
  EXPECT_EQ(text("SELECT status FROM batch_run WHERE batch_run_id = $1", {crashed}), "done");
  EXPECT_TRUE(fs::exists(resumed->output_path));
}

TEST_P(CertificationOutputs, NT_06_CounterCertificateIsPrintedAndSentToTheMedicalInsurer) {
  if (!testing::have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  person("1000000301", "転出 花子");
  // Without a certification there is no certificate, and nothing is written.
  auto none = certification::issue_entitlement_certificate(*db, clock, out(), {"1000000301", std::nullopt, ""}, "tester");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_document"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'NT-06'"), 0);

  const std::int64_t app = apply("1000000301");
  decide(app, CareLevel::care_1, 12);
  set_day(Date(2027, 1, 10));
  auto issued = certification::issue_entitlement_certificate(
      *db, clock, out(), {"1000000301", Date(2027, 1, 15), "あおぞら市東町1-2-3"}, "tester");
  ASSERT_TRUE(issued) << issued.error().message;
  const std::string printed = testing::pdf_text(issued->pdf);
  EXPECT_NE(printed.find("受給資格証明書"), std::string::npos) << printed;
  EXPECT_NE(printed.find("要介護１"), std::string::npos) << printed;
  EXPECT_NE(printed.find("令和9年11月30日"), std::string::npos) << printed;  // 2026-11-02 + 12 months → 2027-11-30
  EXPECT_NE(printed.find("あおぞら市東町"), std::string::npos) << printed;

  EXPECT_EQ(issued->document.kind, "entitlement_certificate");
  ASSERT_TRUE(issued->document.exchange_id);
  const std::int64_t exchange = *issued->document.exchange_id;
  EXPECT_EQ(text("SELECT flow_id || ' ' || counterpart || ' ' || direction FROM exchange WHERE exchange_id = $1", {exchange}),
            "NT-06 iryo outbound");
  EXPECT_EQ(text("SELECT person_id FROM exchange_person WHERE exchange_id = $1", {exchange}), "1000000301");
  const json payload = json::parse(text("SELECT payload FROM exchange WHERE exchange_id = $1", {exchange}));
  EXPECT_EQ(payload["format"], "kaigo.iryo.entitlement_certificate/1");
  EXPECT_EQ(payload["care_level"], "care_1");
  EXPECT_EQ(payload["valid_from"], "2026-11-02");
  EXPECT_EQ(payload["valid_to"], "2027-11-30");
  EXPECT_EQ(payload["moved_out_on"], "2027-01-15");
  EXPECT_EQ(payload["transfer_certificate_days"], 14);

  // Through the channel: sent.
  EXPECT_EQ(dispatch("iryo"), 1);
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {exchange}), "sent");

  // The stored certificate renders again from what was sent.
  auto pdf = certification::document_pdf(*db, out(), issued->document.document_id);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_NE(testing::pdf_text(*pdf).find("あおぞら市東町"), std::string::npos);
}

TEST_P(CertificationOutputs, NT_06_MoveOutOfACertifiedPersonIssuesTheCertificateOnce) {
  person("1000000401", "転出 次郎");
  person("1000000402", "転出 三郎");  // moves out too, never certified
  const std::int64_t app = apply("1000000401");
  decide(app, CareLevel::support_2, 6);
  // Nothing moved yet: the job looks at the certification's events only.
  auto idle = certification::issue_move_out_certificates(*db, clock, out(), print_dir);
  ASSERT_TRUE(idle) << idle.error().message;
  EXPECT_EQ(idle->issued, 0);

  set_day(Date(2027, 2, 1));
  for (const char* id : {"1000000401", "1000000402"}) {
    auto moved = db->transaction([&](store::Connection& c) -> Result<void> {
      const eligibility::ChangeSource src{"juki", std::nullopt, std::nullopt, "test", "転出 (SK-16)"};
      auto r = eligibility::record_address_fact(
          c, clock, id, eligibility::AddressFact{eligibility::AddressFactKind::move_out, Date(2027, 1, 31), std::nullopt, ""}, src);
      if (!r) return std::unexpected(r.error());
      return {};
    });
    ASSERT_TRUE(moved) << moved.error().message;
  }
  auto run = certification::issue_move_out_certificates(*db, clock, out(), print_dir);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->issued, 1);
  ASSERT_EQ(run->person_ids, std::vector<std::string>{"1000000401"});
  ASSERT_TRUE(fs::exists(run->output_path)) << run->output_path;
  const std::int64_t exchange = count("SELECT exchange_id FROM certification_document WHERE kind = 'entitlement_certificate'");
  const json payload = json::parse(text("SELECT payload FROM exchange WHERE exchange_id = $1", {exchange}));
  EXPECT_EQ(payload["moved_out_on"], "2027-01-31");
  EXPECT_EQ(payload["care_level"], "support_2");
  EXPECT_EQ(dispatch("iryo"), 1);

  // The next pass finds nothing new; nothing is issued twice.
  auto again = certification::issue_move_out_certificates(*db, clock, out(), print_dir);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->issued, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_document WHERE kind = 'entitlement_certificate'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'NT-06'"), 1);
}

TEST_P(CertificationOutputs, RenewalRemindersOncePerCertificationWithoutAnApplication) {
  for (const char* id : {"1000000501", "1000000502", "1000000503"}) person(id, "更新 者");
  std::vector<std::int64_t> apps;
  for (const char* id : {"1000000501", "1000000502", "1000000503"}) apps.push_back(apply(id));
  decide(apps[0], CareLevel::care_1, 6);   // ends 2027-05-31
  decide(apps[1], CareLevel::care_2, 6);   // ends 2027-05-31, will apply for renewal
  decide(apps[2], CareLevel::care_3, 12);  // ends 2027-11-30: not yet
  // 2027-04-10: the 60-day window of 2027-05-31 opened on 2027-04-01.
  set_day(Date(2027, 4, 10));
  apply("1000000502", "renewal");

  std::vector<certification::RenewalDue> due;
  auto listed = db->with_connection([&](store::Connection& c) -> Result<void> {
    auto r = certification::renewals_due(c, config->rules, clock.today(), std::nullopt, 100, 0);
    if (!r) return std::unexpected(r.error());
    due = *r;
    return {};
  });
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(due.size(), 2u);  // within 60 days: both ending 2027-05-31
  EXPECT_EQ(due[0].renewal_opens, Date(2027, 4, 2));
  EXPECT_EQ(due[0].days_left, 51);
  EXPECT_FALSE(due[0].renewal_application_id);
  EXPECT_TRUE(due[1].renewal_application_id);

  auto run = certification::run_renewal_reminders(*db, clock, out(), print_dir, "tester");
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->issued, 1);
  ASSERT_EQ(run->person_ids, std::vector<std::string>{"1000000501"});
  EXPECT_TRUE(fs::exists(run->output_path));
  if (testing::have("pdftotext")) {
    const std::string pdf_text = testing::run("pdftotext -layout " + run->output_path + " -");
    EXPECT_NE(pdf_text.find("更新申請"), std::string::npos) << pdf_text;
    EXPECT_NE(pdf_text.find("令和9年5月31日"), std::string::npos) << pdf_text;
  }
  // Again, and the day after: once per certification.
  auto again = certification::run_renewal_reminders(*db, clock, out(), print_dir, "tester");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->issued, 0);
  set_day(Date(2027, 4, 11));
  auto later = certification::run_renewal_reminders(*db, clock, out(), print_dir, "tester");
  ASSERT_TRUE(later);
  EXPECT_EQ(later->issued, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_document WHERE kind = 'renewal_reminder'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Db, CertificationOutputs, ::testing::ValuesIn(kaigo::testing::backends()),
                         kaigo::testing::backend_name);

// From the counterparts' messages to the outputs: the assessment result (NT-08) and the opinion
// (NT-10) taken in through the inbox accrue their fees, the committee's decision (NT-12) through
// the inbox grants the certification and the members' fees; then the NT-13 notice, the NT-14 file
// and the NT-15/16/17 payment files go out through their channels.
class CertificationOutputsEndToEnd : public testing::CertificationWorkflowFixture {};

TEST_P(CertificationOutputsEndToEnd, NT_13_NT_14_NT_15_NT_16_NT_17_FromTheCommitteesDecisionThroughTheInbox) {
  for (const char* counterpart : {"fukushi", "zaimu", "iryo", "person"})
    channels.bind(counterpart, std::make_shared<linkage::SimulatorChannel>(counterpart));
  auto outputs_cfg = certification::OutputsConfig::load(KAIGO_SOURCE_CONFIG_DIR);
  ASSERT_TRUE(outputs_cfg) << outputs_cfg.error().message;
  auto city = people::load_city_profile(KAIGO_SOURCE_CONFIG_DIR);
  ASSERT_TRUE(city) << city.error().message;
  const certification::OutputContext out{*city, config->rules, *outputs_cfg};

  person("1000000001", "1944-03-01");
  const auto app = new_application("1000000001");
  make_ready(app, "62.0");  // NT-08 + NT-10 through the inbox: first stage 要介護２
  const auto s = session(Date(2026, 11, 20), {app});
  today(Date(2026, 11, 20));
  ASSERT_EQ(decide(s, {decided(app, "care_2", 12, "")}).outcome, linkage::InboundOutcome::applied);
  ASSERT_EQ(status(app), "decided");

  // NT-13: the notice and the card, the application notified.
  auto notice = certification::issue_result_notice(*db, clock, out, app, "staff1");
  ASSERT_TRUE(notice) << notice.error().message;
  EXPECT_TRUE(notice->card_issue_id);
  EXPECT_EQ(status(app), "notified");
  if (testing::have("pdftotext")) {
    const std::string printed = testing::pdf_text(notice->pdf);
    EXPECT_NE(printed.find("要介護２"), std::string::npos) << printed;
    EXPECT_NE(printed.find("令和9年11月30日"), std::string::npos) << printed;  // 2026-11-02 + 12 months
  }

  // NT-14: the grant to welfare.
  auto welfare = certification::send_results_to_welfare(*db, clock);
  ASSERT_TRUE(welfare) << welfare.error().message;
  EXPECT_EQ(welfare->rows, 1);
  ASSERT_TRUE(welfare->exchange_id);

  // NT-15/16/17: the fees the workflow accrued, one file each.
  auto fees = certification::run_fee_payments(*db, clock, config->rules, outputs_cfg->budget_accounts, "staff1");
  ASSERT_TRUE(fees) << fees.error().message;
  ASSERT_EQ(fees->files.size(), 3u);
  EXPECT_EQ(fees->files[0].flow_id, "NT-15");
  EXPECT_EQ(fees->files[0].rows, 3);  // M01 chair, M02 and M06 members
  EXPECT_EQ(fees->files[0].total,
            fee_yen("committee.chair", Date(2026, 11, 20)) + 2 * fee_yen("committee.member", Date(2026, 11, 20)));
  EXPECT_EQ(fees->files[1].flow_id, "NT-16");
  EXPECT_EQ(fees->files[1].total, fee_yen("assessment.new.home", Date(2026, 11, 2)));
  EXPECT_EQ(fees->files[2].flow_id, "NT-17");
  EXPECT_EQ(fees->files[2].total, fee_yen("opinion.first.home", Date(2026, 11, 2)));

  // Out through the channels.
  dispatch();
  for (std::int64_t id : {*welfare->exchange_id, fees->files[0].exchange_id, fees->files[1].exchange_id, fees->files[2].exchange_id})
    EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {id}), "sent") << id;
  auto* zaimu = channels.simulator("zaimu");
  ASSERT_NE(zaimu, nullptr);
  EXPECT_EQ(zaimu->received().size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Db, CertificationOutputsEndToEnd, ::testing::ValuesIn(kaigo::testing::backends()),
                         kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo

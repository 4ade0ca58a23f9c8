// 返還金 on SQLite and PostgreSQL: KY-18 decisions (with and without the 加算金 of 法22条3項),
// the 決定通知書 + 納付書 read back with pdftotext, the mailing to `person`; KY-19 納入済通知 files
// end to end through the bank simulator and the inbox (full, partial, over-payment with its refund
// row), a file with an unknown slip refused whole and recorded with its fault, the same file twice;
// KY-20 rows sent to accounting once by the payment-file sender.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "benefit/benefit_payment.hpp"
#include "benefit/repayment.hpp"
#include "benefit/repayment_notice.hpp"
#include "benefit/repayment_receipts.hpp"
#include "core/clock.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/simulator_channel.hpp"
#include "sim/benefit/bank_sim.hpp"
#include "support/poppler.hpp"
#include "test_db.hpp"

namespace kaigo::benefit {
namespace {

class RepaymentTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    auto rules = load_benefit_rules(std::filesystem::path(KAIGO_SOURCE_CONFIG_DIR) / "rules" / "benefit");
    ASSERT_TRUE(rules) << rules.error().message;
    config.rules = std::move(*rules);
    auto layouts = load_bank_layouts(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(layouts) << layouts.error().message;
    bank_layouts = *layouts;
    person_channel = std::make_shared<linkage::SimulatorChannel>("person");
    bank_channel = std::make_shared<linkage::SimulatorChannel>("bank");
    channels.bind("person", person_channel);
    channels.bind("bank", bank_channel);
    person("P0000001", "返還 花子", "1000000001");
    person("P0000002", "返還 次郎", "1000000002");
  }

  void person(const std::string& id, const std::string& kanji, const std::string& insured_no) {
    auto r = db->exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                      "ward_code, household_id, relation, registry_status, updated_at) VALUES ($1, $2, 'ヘンカン ハナコ', "
                      "'1945-05-01', '2', '1000001', 'みどり市中央区本町2丁目3番4号', '981', $3, '世帯主', 'resident', "
                      "'2026-01-01T00:00:00+09:00')",
                      {id, kanji, "H" + id});
    ASSERT_TRUE(r) << r.error().message;
    auto n = db->exec("INSERT INTO insured_number (insured_no, person_id, assigned_on) VALUES ($1, $2, '2010-05-01')",
                      {insured_no, id});
    ASSERT_TRUE(n) << n.error().message;
  }

  Result<Repayment> decide(RepaymentInput in) {
    Result<Repayment> out = fail(ErrorKind::internal, "not run");
    auto tx = db->transaction([&](store::Connection& c) -> Result<void> {
      out = decide_repayment(c, clock, config.rules, in);
      if (!out) return std::unexpected(out.error());
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
    return out;
  }
  RepaymentInput insured(std::int64_t principal, const std::string& person_id = "P0000001") {
    RepaymentInput in;
    in.debtor_kind = "insured";
    in.person_id = person_id;
    in.reason_kind = RepaymentReason::overpaid_high_cost;
    in.reason = "2026年3月分 高額介護サービス費 (給付実績の修正による過払い)";
    in.principal = principal;
    in.decided_on = clock.today();
    in.actor = "tester";
    return in;
  }
  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? rows->front().i64(0) : -1;
  }
  std::string text(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? rows->front().str(0) : "";
  }
  linkage::DispatchReport dispatch() {
    linkage::Dispatcher dispatcher(repayment_inbound_handlers(clock, bank_layouts));
    auto report = dispatcher.run_once(*db, channels, clock);
    EXPECT_TRUE(report) << (report ? "" : report.error().message);
    return report ? *report : linkage::DispatchReport{};
  }
  linkage::InboundResult receive(const std::string& payload, std::optional<std::string> message_id = std::nullopt) {
    linkage::InboundMessage m{"KY-19", "bank", payload, "text/csv", message_id, "", {}, "納入済通知", "channel:test"};
    auto handlers = repayment_inbound_handlers(clock, bank_layouts);
    auto r = linkage::receive_inbound(*db, clock, m, handlers.at("KY-19"));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : linkage::InboundResult{};
  }
  std::string receipt_file(const std::vector<std::pair<std::string, std::int64_t>>& paid) {
    std::vector<std::vector<std::string>> data;
    for (const auto& [slip, amount] : paid)
      data.push_back({"", "", slip, clock.today().compact(), std::to_string(amount), "0179", "001"});
    auto f = csv::write(*bank_layouts->find("KY19"),
                        {{"collector_code", "0179"}, {"created_on", clock.today().compact()}, {"file_ref", "T1"}}, data);
    EXPECT_TRUE(f) << (f ? "" : f.error().message);
    return f ? *f : "";
  }
  std::string footprint() {
    return fmt::format("receipts {} paid {} payments {} applied {}", count("SELECT COUNT(*) FROM repayment_receipt"),
                       count("SELECT COALESCE(SUM(paid_total), 0) FROM repayment"), count("SELECT COUNT(*) FROM benefit_payment"),
                       count("SELECT COUNT(*) FROM benefit_inbound_file WHERE status = 'applied'"));
  }

  FixedClock clock = FixedClock::at(Date(2026, 6, 1));
  std::unique_ptr<store::Database> db;
  BenefitConfig config;
  std::shared_ptr<const csv::LayoutSet> bank_layouts;
  std::shared_ptr<linkage::SimulatorChannel> person_channel, bank_channel;
  linkage::ChannelSet channels;
};

TEST_P(RepaymentTest, KY_18_InsuredRepaymentHasNoSurchargeAndIsMailedWithItsSlip) {
  auto r = decide(insured(12345));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->surcharge, 0);
  EXPECT_EQ(r->total, 12345);
  EXPECT_EQ(r->debtor_name, "返還 花子");
  EXPECT_EQ(r->status, "open");
  EXPECT_EQ(r->due_on, "2026-07-01");  // decided_on + the rule file's 30 days
  EXPECT_TRUE(slip_no_valid(r->slip_no)) << r->slip_no;
  EXPECT_EQ(r->slip_no.substr(0, 4), "2026");
  std::string wrong = r->slip_no;
  wrong[11] = wrong[11] == '9' ? '0' : static_cast<char>(wrong[11] + 1);
  EXPECT_FALSE(slip_no_valid(wrong));
  // KY-20 調定 row, unsent.
  EXPECT_EQ(count("SELECT amount FROM benefit_payment WHERE basis_key = $1 AND kind = 'repayment_charge' AND "
                  "flow_id = 'KY-20' AND exchange_id IS NULL",
                  {fmt::format("repayment:{}", r->repayment_id)}),
            12345);
  // KY-18: the mailing to the person, what the 納付書 carries.
  const std::string payload = text("SELECT payload FROM exchange WHERE flow_id = 'KY-18' AND counterpart = 'person'");
  auto j = nlohmann::json::parse(payload);
  EXPECT_EQ(j["slip_no"], r->slip_no);
  EXPECT_EQ(j["amount"], 12345);
  EXPECT_EQ(j["due_on"], "2026-07-01");
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE person_id = 'P0000001'"), 1);
  // A second decision gets the next slip.
  auto second = decide(insured(500, "P0000002"));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_NE(second->slip_no, r->slip_no);
  EXPECT_TRUE(slip_no_valid(second->slip_no));
}

TEST_P(RepaymentTest, KY_18_ProviderFraudAddsTheSurchargeOfArticle22_3) {
  RepaymentInput in;
  in.debtor_kind = "provider";
  in.office_no = "1410000001";
  in.debtor_name = "みどり訪問介護ステーション";
  in.person_id = "P0000001";
  in.reason_kind = RepaymentReason::provider_fraud;
  in.reason = "2026年1月〜3月 訪問介護 提供実績のない請求";
  in.principal = 100001;
  in.decided_on = clock.today();
  in.actor = "tester";
  auto r = decide(in);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->surcharge, 40000);  // 100,001 × 40/100 = 40,000.4, floored
  EXPECT_EQ(r->total, 140001);
  EXPECT_EQ(r->debtor_name, "みどり訪問介護ステーション");
  auto ex = nlohmann::json::parse(r->explanation);
  EXPECT_NE(ex["surcharge_rule"].get<std::string>().find("40/100"), std::string::npos);
}

TEST_P(RepaymentTest, KY_18_BadInputNamesTheFieldAndWritesNothing) {
  auto zero = decide(insured(0));
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().field, "principal");
  auto nobody = insured(100);
  nobody.person_id.reset();
  auto r1 = decide(nobody);
  ASSERT_FALSE(r1);
  EXPECT_EQ(r1.error().field, "person_id");
  auto unknown = decide(insured(100, "NOSUCH"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
  auto fraud = insured(100);
  fraud.reason_kind = RepaymentReason::provider_fraud;
  auto r2 = decide(fraud);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().field, "reason_kind");
  EXPECT_EQ(count("SELECT COUNT(*) FROM repayment"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment"), 0);
}

TEST_P(RepaymentTest, KY_18_NoticeAndSlipReadBackAndIssuedOnce) {
  if (!testing::have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  auto r = decide(insured(12345));
  ASSERT_TRUE(r) << r.error().message;
  people::CityProfile city{"149802", "みどり市", {}};
  auto office = load_payments_office(KAIGO_SOURCE_CONFIG_DIR, city);
  ASSERT_TRUE(office) << office.error().message;
  auto pdf = repayment_notice_pdf(*db, clock, config, *office, r->repayment_id, "tester");
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string t = testing::pdf_text(*pdf);
  EXPECT_NE(t.find(r->slip_no), std::string::npos) << t;
  EXPECT_NE(t.find("12,345"), std::string::npos) << t;
  EXPECT_NE(t.find("納付書"), std::string::npos) << t;
  EXPECT_NE(t.find("1000000001"), std::string::npos) << t;
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE once_key = $1",
                  {fmt::format("repayment_notice:{}", r->repayment_id)}),
            1);
  auto again = repayment_notice_pdf(*db, clock, config, *office, r->repayment_id, "tester");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE kind = 'repayment_notice'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE once_key IS NULL"), 1);
}

TEST_P(RepaymentTest, KY_18_CancelBeforeAnythingIsPaidOrSent) {
  auto r = decide(insured(3000));
  ASSERT_TRUE(r) << r.error().message;
  auto tx = db->transaction([&](store::Connection& c) -> Result<void> {
    auto x = cancel_repayment(c, clock, r->repayment_id, "canceller");
    if (!x) return std::unexpected(x.error());
    return {};
  });
  ASSERT_TRUE(tx) << tx.error().message;
  EXPECT_EQ(text("SELECT status FROM repayment WHERE repayment_id = $1", {r->repayment_id}), "cancelled");
  EXPECT_EQ(text("SELECT changed_by FROM repayment WHERE repayment_id = $1", {r->repayment_id}), "canceller");
  EXPECT_EQ(text("SELECT changed_at FROM repayment WHERE repayment_id = $1", {r->repayment_id}), clock.timestamp());
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment"), 0);
  // A payment of a cancelled slip is refused.
  auto in = receive(receipt_file({{r->slip_no, 3000}}));
  EXPECT_EQ(in.outcome, linkage::InboundOutcome::rejected);
}

TEST_P(RepaymentTest, KY_19_BankSimulatorPaysInFullPartlyAndOverWithARefundRow) {
  sim::benefit::BankSim bank(person_channel.get(), bank_channel.get(), *bank_layouts, clock);
  std::vector<Repayment> rs;
  for (std::int64_t amount : {10000, 20000, 30000, 40001}) {
    auto r = decide(insured(amount));
    ASSERT_TRUE(r) << r.error().message;
    rs.push_back(*r);
  }
  auto sent = dispatch();  // the four mailings go to the person simulator
  EXPECT_EQ(sent.sent, 4);
  ASSERT_EQ(bank.slips().size(), 4u);
  auto said = bank.advance(3);
  ASSERT_TRUE(said) << said.error().message;
  auto received = dispatch();
  EXPECT_EQ(received.applied, 1);
  EXPECT_EQ(received.rejected, 0);
  auto status = [&](const Repayment& r) {
    return text("SELECT status FROM repayment WHERE repayment_id = $1", {r.repayment_id});
  };
  auto paid = [&](const Repayment& r) {
    return count("SELECT paid_total FROM repayment WHERE repayment_id = $1", {r.repayment_id});
  };
  EXPECT_EQ(status(rs[0]), "overpaid");
  EXPECT_EQ(paid(rs[0]), 11000);
  EXPECT_EQ(status(rs[1]), "paid");
  EXPECT_EQ(status(rs[2]), "paid");
  EXPECT_EQ(status(rs[3]), "partially_paid");
  EXPECT_EQ(paid(rs[3]), 20000);
  EXPECT_EQ(count("SELECT COUNT(*) FROM repayment_receipt"), 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment WHERE kind = 'repayment_receipt' AND flow_id = 'KY-20'"), 4);
  EXPECT_EQ(count("SELECT SUM(amount) FROM benefit_payment WHERE kind = 'repayment_receipt'"), 11000 + 20000 + 30000 + 20000);
  EXPECT_EQ(count("SELECT amount FROM benefit_payment WHERE kind = 'repayment_refund'"), 1000);
  auto summary = nlohmann::json::parse(text("SELECT summary FROM benefit_inbound_file WHERE flow_id = 'KY-19'"));
  EXPECT_EQ(summary["receipts"], 4);
  EXPECT_EQ(summary["refunded"], 1000);
  // kaigo restarts: a new simulator learns the slips and what was paid from the messages.
  sim::benefit::BankSim restarted(person_channel.get(), bank_channel.get(), *bank_layouts, clock);
  auto resumed = restarted.resume_from_messages(*db);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(*resumed, 4);
  std::vector<std::int64_t> remaining;
  for (const auto& s : restarted.slips()) remaining.push_back(s.remaining);
  EXPECT_EQ(remaining, (std::vector<std::int64_t>{0, 0, 0, 20001}));
  // The next days: the rest of the partly paid slip.
  ASSERT_TRUE(restarted.advance(1));
  EXPECT_EQ(dispatch().applied, 1);
  EXPECT_EQ(status(rs[3]), "paid");
  EXPECT_EQ(paid(rs[3]), 40001);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment WHERE kind = 'repayment_refund'"), 1);
}

TEST_P(RepaymentTest, KY_19_AnUnknownSlipRejectsTheWholeFileWithItsLineAndField) {
  auto r = decide(insured(5000));
  ASSERT_TRUE(r) << r.error().message;
  const std::string unknown = make_slip_no(2026, 9999);  // a valid check digit, never issued
  const std::string before = footprint();
  auto in = receive(receipt_file({{r->slip_no, 5000}, {unknown, 100}}));
  ASSERT_EQ(in.outcome, linkage::InboundOutcome::rejected);
  EXPECT_NE(in.reason.find("line 3"), std::string::npos) << in.reason;
  EXPECT_NE(in.reason.find("納付書番号"), std::string::npos) << in.reason;
  EXPECT_EQ(in.reason.find(unknown), std::string::npos) << "no values in the reason";
  EXPECT_EQ(footprint(), before);
  EXPECT_EQ(text("SELECT status FROM repayment WHERE repayment_id = $1", {r->repayment_id}), "open");
  auto recorded = record_rejected_receipt_files(*db, clock, *bank_layouts);
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_EQ(*recorded, 1);
  EXPECT_EQ(text("SELECT status FROM benefit_inbound_file WHERE flow_id = 'KY-19'"), "rejected");
  EXPECT_EQ(count("SELECT line_no FROM benefit_inbound_error"), 3);
  EXPECT_EQ(text("SELECT field FROM benefit_inbound_error"), "納付書番号");
  EXPECT_EQ(*record_rejected_receipt_files(*db, clock, *bank_layouts), 0);
  // A wrong count in the end record is refused too.
  std::string bad = receipt_file({{r->slip_no, 5000}});
  const auto at = bad.rfind("\"1\",\"5000\"");
  ASSERT_NE(at, std::string::npos) << bad;
  bad.replace(at, 10, "\"2\",\"5000\"");
  EXPECT_EQ(receive(bad).outcome, linkage::InboundOutcome::rejected);
  EXPECT_EQ(footprint(), before);
}

TEST_P(RepaymentTest, KY_19_TheSameFileTwiceChangesNothing) {
  auto r = decide(insured(7000));
  ASSERT_TRUE(r) << r.error().message;
  const std::string file = receipt_file({{r->slip_no, 7000}});
  EXPECT_EQ(receive(file).outcome, linkage::InboundOutcome::applied);
  const std::string after = footprint();
  EXPECT_EQ(receive(file).outcome, linkage::InboundOutcome::already_applied);
  // The same bytes under another message id: recognised by its hash, nothing applied.
  EXPECT_EQ(receive(file, std::string("again-1")).outcome, linkage::InboundOutcome::applied);
  EXPECT_EQ(footprint(), after);
  EXPECT_EQ(text("SELECT status FROM repayment WHERE repayment_id = $1", {r->repayment_id}), "paid");
}

TEST_P(RepaymentTest, KY_20_ChargeReceiptAndRefundRowsAreSentOnce) {
  auto r = decide(insured(8000));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(receive(receipt_file({{r->slip_no, 9000}})).outcome, linkage::InboundOutcome::applied);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment WHERE flow_id = 'KY-20' AND exchange_id IS NULL"), 3);
  auto sent = send_payment_file(*db, clock, "KY-20", "tester");
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_TRUE(sent->has_value());
  EXPECT_EQ((*sent)->rows, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment WHERE flow_id = 'KY-20' AND exchange_id IS NULL"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-20' AND counterpart = 'zaimu'"), 1);
  auto again = send_payment_file(*db, clock, "KY-20", "tester");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->has_value());
  // Once sent, the charge is no longer cancelled here.
  auto tx = db->transaction([&](store::Connection& c) -> Result<void> {
    auto x = cancel_repayment(c, clock, r->repayment_id, "tester");
    if (!x) return std::unexpected(x.error());
    return {};
  });
  EXPECT_FALSE(tx);
}

INSTANTIATE_TEST_SUITE_P(Db, RepaymentTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::benefit

// 高額介護サービス費 over a real database (SQLite and PostgreSQL): KY-05 the application and its
// validation; the monthly run for households of one and two (the split with its remainder, the
// individual cap, excluded service kinds, categories from the income facts); KY-16 the notice read
// back with pdftotext; KY-17 the payment file (rows, trailer) sent once; a rerun after a 修正 (more
// paid) and a 取消 (a repayment); a held decision paid after a later application; a resumed run.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "benefit/benefit_payment.hpp"
#include "benefit/high_cost.hpp"
#include "core/clock.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/folder_channel.hpp"
#include "people/city_profile.hpp"
#include "support/poppler.hpp"
#include "test_db.hpp"

namespace kaigo::benefit {
namespace {

using nlohmann::json;

constexpr const char* kMonth = "2026-05";

class HighCost : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    auto rules = load_benefit_rules(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/benefit");
    ASSERT_TRUE(rules) << rules.error().message;
    config.rules = std::move(*rules);
    // The kinds the tests use: 11 and 15 count; 41 (特定福祉用具購入) does not (rules.md §4).
    config.service_kinds = {{"11", "訪問介護", true, true}, {"15", "通所介護", true, true},
                            {"41", "特定福祉用具購入費", false, false}};
    auto city = people::load_city_profile(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(city) << city.error().message;
    issuer = high_cost_issuer(*city);
    print_dir = testing::scratch_dir("high-cost-print");
    ASSERT_TRUE(db->exec("INSERT INTO benefit_inbound_file (flow_id, exchange_id, sha256, layout_version, status, "
                         "record_count, summary, quarantine_path, received_at) VALUES ('KY-04', NULL, 'test', 'v1', "
                         "'applied', 0, '{}', NULL, '2026-06-20T09:00:00+09:00')"));
  }

  void person(const std::string& id, const std::string& household, const std::string& birth = "1950-04-01") {
    ASSERT_TRUE(db->exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                         "ward_code, household_id, relation, registry_status, status_date, updated_at) VALUES "
                         "($1, '高額 花子', 'コウガク ハナコ', $2, '2', '2910000', 'みどり市中央区本町1-1', '981', $3, "
                         "'世帯主', 'resident', NULL, '2026-01-01T00:00:00+09:00')",
                         {id, birth, household}));
    ASSERT_TRUE(db->exec("INSERT INTO insured_number (insured_no, person_id, assigned_on) VALUES ($1, $2, '2015-04-01')",
                         {"99" + id.substr(id.size() - 8), id}));
  }
  // kaigo's own tax row of income year 2024 (the one a May 2026 service month reads: before August, Y−2).
  void tax(const std::string& id, bool taxed, std::int64_t total, std::int64_t pension, std::int64_t taxable) {
    ASSERT_TRUE(db->exec(
        "INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
        "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income, source, "
        "source_exchange_id, recorded_at, recorded_by) VALUES ($1, 2024, $2, $3, $3, 0, 0, 0, $4, $5, 'tax_office', NULL, "
        "'2025-06-01T09:00:00+09:00', 'test')",
        {id, total, pension, std::int64_t{taxed ? 1 : 0}, taxable}));
  }
  void record(const std::string& claim, const std::string& id, const std::string& kind, std::int64_t copayment,
              const std::string& month = kMonth) {
    ASSERT_TRUE(db->exec(
        "INSERT INTO benefit_record (claim_no, person_id, insured_no, service_month, review_month, office_no, service_kind, "
        "payment_kind, days, units, unit_price_hundredths, total_cost, insurance_paid, copayment, public_paid, status, "
        "file_id, line_no, replaced_by, recorded_at) VALUES ($1, $2, '0000000000', $3, '2026-06', '1410000001', $4, "
        "'in_kind', 10, 1000, 1000, $5 * 10, $5 * 9, $5, 0, 'current', 1, 1, NULL, '2026-06-20T09:00:00+09:00')",
        {claim, id, month, kind, copayment}));
  }
  // A 修正 (new amount) or 取消 (nullopt) of a claim, as the records engineer's KY-04 applies it.
  void correct(const std::string& claim, std::optional<std::int64_t> copayment) {
    ASSERT_TRUE(db->exec("UPDATE benefit_record SET status = $2 WHERE claim_no = $1 AND status = 'current'",
                         {claim, std::string(copayment ? "superseded" : "cancelled")}));
    if (!copayment) return;
    ASSERT_TRUE(db->exec(
        "INSERT INTO benefit_record (claim_no, person_id, insured_no, service_month, review_month, office_no, service_kind, "
        "payment_kind, days, units, unit_price_hundredths, total_cost, insurance_paid, copayment, public_paid, status, "
        "file_id, line_no, replaced_by, recorded_at) SELECT claim_no, person_id, insured_no, service_month, '2026-07', "
        "office_no, service_kind, payment_kind, days, units, unit_price_hundredths, $2 * 10, $2 * 9, $2, 0, 'current', "
        "file_id, 2, NULL, '2026-07-20T09:00:00+09:00' FROM benefit_record WHERE claim_no = $1 AND status = 'superseded'",
        {claim, *copayment}));
  }

  HighCostApplicationInput application(const std::string& id) {
    return HighCostApplicationInput{id, "2026-06-01", "2026-04", "0001", "123", "ordinary", "1234567", "ｺｳｶﾞｸ ﾊﾅｺ", "tester"};
  }
  std::int64_t apply(const std::string& id) {
    auto r = register_high_cost_application(*db, clock, application(id));
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->application.application_id : 0;
  }

  HighCostRun run(bool notices = true, int stop_after = 0, int chunk = 2000) {
    HighCostRunOptions o;
    o.month = kMonth;
    o.actor = "tester";
    o.print_dir = print_dir;
    o.print_notices = notices;
    o.stop_after_chunks = stop_after;
    o.chunk_households = chunk;
    auto r = run_high_cost(*db, clock, config, issuer, o);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : HighCostRun{};
  }

  std::int64_t count(const std::string& sql, const store::Params& p = {}) {
    auto r = db->query(sql, p);
    EXPECT_TRUE(r) << r.error().message;
    return r && !r->empty() ? r->front().i64(0) : -1;
  }
  HighCostDecision current(const std::string& id) {
    HighCostDecision out;
    auto read = db->with_connection([&](store::Connection& c) -> Result<void> {
      auto list = list_high_cost_decisions(c, id);
      if (!list) return std::unexpected(list.error());
      for (const auto& d : *list)
        if (d.status == "current" && d.service_month == kMonth) out = d;
      return {};
    });
    EXPECT_TRUE(read);
    return out;
  }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 7, 10));
  BenefitConfig config;
  notice::BenefitIssuer issuer;
  std::string print_dir;
};

TEST_P(HighCost, KY_05_ApplicationIsValidatedFieldByFieldAndRegisteredOnce) {
  person("0000000101", "H101");
  auto bad = [&](auto change, const char* field) {
    auto in = application("0000000101");
    change(in);
    auto r = register_high_cost_application(*db, clock, in);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << field;
    EXPECT_EQ(r.error().field, field) << r.error().message;
  };
  bad([](auto& in) { in.bank_code = "001"; }, "bank_code");
  bad([](auto& in) { in.branch_code = "12a"; }, "branch_code");
  bad([](auto& in) { in.account_kind = "savings"; }, "account_kind");
  bad([](auto& in) { in.account_no = "123456"; }, "account_no");
  bad([](auto& in) { in.account_holder_kana = "高額 花子"; }, "account_holder_kana");
  bad([](auto& in) { in.account_holder_kana = "こうがく"; }, "account_holder_kana");
  bad([](auto& in) { in.account_holder_kana = ""; }, "account_holder_kana");
  bad([](auto& in) { in.first_month = "2026-13"; }, "first_month");
  bad([](auto& in) { in.received_on = "2026/06/01"; }, "received_on");
  EXPECT_EQ(count("SELECT COUNT(*) FROM high_cost_application"), 0);

  // Full-width katakana is accepted as well as half-width; stored full-width.
  auto in = application("0000000101");
  in.account_holder_kana = "コウガク　ハナコ";
  auto ok = register_high_cost_application(*db, clock, in);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->application.account_holder_kana, "コウガク　ハナコ");
  EXPECT_EQ(ok->application.status, "active");
  auto twice = register_high_cost_application(*db, clock, application("0000000101"));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
  auto unknown = register_high_cost_application(*db, clock, application("0000000999"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);

  auto withdrawn = withdraw_high_cost_application(*db, clock, ok->application.application_id, "tester");
  ASSERT_TRUE(withdrawn) << withdrawn.error().message;
  EXPECT_EQ(withdrawn->status, "withdrawn");
  EXPECT_TRUE(register_high_cost_application(*db, clock, application("0000000101")));
}

TEST_P(HighCost, KY_16_KY_17_SingleAndTwoPersonHouseholdsSplitWithRemainderAndIndividualCap) {
  // One person, taxed (課税所得 1,000,000 < 380万): cap 44,400. 41 does not count.
  person("0000000101", "H1");
  tax("0000000101", true, 2000000, 1500000, 1000000);
  record("C1", "0000000101", "11", 30000);
  record("C2", "0000000101", "15", 20000);
  record("C3", "0000000101", "41", 9000);
  // Two persons, household untaxed (24,600); the second has pension + income ≤ 80万: 15,000 individually.
  person("0000000201", "H2");
  person("0000000202", "H2");
  tax("0000000201", false, 900000, 1200000, 0);
  tax("0000000202", false, 0, 500000, 0);
  record("C4", "0000000201", "11", 20000);
  record("C5", "0000000202", "15", 17001);
  for (const char* id : {"0000000101", "0000000201", "0000000202"}) apply(id);

  const HighCostRun r = run();
  EXPECT_EQ(r.status, "done");
  EXPECT_EQ(r.households, 2);
  EXPECT_EQ(r.persons, 3);
  EXPECT_EQ(r.decided, 3);

  const auto one = current("0000000101");
  EXPECT_EQ(one.category, "taxed");
  EXPECT_EQ(one.household_copayment, 50000);  // 9,000 of 41 left out
  EXPECT_EQ(one.cap, 44400);
  EXPECT_EQ(one.amount, 5600);
  const json e = json::parse(one.explanation);
  EXPECT_EQ(e["excluded_copayment"], 9000);
  EXPECT_EQ(e["category"], "taxed");
  EXPECT_FALSE(e["category_explanation"].get<std::string>().empty());

  // (37,001 − 24,600) = 12,401 split 20,000 : 17,001 → 6,703.06 / 5,697.93; the yen left goes to the smaller share.
  const auto a = current("0000000201");
  const auto b = current("0000000202");
  EXPECT_EQ(a.category, "household_untaxed");
  EXPECT_EQ(b.category, "low_income");
  EXPECT_EQ(a.household_copayment, 37001);
  EXPECT_EQ(a.cap, 24600);
  EXPECT_EQ(a.amount + b.amount, 12401);
  EXPECT_EQ(a.amount, 6703);
  EXPECT_EQ(b.amount, 5698);
  EXPECT_GE(b.amount, 17001 - 15000);
  EXPECT_EQ(json::parse(b.explanation)["cap"]["individual"], 15000);

  // KY-17: one row per decision, sent once with its trailer.
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment WHERE kind = 'high_cost' AND exchange_id IS NULL"), 3);
  auto sent = send_payment_file(*db, clock, "KY-17", "tester");
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_TRUE(*sent);
  EXPECT_EQ((*sent)->rows, 3);
  EXPECT_EQ((*sent)->total, 5600 + 12401);
  auto payload = db->query("SELECT payload, counterpart, flow_id FROM exchange WHERE exchange_id = $1", {(*sent)->exchange_id});
  ASSERT_TRUE(payload);
  const std::string csv = payload->front().str(0);
  EXPECT_EQ(payload->front().str(1), "zaimu");
  EXPECT_EQ(payload->front().str(2), "KY-17");
  EXPECT_EQ(csv.rfind("レコード区分,支払番号,区分,", 0), 0u) << csv;
  EXPECT_NE(csv.find(",高額介護サービス費,high_cost,支払,高額 花子,5600,0001,123,1,1234567,コウガク ハナコ,"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\r\nT,3,,,,,18001,"), std::string::npos) << csv;
  // Through the zaimu channel (a folder here): the file accounting reads, as built.
  const std::string out_dir = testing::scratch_dir("zaimu-out");
  linkage::ChannelSet channels;
  channels.bind("zaimu", std::make_shared<linkage::FolderChannel>("zaimu", out_dir));
  linkage::Dispatcher dispatcher({});
  auto report = dispatcher.run_once(*db, channels, clock);
  ASSERT_TRUE(report) << report.error().message;
  auto sent_row = db->query("SELECT status, correlation_id FROM exchange WHERE exchange_id = $1", {(*sent)->exchange_id});
  ASSERT_TRUE(sent_row);
  EXPECT_EQ(sent_row->front().str(0), "sent");
  const auto file = std::filesystem::path(out_dir) / "out" / ("KY-17_" + sent_row->front().str(1) + ".csv");
  ASSERT_TRUE(std::filesystem::exists(file)) << file;
  std::stringstream written;
  written << std::ifstream(file, std::ios::binary).rdbuf();
  EXPECT_EQ(written.str(), csv);

  auto again = send_payment_file(*db, clock, "KY-17", "tester");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-17'"), 1);

  // KY-16: the run's print file holds the three notices, recorded once.
  EXPECT_EQ(r.notices, 3);
  EXPECT_TRUE(std::filesystem::exists(r.print_file));
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE kind = 'high_cost_notice' AND once_key IS NOT NULL"), 3);
  if (testing::have("pdftotext")) {
    auto pdf = high_cost_notice_pdf(*db, clock, config, issuer, one.decision_id, "tester");
    ASSERT_TRUE(pdf) << pdf.error().message;
    EXPECT_TRUE(pdf->reprint);
    const std::string text = testing::pdf_text(pdf->pdf);
    EXPECT_NE(text.find("5,600"), std::string::npos) << text;
    EXPECT_NE(text.find("44,400"), std::string::npos) << text;
    EXPECT_NE(text.find("令和8年5月"), std::string::npos) << text;
  }

  // Nothing changed: a second pass writes nothing.
  const HighCostRun second = run();
  EXPECT_EQ(second.decided, 0);
  EXPECT_EQ(second.unchanged, 3);
  EXPECT_EQ(second.paid, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM high_cost_decision"), 3);
}

TEST_P(HighCost, KY_16_HouseholdUnderTheCapGetsADecisionOnlyWithAnApplication) {
  person("0000000301", "H3");
  person("0000000302", "H4");
  tax("0000000301", true, 2000000, 1500000, 1000000);
  tax("0000000302", true, 2000000, 1500000, 1000000);
  record("C1", "0000000301", "11", 10000);
  record("C2", "0000000302", "11", 10000);
  apply("0000000301");
  const HighCostRun r = run();
  EXPECT_EQ(r.decided, 1);
  const auto d = current("0000000301");
  EXPECT_EQ(d.amount, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM high_cost_decision WHERE person_id = '0000000302'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment"), 0);
  EXPECT_EQ(r.notices, 0);
  if (testing::have("pdftotext")) {
    auto pdf = high_cost_notice_pdf(*db, clock, config, issuer, d.decision_id, "tester");
    ASSERT_TRUE(pdf) << pdf.error().message;
    EXPECT_NE(testing::pdf_text(pdf->pdf).find("不支給"), std::string::npos);
  }
}

TEST_P(HighCost, KY_17_HeldDecisionIsPaidWhenTheApplicationComesLater) {
  person("0000000401", "H5");
  tax("0000000401", true, 2000000, 1500000, 1000000);
  record("C1", "0000000401", "11", 60000);
  const HighCostRun r = run();
  EXPECT_EQ(r.held, 1);
  const auto held = current("0000000401");
  EXPECT_EQ(held.amount, 15600);
  EXPECT_FALSE(held.application_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment"), 0);
  EXPECT_EQ(r.notices, 0);

  auto registered = register_high_cost_application(*db, clock, application("0000000401"));
  ASSERT_TRUE(registered) << registered.error().message;
  EXPECT_EQ(registered->held_paid, 1);
  EXPECT_EQ(registered->held_paid_total, 15600);
  EXPECT_EQ(count("SELECT amount FROM benefit_payment WHERE basis_key = $1",
                  {"high_cost:" + std::to_string(held.decision_id)}),
            15600);
  // The next pass changes nothing and pays nothing twice.
  const HighCostRun again = run();
  EXPECT_EQ(again.decided, 0);
  EXPECT_EQ(again.paid, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment"), 1);
}

TEST_P(HighCost, KY_17_RerunAfterACorrectionPaysTheDifferenceAndACancellationDecidesARepayment) {
  person("0000000501", "H6");
  tax("0000000501", true, 2000000, 1500000, 1000000);
  record("C1", "0000000501", "11", 50000);
  apply("0000000501");
  run();
  EXPECT_EQ(current("0000000501").amount, 5600);
  ASSERT_TRUE(send_payment_files(*db, clock, "tester"));

  // 修正: the claim's co-payment rises to 54,400 → 10,000; 4,400 more is paid.
  correct("C1", 54400);
  const HighCostRun more = run();
  EXPECT_EQ(more.run_key, std::string(kMonth) + "#2");
  EXPECT_EQ(more.decided, 1);
  const auto raised = current("0000000501");
  EXPECT_EQ(raised.amount, 10000);
  EXPECT_EQ(raised.paid_before, 5600);
  EXPECT_EQ(raised.payment_amount, 4400);
  EXPECT_EQ(count("SELECT COUNT(*) FROM high_cost_decision WHERE status = 'superseded'"), 1);

  // 取消: nothing counts any more; the 10,000 paid becomes a repayment (返還金).
  correct("C1", std::nullopt);
  const HighCostRun cancelled = run();
  EXPECT_EQ(cancelled.repayments, 1);
  EXPECT_EQ(cancelled.repayment_total, 10000);
  const auto zero = current("0000000501");
  EXPECT_EQ(zero.amount, 0);
  EXPECT_EQ(zero.paid_before, 10000);
  ASSERT_TRUE(zero.repayment_id);
  EXPECT_EQ(count("SELECT principal FROM repayment WHERE repayment_id = $1", {*zero.repayment_id}), 10000);
  EXPECT_EQ(count("SELECT COUNT(*) FROM repayment WHERE reason_kind = 'overpaid_high_cost'"), 1);
  // A further pass finds nothing owed either way.
  const HighCostRun still = run();
  EXPECT_EQ(still.decided, 0);
  EXPECT_EQ(still.repayments, 0);
}

TEST_P(HighCost, KY_16_InterruptedRunResumesWhereItStopped) {
  for (int i = 1; i <= 5; ++i) {
    const std::string id = "00000006" + std::string(2 - std::to_string(i).size(), '0') + std::to_string(i);
    person(id, "H7" + std::to_string(i));
    tax(id, true, 2000000, 1500000, 1000000);
    record("C" + std::to_string(i), id, "11", 50000);
    apply(id);
  }
  const HighCostRun first = run(true, 2, 2);  // stops after 2 chunks of 2 households
  EXPECT_EQ(first.status, "running");
  EXPECT_EQ(first.decided, 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document"), 0);
  const HighCostRun resumed = run(true, 0, 2);
  EXPECT_EQ(resumed.batch_run_id, first.batch_run_id);
  EXPECT_EQ(resumed.status, "done");
  EXPECT_EQ(resumed.decided, 1);
  EXPECT_EQ(resumed.persons, 5);
  EXPECT_EQ(resumed.notices, 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM high_cost_decision WHERE status = 'current'"), 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment"), 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM batch_run WHERE job = 'high_cost'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Db, HighCost, ::testing::ValuesIn(kaigo::testing::backends()), kaigo::testing::backend_name);

}  // namespace
}  // namespace kaigo::benefit

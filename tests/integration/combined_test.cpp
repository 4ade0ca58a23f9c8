// 高額医療合算 on SQLite and PostgreSQL, end to end through the 国保 simulator: KY-21 applications
// in (validated whole, stored once), the KY-22 自己負担額証明書 by month (co-payments minus the
// 高額介護サービス費), the KY-23 split checked against the rule and decided — paid (a KY-17 payment
// row to the application's account, the 支給決定通知書), not paid when the excess is 500 yen or
// less or a total is zero — and a split that disagrees with the rule refused naming the field.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "benefit/combined.hpp"
#include "core/clock.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/simulator_channel.hpp"
#include "sim/benefit/kokuho_sim.hpp"
#include "support/poppler.hpp"
#include "test_db.hpp"

namespace kaigo::benefit {
namespace {

using nlohmann::json;

class CombinedTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    auto rules = load_benefit_rules(std::filesystem::path(KAIGO_SOURCE_CONFIG_DIR) / "rules" / "benefit");
    ASSERT_TRUE(rules) << rules.error().message;
    config.rules = std::move(*rules);
    kokuho_channel = std::make_shared<linkage::SimulatorChannel>("kokuho");
    channels.bind("kokuho", kokuho_channel);
    person("P0000001", "1000000001");
    person("P0000002", "1000000002");
    person("P0000003", "1000000003");
    sim::benefit::KokuhoOptions o;
    o.income_class = "general";  // 70歳以上 一般: 560,000 yen a year
    kokuho = std::make_unique<sim::benefit::KokuhoSim>(*db, kokuho_channel.get(), config.rules, clock, 7, o);
  }

  void person(const std::string& id, const std::string& insured_no) {
    auto r = db->exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                      "ward_code, household_id, relation, registry_status, updated_at) VALUES ($1, '合算 太郎', 'ガッサン タロウ', "
                      "'1945-05-01', '1', '1000001', 'みどり市中央区本町2丁目3番4号', '981', $2, '世帯主', 'resident', "
                      "'2026-01-01T00:00:00+09:00')",
                      {id, "H" + id});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_TRUE(db->exec("INSERT INTO insured_number (insured_no, person_id, assigned_on) VALUES ($1, $2, '2010-05-01')",
                         {insured_no, id}));
  }
  void record(const std::string& person_id, const std::string& month, std::int64_t copayment) {
    static int n = 0;
    auto r = db->exec(
        "INSERT INTO benefit_record (claim_no, person_id, insured_no, service_month, review_month, office_no, service_kind, "
        "payment_kind, days, units, unit_price_hundredths, total_cost, insurance_paid, copayment, public_paid, status, "
        "file_id, line_no, recorded_at) VALUES ($1, $2, (SELECT insured_no FROM insured_number WHERE person_id = $2), $3, $3, "
        "'1410000001', '11', 'in_kind', 10, 10000, 1000, $4, $5, $6, 0, 'current', 1, 2, 'now')",
        {fmt::format("C{}-{}", GetParam(), ++n), person_id, month, copayment * 10, copayment * 9, copayment});
    ASSERT_TRUE(r) << r.error().message;
  }
  void high_cost(const std::string& person_id, const std::string& month, std::int64_t paid_before, std::int64_t amount) {
    auto r = db->exec(
        "INSERT INTO high_cost_decision (person_id, service_month, household_key, category, household_copayment, "
        "own_copayment, cap, amount, paid_before, status, explanation, decided_at) VALUES ($1, $2, 'H', 'taxed', 0, 0, "
        "44400, $3, $4, 'current', '{}', 'now')",
        {person_id, month, amount, paid_before});
    ASSERT_TRUE(r) << r.error().message;
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
    linkage::Dispatcher dispatcher(combined_inbound_handlers(clock, config.rules));
    auto report = dispatcher.run_once(*db, channels, clock);
    EXPECT_TRUE(report) << (report ? "" : report.error().message);
    return report ? *report : linkage::DispatchReport{};
  }
  linkage::InboundResult receive(const std::string& flow, const std::string& payload) {
    linkage::InboundMessage m{flow, "kokuho", payload, "application/json", std::nullopt, "", {}, "test", "channel:test"};
    auto handlers = combined_inbound_handlers(clock, config.rules);
    auto r = linkage::receive_inbound(*db, clock, m, handlers.at(flow));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : linkage::InboundResult{};
  }
  CombinedShare rule(std::int64_t medical, std::int64_t care) {
    auto v = config.rules.on(Date(2025, 8, 1));
    EXPECT_TRUE(v);
    auto s = combined_care_share(**v, "70_plus", "general", medical, care);
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    return s ? *s : CombinedShare{};
  }
  json application(const std::string& ref, const std::string& insured_no) {
    return json{{"kokuho_ref", ref},
                {"insured_no", insured_no},
                {"applied_on", "2026-08-20"},
                {"period_from", "2025-08-01"},
                {"period_to", "2026-07-31"},
                {"medical_insurer_no", "00149802"},
                {"age_band", "70_plus"},
                {"income_class", "general"},
                {"account",
                 {{"bank_code", "0179"}, {"branch_code", "001"}, {"account_kind", "ordinary"}, {"account_no", "1234567"},
                  {"holder_kana", "ｶﾞｯｻﾝ ﾀﾛｳ"}}}};
  }

  FixedClock clock = FixedClock::at(Date(2026, 9, 1));
  std::unique_ptr<store::Database> db;
  BenefitConfig config;
  std::shared_ptr<linkage::SimulatorChannel> kokuho_channel;
  linkage::ChannelSet channels;
  std::unique_ptr<sim::benefit::KokuhoSim> kokuho;
};

TEST_P(CombinedTest, KY_21_KY_22_KY_23_ThroughTheKokuhoSimulator_PaidAndNotPaidBy500Yen) {
  if (!testing::have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  // P1: 30,000 + 40,000 co-payments, 15,600 of October's paid back as 高額 → 54,400 counted.
  record("P0000001", "2025-09", 30000);
  record("P0000001", "2025-10", 40000);
  record("P0000001", "2024-10", 99999);  // another period: not counted
  high_cost("P0000001", "2025-10", 5600, 10000);
  kokuho->set_medical_total("P0000001", 600000);
  // P2: 10,000 counted and medical such that the excess is 400 yen (≤ 500: not paid).
  record("P0000002", "2026-07", 10000);
  kokuho->set_medical_total("P0000002", 560000 - 10000 + 400);
  // P3: co-payments but no medical costs: the 国保 has nothing to combine.
  record("P0000003", "2026-01", 5000);
  kokuho->set_medical_total("P0000003", 0);

  auto said = kokuho->advance(1);
  ASSERT_TRUE(said) << said.error().message;
  auto first = dispatch();  // KY-21 in, KY-22 queued
  EXPECT_EQ(first.applied, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM combined_application"), 2);
  const std::string ky22 = text("SELECT payload FROM exchange WHERE flow_id = 'KY-22' AND payload LIKE '%1000000001%'");
  auto cert = json::parse(ky22);
  EXPECT_EQ(cert["care_total"], 54400);
  ASSERT_EQ(cert["months"].size(), 12u);
  EXPECT_EQ(cert["months"][0]["month"], "2025-08");
  EXPECT_EQ(cert["months"][2]["counted"], 24400);
  EXPECT_EQ(cert["months"][2]["high_cost"], 15600);
  auto second = dispatch();  // KY-22 out, KY-23 answered and applied
  EXPECT_EQ(second.sent, 2);
  EXPECT_EQ(second.applied, 2);

  const CombinedShare expected = rule(600000, 54400);
  ASSERT_TRUE(expected.payable);
  const std::string p1 = "SELECT {} FROM combined_application WHERE person_id = 'P0000001'";
  EXPECT_EQ(text(fmt::format(fmt::runtime(p1), "status")), "decided");
  EXPECT_EQ(count(fmt::format(fmt::runtime(p1), "excess_total")), 600000 + 54400 - 560000);
  EXPECT_EQ(count(fmt::format(fmt::runtime(p1), "decided_amount")), expected.care_share);
  EXPECT_EQ(count("SELECT amount FROM benefit_payment WHERE kind = 'combined' AND flow_id = 'KY-17'"), expected.care_share);
  EXPECT_EQ(text("SELECT account_no FROM benefit_payment WHERE kind = 'combined'"),
            text(fmt::format(fmt::runtime(p1), "account_no")));
  EXPECT_EQ(text("SELECT status FROM combined_application WHERE person_id = 'P0000002'"), "not_payable");
  EXPECT_EQ(count("SELECT decided_amount FROM combined_application WHERE person_id = 'P0000002'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment"), 1);

  // The 支給決定通知書, issued once.
  const std::int64_t id = count(fmt::format(fmt::runtime(p1), "combined_id"));
  people::CityProfile city{"149802", "みどり市", {}};
  auto office = load_payments_office(KAIGO_SOURCE_CONFIG_DIR, city);
  ASSERT_TRUE(office) << office.error().message;
  auto pdf = combined_notice_pdf(*db, clock, config, *office, id, "tester");
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string t = testing::pdf_text(*pdf);
  ASSERT_GE(expected.care_share, 1000);
  EXPECT_NE(t.find(fmt::format("{},{:03d}", expected.care_share / 1000, expected.care_share % 1000)), std::string::npos) << t;
  EXPECT_NE(t.find("1000000001"), std::string::npos) << t;
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_document WHERE once_key = $1", {fmt::format("combined_notice:{}", id)}), 1);

  // The same applications again: nothing new (stored once), no second certificate.
  EXPECT_EQ(*kokuho->send_applications(Date(2025, 8, 1)), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-22'"), 2);
}

TEST_P(CombinedTest, KY_23_ASplitThatDisagreesWithTheRuleIsRefusedAndAZeroTotalIsNotPaid) {
  record("P0000003", "2026-01", 600000);
  json doc = {{"format", "kaigo.kokuho.combined_application/1"},
              {"applications", json::array({application("K-MANUAL-1", "1000000003")})}};
  ASSERT_EQ(receive("KY-21", doc.dump()).outcome, linkage::InboundOutcome::applied);
  EXPECT_EQ(count("SELECT care_copayment FROM combined_application WHERE kokuho_ref = 'K-MANUAL-1'"), 600000);
  const CombinedShare s = rule(0, 600000);
  EXPECT_FALSE(s.payable);  // the medical total is zero
  json result = {{"kokuho_ref", "K-MANUAL-1"}, {"medical_total", 0}, {"care_total", 600000}, {"excess", s.excess},
                 {"care_share", s.care_share + 1}};
  json wrong = {{"format", "kaigo.kokuho.combined_result/1"}, {"results", json::array({result})}};
  auto refused = receive("KY-23", wrong.dump());
  ASSERT_EQ(refused.outcome, linkage::InboundOutcome::rejected);
  EXPECT_NE(refused.reason.find("results[0].care_share"), std::string::npos) << refused.reason;
  EXPECT_EQ(text("SELECT status FROM combined_application WHERE kokuho_ref = 'K-MANUAL-1'"), "certified");
  auto recorded = record_rejected_combined_files(*db, clock, config.rules);
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_EQ(*recorded, 1);
  EXPECT_EQ(text("SELECT field FROM benefit_inbound_error"), "results[0].care_share");

  result["care_share"] = s.care_share;
  json right = {{"format", "kaigo.kokuho.combined_result/1"}, {"results", json::array({result})}};
  ASSERT_EQ(receive("KY-23", right.dump()).outcome, linkage::InboundOutcome::applied);
  EXPECT_EQ(text("SELECT status FROM combined_application WHERE kokuho_ref = 'K-MANUAL-1'"), "not_payable");
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment"), 0);
  // Decided: a second result for it is refused.
  EXPECT_EQ(receive("KY-23", json{{"format", "kaigo.kokuho.combined_result/1"},
                                  {"results", json::array({result})},
                                  {"note", "again"}}
                                 .dump())
                .outcome,
            linkage::InboundOutcome::rejected);
}

TEST_P(CombinedTest, KY_21_ABadApplicationRefusesTheDocumentNamingTheField) {
  json bad = application("K-BAD-1", "1000000001");
  bad["period_from"] = "2025-04-01";
  json unknown = application("K-BAD-2", "9999999999");
  json doc = {{"format", "kaigo.kokuho.combined_application/1"},
              {"applications", json::array({application("K-OK-1", "1000000002"), bad, unknown})}};
  auto r = receive("KY-21", doc.dump());
  ASSERT_EQ(r.outcome, linkage::InboundOutcome::rejected);
  EXPECT_NE(r.reason.find("applications[1].period_from"), std::string::npos) << r.reason;
  EXPECT_EQ(count("SELECT COUNT(*) FROM combined_application"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-22'"), 0);
  ASSERT_TRUE(record_rejected_combined_files(*db, clock, config.rules));
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_inbound_error"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_inbound_error WHERE field = 'applications[2].insured_no'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Db, CombinedTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::benefit

// KY-06 / KY-07 over a real database (SQLite and PostgreSQL): the benefit asks the city's tax
// system for the tax facts a person's household misses (and in one file for a service month's
// missing); the tax office simulator answers over its SimulatorChannel with KY-07 in the FK-02
// layout; the premium's zeimu handler taken by flow applies it into tax_income, so the facts are no
// longer missing; asking again asks nobody twice; the same answer again changes nothing; a KY-07
// that does not answer a KY-06 is refused whole and recorded for staff.
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "benefit/income.hpp"
#include "benefit/income_zeimu.hpp"
#include "core/hash.hpp"
#include "eligibility/register.hpp"
#include "linkage/dispatcher.hpp"
#include "people/my_number_vault.hpp"
#include "premium/zeimu_service.hpp"
#include "sim/city_generator.hpp"
#include "sim/zeimu/tax_office_sim.hpp"
#include "test_db.hpp"

namespace kaigo::benefit {
namespace {

class BenefitZeimu : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    const people::MyNumberVault vault(random_bytes(32));
    auto city = sim::generate_city(*db, vault, sim::CityOptions{300, 3, Date(2026, 4, 1), "test"});
    ASSERT_TRUE(city) << city.error().message;
    auto registered = eligibility::register_initial_residents(
        *db, clock, eligibility::ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "test", "初期登録 (模擬都市)"});
    ASSERT_TRUE(registered) << registered.error().message;
    channels.bind("zeimu", std::make_shared<linkage::SimulatorChannel>("zeimu"));
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
  // Category-1 persons resident since before 2026 with a row of the tax office's ledger for 2025.
  std::vector<std::string> insured_with_ledger() {
    auto rows = db->query(
        "SELECT DISTINCT p.person_id FROM eligibility_period p JOIN tax_income t ON t.person_id = p.person_id "
        "AND t.source = 'synthetic_city' AND t.tax_year = 2025 WHERE p.category = '1' AND p.lost_on IS NULL "
        "ORDER BY p.person_id");
    EXPECT_TRUE(rows);
    std::vector<std::string> out;
    if (rows)
      for (const auto& r : *rows) out.push_back(r.str(0));
    return out;
  }
  std::set<std::string> missing_ky06(const std::string& person) {
    std::set<std::string> out;
    auto read = db->with_connection([&](store::Connection& c) -> Result<void> {
      auto in = gather_income_inputs(c, person, kOn);
      if (!in) return std::unexpected(in.error());
      EXPECT_EQ(in->tax_year, 2025);
      for (const auto& m : in->missing)
        if (m.ask_flow == "KY-06") out.insert(m.person_id);
      return {};
    });
    EXPECT_TRUE(read) << read.error().message;
    return out;
  }
  linkage::DispatchReport dispatch() {
    linkage::Dispatcher dispatcher(premium::zeimu_inbound_handlers(clock));
    auto report = dispatcher.run_once(*db, channels, clock);
    EXPECT_TRUE(report) << (report ? "" : report.error().message);
    return report ? *report : linkage::DispatchReport{};
  }
  void record(const std::string& claim, const std::string& id) {
    ASSERT_TRUE(db->exec(
        "INSERT INTO benefit_record (claim_no, person_id, insured_no, service_month, review_month, office_no, service_kind, "
        "payment_kind, days, units, unit_price_hundredths, total_cost, insurance_paid, copayment, public_paid, status, "
        "file_id, line_no, replaced_by, recorded_at) VALUES ($1, $2, '0000000000', '2026-08', '2026-09', '1410000001', '11', "
        "'in_kind', 10, 1000, 1000, 100000, 90000, 10000, 0, 'current', 1, 1, NULL, '2026-09-20T09:00:00+09:00')",
        {claim, id}));
  }

  const Date kOn{2026, 8, 1};  // the co-payment period from 1 August 2026 reads income year 2025
  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 8, 10));
  linkage::ChannelSet channels;
};

TEST_P(BenefitZeimu, KY_06_KY_07_MissingTaxFactsAskedOfTheCityAndAppliedOnce) {
  sim::zeimu::TaxOfficeSim office(*db, channels.simulator("zeimu"), 5, sim::zeimu::TaxOfficeOptions{Date(2026, 8, 10), 0});
  const auto persons = insured_with_ledger();
  ASSERT_GE(persons.size(), 3u);
  const std::string subject = persons[0];
  // kaigo holds no tax row of its own yet: the household's residents are the city's to answer.
  const auto wanted = missing_ky06(subject);
  ASSERT_TRUE(wanted.contains(subject));

  auto sent = ask_zeimu_for_person(*db, clock, subject, kOn, "staff1");
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->tax_year, 2025);
  EXPECT_EQ(sent->persons, static_cast<std::int64_t>(wanted.size()));
  EXPECT_EQ(text("SELECT flow_id || ' ' || kind || ' ' || status || ' ' || tax_year || ' ' || lines FROM zeimu_file "
                 "WHERE exchange_id = $1",
                 {sent->exchange_id}),
            fmt::format("KY-06 benefit_request sent 2025 {}", wanted.size()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person WHERE exchange_id = $1", {sent->exchange_id}),
            static_cast<std::int64_t>(wanted.size()));
  // The request is the FK-01 layout.
  EXPECT_EQ(text("SELECT payload FROM exchange WHERE exchange_id = $1", {sent->exchange_id}).rfind("宛名番号,所得年", 0), 0u);

  // One pass: the request goes out, the simulated tax office answers KY-07, the answer is applied.
  auto report = dispatch();
  EXPECT_EQ(report.sent, 1);
  EXPECT_EQ(report.applied, 1);
  EXPECT_EQ(report.rejected, 0);
  const std::int64_t answer =
      count("SELECT exchange_id FROM exchange WHERE flow_id = 'KY-07' AND direction = 'inbound' AND in_reply_to = $1",
            {sent->correlation_id});
  ASSERT_GT(answer, 0);
  EXPECT_EQ(text("SELECT status FROM exchange WHERE exchange_id = $1", {answer}), "applied");
  EXPECT_EQ(text("SELECT flow_id || ' ' || kind || ' ' || status || ' ' || request_exchange_id FROM zeimu_file "
                 "WHERE exchange_id = $1",
                 {answer}),
            fmt::format("KY-07 answer applied {}", sent->exchange_id));
  // The subject's figures are the ledger's, as kaigo's own row (source tax_office).
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income o JOIN tax_income l ON l.person_id = o.person_id AND l.tax_year = "
                  "o.tax_year AND l.source = 'synthetic_city' AND l.total_income = o.total_income AND l.taxable_income = "
                  "o.taxable_income AND l.resident_tax_taxed = o.resident_tax_taxed WHERE o.source = 'tax_office' AND "
                  "o.source_exchange_id = $1 AND o.person_id = $2",
                  {answer, subject}),
            1);
  // Nothing of the city's is missing any more (未申告 members are answered too: they hold nothing).
  const auto after = missing_ky06(subject);
  EXPECT_FALSE(after.contains(subject));
  const std::int64_t rows_after = count("SELECT COUNT(*) FROM tax_income WHERE source = 'tax_office'");

  // Settled: nothing more to send or apply; asking for the person again asks nobody twice.
  auto second = dispatch();
  EXPECT_EQ(second.sent + second.applied + second.rejected, 0);
  auto again = ask_zeimu_for_person(*db, clock, subject, kOn, "staff1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);

  // The same answer delivered again changes nothing.
  linkage::InboundMessage m{"KY-07", "zeimu", text("SELECT payload FROM exchange WHERE exchange_id = $1", {answer}),
                            "text/csv", std::nullopt, sent->correlation_id, {}, "file KY-07_again.csv from zeimu",
                            "channel:test"};
  auto dup = linkage::receive_inbound(*db, clock, m, premium::zeimu::tax_file_handler(clock, "KY-07"));
  ASSERT_TRUE(dup) << dup.error().message;
  EXPECT_EQ(dup->outcome, linkage::InboundOutcome::already_applied);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income WHERE source = 'tax_office'"), rows_after);
}

TEST_P(BenefitZeimu, KY_06_KY_07_MonthsMissingAskedInOneFileNobodyTwice) {
  sim::zeimu::TaxOfficeSim office(*db, channels.simulator("zeimu"), 5, sim::zeimu::TaxOfficeOptions{Date(2026, 8, 10), 0});
  const auto persons = insured_with_ledger();
  ASSERT_GE(persons.size(), 3u);
  record("C1", persons[1]);
  record("C2", persons[2]);
  std::set<std::string> wanted;
  auto read = db->with_connection([&](store::Connection& c) -> Result<void> {
    auto missing = missing_for_month(c, "2026-08");
    if (!missing) return std::unexpected(missing.error());
    for (const auto& m : *missing)
      if (m.ask_flow == "KY-06") wanted.insert(m.person_id);
    return {};
  });
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_TRUE(wanted.contains(persons[1]));

  auto sent = ask_zeimu_for_month(*db, clock, "2026-08", "staff1");
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->persons, static_cast<std::int64_t>(wanted.size()));
  EXPECT_EQ(sent->already_asked, 0);
  // Asked again before the answer: nobody twice, nothing queued.
  auto again = ask_zeimu_for_month(*db, clock, "2026-08", "staff1");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->exchange_id, 0);
  EXPECT_EQ(again->already_asked, static_cast<std::int64_t>(wanted.size()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-06'"), 1);

  auto report = dispatch();
  EXPECT_EQ(report.applied, 1);
  read = db->with_connection([&](store::Connection& c) -> Result<void> {
    auto missing = missing_for_month(c, "2026-08");
    if (!missing) return std::unexpected(missing.error());
    for (const auto& m : *missing) EXPECT_NE(m.ask_flow, "KY-06") << m.person_id;
    return {};
  });
  ASSERT_TRUE(read) << read.error().message;
  // An unknown month is refused naming the field.
  auto bad = ask_zeimu_for_month(*db, clock, "2026/08", "staff1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "month");
}

TEST_P(BenefitZeimu, KY_07_NotAnsweringAKy06IsRefusedWholeAndRecorded) {
  const auto persons = insured_with_ledger();
  ASSERT_FALSE(persons.empty());
  const std::string file = "宛名番号,所得年,区分,合計所得金額,公的年金等収入金額,課税年金収入額,公的年金等に係る雑所得,給与所得,"
                           "譲渡所得の特別控除,市町村民税,課税所得\n" +
                           persons[0] + ",2025,更正,1200000,2000000,2000000,900000,300000,0,課税,270000\n";
  const std::int64_t before = count("SELECT COUNT(*) FROM tax_income");
  // Sent on its own (a 更正 file comes as FK-02 only).
  linkage::InboundMessage m{"KY-07", "zeimu", file, "text/csv", std::nullopt, "", {}, "file KY-07_x.csv from zeimu",
                            "channel:test"};
  auto r = linkage::receive_inbound(*db, clock, m, premium::zeimu::tax_file_handler(clock, "KY-07"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->outcome, linkage::InboundOutcome::rejected);
  EXPECT_NE(r->reason.find("(処理通番)"), std::string::npos) << r->reason;
  EXPECT_EQ(r->reason.find(persons[0]), std::string::npos) << "the reason names a person";
  EXPECT_EQ(count("SELECT COUNT(*) FROM tax_income"), before);
  auto recorded = premium::zeimu::record_rejected_files(*db, clock);
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_EQ(*recorded, 1);
  EXPECT_EQ(text("SELECT flow_id || ' ' || status FROM zeimu_file WHERE exchange_id = $1", {r->exchange_id}),
            "KY-07 rejected");
  EXPECT_EQ(text("SELECT field FROM zeimu_file_error WHERE exchange_id = $1 AND error_no = 1", {r->exchange_id}),
            "(処理通番)");
}

INSTANTIATE_TEST_SUITE_P(Db, BenefitZeimu, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::benefit

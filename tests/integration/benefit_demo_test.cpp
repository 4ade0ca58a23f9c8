// The demo's benefits (benefit/benefit_demo.hpp) on a fresh demo database, SQLite and PostgreSQL:
// a synthetic city built and registered as `kaigo serve` does on first start, then seeded with the
// counterparts wired as serve wires them (the 国保連 simulator on the kokuhoren simulator channel,
// the dispatcher with the KY-04 handler). The database then has certified persons, care plans,
// co-payment rates, a KY-03 file sent, two months of KY-04 applied — and a 高額 run over the last
// seeded month decides payments (households over their cap).
#include <chrono>
#include <memory>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "benefit/benefit_demo.hpp"
#include "benefit/benefit_record.hpp"
#include "benefit/codes.hpp"
#include "benefit/high_cost.hpp"
#include "benefit/recipient.hpp"
#include "certification/codes.hpp"
#include "core/clock.hpp"
#include "core/hash.hpp"
#include "eligibility/register.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "people/city_profile.hpp"
#include "people/my_number_vault.hpp"
#include "premium/tokucho_service.hpp"
#include "sim/benefit/claims_sim.hpp"
#include "sim/city_generator.hpp"
#include "sim/kokuhoren/pension_sim.hpp"
#include "test_db.hpp"

namespace kaigo::benefit {
namespace {

class BenefitDemoTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    auto cert = certification::CertificationConfig::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(cert) << cert.error().message;
    certification_config = std::make_unique<certification::CertificationConfig>(std::move(*cert));
    auto benefit = BenefitConfig::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(benefit) << benefit.error().message;
    config = std::make_unique<BenefitConfig>(std::move(*benefit));
    auto profile = people::load_city_profile(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(profile) << profile.error().message;
    city = std::make_unique<people::CityProfile>(std::move(*profile));
    auto tokucho = premium::TokuchoConfig::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(tokucho) << tokucho.error().message;
    tokucho_config = std::make_unique<premium::TokuchoConfig>(std::move(*tokucho));

    // The demo city as serve builds it on first start (its base date today), then the register.
    const people::MyNumberVault vault(random_bytes(32));
    auto built = sim::generate_city(*db, vault, sim::CityOptions{3000, 1, clock.today(), "demo"});
    ASSERT_TRUE(built) << built.error().message;
    auto registered = eligibility::register_initial_residents(
        *db, clock, eligibility::ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "demo", "初期登録 (模擬都市)"});
    ASSERT_TRUE(registered) << registered.error().message;

    // The kokuhoren counterpart as serve wires it: the pension simulator holds the channel's
    // handler, the benefit simulator reads the KY-03 sent and posts KY-04.
    channel = std::make_shared<linkage::SimulatorChannel>("kokuhoren");
    channels.bind("kokuhoren", channel);
    pension = std::make_unique<sim::kokuhoren::PensionSim>(*db, tokucho_config->layouts, channel.get());
    claims = std::make_unique<sim::benefit::ClaimsSim>(*db, *config, channel.get(),
                                                       sim::benefit::ClaimsSimOptions{20261124, city->insurer_no, clock.today()});
    record_options = BenefitRecordOptions{config.get(), city->insurer_no, testing::scratch_dir("benefit-demo")};
    dispatcher = std::make_unique<linkage::Dispatcher>(benefit_record_inbound_handlers(clock, record_options));
  }

  DemoCounterparts counterparts() {
    DemoCounterparts c;
    c.dispatch = [this]() -> Result<void> {
      auto r = dispatcher->run_once(*db, channels, clock);
      if (!r) return std::unexpected(r.error());
      return {};
    };
    c.send_month = [this](Date review, Date created_on) -> Result<std::int64_t> {
      auto s = claims->send_month(review, created_on);
      if (!s) return std::unexpected(s.error());
      return *s ? (*s)->records() : 0;
    };
    return c;
  }

  Result<DemoBenefitReport> seed() {
    const RecipientContext ctx{*config, city->insurer_no};
    return seed_demo_benefits(*db, clock, *certification_config, ctx, counterparts());
  }

  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << sql << ": " << (rows ? "" : rows.error().message);
    return rows && !rows->empty() ? (*rows)[0].i64(0) : -1;
  }

  FixedClock clock = FixedClock::at(Date(2026, 11, 24));
  std::unique_ptr<store::Database> db;
  std::unique_ptr<certification::CertificationConfig> certification_config;
  std::unique_ptr<BenefitConfig> config;
  std::unique_ptr<people::CityProfile> city;
  std::unique_ptr<premium::TokuchoConfig> tokucho_config;
  std::shared_ptr<linkage::SimulatorChannel> channel;
  linkage::ChannelSet channels;
  std::unique_ptr<sim::kokuhoren::PensionSim> pension;
  std::unique_ptr<sim::benefit::ClaimsSim> claims;
  BenefitRecordOptions record_options;
  std::unique_ptr<linkage::Dispatcher> dispatcher;
};

TEST_P(BenefitDemoTest, KY_04_AFreshDemoDatabaseHasCertifiedPersonsPlansRatesAndAppliedRecords) {
  const auto started = std::chrono::steady_clock::now();
  auto report = seed();
  ASSERT_TRUE(report) << report.error().message;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  std::cout << fmt::format("[ seeded   ] {} in {} ms\n", report->summary(), ms);

  // 認定: about 200 category-1 persons, every level, decided through record_decision.
  EXPECT_GE(report->certified, 150);
  EXPECT_EQ(count("SELECT COUNT(*) FROM care_certification WHERE status = 'current'"), report->certified);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_application WHERE status = 'decided'"), report->certified);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT care_level) FROM care_certification"), 7);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certification_event WHERE kind = 'granted'"), report->certified);
  // KY-01: most have a care plan, by an office that makes them.
  EXPECT_EQ(count("SELECT COUNT(*) FROM care_plan WHERE status = 'current'"), report->care_plans);
  EXPECT_GE(report->care_plans, report->certified * 8 / 10);
  EXPECT_LT(report->care_plans, report->certified);
  EXPECT_EQ(count("SELECT COUNT(*) FROM care_plan WHERE plan_kind = 'prevention'") > 0, true);
  // 負担割合: every certified person has a rate in force today.
  EXPECT_EQ(count("SELECT COUNT(DISTINCT c.person_id) FROM care_certification c JOIN copayment_rate r ON r.person_id = "
                  "c.person_id AND r.status = 'current' AND r.valid_from <= '2026-11-24' AND r.valid_to >= '2026-11-24'"),
            report->certified);
  EXPECT_GE(report->rates, report->certified);
  // KY-03: one file sent to the 国保連 over the channel.
  EXPECT_GE(report->ky03_records, report->certified * 9 / 10);
  EXPECT_EQ(count("SELECT COUNT(*) FROM recipient_file WHERE status = 'sent'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE flow_id = 'KY-03' AND status <> 'queued'"), 1);
  EXPECT_EQ(claims->recipients(), static_cast<std::size_t>(report->ky03_records));
  // KY-04: two service months, both files applied through the inbox, nothing refused.
  EXPECT_EQ(report->first_service_month, "2026-09");
  EXPECT_EQ(report->last_service_month, "2026-10");
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_inbound_file WHERE flow_id = 'KY-04' AND status = 'applied'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_inbound_file WHERE status = 'rejected'"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM benefit_record WHERE service_month = '2026-09'"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM benefit_record WHERE service_month = '2026-10'"), 0);
  EXPECT_EQ(report->ky04_applied, count("SELECT COUNT(*) FROM benefit_record"));
  EXPECT_EQ(report->ky04_sent, report->ky04_applied);
  // Only persons with a care plan were claimed for.
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_record b WHERE NOT EXISTS (SELECT 1 FROM care_plan p WHERE p.person_id = "
                  "b.person_id AND p.status = 'current')"),
            0);
  // KY-05: applications for two in three of those with a care plan, each with its account.
  EXPECT_GT(report->high_cost_applications, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM high_cost_application WHERE status = 'active'"), report->high_cost_applications);
  // Fast enough for every demo server start (the prompt's "a few seconds"; generous under load).
  EXPECT_LT(ms, 30'000);

  // Seeded once: a second call is refused and writes nothing.
  auto again = seed();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM care_certification"), report->certified);
}

TEST_P(BenefitDemoTest, KY_16_AHighCostRunOverTheSeededMonthDecidesPayments) {
  auto report = seed();
  ASSERT_TRUE(report) << report.error().message;
  HighCostRunOptions o;
  o.month = report->last_service_month;
  o.actor = "tester";
  o.print_dir = testing::scratch_dir("benefit-demo-print");
  o.print_notices = false;
  auto run = run_high_cost(*db, clock, *config, high_cost_issuer(*city), o);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->status, "done");
  EXPECT_GT(run->persons, 0);
  EXPECT_GT(run->decided, 0);
  // Households over their cap: decisions with an amount, paid to the account of a seeded KY-05
  // application (a KY-17 row each) or held until one comes.
  const auto with_amount = count("SELECT COUNT(*) FROM high_cost_decision WHERE service_month = $1 AND amount > 0",
                                 {report->last_service_month});
  std::cout << fmt::format("[ 高額     ] {}: {} persons, {} decided, {} with an amount ({} paid, {} held)\n", o.month,
                           run->persons, run->decided, with_amount, run->paid, run->held);
  EXPECT_GT(with_amount, 0);
  EXPECT_GT(run->paid, 0);
  EXPECT_EQ(run->paid + run->held, with_amount);
  EXPECT_EQ(count("SELECT COUNT(*) FROM benefit_payment WHERE kind = 'high_cost'"), run->paid);
}

INSTANTIATE_TEST_SUITE_P(Db, BenefitDemoTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::benefit

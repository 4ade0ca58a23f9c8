// kaigo demo: build the synthetic city みどり市 into the database (see docs/synthetic-city.md).
#include <iostream>

#include <fmt/format.h>

#include "benefit/benefit_demo.hpp"
#include "benefit/benefit_record.hpp"
#include "benefit/codes.hpp"
#include "benefit/recipient.hpp"
#include "certification/codes.hpp"
#include "cli/command.hpp"
#include "core/clock.hpp"
#include "eligibility/register.hpp"
#include "linkage/channel_set.hpp"
#include "linkage/dispatcher.hpp"
#include "people/city_profile.hpp"
#include "people/my_number_vault.hpp"
#include "premium/zeimu_service.hpp"
#include "sim/benefit/claims_sim.hpp"
#include "sim/city_generator.hpp"
#include "sim/zeimu/tax_office_sim.hpp"
#include "store/database.hpp"

namespace kaigo::cli {
namespace {

struct DemoOptions {
  std::int64_t people = 10'000;
  std::uint64_t seed = 1;
  std::string base_date = "2026-04-01";
  bool replace = false;
  bool benefits = false;
};

// --benefits: what `kaigo serve` does on the embedded default's first start, for a demo database
// given with --db (PostgreSQL, say): the tax data of the fiscal year fetched from the simulated
// tax office (FK-01 → FK-02), then the 給付 seeded (benefit/benefit_demo.hpp) with the simulated
// 国保連 — both need those counterparts to be the bundled simulators (config/channels.json).
int seed_benefits(const GlobalOptions& g, store::Database& db) {
  SystemClock clock;
  auto fail_with = [](const std::string& what) {
    std::cerr << fmt::format("kaigo demo: --benefits: {}\n", what);
    return 1;
  };
  auto city = people::load_city_profile(g.config_path());
  if (!city) return fail_with(city.error().message);
  auto certification_config = certification::CertificationConfig::load(g.config_path());
  if (!certification_config) return fail_with(certification_config.error().message);
  auto benefit_config = benefit::BenefitConfig::load(g.config_path());
  if (!benefit_config) return fail_with(benefit_config.error().message);
  auto channels = linkage::ChannelSet::from_config(g.config_path(), g.data_dir);
  if (!channels) return fail_with(channels.error().message);
  auto* zeimu_channel = channels->simulator("zeimu");
  auto* kokuhoren_channel = channels->simulator("kokuhoren");
  if (!zeimu_channel || !kokuhoren_channel)
    return fail_with("zeimu and kokuhoren must be the bundled simulators in config/channels.json");
  const benefit::BenefitRecordOptions record_options{&*benefit_config, city->insurer_no, g.data_dir};
  linkage::InboundHandlers handlers = premium::zeimu_inbound_handlers(clock);
  handlers.merge(benefit::benefit_record_inbound_handlers(clock, record_options));
  linkage::Dispatcher dispatcher(std::move(handlers));
  auto dispatch = [&]() -> Result<void> {
    auto r = dispatcher.run_once(db, *channels, clock);
    if (!r) return std::unexpected(r.error());
    return {};
  };
  // The same seeds and start days as serve's simulators, so serve later resumes them as its own.
  sim::zeimu::TaxOfficeSim tax_office(db, zeimu_channel, 20261124, sim::zeimu::TaxOfficeOptions{clock.today(), -1});
  if (auto asked = premium::zeimu::request_yearly(db, clock, clock.today().fiscal_year(), "demo"); !asked)
    return fail_with("FK-01: " + asked.error().message);
  for (int pass = 0; pass < 3; ++pass)
    if (auto d = dispatch(); !d) return fail_with(d.error().message);
  sim::benefit::ClaimsSim claims(db, *benefit_config, kokuhoren_channel,
                                 sim::benefit::ClaimsSimOptions{20261124, city->insurer_no, clock.today()});
  if (auto resumed = claims.resume_from_messages(); !resumed) return fail_with(resumed.error().message);
  auto seeded = benefit::seed_demo_benefits(
      db, clock, *certification_config, benefit::RecipientContext{*benefit_config, city->insurer_no},
      benefit::DemoCounterparts{dispatch, [&](Date review, Date created_on) -> Result<std::int64_t> {
                                  auto s = claims.send_month(review, created_on);
                                  if (!s) return std::unexpected(s.error());
                                  return *s ? (*s)->records() : 0;
                                }});
  if (!seeded) return fail_with(seeded.error().message);
  std::cout << fmt::format("  benefits            {}\n", seeded->summary());
  return 0;
}

int run_demo(const GlobalOptions& g, const DemoOptions& d) {
  auto base = Date::parse(d.base_date);
  if (!base) {
    std::cerr << fmt::format("kaigo demo: --base-date: {}\n", base.error().message);
    return 1;
  }
  auto db = open_migrated(g, "demo");
  if (!db) return 2;
  auto vault = people::MyNumberVault::load(g.key_file, g.data_dir + "/my_number.key", true);
  if (!vault) {
    std::cerr << fmt::format("kaigo demo: {}\n", vault.error().message);
    return 1;
  }
  auto existing = sim::count_people(*db);
  if (!existing) {
    std::cerr << fmt::format("kaigo demo: {}\n", existing.error().message);
    return 1;
  }
  if (*existing > 0) {
    if (!d.replace) {
      std::cerr << fmt::format("kaigo demo: {} already holds {} people; give --replace to delete them and build a new city\n",
                               db->describe(), *existing);
      return 1;
    }
    if (auto cleared = sim::clear_city(*db); !cleared) {
      std::cerr << fmt::format("kaigo demo: {}\n", cleared.error().message);
      return 1;
    }
  }
  const sim::CityOptions options{d.people, d.seed, *base, "demo"};
  auto report = sim::generate_city(*db, *vault, options);
  if (!report) {
    std::cerr << fmt::format("kaigo demo: {}\n", report.error().message);
    return 1;
  }
  // The insured register of the new city: every resident registered from the day they became one.
  auto registered = eligibility::register_initial_residents(
      *db, SystemClock{}, eligibility::ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "demo", "初期登録 (模擬都市)"});
  if (!registered) {
    std::cerr << fmt::format("kaigo demo: {}\n", registered.error().message);
    return 1;
  }
  const auto& r = *report;
  auto share = [&](std::int64_t n) { return r.people ? fmt::format("{:.1f}%", 100.0 * static_cast<double>(n) / static_cast<double>(r.people)) : std::string("-"); };
  std::cout << fmt::format("{}: built みどり市 (seed {}, base date {})\n", db->describe(), d.seed, base->iso());
  std::cout << fmt::format("  people              {:>10}\n", r.people);
  std::cout << fmt::format("  households          {:>10}\n", r.households);
  std::cout << fmt::format("  aged 65+            {:>10}  {}\n", r.aged_65_plus, share(r.aged_65_plus));
  std::cout << fmt::format("  aged 40-64          {:>10}  {}\n", r.aged_40_64, share(r.aged_40_64));
  std::cout << fmt::format("  under 15            {:>10}  {}\n", r.under_15, share(r.under_15));
  std::cout << fmt::format("  tax rows (16+)      {:>10}\n", r.tax_rows);
  std::cout << fmt::format("  resident tax taxed  {:>10}\n", r.taxed);
  std::cout << fmt::format("  public assistance   {:>10}  {}\n", r.public_assistance, share(r.public_assistance));
  std::cout << fmt::format("  moved in (2 years)  {:>10}  {}\n", r.movers, share(r.movers));
  std::cout << fmt::format("  old-age welfare     {:>10}\n", r.old_age_welfare);
  std::cout << fmt::format("  40-64 med. insured  {:>10}\n", r.medical_insured_40_64);
  std::cout << fmt::format("  insured (register)  {:>10}  periods {}, numbers issued {}\n", registered->changed,
                           registered->periods, registered->numbers_issued);
  return d.benefits ? seed_benefits(g, *db) : 0;
}

}  // namespace

KAIGO_COMMAND("demo", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "build a synthetic city (households, tax, pensions, welfare, movers) into the database");
  static DemoOptions d;
  cmd->add_option("--people", d.people, "number of people")->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{50'000'000}));
  cmd->add_option("--seed", d.seed, "seed: the same seed and --people give the same city")->capture_default_str();
  cmd->add_option("--base-date", d.base_date, "ages as of this date (YYYY-MM-DD); tax data is for the year before its fiscal year")->capture_default_str();
  cmd->add_flag("--replace", d.replace, "delete the people already in the database (and their tax, pension, welfare rows) first");
  cmd->add_flag("--benefits", d.benefits,
                 "then fetch the tax data and seed the 給付 as serve's first start does (about 200 certified persons, "
                 "care plans, rates, KY-03, two months of KY-04; simulated zeimu and kokuhoren)");
  cmd->callback([&g, &exit_code] { exit_code = run_demo(g, d); });
});

}  // namespace kaigo::cli

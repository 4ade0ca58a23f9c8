// kaigo demo: build the synthetic city みどり市 into the database (see docs/synthetic-city.md).
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "eligibility/register.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "store/database.hpp"

namespace kaigo::cli {
namespace {

struct DemoOptions {
  std::int64_t people = 10'000;
  std::uint64_t seed = 1;
  std::string base_date = "2026-04-01";
  bool replace = false;
};

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
  return 0;
}

}  // namespace

KAIGO_COMMAND("demo", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "build a synthetic city (households, tax, pensions, welfare, movers) into the database");
  static DemoOptions d;
  cmd->add_option("--people", d.people, "number of people")->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{50'000'000}));
  cmd->add_option("--seed", d.seed, "seed: the same seed and --people give the same city")->capture_default_str();
  cmd->add_option("--base-date", d.base_date, "ages as of this date (YYYY-MM-DD); tax data is for the year before its fiscal year")->capture_default_str();
  cmd->add_flag("--replace", d.replace, "delete the people already in the database (and their tax, pension, welfare rows) first");
  cmd->callback([&g, &exit_code] { exit_code = run_demo(g, d); });
});

}  // namespace kaigo::cli

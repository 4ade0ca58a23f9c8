// kaigo register rebuild | age-arrivals: operator runs of the insured register
// (docs/insured-register.md). rebuild re-derives every person (after a correction of the rules or
// of facts loaded behind the register's back); unchanged persons write nothing, so it is safe to
// run at any time. age-arrivals runs the 年齢到達 months not yet done, as the background job does.
#include <chrono>
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "eligibility/register.hpp"

namespace kaigo::cli {
namespace {

void print(const char* what, const eligibility::RebuildReport& r, double seconds) {
  std::cout << fmt::format("{}: {} persons, {} changed, {} periods, {} numbers issued in {:.1f} s\n", what, r.persons,
                           r.changed, r.periods, r.numbers_issued, seconds);
}

int run_register(const GlobalOptions& g, const std::string& job, const std::string& actor) {
  auto db = open_migrated(g, "register", 1);
  if (!db) return 2;
  SystemClock clock;
  const auto start = std::chrono::steady_clock::now();
  auto report = job == "rebuild"
                    ? eligibility::rebuild(*db, clock,
                                           eligibility::ChangeSource{"batch", std::nullopt, std::nullopt, actor, "再計算 (kaigo register rebuild)"})
                    : eligibility::run_age_arrivals(*db, clock, actor);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!report) {
    std::cerr << fmt::format("kaigo register {}: {}\n", job, report.error().message);
    return 1;
  }
  print(job.c_str(), *report, seconds);
  return 0;
}

}  // namespace

KAIGO_COMMAND("register", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("register", "the insured register: rebuild, 年齢到達");
  cmd->require_subcommand(1);
  static std::string actor = "job:register";
  cmd->add_option("--actor", actor, "who runs it (recorded on every revision)")->capture_default_str();
  cmd->add_subcommand("rebuild", "re-derive every person's periods (writes only what changed)")->callback([&g, &exit_code] {
    exit_code = run_register(g, "rebuild", actor);
  });
  cmd->add_subcommand("age-arrivals", "re-derive the persons reaching 40 or 65 in the months the horizon reached")
      ->callback([&g, &exit_code] { exit_code = run_register(g, "age-arrivals", actor); });
});

}  // namespace kaigo::cli

// kaigo audit verify: prove the logs of record (access log, exchange log) intact.
#include <iostream>

#include <fmt/format.h>

#include "audit/chained_log.hpp"
#include "cli/command.hpp"
#include "linkage/exchange_store.hpp"
#include "store/database.hpp"

namespace kaigo::cli {
namespace {

// 0: every chain intact; 1: a chain is broken (named, with its first broken row); 2: could not check.
int run_verify(const GlobalOptions& g) {
  auto db = open_migrated(g, "audit verify");
  if (!db) return 2;
  int exit_code = 0;
  for (const auto* spec : {&audit::access_log_spec(), &linkage::exchange_log_spec()}) {
    auto report = audit::verify(*db, *spec);
    if (!report) {
      std::cerr << fmt::format("kaigo audit verify: {}: {}\n", spec->log_name, report.error().message);
      return 2;
    }
    if (report->first_broken_seq) {
      std::cout << fmt::format("{}: BROKEN at seq {}: {} ({} rows read)\n", report->log_name, *report->first_broken_seq,
                               report->reason, report->rows_checked);
      exit_code = 1;
    } else {
      std::cout << fmt::format("{}: intact, {} rows checked\n", report->log_name, report->rows_checked);
    }
  }
  return exit_code;
}

}  // namespace

KAIGO_COMMAND("audit", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("audit", "logs of record");
  cmd->require_subcommand(1);
  auto* verify = cmd->add_subcommand("verify", "check the hash chains of the access log and the exchange log");
  verify->callback([&g, &exit_code] { exit_code = run_verify(g); });
});

}  // namespace kaigo::cli

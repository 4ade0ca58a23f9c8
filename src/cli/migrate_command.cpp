// kaigo migrate: create or upgrade the database schema.
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "store/database.hpp"

namespace kaigo::cli {
namespace {

int run_migrate(const GlobalOptions& g) {
  auto db = store::open_database(g.database_url(), 1);
  if (!db) {
    std::cerr << fmt::format("kaigo migrate: {}\n", db.error().message);
    return 2;
  }
  auto applied = store::migrate(**db);
  if (!applied) {
    std::cerr << fmt::format("kaigo migrate: {}\n", applied.error().message);
    return 1;
  }
  if (applied->empty()) std::cout << fmt::format("{}: schema is up to date\n", (*db)->describe());
  for (const auto& name : *applied) std::cout << fmt::format("{}: applied {}\n", (*db)->describe(), name);
  return 0;
}

}  // namespace

KAIGO_COMMAND("migrate", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("migrate", "create or upgrade the database schema");
  cmd->callback([&g, &exit_code] { exit_code = run_migrate(g); });
});

}  // namespace kaigo::cli

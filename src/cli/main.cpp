// kaigo: one binary, one subcommand per job (see docs/architecture.md).
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"

#ifndef KAIGO_SOURCE_CONFIG_DIR
#define KAIGO_SOURCE_CONFIG_DIR "config"
#endif

namespace kaigo::cli {

std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}

std::string GlobalOptions::database_url() const {
  if (!db_url.empty()) return db_url;
  if (const char* env = std::getenv("KAIGO_DB"); env && *env) return env;
  return "sqlite:" + data_dir + "/kaigo.db";
}

std::string GlobalOptions::config_path() const {
  if (!config_dir.empty()) return config_dir;
  if (const char* env = std::getenv("KAIGO_CONFIG_DIR"); env && *env) return env;
  return KAIGO_SOURCE_CONFIG_DIR;
}

std::unique_ptr<store::Database> open_migrated(const GlobalOptions& g, const std::string& command, int pool_size) {
  auto db = store::open_database(g.database_url(), pool_size);
  if (!db) {
    std::cerr << fmt::format("kaigo {}: {}\n", command, db.error().message);
    return nullptr;
  }
  if (auto m = store::migrate(**db); !m) {
    std::cerr << fmt::format("kaigo {}: migrating {}: {}\n", command, (*db)->describe(), m.error().message);
    return nullptr;
  }
  return std::move(*db);
}

}  // namespace kaigo::cli

int main(int argc, char** argv) {
  using namespace kaigo::cli;
  CLI::App app{"kaigo — 介護保険 administration for a city"};
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("--db", global.db_url, "database URL: sqlite:PATH or postgresql://… (default: sqlite:<data-dir>/kaigo.db, or $KAIGO_DB)");
  app.add_option("--data-dir", global.data_dir, "folder for the embedded database, keys and files")->capture_default_str();
  app.add_option("--config", global.config_dir, "config folder (rules, codes, layouts, flows)");
  app.add_option("--key-file", global.key_file, "My Number encryption key file (default $KAIGO_MY_NUMBER_KEY or <data-dir>/my_number.key)");
  int exit_code = 0;
  auto& commands = registry();
  std::sort(commands.begin(), commands.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
  for (auto& c : commands) c.setup(app, global, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}

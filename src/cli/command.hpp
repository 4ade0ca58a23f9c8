#pragma once
// Subcommands register themselves: each src/cli/*_command.cpp defines one with
// KAIGO_COMMAND(name, setup), and main.cpp wires every registered one into CLI11. The files are
// compiled into the kaigo executable itself (not a library), so no registration is dropped.
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "store/database.hpp"

namespace kaigo::cli {

// Options every subcommand shares.
struct GlobalOptions {
  std::string db_url;      // empty: the embedded default sqlite:<data_dir>/kaigo.db
  std::string data_dir = "var";
  std::string config_dir;  // empty: KAIGO_CONFIG_DIR, else the source tree's config/
  std::string key_file;    // My Number key; empty: KAIGO_MY_NUMBER_KEY, else <data_dir>/my_number.key

  std::string database_url() const;
  std::string config_path() const;
};

// A subcommand: `setup` adds it to the app and sets its callback; the callback's return value is
// the process exit code (stored through the int&).
struct Command {
  std::string name;
  std::function<void(CLI::App& app, GlobalOptions& global, int& exit_code)> setup;
};

std::vector<Command>& registry();

// Opens the database of the global options and brings its schema up to date. On failure prints
// "kaigo <command>: <why>" to stderr and returns nullptr; commands then exit with status 2.
std::unique_ptr<store::Database> open_migrated(const GlobalOptions& g, const std::string& command, int pool_size = 1);

// A subcommand group several *_command.cpp files add to (e.g. `kaigo premium …`, `kaigo batch …`):
// the existing one, or a new one with `description`. Use it instead of add_subcommand for groups.
inline CLI::App* group(CLI::App& app, const std::string& name, const std::string& description) {
  auto same = app.get_subcommands([&](CLI::App* s) { return s->get_name() == name; });
  if (!same.empty()) return same.front();
  CLI::App* added = app.add_subcommand(name, description);
  added->require_subcommand(1);
  return added;
}

struct Registrar {
  explicit Registrar(Command c) { registry().push_back(std::move(c)); }
};

}  // namespace kaigo::cli

#define KAIGO_COMMAND_CAT2(a, b) a##b
#define KAIGO_COMMAND_CAT(a, b) KAIGO_COMMAND_CAT2(a, b)
#define KAIGO_COMMAND(name, setup) \
  static ::kaigo::cli::Registrar KAIGO_COMMAND_CAT(kaigo_command_, __LINE__)(::kaigo::cli::Command{name, setup})

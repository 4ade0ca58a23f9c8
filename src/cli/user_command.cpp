// kaigo user add: create a staff user (the first administrator of a production installation).
// The password is read from $KAIGO_NEW_PASSWORD or from the first line of standard input, never
// from the command line (where `ps` and shell history would show it).
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "server/auth.hpp"
#include "store/database.hpp"

namespace kaigo::cli {
namespace {

struct UserAddOptions {
  std::string user_id, display_name, roles;
};

int run_user_add(const GlobalOptions& g, const UserAddOptions& o) {
  auto roles = server::parse_roles(o.roles);
  if (!roles || roles->empty()) {
    std::cerr << "kaigo user add: --roles must list known roles: eligibility_staff, premium_staff, certification_staff, "
                 "benefit_staff, supervisor, auditor, administrator\n";
    return 1;
  }
  std::string password;
  if (const char* env = std::getenv("KAIGO_NEW_PASSWORD"); env && *env) password = env;
  else std::getline(std::cin, password);
  auto db = open_migrated(g, "user add");
  if (!db) return 2;
  SystemClock clock;
  server::Auth auth(*db, clock);
  if (auto r = auth.create_user(o.user_id, o.display_name, password, *roles); !r) {
    std::cerr << fmt::format("kaigo user add: {} ({})\n", r.error().message, r.error().field);
    return 1;
  }
  std::cout << fmt::format("created user {} with roles {}\n", o.user_id, server::roles_csv(*roles));
  return 0;
}

}  // namespace

KAIGO_COMMAND("user", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  static UserAddOptions o;
  auto* user = app.add_subcommand("user", "staff users");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "create a staff user (password from $KAIGO_NEW_PASSWORD or stdin)");
  add->add_option("--id", o.user_id, "login name")->required();
  add->add_option("--name", o.display_name, "display name")->required();
  add->add_option("--roles", o.roles, "comma-separated roles")->required();
  add->callback([&g, &exit_code] { exit_code = run_user_add(g, o); });
});

}  // namespace kaigo::cli

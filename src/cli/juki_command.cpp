// kaigo juki export-full FILE | import FILE | send-changes: the resident registry linkage from the
// command line (docs/juki-layout.md).
//   export-full   writes the registry's full-load file from the person table (what the registry
//                 simulator would send on day one; for a 連携テスト with the real registry)
//   import        takes one registry file in exactly as the folder channel would (the inbox, with
//                 its idempotency by file hash), then records a refusal for staff and applies a
//                 staged full load in chunks; exit 0 applied (or already applied), 1 refused
//   send-changes  queues the SK-18 file of eligibility changes since the last run
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "eligibility/juki_service.hpp"
#include "linkage/exchange_store.hpp"
#include "sim/juki/registry_sim.hpp"

namespace kaigo::cli {
namespace {

int error(const std::string& what, const std::string& message, int code) {
  std::cerr << fmt::format("kaigo juki {}: {}\n", what, message);
  return code;
}

int export_full(const GlobalOptions& g, const std::string& path) {
  auto db = open_migrated(g, "juki export-full");
  if (!db) return 2;
  auto file = sim::juki::full_load_file(*db);
  if (!file) return error("export-full", file.error().message, 2);
  std::ofstream out(path, std::ios::binary);
  out << *file;
  if (!out) return error("export-full", fmt::format("cannot write {}", path), 2);
  std::cout << fmt::format("wrote {} ({} bytes)\n", path, file->size());
  return 0;
}

int import_file(const GlobalOptions& g, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error("import", fmt::format("cannot read {}", path), 2);
  std::stringstream buf;
  buf << in.rdbuf();
  auto db = open_migrated(g, "juki import", 2);
  if (!db) return 2;
  const SystemClock clock;
  const std::string name = std::filesystem::path(path).filename().string();
  linkage::InboundMessage m{"SK-16", "juki", buf.str(), "text/csv", std::nullopt, "", {},
                            fmt::format("file {} from juki", name), "cli:juki-import"};
  auto r = linkage::receive_inbound(*db, clock, m, eligibility::juki::registry_file_handler(clock));
  if (!r) return error("import", r.error().message, 2);
  auto jobs = eligibility::juki::run_juki_jobs(*db, clock);
  if (!jobs) return error("import", jobs.error().message, 2);
  std::optional<eligibility::juki::Load> load;
  (void)db->with_connection([&](store::Connection& c) -> Result<void> {
    auto l = eligibility::juki::find_load_by_exchange(c, r->exchange_id);
    if (l && *l) load = **l;
    return {};
  });
  std::cout << fmt::format("{}: {} (exchange {})", name, linkage::to_string(r->outcome), r->exchange_id);
  if (load)
    std::cout << fmt::format("; {} {} lines: applied {}, unchanged {}, duplicates {}, out of order {}, quarantined {}",
                             load->kind, load->lines, load->applied, load->unchanged, load->duplicates, load->out_of_order,
                             load->quarantined);
  std::cout << "\n";
  if (!r->reason.empty()) std::cout << r->reason << "\n";
  const bool refused = r->outcome == linkage::InboundOutcome::rejected || r->outcome == linkage::InboundOutcome::already_rejected;
  return refused ? 1 : 0;
}

int send_changes(const GlobalOptions& g) {
  auto db = open_migrated(g, "juki send-changes", 2);
  if (!db) return 2;
  const SystemClock clock;
  auto sent = eligibility::juki::send_eligibility_changes(*db, clock);
  if (!sent) return error("send-changes", sent.error().message, 2);
  if (sent->exchange_id)
    std::cout << fmt::format("{} events, {} rows queued as exchange {} (SK-18)\n", sent->events, sent->rows, *sent->exchange_id);
  else
    std::cout << fmt::format("{} events, nothing to send\n", sent->events);
  return 0;
}

}  // namespace

KAIGO_COMMAND("juki", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("juki", "住民基本台帳 linkage: registry files in (SK-16), changes out (SK-18)");
  cmd->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  auto* ex = cmd->add_subcommand("export-full", "write the registry's full-load file from the person table");
  ex->add_option("FILE", *path, "output file")->required();
  ex->callback([&g, &exit_code, path] { exit_code = export_full(g, *path); });
  auto* im = cmd->add_subcommand("import", "take one registry file in as the folder channel would");
  im->add_option("FILE", *path, "a full-load or difference CSV (docs/juki-layout.md)")->required();
  im->callback([&g, &exit_code, path] { exit_code = import_file(g, *path); });
  auto* sc = cmd->add_subcommand("send-changes", "queue the SK-18 file of eligibility changes since the last run");
  sc->callback([&g, &exit_code] { exit_code = send_changes(g); });
});

}  // namespace kaigo::cli

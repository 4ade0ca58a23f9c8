// kaigo flows: the 77-step flow catalog with each flow's state and traffic.
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "linkage/flow_catalog.hpp"
#include "store/database.hpp"

namespace kaigo::cli {
namespace {

// Terminal columns a UTF-8 string takes: CJK and other non-ASCII characters count two, which is
// right for the Japanese text of the catalog.
std::size_t display_width(const std::string& s) {
  std::size_t w = 0;
  for (unsigned char c : s) {
    if (c < 0x80) ++w;
    else if ((c & 0xC0) != 0x80) w += 2;
  }
  return w;
}

std::string pad(const std::string& s, std::size_t width) {
  const auto w = display_width(s);
  return w >= width ? s + " " : s + std::string(width - w, ' ');
}

int run_flows(const GlobalOptions& g, bool json) {
  auto catalog = linkage::load_flow_catalog(g.config_path());
  if (!catalog) {
    std::cerr << fmt::format("kaigo flows: {}\n", catalog.error().message);
    return 2;
  }
  auto db = open_migrated(g, "flows");
  if (!db) return 2;
  auto traffic = linkage::flow_traffic(*db);
  if (!traffic) {
    std::cerr << fmt::format("kaigo flows: {}\n", traffic.error().message);
    return 2;
  }
  if (json) {
    std::cout << linkage::catalog_json(*catalog, *traffic).dump(2) << "\n";
    return 0;
  }
  std::cout << pad("ID", 7) << pad("業務", 6) << pad("区分", 12) << pad("相手方", 17) << pad("state", 13)
            << pad("count", 7) << pad("errors", 7) << pad("last", 26) << "information\n";
  int implemented = 0;
  for (const auto& f : catalog->flows) {
    const auto t = traffic->find(f.id);
    const linkage::FlowTraffic tr = t == traffic->end() ? linkage::FlowTraffic{} : t->second;
    if (f.state == linkage::FlowState::implemented) ++implemented;
    std::cout << pad(f.id, 7) << pad(f.section, 6) << pad(f.direction, 12) << pad(f.counterpart, 17)
              << pad(linkage::to_string(f.state), 13) << pad(std::to_string(tr.count), 7)
              << pad(std::to_string(tr.errors), 7) << pad(tr.last_exchange_at.empty() ? "-" : tr.last_exchange_at, 26)
              << f.information << "\n";
  }
  std::cout << fmt::format("{} flows, {} implemented, {} not yet\n", catalog->flows.size(), implemented,
                           catalog->flows.size() - static_cast<std::size_t>(implemented));
  return 0;
}

}  // namespace

KAIGO_COMMAND("flows", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("flows", "the 77-step flow catalog with each flow's state and traffic");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "print a JSON array (the shape of GET /api/v1/flows)");
  cmd->callback([&g, &exit_code, json] { exit_code = run_flows(g, *json); });
});

}  // namespace kaigo::cli

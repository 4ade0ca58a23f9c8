// kaigo sim serve: the counterparts' simulator (中間サーバー and the four external bodies) as its
// own HTTP service, for a channel of type http and for a city's 連携テスト. It reads the synthetic
// city from the kaigo database (read only) and keeps its own state in memory.
#include <csignal>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "sim/number_network/http_service.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "sim/number_network/kinds.hpp"
#include "sim/number_network/settable_clock.hpp"
#include "store/database.hpp"

namespace kaigo::cli {
namespace {

struct SimServeOptions {
  std::string host = "127.0.0.1";
  int port = 18090;
};

sim::network::HttpService* running = nullptr;

void on_signal(int) {
  if (running) running->stop();
}

int run_sim_serve(const GlobalOptions& g, const SimServeOptions& o) {
  auto db = store::open_database(g.database_url(), 4);
  if (!db) {
    std::cerr << fmt::format("kaigo sim: {}\n", db.error().message);
    return 2;
  }
  // The bodies answer from the city's tables: refuse to start on a database without them.
  if (auto people = (*db)->query("SELECT COUNT(*) FROM person"); !people) {
    std::cerr << "kaigo sim: the database holds no city (run `kaigo migrate` and `kaigo demo` first)\n";
    return 2;
  }
  // The gateway's code table when there is one, so both sides map item codes to the same kinds.
  auto kinds = sim::network::KindTable::built_in();
  const auto tsv = std::filesystem::path(g.config_path()) / "codes" / "inquiry_kinds.tsv";
  if (std::filesystem::exists(tsv)) {
    auto loaded = sim::network::KindTable::load(tsv.string());
    if (!loaded) {
      std::cerr << fmt::format("kaigo sim: {}\n", loaded.error().message);
      return 2;
    }
    kinds = std::move(*loaded);
    std::cout << fmt::format("kaigo sim: inquiry kinds from {}\n", tsv.string());
  } else {
    std::cout << "kaigo sim: inquiry kinds from the built-in table (docs/simulator.md)\n";
  }
  SystemClock system;
  sim::network::SettableClock clock(system);
  sim::network::IntermediateServerSim sim(**db, clock, std::move(kinds));
  sim::network::HttpService service(sim, clock, {o.host, o.port});
  auto port = service.bind();
  if (!port) {
    std::cerr << fmt::format("kaigo sim: {}\n", port.error().message);
    return 2;
  }
  std::cout << fmt::format("kaigo sim: database {}\n", (*db)->describe());
  std::cout << fmt::format("kaigo sim: serving on http://{}:{}/\n", o.host, *port) << std::flush;
  running = &service;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  service.listen();
  running = nullptr;
  return 0;
}

}  // namespace

KAIGO_COMMAND("sim", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  static SimServeOptions o;
  auto* sim = app.add_subcommand("sim", "the counterparts' simulator (中間サーバー and external bodies)");
  sim->require_subcommand(1);
  auto* serve = sim->add_subcommand("serve", "serve the simulator over HTTP until SIGINT/SIGTERM");
  serve->add_option("--port", o.port, "TCP port (0: any free port)")->capture_default_str()->check(CLI::Range(0, 65535));
  serve->add_option("--host", o.host, "address to listen on")->capture_default_str();
  serve->callback([&g, &exit_code] { exit_code = run_sim_serve(g, o); });
});

}  // namespace kaigo::cli

// kaigo gateway run-due | register | codes: the 番号連携 gateway from the command line
// (docs/gateway.md). The transport is config/channels.json key "chukan":
//   {"type": "http", "url": "http://…", "timeout_seconds": 30}  or  {"type": "simulator"}
// The in-process simulator is wired by `kaigo serve`, so here it is refused with exit code 2.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "gateway/codes.hpp"
#include "gateway/inquiry_service.hpp"
#include "gateway/provision_service.hpp"
#include "store/database.hpp"

namespace kaigo::cli {
namespace {

int error(const std::string& what, const std::string& message, int code) {
  std::cerr << fmt::format("kaigo gateway {}: {}\n", what, message);
  return code;
}

// The transport of config/channels.json "chukan"; exit code in `code` when there is none.
std::unique_ptr<gateway::Transport> transport_from_config(const GlobalOptions& g, const std::string& what, int& code) {
  const auto path = std::filesystem::path(g.config_path()) / "channels.json";
  std::ifstream in(path);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    code = error(what, fmt::format("{} is not valid JSON", path.string()), 2);
    return nullptr;
  }
  const auto c = j.value("chukan", nlohmann::json::object());
  const std::string type = c.is_object() ? c.value("type", std::string("simulator")) : "";
  if (type == "http" && c.contains("url") && c["url"].is_string())
    return gateway::make_http_transport(c["url"].get<std::string>(), c.value("timeout_seconds", 30));
  if (type == "simulator") {
    code = error(what, "channels.json binds \"chukan\" to the in-process simulator, which `kaigo serve` wires; "
                       "bind it to {\"type\":\"http\",\"url\":…} to run the gateway from here", 2);
    return nullptr;
  }
  code = error(what, "channels.json \"chukan\" needs type http (with url) or simulator", 2);
  return nullptr;
}

std::unique_ptr<store::Database> database(const GlobalOptions& g, const std::string& what, int& code) {
  auto db = open_migrated(g, "gateway " + what, 2);
  if (!db) code = 2;
  return db;
}

int run_due(const GlobalOptions& g) {
  int code = 0;
  auto codes = gateway::CodeBook::load(g.config_path());
  if (!codes) return error("run-due", codes.error().message, 2);
  auto transport = transport_from_config(g, "run-due", code);
  if (!transport) return code;
  auto db = database(g, "run-due", code);
  if (!db) return code;
  SystemClock clock;
  gateway::InquiryService service(*db, *transport, *codes, clock);
  auto r = service.run_due(clock);
  if (!r) return error("run-due", r.error().message, 1);
  std::cout << fmt::format(
      "sent {}, send_failed {}, polled {}, still_open {}, provided {}, not_found {}, errors {}, timed_out {}, "
      "poll_failed {}, malformed {}\n",
      r->sent, r->send_failed, r->polled, r->still_open, r->provided, r->not_found, r->errors, r->timed_out,
      r->poll_failed, r->malformed);
  return r->malformed > 0 ? 1 : 0;
}

int run_register(const GlobalOptions& g, int cap, int max_sends) {
  int code = 0;
  auto transport = transport_from_config(g, "register", code);
  if (!transport) return code;
  auto db = database(g, "register", code);
  if (!db) return code;
  SystemClock clock;
  auto r = gateway::register_pending(*db, *transport, clock, cap, max_sends);
  if (!r) return error("register", r.error().message, 1);
  std::cout << fmt::format("sends {}, registered {}, remaining {}\n", r->sends, r->registered, r->remaining);
  if (!r->stopped.empty()) return error("register", "stopped: " + r->stopped, 1);
  return 0;
}

// Stages the eligibility 副本 of every insured person under one version; the flush happens in
// `kaigo serve`'s background worker or with `kaigo gateway register`.
int run_stage_eligibility(const GlobalOptions& g, const std::string& version_arg) {
  int code = 0;
  auto db = database(g, "stage-eligibility", code);
  if (!db) return code;
  SystemClock clock;
  const std::string version = version_arg.empty() ? clock.timestamp() : version_arg;
  auto n = gateway::stage_eligibility(*db, clock, version);
  if (!n) return error("stage-eligibility", n.error().message, 1);
  std::cout << fmt::format("staged {} eligibility copies, version {}\n", *n, version);
  return 0;
}

int run_codes(const GlobalOptions& g) {
  auto codes = gateway::CodeBook::load(g.config_path());
  if (!codes) return error("codes", codes.error().message, 1);
  const Date today = SystemClock().today();
  for (auto [name, table] : {std::pair{"jimu", &codes->jimu()}, std::pair{"procedures", &codes->procedures()},
                             std::pair{"items", &codes->items()}, std::pair{"institutions", &codes->institutions()}}) {
    std::cout << fmt::format("[{}]\n", name);
    for (const auto& [code, rows] : *table)
      for (const auto& r : rows)
        std::cout << fmt::format("  {} v{} {}..{}{} {}{}\n", code, r.version, r.valid_from.iso(),
                                 r.valid_to ? r.valid_to->iso() : "", r.parent.empty() ? "" : " " + r.parent, r.name,
                                 r.valid_on(today) ? "" : " (not in effect today)");
  }
  std::cout << "[inquiry kinds]\n";
  for (const auto& [name, k] : codes->kinds()) {
    std::string flows;
    for (const auto& f : k.flows) flows += fmt::format("{}{}/{}", flows.empty() ? "" : ",", f.request_flow, f.answer_flow);
    std::cout << fmt::format("  {} → {} {} {} [{}] {}\n", name, k.counterpart, k.item_code, flows,
                             k.disclosed ? "disclosed" : "withheld", k.description);
  }
  std::cout << fmt::format("{} inquiry kinds; code tables valid\n", codes->kinds().size());
  return 0;
}

}  // namespace

KAIGO_COMMAND("gateway", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("gateway", "番号連携: inquiries and 副本 through the 中間サーバー");
  cmd->require_subcommand(1);
  auto* due = cmd->add_subcommand("run-due", "one pass: send queued inquiries, poll due ones, apply answers");
  due->callback([&g, &exit_code] { exit_code = run_due(g); });
  auto* reg = cmd->add_subcommand("register", "flush the 副本 backlog to the 中間サーバー");
  auto cap = std::make_shared<int>(1000);
  auto sends = std::make_shared<int>(1000);
  reg->add_option("--cap", *cap, "copies per send")->check(CLI::PositiveNumber);
  reg->add_option("--max-sends", *sends, "sends at most")->check(CLI::PositiveNumber);
  reg->callback([&g, &exit_code, cap, sends] { exit_code = run_register(g, *cap, *sends); });
  auto* stage = cmd->add_subcommand("stage-eligibility", "stage the eligibility 副本 of every insured person (a full re-send)");
  auto version = std::make_shared<std::string>();
  stage->add_option("--version", *version, "version of the copies (default: now)");
  stage->callback([&g, &exit_code, version] { exit_code = run_stage_eligibility(g, *version); });
  auto* codes = cmd->add_subcommand("codes", "validate and list the code tables (config/codes)");
  codes->callback([&g, &exit_code] { exit_code = run_codes(g); });
});

}  // namespace kaigo::cli

// kaigo premium inquire | apply-answers: the premium's inquiries to other institutions over the
// 番号連携 gateway (FK-03 … FK-10, docs/premium-inputs.md).
//
//   kaigo premium inquire --fiscal-year 2026              the yearly bulk (every person the rules select)
//   kaigo premium inquire --fiscal-year 2026 --person P --kind city_local_tax   one person
//   kaigo premium apply-answers                           poll the 中間サーバー once, apply what came back
//
// The 中間サーバー is config/channels.json "chukan". With the bundled simulator (in process, state
// in memory) the answers must be fetched by the same process: `inquire` then polls until every
// inquiry it sent is final and applies them before it exits. With an HTTP 中間サーバー it polls once;
// `kaigo serve`'s background job (or `apply-answers`) picks up the later answers.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "gateway/codes.hpp"
#include "gateway/inquiry_service.hpp"
#include "premium/premium_inputs.hpp"
#include "sim/number_network/intermediate_server.hpp"

namespace kaigo::cli {
namespace {

int error(const std::string& what, const std::string& message, int code) {
  std::cerr << fmt::format("kaigo premium {}: {}\n", what, message);
  return code;
}

// Everything one invocation needs, the transport per config/channels.json "chukan".
struct Setup {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<gateway::CodeBook> codes;
  std::unique_ptr<premium::PremiumInputsConfig> config;
  std::unique_ptr<sim::network::IntermediateServerSim> simulator;
  std::unique_ptr<gateway::Transport> transport;
  std::unique_ptr<gateway::InquiryService> inquiries;
  bool in_process = false;
};

int make_setup(const GlobalOptions& g, const std::string& what, const Clock& clock, Setup& s) {
  auto codes = gateway::CodeBook::load(g.config_path());
  if (!codes) return error(what, codes.error().message, 2);
  s.codes = std::make_unique<gateway::CodeBook>(std::move(*codes));
  auto cfg = premium::PremiumInputsConfig::load(g.config_path());
  if (!cfg) return error(what, cfg.error().message, 2);
  s.config = std::make_unique<premium::PremiumInputsConfig>(std::move(*cfg));
  s.db = open_migrated(g, "premium " + what, 2);
  if (!s.db) return 2;
  const auto path = std::filesystem::path(g.config_path()) / "channels.json";
  std::ifstream in(path);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return error(what, fmt::format("{} is not valid JSON", path.string()), 2);
  const auto c = j.value("chukan", nlohmann::json::object());
  const std::string type = c.is_object() ? c.value("type", std::string("simulator")) : "";
  gateway::GatewayOptions options;
  if (type == "http" && c.contains("url") && c["url"].is_string()) {
    s.transport = gateway::make_http_transport(c["url"].get<std::string>(), c.value("timeout_seconds", 30));
  } else if (type == "simulator") {
    s.simulator = std::make_unique<sim::network::IntermediateServerSim>(*s.db, clock);
    s.transport = gateway::make_in_process_transport(s.simulator->handler());
    s.in_process = true;
    options.first_poll = std::chrono::seconds(0);  // the simulator answers at once; poll right away
  } else {
    return error(what, "channels.json \"chukan\" needs type http (with url) or simulator", 2);
  }
  s.inquiries = std::make_unique<gateway::InquiryService>(*s.db, *s.transport, *s.codes, clock, options);
  return 0;
}

// Polls (all passes with the in-process simulator, one otherwise) and applies the answers.
int poll_and_apply(Setup& s, const Clock& clock, const std::string& what, const std::string& actor) {
  premium::PremiumInputsService service(*s.db, clock, *s.config, s.inquiries.get());
  for (int pass = 0; pass < (s.in_process ? 20 : 1); ++pass) {
    auto r = s.inquiries->run_due(clock);
    if (!r) return error(what, r.error().message, 1);
    if (r->sent + r->polled == 0) break;
  }
  premium::ApplyReport total;
  for (;;) {
    auto a = service.apply_due(actor, 1000);
    if (!a) return error(what, a.error().message, 1);
    total.applied += a->applied;
    total.unchanged += a->unchanged;
    total.not_found += a->not_found;
    total.failed += a->failed;
    total.rejected += a->rejected;
    total.recalc_queued += a->recalc_queued;
    if (a->total() < 1000) break;
  }
  std::cout << fmt::format("answers applied {}, unchanged {}, not found {}, no answer {}, rejected {}; re-assessments queued {}\n",
                           total.applied, total.unchanged, total.not_found, total.failed, total.rejected, total.recalc_queued);
  return total.rejected > 0 ? 1 : 0;
}

int inquire(const GlobalOptions& g, int fiscal_year, const std::string& person_id, const std::string& kind,
            const std::string& actor) {
  SystemClock clock;
  if (fiscal_year == 0) fiscal_year = clock.today().fiscal_year();
  if (person_id.empty() != kind.empty()) return error("inquire", "--person and --kind go together", 2);
  Setup s;
  if (int code = make_setup(g, "inquire", clock, s); code != 0) return code;
  premium::PremiumInputsService service(*s.db, clock, *s.config, s.inquiries.get());
  if (!person_id.empty()) {
    auto p = service.inquire(person_id, kind, fiscal_year, actor);
    if (!p) return error("inquire", p.error().message, 1);
    std::cout << fmt::format("inquiry {} ({} {}) {}\n", p->inquiry_id, p->request_flow, p->kind, p->status);
  } else {
    auto run = service.inquire_bulk(fiscal_year, actor);
    if (!run) return error("inquire", run.error().message, 1);
    std::cout << fmt::format("run {} for {}年度\n", run->run_id, fiscal_year);
    for (const auto& k : run->kinds)
      std::cout << fmt::format("  {} {:<24} selected {:>7}  already asked {:>7}  asked {:>7}  submitted {:>7}  refused {:>5}  queued {:>5}\n",
                               k.request_flow, k.kind, k.selected, k.already_asked, k.asked, k.submitted, k.refused, k.queued);
  }
  return poll_and_apply(s, clock, "inquire", actor);
}

int apply_answers(const GlobalOptions& g, const std::string& actor) {
  SystemClock clock;
  Setup s;
  if (int code = make_setup(g, "apply-answers", clock, s); code != 0) return code;
  return poll_and_apply(s, clock, "apply-answers", actor);
}

}  // namespace

KAIGO_COMMAND("premium_inputs", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* cmd = group(app, "premium", "賦課: premium table, assessments, what-if");
  static int fiscal_year = 0;
  static std::string person_id;
  static std::string kind;  // (one declaration per line: the macro splits on commas)
  static std::string actor = "job:premium-inputs";
  auto* ask = cmd->add_subcommand("inquire", "FK-03/05/07/09: ask other institutions for the premium's inputs (the yearly bulk, or one person)");
  ask->add_option("--fiscal-year", fiscal_year, "fiscal year (default: the current one)");
  ask->add_option("--person", person_id, "one person (宛名番号) instead of the bulk; with --kind");
  ask->add_option("--kind", kind, "city_local_tax | city_household | nenkin_old_age_welfare | pref_public_assistance");
  ask->add_option("--actor", actor, "who asks (recorded on the inquiries)")->capture_default_str();
  ask->callback([&g, &exit_code] { exit_code = inquire(g, fiscal_year, person_id, kind, actor); });
  auto* apply = cmd->add_subcommand("apply-answers", "FK-04/06/08/10: poll the 中間サーバー once and apply the answers that came back");
  apply->add_option("--actor", actor, "who applies (recorded on the facts)")->capture_default_str();
  apply->callback([&g, &exit_code] { exit_code = apply_answers(g, actor); });
});

}  // namespace kaigo::cli

// kaigo certification apply | list | show | postpone | withdraw | report: 認定 applications and their
// 30-day clock from the command line (NT-01 … NT-05, 延期通知; certification/application.hpp).
//
//   kaigo certification apply --person P --kind new --place home [--applied-on D] [--relation 家族]
//                             [--disease 16] [--reason …]     NT-01 (a category-2 applicant: NT-02/NT-04)
//   kaigo certification list [--filter overdue] [--q ヤマダ] [--limit 50]
//   kaigo certification show <application_id>
//   kaigo certification postpone <application_id> --reason … --expected-on D    延期通知
//   kaigo certification withdraw <application_id> --reason …                    取下げ
//   kaigo certification report [--from 2026-04] [--to 2027-03]
//
// The rules and code lists are validated first. The 中間サーバー is config/channels.json "chukan":
// with the bundled simulator (in process) `apply` waits for the category-2 answers before it exits;
// with an HTTP one the answers are applied by `kaigo serve`'s background job. Exit 1 for a refusal
// (bad input, not found, conflict), 2 when the setup fails.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "certification/application.hpp"
#include "certification/codes.hpp"
#include "cli/command.hpp"
#include "core/clock.hpp"
#include "gateway/codes.hpp"
#include "gateway/inquiry_service.hpp"
#include "gateway/transport.hpp"
#include "sim/number_network/intermediate_server.hpp"

namespace kaigo::cli {
namespace {

namespace cert = certification;

int refused(const std::string& what, const Error& e) {
  std::cerr << fmt::format("kaigo certification {}: {}{}\n", what, e.message, e.field.empty() ? "" : " (" + e.field + ")");
  return e.kind == ErrorKind::invalid_input || e.kind == ErrorKind::not_found || e.kind == ErrorKind::conflict ? 1 : 2;
}

// Everything one invocation needs; the gateway only for apply.
struct Setup {
  std::unique_ptr<cert::CertificationConfig> config;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<gateway::CodeBook> codes;
  std::unique_ptr<sim::network::IntermediateServerSim> simulator;
  std::unique_ptr<gateway::Transport> transport;
  std::unique_ptr<gateway::InquiryService> inquiries;
  bool in_process = false;
};

int make_setup(const GlobalOptions& g, const std::string& what, const Clock& clock, bool with_gateway, Setup& s) {
  auto config = cert::CertificationConfig::load(g.config_path());
  if (!config) {
    refused(what, config.error());
    return 2;  // a bad rule file or code list is a setup failure
  }
  s.config = std::make_unique<cert::CertificationConfig>(std::move(*config));
  s.db = open_migrated(g, "certification " + what, 1);
  if (!s.db) return 2;
  if (!with_gateway) return 0;
  auto codes = gateway::CodeBook::load(g.config_path());
  if (!codes) {
    refused(what, codes.error());
    return 2;
  }
  s.codes = std::make_unique<gateway::CodeBook>(std::move(*codes));
  const auto path = std::filesystem::path(g.config_path()) / "channels.json";
  std::ifstream in(path);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    std::cerr << fmt::format("kaigo certification {}: {} is not valid JSON\n", what, path.string());
    return 2;
  }
  const auto c = j.value("chukan", nlohmann::json::object());
  const std::string type = c.is_object() ? c.value("type", std::string("simulator")) : "";
  gateway::GatewayOptions options;
  if (type == "http" && c.contains("url") && c["url"].is_string()) {
    s.transport = gateway::make_http_transport(c["url"].get<std::string>(), c.value("timeout_seconds", 30));
  } else if (type == "simulator") {
    s.simulator = std::make_unique<sim::network::IntermediateServerSim>(*s.db, clock);
    s.transport = gateway::make_in_process_transport(s.simulator->handler());
    s.in_process = true;
    options.first_poll = std::chrono::seconds(0);  // the simulator answers at once
  } else {
    std::cerr << fmt::format("kaigo certification {}: channels.json \"chukan\" needs type http (with url) or simulator\n", what);
    return 2;
  }
  s.inquiries = std::make_unique<gateway::InquiryService>(*s.db, *s.transport, *s.codes, clock, options);
  return 0;
}

std::string checks_line(const cert::ApplicationRow& r) {
  if (r.category != "2") return "";
  return fmt::format("  医療保険 {}  滞納 {}", r.insurance_check, r.arrears_check);
}

void print_row(const cert::ApplicationRow& r) {
  std::cout << fmt::format("{:<12} {:<10} {:<16} {:<8} 申請 {} 期限 {} 経過 {:>3}日 残 {:>4}日 {:<6} {}{}\n", r.application_no,
                           r.insured_no, r.name, cert::kind_label(r.kind), r.applied_on.iso(), r.deadline_on.iso(),
                           r.clock.days_elapsed, r.clock.days_left, cert::label(r.clock.state), cert::stage_label(r),
                           r.postponed_until ? fmt::format(" (延期 {}まで)", r.postponed_until->iso()) : "");
}

void print_application(const cert::Application& a) {
  print_row(a.row);
  std::cout << fmt::format("  状態 {}  場所 {}  申請者 {}{}{}\n", cert::status_label(a.row.status), a.place, a.applicant_relation,
                           a.specified_disease ? "  特定疾病 " + *a.specified_disease : "",
                           a.reason.empty() ? "" : "  理由 " + a.reason);
  if (!checks_line(a.row).empty())
    std::cout << checks_line(a.row) << (a.arrears_months ? fmt::format(" ({}か月)", *a.arrears_months) : "") << "\n";
  for (const auto& s : a.stages)
    std::cout << fmt::format("  {:<16} {} → {}  {}\n", s.label, s.from ? s.from->iso() : "-", s.to ? s.to->iso() : "-",
                             s.days ? fmt::format("{}日", *s.days) : "");
  for (const auto& p : a.postponements)
    std::cout << fmt::format("  延期通知 {} → {} ({})\n", p.issued_on.iso(), p.expected_on.iso(), p.reason);
  if (a.decision)
    std::cout << fmt::format("  決定 {} {} {}〜{}\n", a.decision->decided_on, a.decision->care_level,
                             a.decision->valid_from.value_or("-"), a.decision->valid_to.value_or("-"));
}

std::string days(std::int64_t tenths, std::int64_t count) {
  return count > 0 ? fmt::format("{}.{}", tenths / 10, tenths % 10) : "-";
}

struct Options {
  std::string person, kind, applied_on, place = "home", relation = "本人", disease, reason, actor = "cli";
  std::string filter = "open", q, expected_on, from, to;
  int limit = 50;
  std::int64_t application_id = 0;
};

int apply(const GlobalOptions& g, const Options& o) {
  SystemClock clock;
  Setup s;
  if (int code = make_setup(g, "apply", clock, true, s); code != 0) return code;
  cert::IntakeRequest r;
  r.person_id = o.person;
  r.kind = o.kind;
  r.applied_on = clock.today();
  if (!o.applied_on.empty()) {
    auto d = Date::parse(o.applied_on);
    if (!d) return refused("apply", Error{ErrorKind::invalid_input, "--applied-on must be a date YYYY-MM-DD", "applied_on"});
    r.applied_on = *d;
  }
  r.place = o.place;
  r.applicant_relation = o.relation;
  if (!o.disease.empty()) r.specified_disease = o.disease;
  r.reason = o.reason;
  cert::ApplicationService service(*s.db, clock, *s.config, s.inquiries.get());
  auto a = service.intake(r, o.actor);
  if (!a) return refused("apply", a.error());
  if (a->row.category == "2" && s.in_process) {
    // The bundled 中間サーバー keeps its state in this process: fetch and apply the answers now.
    for (int pass = 0; pass < 10; ++pass) {
      auto run = s.inquiries->run_due(clock);
      if (!run) return refused("apply", run.error());
      if (run->sent + run->polled == 0) break;
    }
    auto checks = cert::run_checks_due(*s.db, clock, s.inquiries.get(), o.actor);
    if (!checks) return refused("apply", checks.error());
    auto again = service.find(a->row.application_id);
    if (!again) return refused("apply", again.error());
    if (*again) a = std::move(**again);
  }
  std::cout << fmt::format("application {} (id {}) taken in\n", a->row.application_no, a->row.application_id);
  print_application(*a);
  return 0;
}

int list(const GlobalOptions& g, const Options& o) {
  SystemClock clock;
  Setup s;
  if (int code = make_setup(g, "list", clock, false, s); code != 0) return code;
  auto f = cert::list_filter_from_code(o.filter);
  if (!f) return refused("list", f.error());
  cert::ApplicationService service(*s.db, clock, *s.config, nullptr);
  auto page = service.list({*f, o.q, o.limit, 0});
  if (!page) return refused("list", page.error());
  for (const auto& r : page->items) print_row(r);
  std::cout << fmt::format("{} of {} ({})\n", page->items.size(), page->total, o.filter);
  return 0;
}

int show(const GlobalOptions& g, const Options& o) {
  SystemClock clock;
  Setup s;
  if (int code = make_setup(g, "show", clock, false, s); code != 0) return code;
  cert::ApplicationService service(*s.db, clock, *s.config, nullptr);
  auto a = service.find(o.application_id);
  if (!a) return refused("show", a.error());
  if (!*a) return refused("show", Error{ErrorKind::not_found, fmt::format("no application {}", o.application_id), "application_id"});
  print_application(**a);
  return 0;
}

int postpone(const GlobalOptions& g, const Options& o) {
  SystemClock clock;
  Setup s;
  if (int code = make_setup(g, "postpone", clock, false, s); code != 0) return code;
  auto d = Date::parse(o.expected_on);
  if (!d) return refused("postpone", Error{ErrorKind::invalid_input, "--expected-on must be a date YYYY-MM-DD", "expected_on"});
  cert::ApplicationService service(*s.db, clock, *s.config, nullptr);
  auto p = service.postpone(o.application_id, o.reason, *d, o.actor);
  if (!p) return refused("postpone", p.error());
  std::cout << fmt::format("延期通知 {} recorded: expected {} (document {})\n", p->postponement_id, p->expected_on.iso(),
                           p->document_id.value_or(0));
  return 0;
}

int withdraw(const GlobalOptions& g, const Options& o) {
  SystemClock clock;
  Setup s;
  if (int code = make_setup(g, "withdraw", clock, false, s); code != 0) return code;
  cert::ApplicationService service(*s.db, clock, *s.config, nullptr);
  auto a = service.withdraw(o.application_id, o.reason, o.actor);
  if (!a) return refused("withdraw", a.error());
  std::cout << fmt::format("application {} withdrawn\n", a->row.application_no);
  return 0;
}

int report(const GlobalOptions& g, const Options& o) {
  SystemClock clock;
  Setup s;
  if (int code = make_setup(g, "report", clock, false, s); code != 0) return code;
  cert::ApplicationService service(*s.db, clock, *s.config, nullptr);
  auto r = service.report(o.from.empty() ? std::nullopt : std::optional(o.from), o.to.empty() ? std::nullopt : std::optional(o.to));
  if (!r) return refused("report", r.error());
  std::cout << fmt::format("days to decision, decided {} … {} (transfers left out)\n", r->from_month, r->to_month);
  std::cout << "month     count   mean  median  max  within 30 days  postponed\n";
  for (const auto& m : r->months)
    std::cout << fmt::format("{}  {:>5}  {:>5}  {:>6}  {:>3}  {:>14}  {:>9}\n", m.month, m.days.count, days(m.days.mean_tenths, m.days.count),
                             days(m.days.median_tenths, m.days.count), m.days.max_days, m.within_deadline, m.postponed);
  std::cout << fmt::format("all      {:>5}  {:>5}  {:>6}  {:>3}  {:>14}\n", r->total.count, days(r->total.mean_tenths, r->total.count),
                           days(r->total.median_tenths, r->total.count), r->total.max_days, r->within_deadline);
  std::cout << "stage (mean days)\n";
  for (const auto& st : r->stages) std::cout << fmt::format("  {:<16} {:>5} ({})\n", st.label, days(st.mean_tenths, st.count), st.count);
  auto providers = [](const char* title, const std::vector<cert::ProviderRow>& rows) {
    std::cout << title << " (request → result, days)\n";
    for (const auto& p : rows)
      std::cout << fmt::format("  {:<6} {:<40} {:>4} mean {:>5} median {:>5} max {:>3} late {}\n", p.code, p.name, p.days.count,
                               days(p.days.mean_tenths, p.days.count), days(p.days.median_tenths, p.days.count), p.days.max_days,
                               p.overdue);
  };
  providers("contractors", r->contractors);
  providers("institutions", r->institutions);
  return 0;
}

}  // namespace

KAIGO_COMMAND("certification_applications", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* cmd = group(app, "certification", "認定: applications, workflow, notices, files, fees");
  static Options o;
  auto* a = cmd->add_subcommand("apply", "NT-01: take an application in (a category-2 applicant: NT-02/NT-04 asked)");
  a->add_option("--person", o.person, "宛名番号")->required();
  a->add_option("--kind", o.kind, "new | renewal | change | ex_officio | transfer")->required();
  a->add_option("--place", o.place, "home | facility")->capture_default_str();
  a->add_option("--applied-on", o.applied_on, "申請日 YYYY-MM-DD (default today)");
  a->add_option("--relation", o.relation, "申請者: 本人 | 家族 | 地域包括支援センター | 居宅介護支援事業者 | 施設 | 職権")->capture_default_str();
  a->add_option("--disease", o.disease, "category 2: the 特定疾病 code (01–16)");
  a->add_option("--reason", o.reason, "change / ex_officio: why");
  a->add_option("--actor", o.actor, "who (recorded)")->capture_default_str();
  a->callback([&g, &exit_code] { exit_code = apply(g, o); });
  auto* l = cmd->add_subcommand("list", "the applications with their timers, overdue first");
  l->add_option("--filter", o.filter, "open | warning | overdue | postponed | waiting_assessment | waiting_opinion | ready | scheduled | decided | all")
      ->capture_default_str();
  l->add_option("--q", o.q, "application_no, insured_no or kana prefix");
  l->add_option("--limit", o.limit, "rows (1–500)")->capture_default_str();
  l->callback([&g, &exit_code] { exit_code = list(g, o); });
  auto* s = cmd->add_subcommand("show", "one application with its stages, checks and 延期通知");
  s->add_option("application_id", o.application_id, "the application's id")->required();
  s->callback([&g, &exit_code] { exit_code = show(g, o); });
  auto* p = cmd->add_subcommand("postpone", "延期通知 (法27条11項ただし書): reason and expected day");
  p->add_option("application_id", o.application_id, "the application's id")->required();
  p->add_option("--reason", o.reason, "延期の理由")->required();
  p->add_option("--expected-on", o.expected_on, "処理見込期日 YYYY-MM-DD")->required();
  p->add_option("--actor", o.actor, "who (recorded)")->capture_default_str();
  p->callback([&g, &exit_code] { exit_code = postpone(g, o); });
  auto* w = cmd->add_subcommand("withdraw", "取下げ (NT-01 sent again with withdrawn_on)");
  w->add_option("application_id", o.application_id, "the application's id")->required();
  w->add_option("--reason", o.reason, "why")->required();
  w->add_option("--actor", o.actor, "who (recorded)")->capture_default_str();
  w->callback([&g, &exit_code] { exit_code = withdraw(g, o); });
  auto* r = cmd->add_subcommand("report", "days to decision per month, stage, contractor and institution");
  r->add_option("--from", o.from, "YYYY-MM (default 11 months back)");
  r->add_option("--to", o.to, "YYYY-MM (default this month)");
  r->callback([&g, &exit_code] { exit_code = report(g, o); });
});

}  // namespace kaigo::cli

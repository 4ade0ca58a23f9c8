// kaigo certification assessment-request | opinion-request | session-create | session-cases |
// session-request | sessions: the 認定 workflow from the command line (NT-07, NT-09, committee
// sessions and NT-11; certification/workflow.hpp, committee.hpp). The rules and code lists are
// validated first. Requests go to the outbox; a running `kaigo serve` dispatches them and takes
// the answers (NT-08, NT-10, NT-12) in.
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "certification/codes.hpp"
#include "certification/committee.hpp"
#include "certification/workflow.hpp"
#include "cli/command.hpp"
#include "core/clock.hpp"

namespace kaigo::cli {
namespace {

struct Opened {
  certification::CertificationConfig config;
  std::unique_ptr<store::Database> db;
};

std::optional<Opened> open_for(const GlobalOptions& g, const std::string& command) {
  auto config = certification::CertificationConfig::load(g.config_path());
  if (!config) {
    std::cerr << fmt::format("kaigo {}: {}\n", command, config.error().message);
    return std::nullopt;
  }
  auto db = open_migrated(g, command, 1);
  if (!db) return std::nullopt;
  return Opened{std::move(*config), std::move(db)};
}

int failed(const std::string& command, const Error& e) {
  std::cerr << fmt::format("kaigo {}: {}{}\n", command, e.message, e.field.empty() ? "" : " (" + e.field + ")");
  return e.kind == ErrorKind::invalid_input || e.kind == ErrorKind::not_found || e.kind == ErrorKind::conflict ? 1 : 2;
}

Result<std::optional<Date>> optional_date(const std::string& text, const char* field) {
  if (text.empty()) return std::optional<Date>();
  auto d = Date::parse(text);
  if (!d) return fail(ErrorKind::invalid_input, fmt::format("{} must be a date YYYY-MM-DD", field), field);
  return std::optional<Date>(*d);
}

void print_session(const certification::SessionView& s) {
  std::cout << fmt::format("{} {} {} ({}), {} members, {} cases\n", s.session_no, s.panel, s.held_on, s.status, s.members.size(),
                           s.cases.size());
  for (const auto& k : s.cases)
    std::cout << fmt::format("  {:>3} {} {} first stage {} {}\n", k.case_order, k.application_no, k.status,
                             k.first_stage_level.value_or("-"),
                             k.outcome ? fmt::format("→ {} {}", *k.outcome, k.decided_level.value_or("")) : "");
}

struct Options {
  std::int64_t application_id = 0;
  std::int64_t session_id = 0;
  std::string contractor, city_assessor, due_on, institution, doctor, panel, held_on, chair, from, to;
  bool continued = false;
  std::vector<std::string> members;
  std::vector<std::int64_t> application_ids;
  std::string actor = "cli";
};

int assessment_request(const GlobalOptions& g, const Options& o) {
  const std::string command = "certification assessment-request";
  auto opened = open_for(g, command);
  if (!opened) return 2;
  auto due = optional_date(o.due_on, "due_on");
  if (!due) return failed(command, due.error());
  certification::AssessmentRequestInput in;
  if (!o.city_assessor.empty()) {
    in.assessor_kind = "city";
    in.assessor_name = o.city_assessor;
  } else {
    in.assessor_kind = "contractor";
    if (!o.contractor.empty()) in.contractor_code = o.contractor;
  }
  in.due_on = *due;
  SystemClock clock;
  certification::WorkflowService service(*opened->db, clock, opened->config);
  auto r = service.request_assessment(o.application_id, in, o.actor);
  if (!r) return failed(command, r.error());
  std::cout << fmt::format("NT-07: {} requested, due {} (exchange {})\n", r->view.request_no, r->view.due_on, r->exchange_id);
  return 0;
}

int opinion_request(const GlobalOptions& g, const Options& o) {
  const std::string command = "certification opinion-request";
  auto opened = open_for(g, command);
  if (!opened) return 2;
  auto due = optional_date(o.due_on, "due_on");
  if (!due) return failed(command, due.error());
  SystemClock clock;
  certification::WorkflowService service(*opened->db, clock, opened->config);
  auto r = service.request_opinion(o.application_id, {o.institution, o.doctor, !o.continued, *due}, o.actor);
  if (!r) return failed(command, r.error());
  std::cout << fmt::format("NT-09: {} requested, due {} (exchange {})\n", r->view.request_no, r->view.due_on, r->exchange_id);
  return 0;
}

int session_create(const GlobalOptions& g, const Options& o) {
  const std::string command = "certification session-create";
  auto opened = open_for(g, command);
  if (!opened) return 2;
  auto held = Date::parse(o.held_on);
  if (!held) return failed(command, Error{ErrorKind::invalid_input, "held_on must be a date YYYY-MM-DD", "held_on"});
  certification::SessionInput in{o.panel, *held, {{o.chair, "chair"}}};
  for (const auto& m : o.members) in.members.push_back({m, "member"});
  SystemClock clock;
  certification::CommitteeService service(*opened->db, clock, opened->config);
  auto s = service.create_session(in, o.actor);
  if (!s) return failed(command, s.error());
  std::cout << fmt::format("session {} ", s->session_id);
  print_session(*s);
  return 0;
}

int session_cases(const GlobalOptions& g, const Options& o) {
  const std::string command = "certification session-cases";
  auto opened = open_for(g, command);
  if (!opened) return 2;
  SystemClock clock;
  certification::CommitteeService service(*opened->db, clock, opened->config);
  auto s = service.add_cases(o.session_id, o.application_ids, o.actor);
  if (!s) return failed(command, s.error());
  print_session(*s);
  return 0;
}

int session_request(const GlobalOptions& g, const Options& o) {
  const std::string command = "certification session-request";
  auto opened = open_for(g, command);
  if (!opened) return 2;
  SystemClock clock;
  certification::CommitteeService service(*opened->db, clock, opened->config);
  auto s = service.request(o.session_id, o.actor);
  if (!s) return failed(command, s.error());
  std::cout << "NT-11: ";
  print_session(*s);
  return 0;
}

int sessions(const GlobalOptions& g, const Options& o) {
  const std::string command = "certification sessions";
  auto opened = open_for(g, command);
  if (!opened) return 2;
  auto from = optional_date(o.from, "from");
  if (!from) return failed(command, from.error());
  auto to = optional_date(o.to, "to");
  if (!to) return failed(command, to.error());
  SystemClock clock;
  certification::CommitteeService service(*opened->db, clock, opened->config);
  auto list = service.list(*from, *to);
  if (!list) return failed(command, list.error());
  for (const auto& s : *list)
    std::cout << fmt::format("{:>5} {} {} {} {:<9} cases {} (decided {}, deferred {}), members {}\n", s.session_id, s.session_no,
                             s.panel, s.held_on, s.status, s.cases, s.decided, s.deferred, s.members);
  if (list->empty()) std::cout << "no sessions\n";
  return 0;
}

}  // namespace

KAIGO_COMMAND("certification", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* cmd = group(app, "certification", "認定: applications, workflow, notices, files, fees");
  static Options o;

  auto* assess = cmd->add_subcommand("assessment-request", "NT-07: request the home assessment of an application");
  assess->add_option("application_id", o.application_id, "the application")->required();
  auto* contractor = assess->add_option("--contractor", o.contractor, "a code of assessment_contractors.tsv");
  assess->add_option("--city-assessor", o.city_assessor, "the city's own assessor (instead of a contractor)")->excludes(contractor);
  assess->add_option("--due", o.due_on, "due day YYYY-MM-DD (default: 14 days)");
  assess->add_option("--actor", o.actor, "who asks")->capture_default_str();
  assess->callback([&g, &exit_code] { exit_code = assessment_request(g, o); });

  auto* opinion = cmd->add_subcommand("opinion-request", "NT-09: request the physician's opinion of an application");
  opinion->add_option("application_id", o.application_id, "the application")->required();
  opinion->add_option("--institution", o.institution, "a code of medical_institutions.tsv")->required();
  opinion->add_option("--doctor", o.doctor, "the doctor (主治医)")->required();
  opinion->add_flag("--continued", o.continued, "継続 (the doctor wrote one before); default 初回");
  opinion->add_option("--due", o.due_on, "due day YYYY-MM-DD (default: 14 days)");
  opinion->add_option("--actor", o.actor, "who asks")->capture_default_str();
  opinion->callback([&g, &exit_code] { exit_code = opinion_request(g, o); });

  auto* create = cmd->add_subcommand("session-create", "a committee session: panel, day, chair and members");
  create->add_option("--panel", o.panel, "合議体 name")->required();
  create->add_option("--held-on", o.held_on, "YYYY-MM-DD")->required();
  create->add_option("--chair", o.chair, "the chair's member code")->required();
  create->add_option("--member", o.members, "a member's code (repeat)")->required();
  create->add_option("--actor", o.actor, "who plans it")->capture_default_str();
  create->callback([&g, &exit_code] { exit_code = session_create(g, o); });

  auto* cases = cmd->add_subcommand("session-cases", "put ready applications before a planned session");
  cases->add_option("session_id", o.session_id, "the session")->required();
  cases->add_option("application_ids", o.application_ids, "ready applications")->required();
  cases->add_option("--actor", o.actor, "who adds them")->capture_default_str();
  cases->callback([&g, &exit_code] { exit_code = session_cases(g, o); });

  auto* request = cmd->add_subcommand("session-request", "NT-11: send the session and its cases to the committee-support system");
  request->add_option("session_id", o.session_id, "the session")->required();
  request->add_option("--actor", o.actor, "who sends it")->capture_default_str();
  request->callback([&g, &exit_code] { exit_code = session_request(g, o); });

  auto* list = cmd->add_subcommand("sessions", "committee sessions with their case counts");
  list->add_option("--from", o.from, "held from YYYY-MM-DD");
  list->add_option("--to", o.to, "held to YYYY-MM-DD");
  list->callback([&g, &exit_code] { exit_code = sessions(g, o); });
});

}  // namespace kaigo::cli

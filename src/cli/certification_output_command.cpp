// kaigo certification notice | notices | certificate | document | renewals | results-to-welfare | fees,
// and kaigo batch certification-notices | certification-fees | certification-reminders
// (docs/certification.md). The rules, code lists and the outputs' config are validated first: a bad
// file stops the command before anything is issued or sent. Exchanges go to the outbox; a running
// `kaigo serve` dispatches them.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "certification/certification_outputs.hpp"
#include "certification/codes.hpp"
#include "certification/fee_run.hpp"
#include "certification/renewal.hpp"
#include "certification/results_to_welfare.hpp"
#include "cli/command.hpp"
#include "core/clock.hpp"
#include "people/city_profile.hpp"

namespace kaigo::cli {
namespace {

// Everything an output command needs, loaded and validated.
struct Opened {
  certification::CertificationConfig certification;
  certification::OutputsConfig outputs;
  people::CityProfile city;
  std::unique_ptr<store::Database> db;
  certification::OutputContext context() const { return {city, certification.rules, outputs}; }
};

std::optional<Opened> open_for(const GlobalOptions& g, const std::string& command) {
  auto report = [&](const Error& e) {
    std::cerr << fmt::format("kaigo {}: {}\n", command, e.message);
    return std::nullopt;
  };
  auto certification = certification::CertificationConfig::load(g.config_path());
  if (!certification) return report(certification.error());
  auto outputs = certification::OutputsConfig::load(g.config_path());
  if (!outputs) return report(outputs.error());
  auto city = people::load_city_profile(g.config_path());
  if (!city) return report(city.error());
  auto db = open_migrated(g, command, 1);
  if (!db) return std::nullopt;
  return Opened{std::move(*certification), std::move(*outputs), std::move(*city), std::move(db)};
}

std::filesystem::path print_dir(const GlobalOptions& g) { return std::filesystem::path(g.data_dir) / "print"; }

int failed(const std::string& command, const Error& e) {
  std::cerr << fmt::format("kaigo {}: {}\n", command, e.message);
  return e.kind == ErrorKind::invalid_input || e.kind == ErrorKind::not_found || e.kind == ErrorKind::conflict ? 1 : 2;
}

int write_file(const std::string& command, const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) {
    std::cerr << fmt::format("kaigo {}: cannot write {}\n", command, path);
    return 2;
  }
  return 0;
}

int notice_one(const GlobalOptions& g, std::int64_t application_id, const std::string& out_path, const std::string& actor) {
  auto o = open_for(g, "certification notice");
  if (!o) return 2;
  SystemClock clock;
  auto issued = certification::issue_result_notice(*o->db, clock, o->context(), application_id, actor);
  if (!issued) return failed("certification notice", issued.error());
  if (int rc = write_file("certification notice", out_path, issued->pdf); rc) return rc;
  std::cout << fmt::format("NT-13: document {}{}{} → {}\n", issued->document.document_id, issued->reprint ? " (reprint)" : "",
                           issued->card_issue_id ? ", with the card" : "", out_path);
  return 0;
}

int notices(const GlobalOptions& g, const std::string& actor) {
  auto o = open_for(g, "batch certification-notices");
  if (!o) return 2;
  SystemClock clock;
  auto run = certification::run_result_notices(*o->db, clock, o->context(), print_dir(g), actor);
  if (!run) return failed("batch certification-notices", run.error());
  if (run->batch_run_id == 0) {
    std::cout << "NT-13: nothing to notify\n";
    return 0;
  }
  std::cout << fmt::format("NT-13 run {}: {} notices, {} cards → {}\n", run->batch_run_id, run->notices, run->cards,
                           run->output_path);
  return 0;
}

int certificate(const GlobalOptions& g, const std::string& person_id, const std::string& moved_out_on,
                const std::string& new_address, const std::string& out_path, const std::string& actor) {
  std::optional<Date> moved;
  if (!moved_out_on.empty()) {
    auto d = Date::parse(moved_out_on);
    if (!d) {
      std::cerr << "kaigo certification certificate: --moved-out-on must be YYYY-MM-DD\n";
      return 1;
    }
    moved = *d;
  }
  auto o = open_for(g, "certification certificate");
  if (!o) return 2;
  SystemClock clock;
  auto issued = certification::issue_entitlement_certificate(*o->db, clock, o->context(),
                                                             certification::CertificateRequest{person_id, moved, new_address}, actor);
  if (!issued) return failed("certification certificate", issued.error());
  if (int rc = write_file("certification certificate", out_path, issued->pdf); rc) return rc;
  std::cout << fmt::format("NT-06: document {}, exchange {} to iryo → {}\n", issued->document.document_id,
                           issued->document.exchange_id.value_or(0), out_path);
  return 0;
}

int document(const GlobalOptions& g, std::int64_t document_id, const std::string& out_path) {
  auto o = open_for(g, "certification document");
  if (!o) return 2;
  auto pdf = certification::document_pdf(*o->db, o->context(), document_id);
  if (!pdf) return failed("certification document", pdf.error());
  if (int rc = write_file("certification document", out_path, *pdf); rc) return rc;
  std::cout << fmt::format("document {} → {}\n", document_id, out_path);
  return 0;
}

int renewals(const GlobalOptions& g, int within_days) {
  auto o = open_for(g, "certification renewals");
  if (!o) return 2;
  SystemClock clock;
  std::vector<certification::RenewalDue> due;
  auto read = o->db->with_connection([&](store::Connection& c) -> Result<void> {
    auto r = certification::renewals_due(c, o->certification.rules, clock.today(),
                                         within_days >= 0 ? std::optional<int>(within_days) : std::nullopt, 100000, 0);
    if (!r) return std::unexpected(r.error());
    due = std::move(*r);
    return {};
  });
  if (!read) return failed("certification renewals", read.error());
  for (const auto& d : due)
    std::cout << fmt::format("{}  {}  {:<10} ends {} ({} days)  window from {}  {}  {}\n", d.certification_id, d.person_id,
                             d.care_level, d.valid_to.iso(), d.days_left, d.renewal_opens.iso(),
                             d.renewal_application_id ? "applied " + d.renewal_application_no : "not applied",
                             d.reminded_on ? "reminded " + d.reminded_on->iso() : "");
  std::cout << fmt::format("{} certifications ending\n", due.size());
  return 0;
}

int reminders(const GlobalOptions& g, const std::string& actor) {
  auto o = open_for(g, "batch certification-reminders");
  if (!o) return 2;
  SystemClock clock;
  auto run = certification::run_renewal_reminders(*o->db, clock, o->context(), print_dir(g), actor);
  if (!run) return failed("batch certification-reminders", run.error());
  if (run->batch_run_id == 0) {
    std::cout << "更新申請のお知らせ: nobody due\n";
    return 0;
  }
  std::cout << fmt::format("更新申請のお知らせ run {}: {} reminders → {}\n", run->batch_run_id, run->issued, run->output_path);
  return 0;
}

int results_to_welfare(const GlobalOptions& g, const std::string& actor) {
  auto db = open_migrated(g, "certification results-to-welfare", 1);
  if (!db) return 2;
  SystemClock clock;
  auto sent = certification::send_results_to_welfare(*db, clock, actor);
  if (!sent) return failed("certification results-to-welfare", sent.error());
  if (!sent->exchange_id) std::cout << "NT-14: no certification changed since the last file\n";
  else std::cout << fmt::format("NT-14: {} rows in exchange {} (cursor {})\n", sent->rows, *sent->exchange_id, sent->cursor);
  return 0;
}

int fees(const GlobalOptions& g, const std::string& sent) {
  auto o = open_for(g, "certification fees");
  if (!o) return 2;
  std::optional<bool> which;
  if (sent == "true") which = true;
  else if (sent == "false") which = false;
  std::int64_t total = 0, count = 0;
  auto read = o->db->with_connection([&](store::Connection& c) -> Result<void> {
    auto list = certification::list_fees(c, o->certification.rules, which, "", 100000, 0);
    if (!list) return std::unexpected(list.error());
    for (const auto& f : *list) {
      std::cout << fmt::format("{}  {}  {:<8} {:<24} {:>9}円  {}  {}  {}\n", f.fee_id, f.flow_id, f.payee_code, f.fee_label,
                               f.amount, f.basis_no, f.work_on.iso(), f.exchange_id ? "sent" : "owed");
      total += f.amount;
      ++count;
    }
    return {};
  });
  if (!read) return failed("certification fees", read.error());
  std::cout << fmt::format("{} fees, {}円\n", count, total);
  return 0;
}

int fee_run(const GlobalOptions& g, const std::string& actor) {
  auto o = open_for(g, "batch certification-fees");
  if (!o) return 2;
  SystemClock clock;
  auto run = certification::run_fee_payments(*o->db, clock, o->certification.rules, o->outputs.budget_accounts, actor);
  if (!run) return failed("batch certification-fees", run.error());
  if (run->files.empty()) std::cout << "NT-15/16/17: no fee owed\n";
  for (const auto& f : run->files)
    std::cout << fmt::format("{}: {} payments, {}円 in exchange {}\n", f.flow_id, f.rows, f.total, f.exchange_id);
  return 0;
}

}  // namespace

KAIGO_COMMAND("certification", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* cmd = group(app, "certification", "認定: applications, workflow, notices, files, fees");
  // One declaration each: a comma outside parentheses would split the macro's arguments.
  static std::int64_t application_id = 0;
  static std::int64_t document_id = 0;
  static std::string out_path;
  static std::string person_id;
  static std::string moved_out_on;
  static std::string new_address;
  static std::string sent;
  static std::string actor = "cli";
  static int within_days = -1;

  auto* one = cmd->add_subcommand("notice", "NT-13: issue the 認定結果通知書 (and card) of a decided application as a PDF");
  one->add_option("--application-id", application_id, "the application")->required();
  one->add_option("--out", out_path, "the PDF to write")->required();
  one->add_option("--actor", actor, "who issues it")->capture_default_str();
  one->callback([&g, &exit_code] { exit_code = notice_one(g, application_id, out_path, actor); });

  auto* cert = cmd->add_subcommand("certificate", "NT-06: issue the 受給資格証明書 of a person (sent to the medical insurer)");
  cert->add_option("--person", person_id, "宛名番号")->required();
  cert->add_option("--moved-out-on", moved_out_on, "YYYY-MM-DD (default: the person's move-out fact, else today)");
  cert->add_option("--new-address", new_address, "転出先");
  cert->add_option("--out", out_path, "the PDF to write")->required();
  cert->add_option("--actor", actor, "who issues it")->capture_default_str();
  cert->callback([&g, &exit_code] { exit_code = certificate(g, person_id, moved_out_on, new_address, out_path, actor); });

  auto* doc = cmd->add_subcommand("document", "any issued certification document again as PDF");
  doc->add_option("--document-id", document_id, "the document")->required();
  doc->add_option("--out", out_path, "the PDF to write")->required();
  doc->callback([&g, &exit_code] { exit_code = document(g, document_id, out_path); });

  auto* due = cmd->add_subcommand("renewals", "current certifications ending soon, with their renewal application and reminder");
  due->add_option("--within-days", within_days, "days ahead (default: the rules' renewal window)");
  due->callback([&g, &exit_code] { exit_code = renewals(g, within_days); });

  auto* welfare = cmd->add_subcommand("results-to-welfare", "NT-14: the certification changes since the last file to welfare");
  welfare->add_option("--actor", actor, "who runs it")->capture_default_str();
  welfare->callback([&g, &exit_code] { exit_code = results_to_welfare(g, actor); });

  auto* owed = cmd->add_subcommand("fees", "the fees of the committee, assessments and opinions (NT-15/16/17)");
  owed->add_option("--sent", sent, "true: sent, false: owed; absent: all")->check(CLI::IsMember({"true", "false"}));
  owed->callback([&g, &exit_code] { exit_code = fees(g, sent); });
});

KAIGO_COMMAND("batch", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* cmd = group(app, "batch", "yearly and monthly batch jobs (resumable: run again after a stop)");
  static std::string actor = "job:certification";
  auto* notices_cmd = cmd->add_subcommand("certification-notices",
                                          "NT-13: the 認定結果通知書 of every decided application not notified yet, into one print file");
  notices_cmd->add_option("--actor", actor, "who runs it")->capture_default_str();
  notices_cmd->callback([&g, &exit_code] { exit_code = notices(g, actor); });
  auto* fees_cmd = cmd->add_subcommand("certification-fees", "NT-15/16/17: every fee owed to accounting, one file per flow");
  fees_cmd->add_option("--actor", actor, "who runs it")->capture_default_str();
  fees_cmd->callback([&g, &exit_code] { exit_code = fee_run(g, actor); });
  auto* reminders_cmd =
      cmd->add_subcommand("certification-reminders", "更新申請のお知らせ to those whose renewal window opened, into one print file");
  reminders_cmd->add_option("--actor", actor, "who runs it")->capture_default_str();
  reminders_cmd->callback([&g, &exit_code] { exit_code = reminders(g, actor); });
});

}  // namespace kaigo::cli

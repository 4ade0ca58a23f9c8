// kaigo zeimu request --fiscal-year Y | request --person ID --tax-year Y | import FILE, and
// kaigo premium send-assessments: the city's tax system linkage from the command line
// (docs/zeimu-layout.md).
//   zeimu request      queues the FK-01 file: everyone needed for fiscal year Y (the yearly run),
//                      or one person and income year; the dispatcher of `kaigo serve` sends it
//   zeimu import       takes one FK-02 file in exactly as the folder channel would (the inbox, with
//                      its idempotency by file hash; a name with _re-<処理通番> answers that
//                      request), then records a refusal for staff; exit 0 applied (or already
//                      applied), 1 refused
//   premium send-assessments   queues FK-12 (welfare) and FK-13 (tax): the assessments changed since
//                      the last files
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "linkage/exchange_store.hpp"
#include "premium/premium_provision.hpp"
#include "premium/zeimu_service.hpp"

namespace kaigo::cli {
namespace {

int error(const std::string& what, const std::string& message, int code) {
  std::cerr << fmt::format("kaigo {}: {}\n", what, message);
  return code;
}

int request(const GlobalOptions& g, int fiscal_year, const std::string& person_id, int tax_year, const std::string& actor) {
  auto db = open_migrated(g, "zeimu request", 2);
  if (!db) return 2;
  const SystemClock clock;
  Result<premium::zeimu::RequestSent> sent = fail(ErrorKind::invalid_input, "give --fiscal-year, or --person and --tax-year");
  if (!person_id.empty()) {
    if (tax_year == 0) return error("zeimu request", "--person needs --tax-year", 2);
    auto tx = db->transaction([&](store::Connection& c) -> Result<void> {
      sent = premium::zeimu::request_person(c, clock, person_id, tax_year, actor);
      if (!sent) return std::unexpected(sent.error());
      return {};
    });
    if (!tx && sent) sent = std::unexpected(tx.error());
  } else if (fiscal_year != 0) {
    sent = premium::zeimu::request_yearly(*db, clock, fiscal_year, actor);
  }
  if (!sent) return error("zeimu request", sent.error().message, sent.error().kind == ErrorKind::invalid_input ? 1 : 2);
  std::cout << fmt::format("FK-01 {} persons, income year {}: {} as exchange {} ({})\n", sent->persons, sent->tax_year,
                           sent->created ? "queued" : "already queued", sent->exchange_id, sent->correlation_id);
  return 0;
}

int import_file(const GlobalOptions& g, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error("zeimu import", fmt::format("cannot read {}", path), 2);
  std::stringstream buf;
  buf << in.rdbuf();
  auto db = open_migrated(g, "zeimu import", 2);
  if (!db) return 2;
  const SystemClock clock;
  const std::string name = std::filesystem::path(path).filename().string();
  // The folder channel's naming: _re-<処理通番> names the request a file answers.
  static const std::regex kReply(R"(_re-([A-Za-z0-9\-]+))");
  std::smatch m;
  const std::string stem = std::filesystem::path(path).stem().string();
  const std::string in_reply_to = std::regex_search(stem, m, kReply) ? m[1].str() : "";
  linkage::InboundMessage msg{"FK-02", "zeimu", buf.str(), "text/csv", std::nullopt, in_reply_to, {},
                              fmt::format("file {} from zeimu", name), "cli:zeimu-import"};
  auto r = linkage::receive_inbound(*db, clock, msg, premium::zeimu::tax_file_handler(clock));
  if (!r) return error("zeimu import", r.error().message, 2);
  if (auto rec = premium::zeimu::record_rejected_files(*db, clock); !rec) return error("zeimu import", rec.error().message, 2);
  std::cout << fmt::format("{}: {} (exchange {})", name, linkage::to_string(r->outcome), r->exchange_id);
  (void)db->with_connection([&](store::Connection& c) -> Result<void> {
    auto files = premium::zeimu::list_files(c, "", "", 50);
    if (!files) return {};
    for (const auto& f : *files) {
      if (f.exchange_id != r->exchange_id) continue;
      std::cout << fmt::format("; {} {} lines: applied {}, unchanged {}, 未申告 {}, queued for re-assessment {}", f.kind,
                               f.lines, f.applied, f.unchanged, f.undeclared, f.queued);
      for (const auto& e : f.errors)
        std::cout << fmt::format("\n  line {}, {}: {}", e.line_no, e.field, e.message);
    }
    return {};
  });
  std::cout << "\n";
  if (!r->reason.empty()) std::cout << r->reason << "\n";
  const bool refused = r->outcome == linkage::InboundOutcome::rejected || r->outcome == linkage::InboundOutcome::already_rejected;
  return refused ? 1 : 0;
}

int send_assessments(const GlobalOptions& g) {
  auto db = open_migrated(g, "premium send-assessments", 2);
  if (!db) return 2;
  const SystemClock clock;
  struct Flow {
    const char* id;
    Result<premium::AssessmentsSent> (*send)(store::Database&, const Clock&, int);
  };
  for (Flow f : {Flow{"FK-12", premium::send_assessments_to_welfare}, Flow{"FK-13", premium::send_assessments_to_tax}}) {
    auto sent = f.send(*db, clock, 500000);
    if (!sent) return error("premium send-assessments", fmt::format("{}: {}", f.id, sent.error().message), 2);
    if (sent->exchange_id)
      std::cout << fmt::format("{}: {} assessments looked at, {} rows queued as exchange {}\n", f.id, sent->scanned,
                               sent->rows, *sent->exchange_id);
    else
      std::cout << fmt::format("{}: {} assessments looked at, nothing to send\n", f.id, sent->scanned);
  }
  return 0;
}

void setup(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("zeimu", "税務連携: ask the tax system (FK-01), take its files in (FK-02)");
  cmd->require_subcommand(1);
  static int fiscal_year = 0, tax_year = 0;
  static std::string person_id, actor = "cli:zeimu", path;
  auto* rq = cmd->add_subcommand("request", "queue an FK-01 request: the yearly one, or one person");
  rq->add_option("--fiscal-year", fiscal_year, "everyone needed for this fiscal year (income year − 1)");
  rq->add_option("--person", person_id, "宛名番号 of one person (with --tax-year)");
  rq->add_option("--tax-year", tax_year, "the income year (所得年) asked for one person");
  rq->add_option("--actor", actor, "who asks (recorded on the exchange)")->capture_default_str();
  rq->callback([&g, &exit_code] { exit_code = request(g, fiscal_year, person_id, tax_year, actor); });
  auto* im = cmd->add_subcommand("import", "take one FK-02 file in as the folder channel would");
  im->add_option("FILE", path, "an FK-02 CSV (docs/zeimu-layout.md); _re-<処理通番> in the name answers that request")
      ->required();
  im->callback([&g, &exit_code] { exit_code = import_file(g, path); });

  // `kaigo premium` is a group several files add to (cli/command.hpp).
  CLI::App* premium = group(app, "premium", "賦課: premium table, assessments, what-if");
  auto* sa = premium->add_subcommand("send-assessments", "queue FK-12 (welfare) and FK-13 (tax): assessments changed since the last files");
  sa->callback([&g, &exit_code] { exit_code = send_assessments(g); });
}

}  // namespace

KAIGO_COMMAND("zeimu", setup);

}  // namespace kaigo::cli

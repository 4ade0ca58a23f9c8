// 特別徴収 from the command line (docs/tokucho-layout.md, docs/premium-collection.md):
//   kaigo tokucho import FILE         takes one FK-14 or FK-16 file (CP932, as the 国保連 sends it) in
//                                     exactly as the folder channel would: the inbox, with its
//                                     idempotency by hash; the flow from the name (FK-14_…, FK-16_…;
//                                     _re-<処理通番> answers that request); a refusal recorded for staff
//                                     with every record and field at fault. Exit 0 applied (or
//                                     already applied), 1 refused, 2 cannot run.
//   kaigo tokucho send-requests --fiscal-year Y   queues the FK-15 file of every special instalment
//                                     planned and not yet requested; the dispatcher sends it
//   kaigo premium plan-collection --fiscal-year Y the collection plan of every current assessment
//                                     (resumable: run again after a stop), with a progress line
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "core/cp932.hpp"
#include "linkage/exchange_store.hpp"
#include "premium/tokucho_service.hpp"

namespace kaigo::cli {
namespace {

int error(const std::string& what, const std::string& message, int code) {
  std::cerr << fmt::format("kaigo {}: {}\n", what, message);
  return code;
}

int default_year(int fiscal_year, const Clock& clock) { return fiscal_year ? fiscal_year : clock.today().fiscal_year(); }

int import_file(const GlobalOptions& g, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error("tokucho import", fmt::format("cannot read {}", path), 2);
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string name = std::filesystem::path(path).filename().string();
  const std::string stem = std::filesystem::path(path).stem().string();
  std::string flow;
  if (stem.starts_with("FK-14")) flow = "FK-14";
  else if (stem.starts_with("FK-16")) flow = "FK-16";
  else return error("tokucho import", "the file name must start with FK-14 (対象者情報) or FK-16 (処理結果・徴収結果)", 2);
  auto config = premium::TokuchoConfig::load(g.config_path());
  if (!config) return error("tokucho import", config.error().message, 2);
  // The payload of a fixed-length file is its text (docs/linkage.md); a file that is not CP932 is
  // refused here as the folder channel would quarantine it.
  auto payload = premium::tokucho::payload_of(buf.str());
  if (!payload) return error("tokucho import", fmt::format("{}: not CP932 text: {}", name, payload.error().message), 1);
  auto db = open_migrated(g, "tokucho import", 2);
  if (!db) return 2;
  const SystemClock clock;
  static const std::regex kReply(R"(_re-([A-Za-z0-9\-]+))");
  std::smatch m;
  const std::string in_reply_to = std::regex_search(stem, m, kReply) ? m[1].str() : "";
  linkage::InboundMessage msg{flow, "kokuhoren", *payload, "text/plain", std::nullopt, in_reply_to, {},
                              fmt::format("file {} from kokuhoren", name), "cli:tokucho-import"};
  const auto handlers = premium::tokucho_inbound_handlers(clock, *config);
  const auto start = std::chrono::steady_clock::now();
  auto r = linkage::receive_inbound(*db, clock, msg, handlers.at(flow));
  if (!r) return error("tokucho import", r.error().message, 2);
  if (auto rec = premium::tokucho::record_rejected_files(*db, clock, *config); !rec)
    return error("tokucho import", rec.error().message, 2);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << fmt::format("{}: {} (exchange {}) in {:.2f} s", name, linkage::to_string(r->outcome), r->exchange_id, seconds);
  (void)db->with_connection([&](store::Connection& c) -> Result<void> {
    auto files = premium::tokucho::list_files(c, "", 50);
    if (!files) return {};
    for (const auto& f : *files) {
      if (f.exchange_id != r->exchange_id) continue;
      std::cout << fmt::format("; {} {} records, applied {}", f.kind, f.records, f.applied);
      for (const auto& e : f.errors)
        std::cout << fmt::format("\n  {}, {}: {}", e.record_no == 0 ? "管理領域" : fmt::format("レコード{}", e.record_no),
                                 e.field, e.message);
    }
    return {};
  });
  std::cout << "\n";
  const bool refused = r->outcome == linkage::InboundOutcome::rejected || r->outcome == linkage::InboundOutcome::already_rejected;
  if (refused && !r->reason.empty()) std::cout << r->reason << "\n";
  return refused ? 1 : 0;
}

int send_requests(const GlobalOptions& g, int fiscal_year, const std::string& actor) {
  auto config = premium::TokuchoConfig::load(g.config_path());
  if (!config) return error("tokucho send-requests", config.error().message, 2);
  auto db = open_migrated(g, "tokucho send-requests", 2);
  if (!db) return 2;
  const SystemClock clock;
  const int fy = default_year(fiscal_year, clock);
  auto sent = premium::tokucho::send_requests(*db, clock, *config, fy, actor);
  if (!sent) return error("tokucho send-requests", sent.error().message, sent.error().kind == ErrorKind::conflict ? 1 : 2);
  if (!sent->exchange_id) {
    std::cout << fmt::format("FK-15 {}年度: nothing planned waits to be requested\n", fy);
    return 0;
  }
  std::cout << fmt::format("FK-15 {}年度: {} persons queued as exchange {} ({})\n", fy, sent->persons, *sent->exchange_id,
                           sent->correlation_id);
  if (!sent->substituted.empty()) {
    std::string chars;
    for (char32_t ch : sent->substituted) chars += " " + cp932::code_point_name(ch);
    std::cout << fmt::format("  {} characters with no CP932 code written as 〓:{}\n", sent->substituted.size(), chars);
  }
  return 0;
}

void progress(const premium::tokucho::PlanProgress& p) {
  const int width = 30;
  const int filled = p.total > 0 ? static_cast<int>(std::min<std::int64_t>(width, p.done * width / p.total)) : width;
  const std::int64_t pct = p.total > 0 ? std::min<std::int64_t>(100, p.done * 100 / p.total) : 100;
  std::cerr << fmt::format("\r[{}{}] {:>3}% {}/{}", std::string(static_cast<size_t>(filled), '#'),
                           std::string(static_cast<size_t>(width - filled), '.'), pct, p.done, p.total)
            << std::flush;
}

int plan_collection(const GlobalOptions& g, int fiscal_year, int chunk, const std::string& actor) {
  auto config = premium::TokuchoConfig::load(g.config_path());
  if (!config) return error("premium plan-collection", config.error().message, 2);
  auto db = open_migrated(g, "premium plan-collection", 2);
  if (!db) return 2;
  const SystemClock clock;
  premium::tokucho::PlanOptions o;
  o.fiscal_year = default_year(fiscal_year, clock);
  o.actor = actor;
  o.chunk = chunk;
  o.on_progress = progress;
  const auto start = std::chrono::steady_clock::now();
  auto run = premium::tokucho::plan_collection(*db, clock, *config, o);
  std::cerr << "\n";
  if (!run) return error("premium plan-collection", run.error().message, run.error().kind == ErrorKind::conflict ? 1 : 2);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << fmt::format(
      "徴収計画 {}年度: run {} {} — {} persons; this time {} changed ({} special, {} ordinary), {} unchanged, in {:.1f} s\n",
      o.fiscal_year, run->batch_run_id, run->status, run->done_count, run->changed, run->special, run->ordinary, run->unchanged,
      seconds);
  return 0;
}

void setup(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("tokucho", "特別徴収: the 国保連's files in (FK-14, FK-16), requests out (FK-15)");
  cmd->require_subcommand(1);
  static int fiscal_year = 0, chunk = 5000;
  static std::string actor = "cli:tokucho", path;
  auto* im = cmd->add_subcommand("import", "take one FK-14 or FK-16 file in as the folder channel would");
  im->add_option("FILE", path, "a 特別徴収 file (CP932, 96 + n × 500 bytes; docs/tokucho-layout.md) named FK-14_… or FK-16_…")
      ->required();
  im->callback([&g, &exit_code] { exit_code = import_file(g, path); });
  auto* rq = cmd->add_subcommand("send-requests", "queue the FK-15 file of every special instalment planned and not yet requested");
  rq->add_option("--fiscal-year", fiscal_year, "fiscal year (default: the current one)");
  rq->add_option("--actor", actor, "who sends (recorded on the exchange)")->capture_default_str();
  rq->callback([&g, &exit_code] { exit_code = send_requests(g, fiscal_year, actor); });

  // `kaigo premium` is a group several files add to (cli/command.hpp).
  CLI::App* premium = group(app, "premium", "賦課: premium table, assessments, what-if");
  auto* pc = premium->add_subcommand("plan-collection",
                                     "徴収計画: the special/ordinary instalments of every current assessment (resumable)");
  pc->add_option("--fiscal-year", fiscal_year, "fiscal year (default: the current one)");
  pc->add_option("--chunk", chunk, "persons per transaction")->capture_default_str();
  pc->add_option("--actor", actor, "who runs it")->capture_default_str();
  pc->callback([&g, &exit_code] { exit_code = plan_collection(g, fiscal_year, chunk, actor); });
}

}  // namespace

KAIGO_COMMAND("tokucho", setup);

}  // namespace kaigo::cli

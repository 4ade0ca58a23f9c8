// kaigo premium table | assess | simulate, and kaigo batch premium-annual | premium-revisions
// (docs/premium-assessment.md). The tables are read from <config>/rules/premium and validated
// first: a bad table stops the command before anything is computed.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "people/city_profile.hpp"
#include "premium/assessment.hpp"
#include "premium/premium_notice.hpp"
#include "premium/premium_table_text.hpp"
#include "premium/simulation.hpp"

namespace kaigo::cli {
namespace {

std::optional<std::vector<premium::PremiumTable>> tables_or_report(const GlobalOptions& g, const std::string& command) {
  auto tables = premium::load_premium_tables(g.config_path() + "/rules/premium");
  if (!tables) {
    std::cerr << fmt::format("kaigo {}: {}\n", command, tables.error().message);
    return std::nullopt;
  }
  return std::move(*tables);
}

// The validated tables and the migrated database every premium command needs.
struct Opened {
  std::vector<premium::PremiumTable> tables;
  std::unique_ptr<store::Database> db;
};
std::optional<Opened> open_for(const GlobalOptions& g, const std::string& command) {
  auto tables = tables_or_report(g, command);
  if (!tables) return std::nullopt;
  auto db = open_migrated(g, command, 1);
  if (!db) return std::nullopt;
  return Opened{std::move(*tables), std::move(db)};
}

int default_fiscal_year(int given) { return given > 0 ? given : SystemClock().today().fiscal_year(); }


int show_table(const GlobalOptions& g, int fiscal_year) {
  auto tables = tables_or_report(g, "premium table");
  if (!tables) return 2;
  const int fy = default_fiscal_year(fiscal_year);
  const premium::PremiumTable* t = premium::table_for(*tables, fy);
  const premium::PremiumTableVersion* v = t ? t->version_on(Date(fy, 4, 1)) : nullptr;
  if (!v) {
    std::cerr << fmt::format("kaigo premium table: no table covers fiscal year {}\n", fy);
    return 1;
  }
  std::cout << fmt::format("{} — {}年度 (version from {}, file {})\n基準額 {}円/年\n", t->name, fy, v->effective_from.iso(),
                           t->source.string(), premium::with_commas(v->base_amount));
  for (const auto& s : v->stages) {
    const Ratio applied = v->apply_reduced_ratio && s.reduced_ratio ? *s.reduced_ratio : s.ratio;
    std::cout << fmt::format("  {:<8} 割合 {:<6} 年額 {:>9}円{}\n", s.label, applied.decimal(),
                             premium::with_commas(applied.of(Yen(v->base_amount), v->annual_rounding).value),
                             s.reduced_ratio && v->apply_reduced_ratio ? fmt::format(" (軽減前 {})", s.ratio.decimal()) : "");
  }
  return 0;
}

int assess(const GlobalOptions& g, const std::string& person_id, int fiscal_year, const std::string& actor) {
  auto opened = open_for(g, "premium assess");
  if (!opened) return 2;
  const auto* tables = &opened->tables;
  auto& db = opened->db;
  SystemClock clock;
  auto outcome = premium::assess_person(*db, clock, *tables, person_id, default_fiscal_year(fiscal_year),
                                        premium::kCauseStaff, actor);
  if (!outcome) {
    std::cerr << fmt::format("kaigo premium assess: {}\n", outcome.error().message);
    return 1;
  }
  if (!outcome->assessment) {
    std::cout << "not insured (category 1) in that fiscal year: nothing to assess\n";
    return 0;
  }
  const auto& a = *outcome->assessment;
  const char* what = outcome->kind == premium::AssessOutcome::Kind::created   ? "created"
                     : outcome->kind == premium::AssessOutcome::Kind::revised ? "revised"
                                                                              : "unchanged";
  std::cout << fmt::format("{}: {}年度 revision {} {} {}か月 {}円\n", what, a.fiscal_year, a.revision, a.stage_label,
                           a.months, premium::with_commas(a.amount));
  return 0;
}

// A one-line progress bar on stderr, redrawn after each chunk.
void draw(const premium::AssessmentRunProgress& p) {
  const std::int64_t total = p.total > 0 ? p.total : 1;
  const int width = 30;
  const int filled = static_cast<int>(std::min<std::int64_t>(width, p.done * width / total));
  std::cerr << fmt::format("\r[{}{}] {:>3}% {}/{}", std::string(filled, '#'), std::string(width - filled, '.'),
                           std::min<std::int64_t>(100, p.done * 100 / total), p.done, p.total)
            << std::flush;
}

int annual(const GlobalOptions& g, int fiscal_year, int chunk, const std::string& actor) {
  auto opened = open_for(g, "batch premium-annual");
  if (!opened) return 2;
  const auto* tables = &opened->tables;
  auto& db = opened->db;
  SystemClock clock;
  const auto start = std::chrono::steady_clock::now();
  premium::AnnualRunOptions o;
  o.fiscal_year = default_fiscal_year(fiscal_year);
  o.actor = actor;
  o.chunk = chunk;
  o.on_progress = draw;
  auto run = premium::run_annual_assessment(*db, clock, *tables, o);
  std::cerr << "\n";
  if (!run) {
    std::cerr << fmt::format("kaigo batch premium-annual: {} (run it again to resume)\n", run.error().message);
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << fmt::format("本算定 {}年度: run {} {}, {} persons; this time {} created, {} revised, {} unchanged in {:.1f} s\n",
                           o.fiscal_year, run->batch_run_id, run->status, run->done_count, run->created, run->revised,
                           run->unchanged, seconds);
  return 0;
}

int revisions(const GlobalOptions& g, const std::string& actor) {
  auto opened = open_for(g, "batch premium-revisions");
  if (!opened) return 2;
  const auto* tables = &opened->tables;
  auto& db = opened->db;
  SystemClock clock;
  auto run = premium::run_revisions(*db, clock, *tables, actor);
  if (!run) {
    std::cerr << fmt::format("kaigo batch premium-revisions: {}\n", run.error().message);
    return 1;
  }
  if (run->batch_run_id == 0) {
    std::cout << "異動賦課: nothing queued (no change since the last run)\n";
    return 0;
  }
  std::cout << fmt::format("異動賦課: run {} — {} queued handled: {} created, {} revised, {} unchanged\n",
                           run->batch_run_id, run->done_count, run->created, run->revised, run->unchanged);
  return 0;
}

int notices(const GlobalOptions& g, int fiscal_year, const std::string& actor) {
  auto tables = tables_or_report(g, "batch premium-notices");
  if (!tables) return 2;
  auto city = people::load_city_profile(g.config_path());
  if (!city) {
    std::cerr << fmt::format("kaigo batch premium-notices: {}\n", city.error().message);
    return 2;
  }
  auto db = open_migrated(g, "batch premium-notices", 1);
  if (!db) return 2;
  SystemClock clock;
  const auto start = std::chrono::steady_clock::now();
  premium::NoticeRunOptions o;
  o.fiscal_year = default_fiscal_year(fiscal_year);
  o.actor = actor;
  o.output_dir = std::filesystem::path(g.data_dir) / "print";
  auto run = premium::run_premium_notices(*db, clock, *city, *tables, o);
  if (!run) {
    std::cerr << fmt::format("kaigo batch premium-notices: {} (run it again to resume)\n", run.error().message);
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (run->batch_run_id == 0) {
    std::cout << "FK-11: nothing waits to be noticed\n";
    return 0;
  }
  std::cout << fmt::format("FK-11 {}年度: run {} — {} decisions, {} revisions, {} pages in {:.1f} s ({:.0f} pages/s)\n",
                           o.fiscal_year, run->batch_run_id, run->decisions, run->revisions, run->pages, seconds,
                           seconds > 0 ? static_cast<double>(run->pages) / seconds : 0.0);
  for (const auto& f : run->files) std::cout << "  " << f << "\n";
  return 0;
}

void print_tally(const premium::TableTally& now, const premium::TableTally& next) {
  std::cout << fmt::format("{:<10} {:>8} {:>10} {:>14} | {:>8} {:>10} {:>14}\n", "段階", "人数", "年額", "収入",
                           "人数", "年額", "収入");
  const std::size_t rows = std::max(now.stages.size(), next.stages.size());
  for (std::size_t i = 0; i < rows; ++i) {
    auto cell = [](const std::vector<premium::StageTally>& s, std::size_t i) {
      if (i >= s.size()) return fmt::format("{:>8} {:>10} {:>14}", "", "", "");
      return fmt::format("{:>8} {:>10} {:>14}", s[i].persons, premium::with_commas(s[i].annual_amount), premium::with_commas(s[i].revenue));
    };
    const std::string label = i < next.stages.size() ? next.stages[i].label : now.stages[i].label;
    std::cout << fmt::format("{:<10} {} | {}\n", label, cell(now.stages, i), cell(next.stages, i));
  }
  std::cout << fmt::format("{:<10} {:>8} {:>10} {:>14} | {:>8} {:>10} {:>14}\n", "計", now.persons, "",
                           premium::with_commas(now.revenue), next.persons, "", premium::with_commas(next.revenue));
}

int simulate(const GlobalOptions& g, const std::string& file, int fiscal_year) {
  auto tables = tables_or_report(g, "premium simulate");
  if (!tables) return 2;
  auto proposed = premium::load_premium_table(file);
  if (!proposed) {
    std::cerr << fmt::format("kaigo premium simulate: {}\n", proposed.error().message);
    return 2;
  }
  auto db = open_migrated(g, "premium simulate", 1);
  if (!db) return 2;
  const int fy = default_fiscal_year(fiscal_year);
  auto sim = premium::simulate(*db, fy, *tables, *proposed);
  if (!sim) {
    std::cerr << fmt::format("kaigo premium simulate: {}\n", sim.error().message);
    return 1;
  }
  std::cout << fmt::format("{}年度の第1号被保険者で試算\n現行: {} (基準額 {}円)\n案:   {} (基準額 {}円)\n", fy,
                           sim->current.name, premium::with_commas(sim->current.base_amount), sim->proposed.name,
                           premium::with_commas(sim->proposed.base_amount));
  print_tally(sim->current, sim->proposed);
  return 0;
}

}  // namespace

KAIGO_COMMAND("premium", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* cmd = group(app, "premium", "賦課: premium table, assessments, what-if");
  static int fiscal_year = 0;
  static std::string person_id;
  static std::string actor = "job:premium";
  static std::string table_file;
  auto* table = cmd->add_subcommand("table", "print the premium table in force for a fiscal year");
  table->add_option("--fiscal-year", fiscal_year, "fiscal year (default: the current one)");
  table->callback([&g, &exit_code] { exit_code = show_table(g, fiscal_year); });

  auto* one = cmd->add_subcommand("assess", "assess one person now (a new revision only when the result changes)");
  one->add_option("--person", person_id, "宛名番号")->required();
  one->add_option("--fiscal-year", fiscal_year, "fiscal year (default: the current one)");
  one->add_option("--actor", actor, "who asks (recorded on the assessment)")->capture_default_str();
  one->callback([&g, &exit_code] { exit_code = assess(g, person_id, fiscal_year, actor); });

  auto* sim = cmd->add_subcommand("simulate", "persons and revenue per stage under a proposed table, beside the current");
  sim->add_option("--table", table_file, "the proposed table (JSON, docs/premium-table.md)")->required()->check(CLI::ExistingFile);
  sim->add_option("--fiscal-year", fiscal_year, "the population of this fiscal year (default: the current one)");
  sim->callback([&g, &exit_code] { exit_code = simulate(g, table_file, fiscal_year); });
});

KAIGO_COMMAND("batch", [](CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* cmd = group(app, "batch", "yearly and monthly batch jobs (resumable: run again after a stop)");
  static int fiscal_year = 0;
  static int chunk = 10000;
  static std::string actor = "job:premium";
  auto* annual_cmd = cmd->add_subcommand("premium-annual", "本算定: assess every category-1 insured of a fiscal year");
  annual_cmd->add_option("--fiscal-year", fiscal_year, "fiscal year (default: the current one)");
  annual_cmd->add_option("--chunk", chunk, "persons per transaction")->capture_default_str();
  annual_cmd->add_option("--actor", actor, "who runs it")->capture_default_str();
  annual_cmd->callback([&g, &exit_code] { exit_code = annual(g, fiscal_year, chunk, actor); });
  auto* notice_cmd = cmd->add_subcommand("premium-notices", "FK-11: notice every assessment not noticed yet into print files");
  notice_cmd->add_option("--fiscal-year", fiscal_year, "fiscal year (default: the current one)");
  notice_cmd->add_option("--actor", actor, "who runs it")->capture_default_str();
  notice_cmd->callback([&g, &exit_code] { exit_code = notices(g, fiscal_year, actor); });
  auto* rev = cmd->add_subcommand("premium-revisions", "異動賦課: re-assess everyone a change touched since the last run");
  rev->add_option("--actor", actor, "who runs it")->capture_default_str();
  rev->callback([&g, &exit_code] { exit_code = revisions(g, actor); });
});

}  // namespace kaigo::cli

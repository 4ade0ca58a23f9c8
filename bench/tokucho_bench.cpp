// kaigo_bench_tokucho [N] [TARGETS] [sqlite-file]: 特別徴収 at city scale (docs/tokucho-layout.md).
// Builds the synthetic city of N people (default 1,000,000) with a current FY2026 assessment for
// every insured (not timed), then times, on SQLite and on PostgreSQL when KAIGO_BENCH_PG_URL names an
// empty database:
//   1. FK-14: a target list of TARGETS (default 300,000) old-age pensioners from the pension
//      simulator, received through the inbox: validated whole (layout, counts, totals, codes, every
//      target matched to a person by birth date, sex and kana — no 基礎年金番号 is known yet) and
//      applied (targets, links, persons on the exchange) in one transaction;
//   2. the same file again (recognised by the inbox: nothing changes);
//   3. plan_collection of every current assessment (special for the targets, ordinary for the rest);
//   4. FK-15 for every planned deduction, one file; the simulator's 依頼処理結果 (FK-16) applied;
//   5. one month's 徴収結果 (FK-16) applied.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "core/cp932.hpp"
#include "core/hash.hpp"
#include "linkage/exchange_store.hpp"
#include "people/my_number_vault.hpp"
#include "premium/tokucho_service.hpp"
#include "sim/city_generator.hpp"
#include "sim/kokuhoren/pension_sim.hpp"
#include "store/database.hpp"

namespace {

using namespace kaigo;
namespace tk = kaigo::premium::tokucho;
using Seconds = std::chrono::duration<double>;

double since(std::chrono::steady_clock::time_point t) { return Seconds(std::chrono::steady_clock::now() - t).count(); }

int fail_with(const std::string& where, const Error& e) {
  std::cerr << fmt::format("{}: {}\n", where, e.message);
  return 1;
}

Result<linkage::InboundResult> receive(store::Database& db, const Clock& clock, const premium::TokuchoConfig& config,
                                       const std::string& flow, const std::string& bytes, const std::string& name) {
  auto payload = tk::payload_of(bytes);
  if (!payload) return std::unexpected(payload.error());
  linkage::InboundMessage m{flow, "kokuhoren", std::move(*payload), "text/plain", std::nullopt, "", {},
                            fmt::format("file {} from kokuhoren", name), "bench"};
  return linkage::receive_inbound(db, clock, m,
                                  flow == "FK-14" ? tk::target_list_handler(clock, config) : tk::result_handler(clock, config));
}

int run(const std::string& label, const std::string& url, std::int64_t people, std::int64_t targets) {
  auto db = store::open_database(url, 4);
  if (!db) return fail_with(label, db.error());
  if (auto m = store::migrate(**db); !m) return fail_with(label, m.error());
  auto config = premium::TokuchoConfig::load(KAIGO_SOURCE_CONFIG_DIR);
  if (!config) return fail_with(label, config.error());
  FixedClock clock = FixedClock::at(Date(2026, 5, 20));
  auto existing = (*db)->query("SELECT COUNT(*) FROM person");
  if (!existing) return fail_with(label, existing.error());
  if (existing->front().i64(0) == 0) {
    const people::MyNumberVault vault(random_bytes(32));
    const auto t = std::chrono::steady_clock::now();
    auto city = sim::generate_city(**db, vault, sim::CityOptions{people, 1, Date(2026, 4, 1), "bench"});
    if (!city) return fail_with(label, city.error());
    auto a = (*db)->exec(
        "INSERT INTO premium_assessment (person_id, fiscal_year, revision, is_current, insured_no, base_date, stage, "
        "stage_label, ratio, reduced, annual_amount, months, amount, previous_amount, table_name, table_sha256, "
        "table_effective_from, inputs, explanation, cause, assessed_at, assessed_by) SELECT person_id, 2026, 0, 1, "
        "insured_no, '2026-04-01', 5, '第5段階', '1/1', 0, 74400, 12, 74400, 0, 'bench', 'x', '2026-04-01', '{}', '[]', "
        "'annual', 'x', 'bench' FROM insured_number");
    if (!a) return fail_with(label, a.error());
    std::cout << fmt::format("{}: city of {} people, {} assessments ({:.1f} s, not timed)\n", label, people, *a, since(t));
  }
  sim::kokuhoren::PensionSim pension(**db, config->layouts, nullptr, {});

  // 1. FK-14
  auto t = std::chrono::steady_clock::now();
  auto list = pension.target_list(2026, premium::YearMonth{2025, 10}, Date(2026, 5, 15), targets);
  if (!list) return fail_with(label, list.error());
  const double make = since(t);
  std::int64_t records = 0;
  for (std::size_t at = 96; at < list->size(); at += 500) records += (*list)[at] == '2';
  t = std::chrono::steady_clock::now();
  double validate = 0;
  {
    auto payload = tk::payload_of(*list);
    if (!payload) return fail_with(label, payload.error());
    auto v = (*db)->with_connection([&](store::Connection& c) -> Result<void> {
      auto checked = tk::validate_inbound(c, *config, "FK-14", *payload);
      if (!checked.errors.empty()) return std::unexpected(tk::to_error(checked.errors, checked.truncated));
      return {};
    });
    if (!v) return fail_with(label, v.error());
    validate = since(t);
  }
  t = std::chrono::steady_clock::now();
  auto in = receive(**db, clock, *config, "FK-14", *list, "FK-14_bench.txt");
  if (!in) return fail_with(label, in.error());
  const double applied = since(t);
  if (in->outcome != linkage::InboundOutcome::applied) return fail_with(label, Error{ErrorKind::internal, in->reason, ""});
  std::cout << fmt::format(
      "{}: FK-14 {} targets, {:.1f} MB: made by the simulator {:.1f} s; validated alone (parse + match) {:.1f} s; received "
      "(validate + apply, one transaction) {:.1f} s\n",
      label, records, static_cast<double>(list->size()) / 1e6, make, validate, applied);
  // 2. the same file again
  t = std::chrono::steady_clock::now();
  auto again = receive(**db, clock, *config, "FK-14", *list, "FK-14_bench.txt");
  if (!again) return fail_with(label, again.error());
  std::cout << fmt::format("{}: the same file again: {} in {:.2f} s\n", label, linkage::to_string(again->outcome), since(t));

  // 3. the plan
  t = std::chrono::steady_clock::now();
  tk::PlanOptions o;
  o.fiscal_year = 2026;
  o.actor = "bench";
  o.chunk = 10000;
  auto plan = tk::plan_collection(**db, clock, *config, o);
  if (!plan) return fail_with(label, plan.error());
  std::cout << fmt::format("{}: plan_collection {} persons ({} special, {} ordinary) {:.1f} s\n", label, plan->done_count,
                           plan->special, plan->ordinary, since(t));
  // 4. FK-15 and its 依頼処理結果
  t = std::chrono::steady_clock::now();
  auto sent = tk::send_requests(**db, clock, *config, 2026, "bench");
  if (!sent) return fail_with(label, sent.error());
  const double request = since(t);
  auto exchange = (*db)->query("SELECT payload FROM exchange WHERE exchange_id = $1", {*sent->exchange_id});
  if (!exchange) return fail_with(label, exchange.error());
  auto request_bytes = cp932::encode(exchange->front().str(0));
  if (!request_bytes) return fail_with(label, request_bytes.error());
  auto answer = pension.answer_request(*request_bytes, Date(2026, 5, 21));
  if (!answer) return fail_with(label, answer.error());
  t = std::chrono::steady_clock::now();
  auto result = receive(**db, clock, *config, "FK-16", *answer, "FK-16_result_bench.txt");
  if (!result) return fail_with(label, result.error());
  if (result->outcome != linkage::InboundOutcome::applied) return fail_with(label, Error{ErrorKind::internal, result->reason, ""});
  std::cout << fmt::format("{}: FK-15 {} persons written and queued {:.1f} s; FK-16 依頼処理結果 applied {:.1f} s\n", label,
                           sent->persons, request, since(t));
  // 5. a month's deductions
  auto june = pension.deduction_results(premium::YearMonth{2026, 6}, Date(2026, 6, 20));
  if (!june) return fail_with(label, june.error());
  clock.set(FixedClock::at(Date(2026, 6, 20)).now());
  t = std::chrono::steady_clock::now();
  auto deducted = receive(**db, clock, *config, "FK-16", **june, "FK-16_deduction_202606.txt");
  if (!deducted) return fail_with(label, deducted.error());
  if (deducted->outcome != linkage::InboundOutcome::applied)
    return fail_with(label, Error{ErrorKind::internal, deducted->reason, ""});
  std::cout << fmt::format("{}: FK-16 徴収結果 of June ({} records) applied {:.1f} s\n", label,
                           ((*june)->size() - 96) / 500, since(t));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::cout << std::unitbuf;  // each line as it is measured
  const std::int64_t people = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const std::int64_t targets = argc > 2 ? std::atoll(argv[2]) : 300'000;
  const std::string file = argc > 3 ? argv[3] : "var/bench-tokucho.db";
  if (int rc = run("sqlite", "sqlite:" + file, people, targets); rc != 0) return rc;
  if (const char* pg = std::getenv("KAIGO_BENCH_PG_URL"); pg && *pg)
    if (int rc = run("postgresql", pg, people, targets); rc != 0) return rc;
  return 0;
}

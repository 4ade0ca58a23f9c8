// kaigo_bench_zeimu [N] [sqlite-file]: the tax linkage (FK-01 / FK-02) at city scale.
// Builds the synthetic city of N people (default 1,000,000) and derives its insured register (not
// timed), then times, on SQLite and on PostgreSQL when KAIGO_BENCH_PG_URL names an empty database:
//   1. the city's tax data: an FK-01 asking about every person of the city, answered by the tax
//      office simulator from its ledger (≈ 87% with figures, the under-16s 未申告), and that FK-02
//      validated whole + applied in the inbox transaction — every row new to kaigo;
//   2. the yearly run: FK-01 of everyone needed for FY2026 (the category-1 insured and their
//      households, set-based), and its FK-02 applied with every insured already assessed and 1% of
//      the figures corrected — so the unchanged rows are recognised and the corrected persons and
//      their assessed households are queued for re-assessment;
//   3. the same answer file again (the inbox recognises it).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "eligibility/register.hpp"
#include "linkage/exchange_store.hpp"
#include "people/my_number_vault.hpp"
#include "premium/zeimu_service.hpp"
#include "sim/city_generator.hpp"
#include "sim/zeimu/tax_office_sim.hpp"
#include "store/database.hpp"

namespace {

using namespace kaigo;
namespace pz = kaigo::premium::zeimu;
using Seconds = std::chrono::duration<double>;

double since(std::chrono::steady_clock::time_point t) { return Seconds(std::chrono::steady_clock::now() - t).count(); }

int fail_with(const std::string& where, const Error& e) {
  std::cerr << fmt::format("{}: {}\n", where, e.message);
  return 1;
}

struct FileCounts {
  std::int64_t lines = 0, applied = 0, unchanged = 0, undeclared = 0, queued = 0;
};
FileCounts counts_of(store::Database& db, std::int64_t exchange_id) {
  FileCounts out;
  auto rows = db.query("SELECT lines, applied, unchanged, undeclared, queued FROM zeimu_file WHERE exchange_id = $1",
                       {exchange_id});
  if (rows && !rows->empty())
    out = FileCounts{rows->front().i64(0), rows->front().i64(1), rows->front().i64(2), rows->front().i64(3),
                     rows->front().i64(4)};
  return out;
}

// Receives an answer to `request` (its 処理通番) and reports the time of validate + apply.
Result<double> apply_answer(store::Database& db, const Clock& clock, const std::string& answer, const std::string& correlation,
                            const std::string& label) {
  linkage::InboundMessage m{"FK-02", "zeimu", answer, "text/csv", std::nullopt, correlation, {},
                            fmt::format("file FK-02_{}_re-{}.csv from zeimu", label, correlation), "bench"};
  const auto t = std::chrono::steady_clock::now();
  auto r = linkage::receive_inbound(db, clock, m, pz::tax_file_handler(clock));
  const double s = since(t);
  if (!r) return std::unexpected(r.error());
  if (r->outcome != linkage::InboundOutcome::applied)
    return fail(ErrorKind::invalid_input, fmt::format("{}: {} {}", label, linkage::to_string(r->outcome), r->reason));
  const FileCounts c = counts_of(db, r->exchange_id);
  std::cout << fmt::format("    FK-02 {}: {} rows validated + applied in {:.1f} s ({:.0f} rows/s): {} rows appended, {} unchanged, "
                           "{} 未申告, {} queued for re-assessment\n",
                           label, c.lines, s, static_cast<double>(c.lines) / s, c.applied, c.unchanged, c.undeclared,
                           c.queued);
  return s;
}

int bench(const std::string& url, std::int64_t people, const people::MyNumberVault& vault) {
  auto opened = store::open_database(url, 2);
  if (!opened) return fail_with(url, opened.error());
  store::Database& db = **opened;
  if (auto m = store::migrate(db); !m) return fail_with(db.describe(), m.error());
  auto existing = sim::count_people(db);
  if (!existing || *existing > 0) {
    std::cerr << fmt::format("{}: needs an empty database\n", db.describe());
    return 1;
  }
  const FixedClock clock = FixedClock::at(Date(2026, 6, 20));
  auto t = std::chrono::steady_clock::now();
  auto city = sim::generate_city(db, vault, sim::CityOptions{people, 1, Date(2026, 4, 1), "bench"});
  if (!city) return fail_with(db.describe(), city.error());
  auto registered = eligibility::register_initial_residents(
      db, clock, eligibility::ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "bench", "初期登録 (模擬都市)"});
  if (!registered) return fail_with("register", registered.error());
  std::cout << fmt::format("{}: city of {} people ({} tax rows in the ledger) built and registered in {:.1f} s (not measured)\n",
                           db.describe(), city->people, city->tax_rows, since(t));
  sim::zeimu::TaxOfficeSim office(db, nullptr, 7, sim::zeimu::TaxOfficeOptions{Date(2026, 6, 20), 0});

  // 1. The city's tax data: everyone.
  std::vector<pz::RequestRow> everyone;
  auto listed = db.with_connection([&](store::Connection& c) -> Result<void> {
    return c.query_each("SELECT person_id FROM person ORDER BY person_id", {}, [&](const store::Row& r) {
      everyone.push_back(pz::RequestRow{0, r.str(0), 2025});
      return true;
    });
  });
  if (!listed) return fail_with("persons", listed.error());
  const std::string all_request = pz::write_request_file(everyone);
  std::string correlation;
  auto queued = db.transaction([&](store::Connection& c) -> Result<void> {
    auto r = linkage::enqueue_outbound(c, clock,
                                       linkage::OutboundMessage{"FK-01", "zeimu", all_request, "text/csv", {},
                                                                "地方税情報の照会 (FK-01) bench: everyone", "bench", std::nullopt});
    if (!r) return std::unexpected(r.error());
    correlation = r->correlation_id;
    return {};
  });
  if (!queued) return fail_with("FK-01 everyone", queued.error());
  t = std::chrono::steady_clock::now();
  auto all_answer = office.answer_request(all_request);
  if (!all_answer) return fail_with("simulator", all_answer.error());
  std::cout << fmt::format("  1. the city's tax data ({} persons asked; the simulator answered {:.1f} MB in {:.1f} s, not measured)\n",
                           everyone.size(), all_answer->size() / 1e6, since(t));
  auto full = apply_answer(db, clock, *all_answer, correlation, "everyone");
  if (!full) return fail_with("FK-02 everyone", full.error());

  // 2. The yearly run, with every insured assessed and 1% of the figures corrected.
  auto assessed = db.exec(
      "INSERT INTO premium_assessment (person_id, fiscal_year, revision, is_current, insured_no, base_date, stage, "
      "stage_label, ratio, reduced, annual_amount, months, amount, previous_amount, table_name, table_sha256, "
      "table_effective_from, inputs, explanation, cause, batch_run_id, assessed_at, assessed_by) "
      "SELECT DISTINCT e.person_id, 2026, 0, 1, COALESCE(n.insured_no, ''), '2026-04-01', 5, '第5段階', '1/1', 0, 74000, "
      "12, 74000, 0, 'bench', 'x', '2026-04-01', '{}', '[]', 'annual', CAST(NULL AS BIGINT), '2026-07-01T09:00:00+09:00', 'bench' "
      "FROM eligibility_period e LEFT JOIN insured_number n ON n.person_id = e.person_id WHERE e.category = '1' "
      "AND e.acquired_on < '2027-04-01' AND (e.lost_on IS NULL OR e.lost_on > '2026-04-01')");
  if (!assessed) return fail_with("assessments", assessed.error());
  t = std::chrono::steady_clock::now();
  auto yearly = pz::request_yearly(db, clock, 2026, "bench");
  if (!yearly) return fail_with("FK-01 yearly", yearly.error());
  std::cout << fmt::format("  2. the yearly run ({} insured assessed): FK-01 of everyone needed, {} persons, made in {:.1f} s\n",
                           *assessed, yearly->persons, since(t));
  auto request_payload = db.query("SELECT payload FROM exchange WHERE exchange_id = $1", {yearly->exchange_id});
  if (!request_payload) return fail_with("request", request_payload.error());
  auto answer = office.answer_request(request_payload->front().str(0));
  if (!answer) return fail_with("simulator", answer.error());
  auto parsed = pz::parse_answer_file(*answer);
  if (!parsed.rows) return fail_with("answer", pz::to_error(parsed.errors));
  std::size_t n = 0;
  for (auto& r : *parsed.rows)
    if (r.kind != pz::RowKind::undeclared && n++ % 100 == 0) {
      r.kind = pz::RowKind::revision;
      r.figures.salary_income += 100000;
      r.figures.total_income += 100000;
    }
  const std::string corrected = pz::write_answer_file(*parsed.rows);
  auto second = apply_answer(db, clock, corrected, yearly->correlation_id, "yearly");
  if (!second) return fail_with("FK-02 yearly", second.error());

  // 3. The same file again.
  linkage::InboundMessage again{"FK-02", "zeimu", corrected, "text/csv", std::nullopt, yearly->correlation_id, {},
                                "file FK-02_again.csv from zeimu", "bench"};
  t = std::chrono::steady_clock::now();
  auto dup = linkage::receive_inbound(db, clock, again, pz::tax_file_handler(clock));
  if (!dup) return fail_with("again", dup.error());
  std::cout << fmt::format("  3. the same answer again: {} in {:.3f} s\n", linkage::to_string(dup->outcome), since(t));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t people = 1'000'000;
  try {
    if (argc > 1) people = std::stoll(argv[1]);
  } catch (const std::exception&) {
    std::cerr << "usage: kaigo_bench_zeimu [N] [sqlite-file]\n";
    return 2;
  }
  const std::string file = argc > 2 ? argv[2]
                                    : (std::filesystem::temp_directory_path() / fmt::format("kaigo-bench-zeimu-{}.db", people)).string();
  for (const auto& suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
  const people::MyNumberVault vault(random_bytes(32));
  int rc = bench("sqlite:" + file, people, vault);
  if (const char* pg = std::getenv("KAIGO_BENCH_PG_URL"); pg && *pg) rc |= bench(pg, people, vault);
  return rc;
}

// kaigo_bench_premium [N] [sqlite-file]: the yearly premium assessment (本算定) at city scale.
// Loads N category-1 insured (default 1,000,000; not timed) in households of two with kaigo's own
// tax rows (as FK-02 brings them), 2.5% on 生活保護 — then times
//   1. the yearly run: every person assessed, inputs and explanation written (chunks of 10,000);
//   2. a plain SQL statement assigning the same stages set-based (no explanation, no history),
//      the floor the run is compared with (ratio reported);
//   3. FK-11 notices: pages per second for 2,000 保険料額決定通知書 from the stored assessments;
// on SQLite, and on PostgreSQL when KAIGO_BENCH_PG_URL names an empty database.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "notice/pdf_writer.hpp"
#include "notice/premium_notice.hpp"
#include "premium/assessment.hpp"
#include "store/database.hpp"

namespace {

using namespace kaigo;
using Seconds = std::chrono::duration<double>;

double since(std::chrono::steady_clock::time_point t) { return Seconds(std::chrono::steady_clock::now() - t).count(); }

int fail_with(const std::string& where, const Error& e) {
  std::cerr << fmt::format("{}: {}\n", where, e.message);
  return 1;
}

// A small deterministic generator (the population only needs spread, not realism).
struct Lcg {
  std::uint64_t s;
  std::uint64_t next() { return s = s * 6364136223846793005ULL + 1442695040888963407ULL; }
  std::int64_t below(std::int64_t n) { return static_cast<std::int64_t>((next() >> 33) % static_cast<std::uint64_t>(n)); }
};

Result<void> load_population(store::Database& db, std::int64_t n) {
  constexpr std::int64_t kChunk = 100000;
  Lcg rng{42};
  for (std::int64_t from = 0; from < n; from += kChunk) {
    const std::int64_t to = std::min(n, from + kChunk);
    auto r = db.transaction([&](store::Connection& c) -> Result<void> {
      auto id = [](std::int64_t i) { return fmt::format("{:010}", i + 1); };
      auto household = [](std::int64_t i) { return fmt::format("H{:09}", i / 2); };
      auto birth = [](std::int64_t i) { return fmt::format("19{}-0{}-1{}", 30 + i % 30, 1 + i % 9, i % 10); };
      std::int64_t i = from;
      auto persons = c.bulk_insert("person", {"person_id", "name_kanji", "name_kana", "birth_date", "sex", "postal_code",
                                              "address", "ward_code", "household_id", "relation", "registry_status",
                                              "status_date", "updated_at"},
                                   [&](store::Params& p) {
                                     if (i == to) return false;
                                     p = {id(i), "試験 太郎", "シケン タロウ", birth(i), std::string(i % 2 ? "2" : "1"),
                                          "2910000", "みどり市中央区本町1-1", "981", household(i),
                                          std::string(i % 2 ? "妻" : "世帯主"), "resident", store::null(),
                                          "2026-01-01T00:00:00+09:00"};
                                     ++i;
                                     return true;
                                   });
      if (!persons) return std::unexpected(persons.error());
      i = from;
      auto history = c.bulk_insert(
          "person_history", {"person_id", "valid_from", "valid_to", "name_kanji", "name_kana", "birth_date", "sex",
                             "postal_code", "address", "ward_code", "household_id", "relation", "registry_status",
                             "reason", "recorded_at", "recorded_by"},
          [&](store::Params& p) {
            if (i == to) return false;
            p = {id(i), birth(i), store::null(), "試験 太郎", "シケン タロウ", birth(i), std::string(i % 2 ? "2" : "1"),
                 "2910000", "みどり市中央区本町1-1", "981", household(i), std::string(i % 2 ? "妻" : "世帯主"),
                 "resident", "birth", "2026-01-01T00:00:00+09:00", "bench"};
            ++i;
            return true;
          });
      if (!history) return std::unexpected(history.error());
      i = from;
      auto periods = c.bulk_insert("eligibility_period", {"person_id", "period_no", "acquired_on", "lost_on", "category",
                                                          "acquisition_reason", "loss_reason", "revision_id"},
                                   [&](store::Params& p) {
                                     if (i == to) return false;
                                     // 2% leave during the year: 月割 in the measure too.
                                     store::Value lost = i % 50 == 0 ? store::Value(std::string("2026-11-03")) : store::null();
                                     p = {id(i), std::int64_t{1}, "2015-04-01", lost, "1", "reaching_65",
                                          i % 50 == 0 ? store::Value(std::string("move_out_domestic")) : store::null(),
                                          std::int64_t{0}};
                                     ++i;
                                     return true;
                                   });
      if (!periods) return std::unexpected(periods.error());
      i = from;
      auto numbers = c.bulk_insert("insured_number", {"insured_no", "person_id", "assigned_on"}, [&](store::Params& p) {
        if (i == to) return false;
        p = {id(i), id(i), "2015-04-01"};
        ++i;
        return true;
      });
      if (!numbers) return std::unexpected(numbers.error());
      i = from;
      auto tax = c.bulk_insert(
          "tax_income", {"person_id", "tax_year", "total_income", "public_pension_income", "taxable_pension_income",
                         "pension_misc_income", "salary_income", "land_sale_special_deduction", "resident_tax_taxed",
                         "taxable_income", "source", "source_exchange_id", "recorded_at", "recorded_by"},
          [&](store::Params& p) {
            if (i == to) return false;
            const std::int64_t pension = rng.below(3000000);
            const std::int64_t misc = std::max<std::int64_t>(0, pension - 1100000);
            const std::int64_t other = rng.below(4) == 0 ? rng.below(8000000) : 0;
            const std::int64_t total = misc + other;
            p = {id(i), std::int64_t{2025}, total, pension, pension, misc, other, std::int64_t{0},
                 std::int64_t{total > 1000000 ? 1 : 0}, std::int64_t{0}, "tax_office", store::null(),
                 "2026-06-01T09:00:00+09:00", "bench"};
            ++i;
            return true;
          });
      if (!tax) return std::unexpected(tax.error());
      i = from;
      auto assistance = c.bulk_insert("public_assistance", {"person_id", "kind", "valid_from", "valid_to", "source",
                                                            "source_exchange_id", "recorded_at", "recorded_by"},
                                      [&](store::Params& p) {
                                        while (i < to && i % 40 != 7) ++i;
                                        if (i >= to) return false;
                                        p = {id(i), "welfare", "2020-04-01", store::null(), "fukushi", store::null(),
                                             "2026-01-01T00:00:00+09:00", "bench"};
                                        ++i;
                                        return true;
                                      });
      if (!assistance) return std::unexpected(assistance.error());
      return {};
    });
    if (!r) return r;
  }
  return {};
}

// The floor: the national table's stages by one statement (FY2026 thresholds, no explanation).
constexpr const char* kPlainSql =
    "INSERT INTO bench_stage (person_id, stage) "
    "SELECT s.person_id, CASE "
    " WHEN s.welfare = 1 THEN 1 "
    " WHEN s.self_taxed = 0 AND s.household_taxed = 0 THEN "
    "   CASE WHEN s.low <= 826500 THEN 1 WHEN s.low <= 1200000 THEN 2 ELSE 3 END "
    " WHEN s.self_taxed = 0 THEN CASE WHEN s.low <= 826500 THEN 4 ELSE 5 END "
    " ELSE CASE WHEN s.total < 1200000 THEN 6 WHEN s.total < 2100000 THEN 7 WHEN s.total < 3200000 THEN 8 "
    "   WHEN s.total < 4200000 THEN 9 WHEN s.total < 5200000 THEN 10 WHEN s.total < 6200000 THEN 11 "
    "   WHEN s.total < 7200000 THEN 12 ELSE 13 END END "
    "FROM (SELECT e.person_id, t.resident_tax_taxed AS self_taxed, t.total_income - t.land_sale_special_deduction AS total, "
    "  t.taxable_pension_income + CASE WHEN t.total_income - t.pension_misc_income - "
    "    CASE WHEN t.salary_income < 100000 THEN t.salary_income ELSE 100000 END > 0 THEN t.total_income - "
    "    t.pension_misc_income - CASE WHEN t.salary_income < 100000 THEN t.salary_income ELSE 100000 END ELSE 0 END AS low, "
    "  CASE WHEN EXISTS (SELECT 1 FROM public_assistance a WHERE a.person_id = e.person_id) THEN 1 ELSE 0 END AS welfare, "
    "  (SELECT MAX(m.resident_tax_taxed) FROM person_history h JOIN person_history hm ON hm.household_id = h.household_id "
    "   JOIN tax_income m ON m.person_id = hm.person_id WHERE h.person_id = e.person_id) AS household_taxed "
    " FROM eligibility_period e JOIN tax_income t ON t.person_id = e.person_id AND t.tax_year = 2025 "
    " WHERE e.category = '1') s";

int bench(const std::string& url, std::int64_t n) {
  auto opened = store::open_database(url, 2);
  if (!opened) return fail_with(url, opened.error());
  store::Database& db = **opened;
  if (auto m = store::migrate(db); !m) return fail_with(db.describe(), m.error());
  auto t = std::chrono::steady_clock::now();
  if (auto loaded = load_population(db, n); !loaded) return fail_with("load", loaded.error());
  std::cout << fmt::format("{}: {} category-1 insured loaded in {:.1f} s (not part of the measure)\n", db.describe(), n,
                           since(t));

  auto tables = premium::load_premium_tables(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/premium");
  if (!tables) return fail_with("tables", tables.error());
  const FixedClock clock = FixedClock::at(Date(2026, 7, 1));
  premium::AnnualRunOptions o;
  o.fiscal_year = 2026;
  o.actor = "bench";
  t = std::chrono::steady_clock::now();
  auto run = premium::run_annual_assessment(db, clock, *tables, o);
  if (!run) return fail_with("annual run", run.error());
  const double ours = since(t);
  std::cout << fmt::format("  本算定: {} persons assessed (inputs + explanation written) in {:.1f} s — {:.0f} persons/s\n",
                           run->done_count, ours, run->done_count / ours)
            << std::flush;

  if (auto c = db.exec("CREATE TABLE bench_stage (person_id TEXT PRIMARY KEY, stage INTEGER)"); !c)
    return fail_with("plain", c.error());
  t = std::chrono::steady_clock::now();
  auto plain = db.transaction([&](store::Connection& c) -> Result<void> {
    auto r = c.exec(kPlainSql);
    if (!r) return std::unexpected(r.error());
    return {};
  });
  if (!plain) return fail_with("plain SQL", plain.error());
  const double floor = since(t);
  auto agree = db.query("SELECT COUNT(*) FROM premium_assessment a JOIN bench_stage b ON b.person_id = a.person_id "
                        "WHERE a.fiscal_year = 2026 AND a.is_current = 1 AND a.stage = b.stage");
  std::cout << fmt::format("  plain SQL stages (no explanation, no history): {:.1f} s; ours / plain = {:.1f}×; "
                           "same stage for {} persons\n",
                           floor, ours / floor, agree ? agree->at(0).i64(0) : -1)
            << std::flush;

  // FK-11 pages per second, from stored assessments.
  auto rows = db.query("SELECT a.person_id, a.insured_no, a.stage_label, a.ratio, a.annual_amount, a.months, a.amount, "
                       "a.explanation FROM premium_assessment a WHERE a.fiscal_year = 2026 ORDER BY a.person_id LIMIT 2000");
  if (!rows) return fail_with("notices", rows.error());
  const auto path = std::filesystem::temp_directory_path() / "kaigo_bench_premium_notices.pdf";
  t = std::chrono::steady_clock::now();
  auto writer = notice::PdfWriter::open(path, {"介護保険料額決定通知書", "FK-11"});
  if (!writer) return fail_with("pdf", writer.error());
  for (const auto& r : *rows) {
    notice::PremiumNoticeData d;
    d.postal_code = "2910000";
    d.address = "神奈川県みどり市中央区本町1-1";
    d.name = "試験 太郎";
    d.name_kana = "シケン タロウ";
    d.insured_no = r.str(1);
    d.insurer_name = "みどり市";
    d.notice_no = "みどり市介保第2026-000001号";
    d.issued_on = Date(2026, 7, 10);
    d.fiscal_year = 2026;
    d.base_date = Date(2026, 4, 1);
    d.stage_label = r.str(2);
    d.ratio = r.str(3);
    d.base_amount = 74700;
    d.annual_amount = r.i64(4);
    d.months = static_cast<int>(r.i64(5));
    d.amount = r.i64(6);
    for (const auto& line : nlohmann::json::parse(r.str(7))) d.explanation.push_back({line["label"], line["text"]});
    auto doc = notice::premium_notice(d);
    if (!doc) return fail_with("notice", doc.error());
    if (auto a = writer->add(*doc); !a) return fail_with("pdf", a.error());
  }
  auto summary = writer->finish();
  if (!summary) return fail_with("pdf", summary.error());
  const double pdf_s = since(t);
  std::cout << fmt::format("  FK-11: {} pages in {:.1f} s — {:.0f} pages/s, {:.1f} KB/page\n", summary->pages, pdf_s,
                           summary->pages / pdf_s, summary->bytes / 1024.0 / std::max(1, summary->pages));
  std::filesystem::remove(path);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t n = argc > 1 ? std::stoll(argv[1]) : 1000000;
  const std::string file = argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / "kaigo_bench_premium.db").string();
  std::filesystem::remove(file);
  if (int rc = bench("sqlite:" + file, n); rc != 0) return rc;
  if (!std::getenv("KAIGO_BENCH_KEEP")) std::filesystem::remove(file);  // kept: for EXPLAIN QUERY PLAN
  if (const char* pg = std::getenv("KAIGO_BENCH_PG_URL")) return bench(pg, n);
  return 0;
}

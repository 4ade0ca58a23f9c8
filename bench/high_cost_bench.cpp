// kaigo_bench_high_cost [N] [sqlite-file]: the monthly 高額介護サービス費 run at city scale.
// Loads (not timed) a city of N people (default 1,000,000) in households of two, built fast like
// premium_bench (bulk loads, a deterministic generator): kaigo's own tax rows of income year 2024
// (the one a May 2026 service month reads), 2.5% on 生活保護, and about 6% recipients with 2–5
// benefit records of May 2026 each (訪問介護, 通所介護, 短期入所, and 福祉用具購入 which does not
// count), 70% of them with a 高額 application. Then times
//   1. the monthly run for 2026-05 (decisions with explanations, KY-17 rows; no print file);
//   2. a second pass with nothing changed (every decision read and compared, nothing written);
//   3. the KY-17 payment file (all rows in one file);
// on SQLite, and on PostgreSQL when KAIGO_BENCH_PG_URL names an empty database.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "benefit/benefit_payment.hpp"
#include "benefit/high_cost.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace {

using namespace kaigo;
using Seconds = std::chrono::duration<double>;

double since(std::chrono::steady_clock::time_point t) { return Seconds(std::chrono::steady_clock::now() - t).count(); }

int fail_with(const std::string& where, const Error& e) {
  std::cerr << fmt::format("{}: {}\n", where, e.message);
  return 1;
}

struct Lcg {
  std::uint64_t s;
  std::uint64_t next() { return s = s * 6364136223846793005ULL + 1442695040888963407ULL; }
  std::int64_t below(std::int64_t n) { return static_cast<std::int64_t>((next() >> 33) % static_cast<std::uint64_t>(n)); }
};

bool recipient(std::int64_t i) { return i % 17 == 3; }  // ≈ 5.9%

Result<void> load_city(store::Database& db, std::int64_t n) {
  constexpr std::int64_t kChunk = 100000;
  Lcg rng{7};
  std::int64_t claim = 0;
  auto ok = db.exec("INSERT INTO benefit_inbound_file (flow_id, exchange_id, sha256, layout_version, status, record_count, "
                    "summary, quarantine_path, received_at) VALUES ('KY-04', NULL, 'bench', 'v1', 'applied', 0, '{}', NULL, "
                    "'2026-06-20T09:00:00+09:00')");
  if (!ok) return std::unexpected(ok.error());
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
            p = {id(i), std::int64_t{2024}, total, pension, pension, misc, other, std::int64_t{0},
                 std::int64_t{total > 1000000 ? 1 : 0}, std::max<std::int64_t>(0, total - 1500000), "tax_office",
                 store::null(), "2025-06-01T09:00:00+09:00", "bench"};
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
      // The recipients' records: 2–5 per person, one 福祉用具購入 (41) in five.
      static const char* kKinds[] = {"11", "15", "21", "41", "11"};
      i = from;
      int left = 0;
      auto records = c.bulk_insert(
          "benefit_record",
          {"claim_no", "person_id", "insured_no", "service_month", "review_month", "office_no", "service_kind",
           "payment_kind", "days", "units", "unit_price_hundredths", "total_cost", "insurance_paid", "copayment",
           "public_paid", "status", "file_id", "line_no", "replaced_by", "recorded_at"},
          [&](store::Params& p) {
            while (left == 0) {
              while (i < to && !recipient(i)) ++i;
              if (i >= to) return false;
              left = 2 + static_cast<int>(rng.below(4));
              ++i;
            }
            --left;
            const std::int64_t copay = 2000 + rng.below(30000);
            p = {fmt::format("K{:012}", ++claim), id(i - 1), id(i - 1), "2026-05", "2026-06", "1410000001",
                 std::string(kKinds[rng.below(5)]), "in_kind", std::int64_t{8}, copay, std::int64_t{1000}, copay * 10,
                 copay * 9, copay, std::int64_t{0}, "current", std::int64_t{1}, claim, store::null(),
                 "2026-06-20T09:00:00+09:00"};
            return true;
          });
      if (!records) return std::unexpected(records.error());
      i = from;
      auto apps = c.bulk_insert("high_cost_application",
                                {"person_id", "received_on", "first_month", "bank_code", "branch_code", "account_kind",
                                 "account_no", "account_holder_kana", "status", "recorded_at", "recorded_by"},
                                [&](store::Params& p) {
                                  while (i < to && !(recipient(i) && i % 10 < 7)) ++i;
                                  if (i >= to) return false;
                                  p = {id(i), "2025-10-01", "2025-09", "0001", "123", "ordinary", "1234567",
                                       "シケン タロウ", "active", "2025-10-01T09:00:00+09:00", "bench"};
                                  ++i;
                                  return true;
                                });
      if (!apps) return std::unexpected(apps.error());
      return {};
    });
    if (!r) return r;
  }
  return {};
}

int bench(const std::string& url, std::int64_t n) {
  auto db = store::open_database(url, 4);
  if (!db) return fail_with("open", db.error());
  auto migrated = store::migrate(**db);
  if (!migrated) return fail_with("migrate", migrated.error());
  benefit::BenefitConfig config;
  auto rules = benefit::load_benefit_rules(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/benefit");
  if (!rules) return fail_with("rules", rules.error());
  config.rules = std::move(*rules);
  // The kinds the city uses here; 41 (特定福祉用具購入費) does not count for 高額 (rules.md §4).
  config.service_kinds = {{"11", "訪問介護", true, true}, {"15", "通所介護", true, true},
                          {"21", "短期入所生活介護", true, true}, {"41", "特定福祉用具購入費", false, false}};
  const FixedClock clock = FixedClock::at(Date(2026, 7, 10));
  std::cout << fmt::format("{}: loading {} people …\n", (*db)->describe(), n) << std::flush;
  auto t0 = std::chrono::steady_clock::now();
  auto loaded = load_city(**db, n);
  if (!loaded) return fail_with("load", loaded.error());
  auto counted = (*db)->query("SELECT COUNT(DISTINCT person_id), COUNT(*) FROM benefit_record");
  if (!counted) return fail_with("count", counted.error());
  std::cout << fmt::format("  loaded in {:.1f} s: {} recipients, {} benefit records\n", since(t0),
                           counted->front().i64(0), counted->front().i64(1));
  // A city's database has planner statistics (PostgreSQL's autovacuum keeps them); a freshly
  // bulk-loaded one has none until autovacuum gets to it, and PostgreSQL then plans the chunk
  // reads as scans of the whole city. Not timed, like the load.
  auto analyzed = (*db)->exec("ANALYZE");
  if (!analyzed) return fail_with("analyze", analyzed.error());

  benefit::HighCostRunOptions o;
  o.month = "2026-05";
  o.actor = "bench";
  o.print_notices = false;
  o.chunk_households = 5000;
  const notice::BenefitIssuer issuer;
  t0 = std::chrono::steady_clock::now();
  auto run = benefit::run_high_cost(**db, clock, config, issuer, o);
  if (!run) return fail_with("run", run.error());
  const double t_run = since(t0);
  std::cout << fmt::format(
      "  monthly run 2026-05: {:.1f} s — {} households, {} persons with co-payments that count ({:.0f} persons/s), "
      "{} decisions ({} held), {} KY-17 rows / {} yen\n",
      t_run, run->households, run->persons, run->persons / t_run, run->decided, run->held, run->paid, run->paid_total);

  t0 = std::chrono::steady_clock::now();
  auto again = benefit::run_high_cost(**db, clock, config, issuer, o);
  if (!again) return fail_with("second pass", again.error());
  const double t_again = since(t0);
  std::cout << fmt::format("  second pass, nothing changed: {:.1f} s ({:.0f} persons/s), {} unchanged, {} written\n", t_again,
                           again->persons / t_again, again->unchanged, again->decided);

  t0 = std::chrono::steady_clock::now();
  auto file = benefit::send_payment_file(**db, clock, "KY-17", "bench");
  if (!file) return fail_with("KY-17", file.error());
  std::cout << fmt::format("  KY-17 payment file: {:.1f} s, {} rows, {} yen\n", since(t0), *file ? (*file)->rows : 0,
                           *file ? (*file)->total : 0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t n = argc > 1 ? std::stoll(argv[1]) : 1000000;
  const std::string file =
      argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / "kaigo_bench_high_cost.db").string();
  std::filesystem::remove(file);
  if (int rc = bench("sqlite:" + file, n); rc != 0) return rc;
  if (!std::getenv("KAIGO_BENCH_KEEP")) std::filesystem::remove(file);
  if (const char* pg = std::getenv("KAIGO_BENCH_PG_URL")) return bench(pg, n);
  return 0;
}

// kaigo_bench_statement [PERSONS]: the KY-24 給付費通知 run at city scale. PERSONS (default 60,000:
// the recipients with benefit records of a city of ~1,000,000 people) each have four current benefit
// records (two service months × two offices), loaded in bulk (not timed); then the period
// 2025-04 … 2025-09 is run in chunks of 1,000: one statement per person, all in one print file.
// On SQLite (a file under the temp dir) and on PostgreSQL when KAIGO_BENCH_PG_URL names an empty
// database. Prints the wall time, the statements and rows, and the print file's size.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <unistd.h>

#include <fmt/format.h>

#include "benefit/codes.hpp"
#include "benefit/statement.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace {

using namespace kaigo;
namespace fs = std::filesystem;

benefit::BenefitConfig make_config() {
  benefit::BenefitConfig b;
  b.service_kinds = {{"11", "訪問介護", true, true}, {"15", "通所介護", true, true}};
  b.offices = {{"1310000011", "訪問介護さくら", "", {"11"}, false}, {"1310000037", "デイサービスみどり", "", {"15"}, false}};
  return b;
}

notice::BenefitIssuer issuer() {
  notice::BenefitIssuer i;
  i.insurer_no = "132011";
  i.insurer_name = "みどり市";
  i.department = "みどり市 健康福祉局 介護保険課 給付係";
  i.address = "みどり市中央区本町1-1-1";
  i.phone = "000-000-0000";
  return i;
}

// PERSONS persons and four current records each, one benefit_inbound_file row they came from.
Result<void> load(store::Database& db, int n) {
  if (auto f = db.exec("INSERT INTO benefit_inbound_file (flow_id, exchange_id, sha256, layout_version, status, record_count, "
                       "summary, quarantine_path, received_at) VALUES ('KY-04', NULL, 'bench', 'v1', 'applied', 0, '{}', NULL, "
                       "'2025-07-10T09:00:00+09:00')");
      !f)
    return std::unexpected(f.error());
  auto id = db.query("SELECT MAX(file_id) FROM benefit_inbound_file");
  if (!id) return std::unexpected(id.error());
  const std::int64_t file_id = id->front().i64(0);
  return db.transaction([&](store::Connection& c) -> Result<void> {
    int i = 0;
    auto p = c.bulk_insert("person", {"person_id", "name_kanji", "name_kana", "birth_date", "sex", "postal_code", "address",
                                      "ward_code", "household_id", "relation", "registry_status", "updated_at"},
                           [&](store::Params& row) {
                             if (i == n) return false;
                             const std::string pid = fmt::format("B{:09}", ++i);
                             row = {pid, "給付 測定", "キュウフ ソクテイ", "1944-04-01", "2", "2910000", "みどり市中央区本町1-1",
                                    "01", "H" + pid, "世帯主", "resident", "2026-01-01T00:00:00Z"};
                             return true;
                           });
    if (!p) return std::unexpected(p.error());
    static const char* months[] = {"2025-05", "2025-06"};
    static const char* offices[] = {"1310000011", "1310000037"};
    static const char* kinds[] = {"11", "15"};
    int k = 0;
    auto records = c.bulk_insert(
        "benefit_record",
        {"claim_no", "person_id", "insured_no", "service_month", "review_month", "office_no", "service_kind", "payment_kind",
         "days", "units", "unit_price_hundredths", "total_cost", "insurance_paid", "copayment", "public_paid", "status",
         "file_id", "line_no", "replaced_by", "recorded_at"},
        [&](store::Params& row) {
          if (k == n * 4) return false;
          const int person = k / 4 + 1, m = (k / 2) % 2, o = k % 2;
          row = {fmt::format("K{}", k), fmt::format("B{:09}", person), fmt::format("{:010}", person), std::string(months[m]),
                 "2025-07", std::string(offices[o]), std::string(kinds[o]), "in_kind", std::int64_t{8}, std::int64_t{4000},
                 std::int64_t{1072}, std::int64_t{42880}, std::int64_t{38592}, std::int64_t{4288}, std::int64_t{0}, "current",
                 file_id, std::int64_t{k + 1}, store::null(), "2025-07-10T09:00:00+09:00"};
          ++k;
          return true;
        });
    if (!records) return std::unexpected(records.error());
    return {};
  });
}

int run(const std::string& label, const std::string& url, int n) {
  auto db = store::open_database(url, 2);
  if (!db) {
    std::cerr << fmt::format("{}: {}\n", label, db.error().message);
    return 1;
  }
  if (auto m = store::migrate(**db); !m) {
    std::cerr << fmt::format("{}: migrate: {}\n", label, m.error().message);
    return 1;
  }
  if (auto l = load(**db, n); !l) {
    std::cerr << fmt::format("{}: load: {}\n", label, l.error().message);
    return 1;
  }
  const fs::path print_dir = fs::temp_directory_path() / fmt::format("kaigo_bench_statement_{}", ::getpid());
  const SystemClock clock;
  const auto config = make_config();
  benefit::StatementRunOptions o;
  o.period = {"2025-04", "2025-09"};
  o.actor = "bench";
  o.print_dir = print_dir;
  o.chunk = 1000;
  const auto started = std::chrono::steady_clock::now();
  auto r = benefit::run_benefit_statements(**db, clock, config, issuer(), o);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!r) {
    std::cerr << fmt::format("{}: run: {}\n", label, r.error().message);
    return 1;
  }
  std::error_code ec;
  const auto bytes = r->print_file.empty() ? 0 : fs::file_size(r->print_file, ec);
  std::cout << fmt::format("{}: KY-24 {} statements, {} rows in {:.1f} s ({:.0f} statements/s), print file {:.1f} MB\n", label,
                           r->statements, r->rows, seconds, static_cast<double>(r->statements) / seconds,
                           static_cast<double>(bytes) / 1e6);
  fs::remove_all(print_dir, ec);
  return r->statements == n ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 60'000;
  const auto sqlite_path = fs::temp_directory_path() / fmt::format("kaigo_bench_statement_{}.db", ::getpid());
  int rc = run("SQLite", "sqlite:" + sqlite_path.string(), n);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(sqlite_path.string() + suffix);
  if (const char* pg = std::getenv("KAIGO_BENCH_PG_URL"); pg && *pg) rc |= run("PostgreSQL", pg, n);
  return rc;
}

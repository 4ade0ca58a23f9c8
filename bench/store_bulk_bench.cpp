// Bulk-load throughput of store::Connection::bulk_insert: N rows (default 1,000,000) of a
// 6-column table in one transaction, on each database URL given.
//
//   store_bulk_bench sqlite:/tmp/bulk.db postgresql://postgres@127.0.0.1:PORT/postgres [--rows N]
//
// The table `bench_bulk` is dropped and re-created in each database. Elapsed wall time is read
// from std::chrono::steady_clock: this measures the machine, not business time.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "store/database.hpp"

namespace {

using kaigo::store::Params;

// One row shaped like the register: an id, a 宛名番号, a name, a birth date, an amount in yen and
// an optional note (NULL on every tenth row).
void fill_row(std::int64_t i, Params& row) {
  row.emplace_back(i);
  row.emplace_back(fmt::format("{:015d}", i));
  row.emplace_back(fmt::format("髙橋 𠮷男{}", i % 997));
  row.emplace_back(fmt::format("19{:02d}-{:02d}-{:02d}", 30 + i % 60, 1 + i % 12, 1 + i % 28));
  row.emplace_back(std::int64_t{i % 100'000 * 10});
  if (i % 10 == 0) row.emplace_back(kaigo::store::null());
  else row.emplace_back(fmt::format("note\t{}\\{}", i, i % 7));
}

int run(const std::string& url, std::int64_t rows) {
  auto db = kaigo::store::open_database(url, 1);
  if (!db) {
    fmt::print(stderr, "{}: {}\n", url, db.error().message);
    return 1;
  }
  auto& d = **db;
  if (auto r = d.exec("DROP TABLE IF EXISTS bench_bulk"); !r) {
    fmt::print(stderr, "{}\n", r.error().message);
    return 1;
  }
  if (auto r = d.exec("CREATE TABLE bench_bulk (id BIGINT PRIMARY KEY, person_id TEXT NOT NULL, name TEXT NOT NULL, "
                      "birth_date TEXT NOT NULL, amount BIGINT NOT NULL, note TEXT)");
      !r) {
    fmt::print(stderr, "{}\n", r.error().message);
    return 1;
  }
  std::int64_t loaded = 0;
  const auto start = std::chrono::steady_clock::now();
  auto r = d.transaction([&](kaigo::store::Connection& c) -> kaigo::Result<void> {
    std::int64_t i = 0;
    auto n = c.bulk_insert("bench_bulk", {"id", "person_id", "name", "birth_date", "amount", "note"}, [&](Params& row) {
      if (i == rows) return false;
      fill_row(i++, row);
      return true;
    });
    if (!n) return std::unexpected(n.error());
    loaded = *n;
    return {};
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!r) {
    fmt::print(stderr, "{}: {}\n", d.describe(), r.error().message);
    return 1;
  }
  fmt::print("{}: {} rows in {:.2f} s ({:.0f} rows/s)\n", d.describe(), loaded, seconds, loaded / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> urls;
  std::int64_t rows = 1'000'000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rows" && i + 1 < argc) rows = std::stoll(argv[++i]);
    else urls.push_back(a);
  }
  if (urls.empty()) {
    fmt::print(stderr, "usage: store_bulk_bench URL... [--rows N]\n");
    return 2;
  }
  int status = 0;
  for (const auto& url : urls) status |= run(url, rows);
  return status;
}

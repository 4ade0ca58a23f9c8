// kaigo_bench_city [N] [sqlite-file]: builds the synthetic city of N people (default 1,000,000)
// into a fresh SQLite file, and into PostgreSQL when KAIGO_BENCH_PG_URL names an empty database
// (it is migrated first; a database that already holds people is refused), and prints the total
// seconds and people per second of each; then the first registration of the insured register
// (register_initial_residents) and a rebuild with nothing new. Exit 0 when every build succeeded.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/hash.hpp"
#include "eligibility/register.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "store/database.hpp"

namespace {

using namespace kaigo;

int bench(const std::string& url, std::int64_t people, const people::MyNumberVault& vault) {
  auto db = store::open_database(url, 1);
  if (!db) {
    std::cerr << fmt::format("{}: {}\n", url, db.error().message);
    return 1;
  }
  if (auto m = store::migrate(**db); !m) {
    std::cerr << fmt::format("{}: {}\n", (*db)->describe(), m.error().message);
    return 1;
  }
  auto existing = sim::count_people(**db);
  if (!existing || *existing > 0) {
    std::cerr << fmt::format("{}: needs an empty database\n", (*db)->describe());
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  auto report = sim::generate_city(**db, vault, sim::CityOptions{people, 1, Date(2026, 4, 1), "bench"});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!report) {
    std::cerr << fmt::format("{}: {}\n", (*db)->describe(), report.error().message);
    return 1;
  }
  std::cout << fmt::format("{}: {} people, {} households in {:.1f} s = {:.0f} people/s\n", (*db)->describe(),
                           report->people, report->households, seconds, static_cast<double>(report->people) / seconds);
  // The insured register of the whole city: a 転入 fact per resident, then the set-based rebuild.
  const FixedClock clock = FixedClock::at(Date(2026, 4, 1));
  const auto reg_start = std::chrono::steady_clock::now();
  auto registered = eligibility::register_initial_residents(
      **db, clock, eligibility::ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "bench", "初期登録"});
  const double reg_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - reg_start).count();
  if (!registered) {
    std::cerr << fmt::format("{}: {}\n", (*db)->describe(), registered.error().message);
    return 1;
  }
  std::cout << fmt::format("{}: register of {} persons ({} insured, {} periods, {} numbers issued) in {:.1f} s = {:.0f} persons/s\n",
                           (*db)->describe(), registered->persons, registered->changed, registered->periods,
                           registered->numbers_issued, reg_seconds, static_cast<double>(registered->persons) / reg_seconds);
  const auto again_start = std::chrono::steady_clock::now();
  auto again = eligibility::rebuild(**db, clock,
                                    eligibility::ChangeSource{"batch", std::nullopt, std::nullopt, "bench", "再計算"});
  const double again_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - again_start).count();
  if (!again) {
    std::cerr << fmt::format("{}: {}\n", (*db)->describe(), again.error().message);
    return 1;
  }
  std::cout << fmt::format("{}: rebuild with nothing new: {} persons, {} changed in {:.1f} s\n", (*db)->describe(),
                           again->persons, again->changed, again_seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t people = 1'000'000;
  if (argc > 1) {
    try {
      people = std::stoll(argv[1]);
    } catch (const std::exception&) {
      std::cerr << "usage: kaigo_bench_city [N] [sqlite-file]\n";
      return 2;
    }
  }
  const std::string file = argc > 2 ? argv[2]
                                    : (std::filesystem::temp_directory_path() / fmt::format("kaigo-bench-city-{}.db", people)).string();
  for (const auto& suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
  // A throw-away key: the benchmark's My Numbers are never read back.
  const people::MyNumberVault vault(random_bytes(32));
  int rc = bench("sqlite:" + file, people, vault);
  if (const char* pg = std::getenv("KAIGO_BENCH_PG_URL"); pg && *pg) rc |= bench(pg, people, vault);
  return rc;
}

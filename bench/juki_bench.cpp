// kaigo_bench_juki [N] [movements] [sqlite-file]: the registry linkage (SK-16) at city scale.
// Builds the synthetic city of N people (default 1,000,000; not timed), exports the registry's
// full load from it, then times
//   1. day one: the persons removed again (clear_city), the full load brings all N in — persons,
//      history, a move_in fact for each resident, and the register derived for everyone;
//   2. a reconciliation: 1% of the persons made to differ (an address), the registry's full load
//      again — parse + validate + stage (the inbox transaction) and the chunked apply;
//   3. one day's difference file of `movements` (default 5,000) from the registry simulator,
//      applied in the inbox transaction;
// on SQLite, and on PostgreSQL when KAIGO_BENCH_PG_URL names an empty database.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "eligibility/juki_service.hpp"
#include "linkage/exchange_store.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "sim/juki/registry_sim.hpp"
#include "store/database.hpp"

namespace {

using namespace kaigo;
using Seconds = std::chrono::duration<double>;

double since(std::chrono::steady_clock::time_point t) { return Seconds(std::chrono::steady_clock::now() - t).count(); }

int fail_with(const std::string& where, const Error& e) {
  std::cerr << fmt::format("{}: {}\n", where, e.message);
  return 1;
}

int bench(const std::string& url, std::int64_t people, int movements, const people::MyNumberVault& vault) {
  auto opened = store::open_database(url, 2);
  if (!opened) return fail_with(url, opened.error());
  store::Database& db = **opened;
  if (auto m = store::migrate(db); !m) return fail_with(db.describe(), m.error());
  auto existing = sim::count_people(db);
  if (!existing || *existing > 0) {
    std::cerr << fmt::format("{}: needs an empty database\n", db.describe());
    return 1;
  }
  auto t = std::chrono::steady_clock::now();
  auto city = sim::generate_city(db, vault, sim::CityOptions{people, 1, Date(2026, 4, 1), "bench"});
  if (!city) return fail_with(db.describe(), city.error());
  std::cout << fmt::format("{}: city of {} people built in {:.1f} s (not part of the measure)\n", db.describe(),
                           city->people, since(t));

  t = std::chrono::steady_clock::now();
  auto file = sim::juki::full_load_file(db);
  if (!file) return fail_with("export", file.error());
  std::cout << fmt::format("  registry export (simulator): {:.1f} MB in {:.1f} s\n", file->size() / 1e6, since(t));
  const FixedClock clock = FixedClock::at(Date(2026, 4, 2));
  const auto handler = eligibility::juki::registry_file_handler(clock);

  // 1. Day one: kaigo knows nobody yet.
  if (auto cleared = sim::clear_city(db); !cleared) return fail_with("clear", cleared.error());
  linkage::InboundMessage first{"SK-16", "juki", *file, "text/csv", std::nullopt, "", {},
                                "file SK-16_full_20260331.csv from juki", "bench"};
  t = std::chrono::steady_clock::now();
  auto day_one = linkage::receive_inbound(db, clock, first, handler);
  if (!day_one || day_one->outcome != linkage::InboundOutcome::applied)
    return fail_with("day one", day_one ? Error{ErrorKind::invalid_input, day_one->reason, ""} : day_one.error());
  const double staged_one = since(t);
  auto added = eligibility::juki::apply_staged_full_loads(db, clock);
  if (!added) return fail_with("day one apply", added.error());
  const double total_one = since(t);
  std::cout << fmt::format(
      "  day one, full load of {} new persons: {:.1f} s (parse + stage {:.1f} s, apply + derive {:.1f} s in {} chunks): "
      "{} added\n",
      city->people, total_one, staged_one, total_one - staged_one, added->chunks, added->persons_added);

  // 2. A reconciliation: 1% of the persons differ from the registry (an address).
  if (auto u = db.exec("UPDATE person SET address = address || '（旧）' WHERE person_id LIKE '%00'"); !u)
    return fail_with("prepare", u.error());
  // (a blank line at the end: the same registry state as another file, not the same file again)
  linkage::InboundMessage full{"SK-16", "juki", *file + "\n", "text/csv", std::nullopt, "", {},
                               "file SK-16_full_20260401.csv from juki", "bench"};
  t = std::chrono::steady_clock::now();
  auto received = linkage::receive_inbound(db, clock, full, handler);
  if (!received) return fail_with("full load", received.error());
  if (received->outcome != linkage::InboundOutcome::applied) {
    std::cerr << "full load refused: " << received->reason << "\n";
    return 1;
  }
  const double staged = since(t);
  auto applied = eligibility::juki::apply_staged_full_loads(db, clock);
  if (!applied) return fail_with("full load apply", applied.error());
  const double total = since(t);
  std::cout << fmt::format(
      "  reconciliation, full load of {} persons: {:.1f} s (parse + stage {:.1f} s, apply {:.1f} s in {} chunks): {} changed, {} added, "
      "{} unchanged, {} missing\n",
      city->people, total, staged, total - staged, applied->chunks, applied->persons_changed, applied->persons_added,
      applied->persons_unchanged, applied->persons_missing);

  sim::juki::RegistrySim registry(db, nullptr, 7, sim::juki::RegistryOptions{Date(2026, 4, 2), movements});
  auto day = registry.next_day();
  if (!day) return fail_with("simulator", day.error());
  linkage::InboundMessage diff{"SK-16", "juki", eligibility::juki::write_diff_file(*day), "text/csv", std::nullopt, "", {},
                               "file SK-16_diff_20260402.csv from juki", "bench"};
  t = std::chrono::steady_clock::now();
  auto d = linkage::receive_inbound(db, clock, diff, handler);
  if (!d) return fail_with("diff", d.error());
  const double diff_s = since(t);
  std::optional<eligibility::juki::Load> load;
  (void)db.with_connection([&](store::Connection& c) -> Result<void> {
    auto l = eligibility::juki::find_load_by_exchange(c, d->exchange_id);
    if (l && *l) load = **l;
    return {};
  });
  std::cout << fmt::format("  difference of {} movements: {:.1f} s = {:.0f} movements/s ({}; applied {}, quarantined {})\n",
                           day->size(), diff_s, static_cast<double>(day->size()) / diff_s,
                           linkage::to_string(d->outcome), load ? load->applied : -1, load ? load->quarantined : -1);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t people = 1'000'000;
  int movements = 5'000;
  try {
    if (argc > 1) people = std::stoll(argv[1]);
    if (argc > 2) movements = std::stoi(argv[2]);
  } catch (const std::exception&) {
    std::cerr << "usage: kaigo_bench_juki [N] [movements] [sqlite-file]\n";
    return 2;
  }
  const std::string file = argc > 3 ? argv[3]
                                    : (std::filesystem::temp_directory_path() / fmt::format("kaigo-bench-juki-{}.db", people)).string();
  for (const auto& suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
  const people::MyNumberVault vault(random_bytes(32));
  int rc = bench("sqlite:" + file, people, movements, vault);
  if (const char* pg = std::getenv("KAIGO_BENCH_PG_URL"); pg && *pg) rc |= bench(pg, people, movements, vault);
  return rc;
}

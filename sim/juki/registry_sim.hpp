#pragma once
// The resident registry (住民基本台帳, counterpart juki) as a simulator, playing the city's 住基
// system against kaigo (docs/juki-layout.md, docs/simulator.md):
//  * full_load_file(): the registry's full export from the person table (what a city's registry
//    would send on day one);
//  * advance(days): lives that many simulated days — births, deaths (older people more likely),
//    moves in (new persons with the registry's own 宛名番号, some 64–66 so 65th birthdays fall in
//    the window), moves out (domestic, with the new city's 転入日; abroad), relocations, name and
//    household changes — and posts one SK-16 difference file per day with movements, to the juki
//    SimulatorChannel or into a folder channel's in/;
//  * answers SK-02 requests with an SK-03 from its own view of the registry; accepts SK-18 files.
// Deterministic from the seed, the start date and the database's people. 65th birthdays need no
// movement: the register derives them from the birth date, and the simulated dates move on.
//
// Thread-safety: advance() and the channel handler share state under a mutex.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "eligibility/juki_file.hpp"
#include "linkage/simulator_channel.hpp"
#include "sim/prng.hpp"
#include "store/database.hpp"

namespace kaigo::sim::juki {

struct RegistryOptions {
  // The first simulated day; none: the day after the latest movement kaigo applied, else 2026-04-01
  // (the synthetic city's base date).
  std::optional<Date> start;
  // 0: movements at the rates of a Japanese city (births 7‰, deaths 11‰ a year, moves ≈ 4% each
  // way, relocations 5%); else exactly this many movements every day (benchmarks).
  int daily_movements = 0;
};

struct AdvanceSummary {
  Date from, to;  // the simulated days lived, inclusive
  std::map<std::string, int> counts;  // by movement kind code
  int files = 0;
  std::string text() const;
};

class RegistrySim {
 public:
  // Posts difference files to `channel` (the juki SimulatorChannel); registers its SK-02/SK-18
  // handler there too. `channel` may be null when files go to a folder (see below).
  RegistrySim(store::Database& db, linkage::SimulatorChannel* channel, std::uint64_t seed,
              RegistryOptions options = {});
  // Writes difference files into `<folder_dir>/in/` (a folder channel), atomically (tmp + rename).
  void write_to_folder(std::filesystem::path folder_dir);

  // Lives `days` (1..366) simulated days; one file per day with movements. Returns a summary line.
  Result<std::string> advance(int days);
  Result<AdvanceSummary> advance_days(int days);

  // The movements of the next simulated day, without sending them (benchmarks, tests).
  Result<std::vector<eligibility::juki::Movement>> next_day();
  Date today() const;  // the next day advance() will live

  // SK-02 → SK-03: the registry's answer about one person (JSON), from its view of the register.
  Result<std::string> answer_inquiry(const std::string& request_json);
  // SK-18 files received (the payloads, oldest first).
  std::vector<std::string> eligibility_files() const;

 private:
  struct Resident {
    std::string person_id;
    Date birth;
    char sex = '1';
  };
  Result<void> ensure_loaded();
  Result<std::optional<eligibility::juki::RegistryPerson>> current(const std::string& person_id);
  Result<void> deliver(const std::string& name, const std::string& csv);
  std::string new_person_id();
  std::string new_household_id();
  std::optional<std::size_t> pick_resident(const std::function<bool(const Resident&)>& accept);
  eligibility::juki::RegistryPerson newcomer(Date birth, char sex, const std::string& household_id,
                                             const std::string& family_kanji, const std::string& family_kana,
                                             const std::string& relation);

  store::Database& db_;
  linkage::SimulatorChannel* channel_;
  std::optional<std::filesystem::path> folder_;
  Prng prng_;
  RegistryOptions options_;
  mutable std::mutex mutex_;
  bool loaded_ = false;
  Date day_;
  std::vector<Resident> residents_;              // the registry's residents (swap-removed when they leave)
  std::map<std::string, std::size_t> index_;     // person_id → index in residents_
  std::map<std::string, eligibility::juki::RegistryPerson> changed_;  // persons the simulator changed
  std::map<std::string, std::string> status_;    // person_id → moved_out / deceased (left the registry)
  std::uint64_t next_person_ = 0, next_household_ = 0, next_movement_ = 1;
  std::vector<std::string> sk18_;
};

// The registry's full export (全件) of every person in the table (住登外 persons excluded): status
// 1 住民 / 2 転出 / 3 死亡, with 住民区分異動日 = the status date, or the move-in day, or the birth date.
Result<std::string> full_load_file(store::Database& db);

}  // namespace kaigo::sim::juki

#pragma once
// The city's tax system (本市税務システム, counterpart zeimu) as a simulator, playing the tax office
// against kaigo (docs/zeimu-layout.md, docs/simulator.md):
//  * its LEDGER is the tax_income rows with source 'synthetic_city' (written by `kaigo demo` / the
//    city generator); the latest recorded row of a person and income year is what it holds. kaigo's
//    own knowledge is the rows with other sources — the ledger is never kaigo's;
//  * answers an FK-01 request file with one FK-02 file (and a KY-06, the benefit's request in the
//    same layout, with a KY-07 answer of the same layout): a row per person asked — 当初 (or 更正 when
//    the ledger row was corrected since), or 未申告 when it holds nothing — posted to the zeimu
//    SimulatorChannel naming the request's 処理通番, or written to a folder channel's in/ as
//    FK-02_answer_re-<処理通番>.csv (take_folder_requests reads the folder's out/ for requests);
//  * advance(days): lives that many simulated days, making a few 更正 each day (a 修正申告 or an
//    更正 of the tax office: a later synthetic_city row with new figures) and sending them as one
//    FK-02 revision file per day with any;
//  * keeps the FK-13 保険料賦課情報 files it receives.
// Deterministic from the seed, the start date and the database's ledger.
//
// Thread-safety: the channel handler, advance() and take_folder_requests() share state under a mutex.
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "linkage/simulator_channel.hpp"
#include "sim/prng.hpp"
#include "store/database.hpp"

namespace kaigo::sim::zeimu {

struct TaxOfficeOptions {
  Date start{2026, 4, 1};  // the first simulated day (serve passes today)
  // < 0: 更正 at the rate of a Japanese city (≈ 1.5% of the ledger's persons a year: 修正申告,
  // 期限後申告, the tax office's 更正); else exactly this many every day (tests, benchmarks).
  int daily_revisions = -1;
};

struct AdvanceSummary {
  Date from, to;  // the simulated days lived, inclusive
  int revisions = 0;
  int files = 0;
  std::string text() const;
};

class TaxOfficeSim {
 public:
  // Registers its handler on `channel` (the zeimu SimulatorChannel); null when files go to a folder.
  TaxOfficeSim(store::Database& db, linkage::SimulatorChannel* channel, std::uint64_t seed, TaxOfficeOptions options = {});
  // Answers and revision files go to `<folder_dir>/in/` (atomically: tmp + rename); requests are
  // read from `<folder_dir>/out/` by take_folder_requests().
  void write_to_folder(std::filesystem::path folder_dir);

  // FK-01 → FK-02: the answer file to a request file, from the ledger.
  Result<std::string> answer_request(const std::string& request_csv);
  // Answers every FK-01_<処理通番>.csv in the folder's out/ not answered yet; returns how many.
  Result<int> take_folder_requests();

  Result<std::string> advance(int days);
  Result<AdvanceSummary> advance_days(int days);
  Date today() const;  // the next day advance() will live

  std::vector<std::string> assessment_files() const;  // FK-13 payloads received, oldest first

 private:
  Result<std::string> answer_locked(const std::string& request_csv);
  Result<void> ensure_loaded();
  Result<int> revise_one_day(Date day, std::string& file);
  Result<void> deliver(const std::string& name, const std::string& csv, const std::string& in_reply_to,
                       const std::string& flow = "FK-02");

  store::Database& db_;
  linkage::SimulatorChannel* channel_;
  std::optional<std::filesystem::path> folder_;
  Prng prng_;
  TaxOfficeOptions options_;
  mutable std::mutex mutex_;
  bool loaded_ = false;
  Date day_;
  int ledger_year_ = 0;                 // the latest income year of the ledger
  std::vector<std::string> ledger_persons_;  // persons with a ledger row of that year
  std::vector<std::string> asked_;      // persons kaigo asked about that the ledger holds (revisions prefer them)
  std::set<std::string> asked_set_;
  std::set<std::string> answered_files_;  // folder mode: request files answered
  std::vector<std::string> fk13_;
};

}  // namespace kaigo::sim::zeimu

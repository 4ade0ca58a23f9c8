#pragma once
// The 国保連 and the pension insurers behind it (counterpart kokuhoren), for 特別徴収 (FK-14/15/16,
// docs/tokucho-layout.md, docs/simulator.md), playing the real side against kaigo:
//  * target_list(): an FK-14 特別徴収対象者情報 file from the synthetic city's `pension` table —
//    every old-age pension (老齢・退職; not 老齢福祉年金) of 18万円 a year or more in force on the
//    capture month's first day, of a resident aged 65 or more — one group per pension insurer,
//    each target with the insurer's own 基礎年金番号 (derived from the person, stable), the 年金コード,
//    birth date, sex, half-width kana name, kanji name and address (characters with no CP932 code
//    written as 〓, as a real file would), the pension's yearly amount and the capture month;
//  * answers an FK-15 特別徴収依頼情報 at once with an FK-16 依頼処理結果: not accepted (理由 01 死亡)
//    for a person who died, (02 支払停止) for a pension the insurer has stopped — a fixed share of
//    the pensions, drawn from the seed — (03) for a pension no longer in force, accepted otherwise;
//  * deduct(month): per pension payment month, an FK-16 徴収結果 for every accepted request with an
//    amount in that month: deducted, or not (01 death since, 02 stopped since);
// over the kokuhoren SimulatorChannel (the embedded default) or a folder channel's folder (the
// files in CP932, as the 国保連 sends them: in/FK-14_….txt, in/FK-16_…_re-<処理通番>.txt; FK-15 read
// from out/ by answer_folder_requests()).
// Deterministic from the seed and the database. The accepted requests live in the simulator's memory
// (the pension insurers' ledger): a restarted simulator has none until kaigo requests again.
//
// Thread-safety: the channel handler and the public functions share state under a mutex.
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
#include "premium/collection.hpp"
#include "premium/tokucho_file.hpp"
#include "store/database.hpp"

namespace kaigo::sim::kokuhoren {

struct PensionSimOptions {
  std::uint64_t seed = 20260401;
  // Of every 1,000 pensions, how many the insurer has stopped (差止め): not accepted / not deducted.
  std::uint32_t stopped_per_mille = 5;
  std::string insurer_no = "149802";  // the city's 保険者番号 (config/city.json)
  Date start{2026, 4, 1};             // the first simulated day of advance()
};

struct Summary {
  std::int64_t records = 0;      // data records in the file
  std::int64_t not_ok = 0;       // not accepted / not deducted
  std::string file_name;
};

class PensionSim {
 public:
  // Registers its FK-15 handler on `channel` (the kokuhoren SimulatorChannel) when given.
  PensionSim(store::Database& db, const premium::tokucho::LayoutSet& layouts, linkage::SimulatorChannel* channel,
             PensionSimOptions options = {});
  // Files go into `<folder_dir>/in/` (CP932) instead of the channel; FK-15 files are read from out/.
  void write_to_folder(std::filesystem::path folder_dir);

  // The FK-14 file (CP932 bytes) for persons captured in `capture_month` (an even month), made
  // on `created_on`, for fiscal year `fiscal_year`. At most `limit` targets (0: all).
  Result<std::string> target_list(int fiscal_year, premium::YearMonth capture_month, Date created_on,
                                  std::int64_t limit = 0);
  // Makes the target list and delivers it (channel or folder).
  Result<Summary> send_target_list(int fiscal_year, premium::YearMonth capture_month, Date created_on,
                                   std::int64_t limit = 0);

  // FK-15 → FK-16 依頼処理結果 (CP932 bytes), remembering what was accepted.
  Result<std::string> answer_request(const std::string& request_bytes, Date today);
  // Folder mode: answers every FK-15 file in out/ not answered yet. Returns how many.
  Result<int> answer_folder_requests(Date today);

  // The 徴収結果 of one pension payment month (CP932 bytes), and its delivery; nullopt when no
  // accepted request has an amount in that month.
  Result<std::optional<std::string>> deduction_results(premium::YearMonth month, Date today);
  Result<Summary> deduct(premium::YearMonth month, Date today);

  // The demo control (kaigo serve, embedded default): lives `days` (1..366) simulated days. The
  // first call delivers the target list of the fiscal year of the start day (persons captured in
  // the October before it, so their deduction starts in April); every pension payment day passed
  // (the 15th of an even month) delivers that month's 徴収結果. Returns a summary line.
  Result<std::string> advance(int days);

  // The simulated pension insurer's 基礎年金番号 of a person (10 digits, stable).
  static std::string basic_pension_no(const std::string& person_id);
  // Marks a person's pensions stopped from now on (tests: "the pension stopped").
  void stop_pension(const std::string& person_id);

 private:
  struct Accepted {
    premium::tokucho::Values identity;  // basic_pension_no, pension_code, birth_date, sex, kana_name, insured_no, fiscal_year
    std::string person_id, pension_insurer_code;
    std::map<std::string, std::int64_t> amounts;  // YYYYMM → yen
  };
  Result<void> deliver(const std::string& flow_file_name, const std::string& flow_id, const std::string& bytes,
                       const std::string& in_reply_to);
  Result<std::optional<std::string>> person_state(const std::string& person_id, Date on);  // "deceased", "stopped", …
  bool stopped(const std::string& person_id);

  store::Database& db_;
  const premium::tokucho::LayoutSet& layouts_;
  linkage::SimulatorChannel* channel_;
  PensionSimOptions options_;
  std::optional<std::filesystem::path> folder_;
  mutable std::mutex mutex_;
  std::map<std::string, Accepted> accepted_;     // by 基礎年金番号|insurer
  std::set<std::string> stopped_by_hand_;        // person_ids
  std::set<std::string> answered_files_;         // folder mode: out/ names answered
  int files_ = 0;
  std::optional<Date> day_;                      // advance(): the next simulated day
  bool list_sent_ = false;
};

}  // namespace kaigo::sim::kokuhoren

#pragma once
// The 国保連 for the benefit business (counterpart kokuhoren, docs/simulator.md): it takes the
// city's KY-03 受給者異動連絡票情報 files, keeps the recipients (claims_model.hpp RecipientBook) and,
// each simulated month, sends the KY-04 給付実績情報 of the month before: new claims of every
// recipient with a care plan, and 修正/取消 of claims sent in earlier months. Files are written with
// the KY04 layout (benefit/kokuhoren_csv.hpp) and go out over the kokuhoren SimulatorChannel as flow
// KY-04 (the embedded default) or into a folder channel's folder (<dir>/in/KY-04_<審査年月>.csv, CP932).
//
// Sharing the counterpart with the pension simulator (sim/kokuhoren, FK-14…16): the channel has
// one handler, the pension simulator's, which answers FK-15 and accepts every other flow without an
// answer. This simulator needs no handler — the 国保連 answers KY-03 with nothing but the monthly
// KY-04 — so it reads what the city has sent: the outbound KY-03 exchanges the channel has taken
// (status sent or later in the exchange table), or in folder mode the KY-03 files in <dir>/out/.
// The two are thus told apart by flow ID without touching each other.
//
// Resuming: the state is rebuilt from the messages (resume_from): the KY-03 files sent, and the
// KY-04 files this 国保連 has delivered (inbound KY-04 exchanges, or the KY-04 files in the folder's
// in/, processed/ and quarantine/). A review month already delivered is never sent again and its
// claims stay known for later 修正/取消. A message posted to the channel but not yet taken when the
// process stopped is made again, identically (same bytes and message id, so the inbox takes it once).
// Deterministic: the same seed and the same KY-03 files give the same KY-04 files.
//
// Thread-safety: the public functions share state under a mutex.
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "benefit/codes.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "linkage/simulator_channel.hpp"
#include "sim/benefit/claims_model.hpp"
#include "store/database.hpp"

namespace kaigo::sim::benefit {

struct ClaimsSimOptions {
  std::uint64_t seed = 20261124;
  std::string insurer_no = "149802";  // the city's 保険者番号 (config/city.json)
  Date start{2026, 4, 1};             // the first simulated day of advance()
};

struct MonthSummary {
  std::string review_month;  // YYYYMM
  std::string file_name;     // empty when nothing was sent (no record that month)
  std::int64_t new_claims = 0, corrected = 0, cancelled = 0;
  std::int64_t records() const { return new_claims + corrected + cancelled; }
};

class ClaimsSim {
 public:
  ClaimsSim(store::Database& db, const kaigo::benefit::BenefitConfig& config, linkage::SimulatorChannel* channel,
            ClaimsSimOptions options = {});
  // Files go into `<folder_dir>/in/` (CP932) instead of the channel; KY-03 files are read from out/.
  void write_to_folder(std::filesystem::path folder_dir);

  // Rebuilds the state from the messages exchanged so far (see above). Returns the KY-04 files found.
  Result<int> resume_from_messages();

  // Takes one KY-03 file (UTF-8 text) as the 国保連 would: parsed whole with the KY03 layout; a file
  // with any fault is refused whole (the error names line and field). Returns its data records.
  Result<std::int64_t> receive_recipients(std::string_view utf8_text);

  // The KY-04 of review month `review` (any day of it; the service month is the one before),
  // made on `created_on` and delivered — nullopt when that month was delivered before. KY-03 files
  // sent since the last call are read first.
  Result<std::optional<MonthSummary>> send_month(Date review, Date created_on);

  // The demo control (kaigo serve, embedded default): lives `days` (1..366) simulated days from
  // options.start on; living the 1st of a month sends the KY-04 of the month before (審査年月 = that
  // month). Returns a summary line.
  Result<std::string> advance(int days);

  // What the 国保連 holds (tests): recipients, and the latest version of every claim sent.
  std::size_t recipients() const;
  std::map<std::string, Claim> claims() const;
  std::set<std::string> months_sent() const;
  std::int64_t files_refused() const;

 private:
  Result<void> collect_locked();  // KY-03 sent since the last look
  Result<std::int64_t> receive_locked(std::string_view utf8_text);
  Result<void> learn_ky04_locked(std::string_view utf8_text);
  Result<void> deliver_locked(const std::string& name, const std::string& review, const std::string& utf8_text);

  store::Database& db_;
  const kaigo::benefit::BenefitConfig& config_;
  linkage::SimulatorChannel* channel_;
  ClaimsSimOptions options_;
  std::optional<std::filesystem::path> folder_;
  mutable std::mutex mutex_;
  RecipientBook book_;
  std::map<std::string, Claim> ledger_;        // claim_no → its latest version
  std::set<std::string> months_;               // review months delivered (YYYYMM)
  std::set<std::int64_t> ky03_exchanges_;      // exchange ids read
  std::set<std::string> ky03_files_;           // folder mode: out/ names read
  std::int64_t refused_ = 0;
  std::optional<Date> day_;                    // advance(): the next simulated day to live
};

}  // namespace kaigo::sim::benefit

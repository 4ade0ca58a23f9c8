#pragma once
// The 指定金融機関 (counterpart bank) and the debtors (person) of 返還金 as one simulator
// (docs/simulator.md, docs/benefit.md §KY-19):
//  * bound to the `person` SimulatorChannel, it keeps every 返還金 納付書 mailed (KY-18 exchange:
//    slip_no, amount, due date);
//  * advance(days) (demo control "bank", "N日進める"): the debtors pay, and the bank sends one KY-19
//    納入済通知 file over the `bank` channel — deterministic: of the slips still open, in the
//    order they were mailed, every 4th (the 4th, 8th, …) pays half (a later advance pays the
//    rest), the first of a file with three or more pays 1,000 yen too much, the others pay in full.
//    Paid on kaigo's today (a bank reports days that have happened).
//
// Thread-safety: the channel handler and advance() share state under a mutex.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "benefit/kokuhoren_csv.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "linkage/simulator_channel.hpp"
#include "store/database.hpp"

namespace kaigo::sim::benefit {

struct BankSlip {
  std::string slip_no;
  std::int64_t amount = 0;     // the 納付書's total
  std::int64_t remaining = 0;  // not paid yet by this simulator
  std::string due_on;
};

class BankSim {
 public:
  // Registers its handler on `person` (KY-18 mailings); files go to `bank`. `layouts` holds KY19
  // (config/layouts/bank) and must outlive the simulator, as must the channels and the clock.
  BankSim(linkage::SimulatorChannel* person, linkage::SimulatorChannel* bank, const kaigo::benefit::csv::LayoutSet& layouts,
          const Clock& clock);

  // After a restart: the slips mailed (KY-18 exchanges sent to `person`) less what the KY-19 files
  // kaigo applied paid, so the debtors go on paying what they still owe. Returns the slips known.
  Result<int> resume_from_messages(store::Database& db);

  Result<std::string> advance(int days);
  // The KY-19 file paying the open slips as described above, or "" when none is open (no post).
  Result<std::string> make_receipt_file();
  std::vector<BankSlip> slips() const;

 private:
  Result<std::optional<linkage::InboundMessage>> on_person(const linkage::Exchange& e);
  Result<void> keep_slip_locked(const std::string& ky18_payload);

  linkage::SimulatorChannel* bank_;
  const kaigo::benefit::csv::LayoutSet& layouts_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::vector<BankSlip> slips_;
  int files_ = 0;
};

}  // namespace kaigo::sim::benefit

#pragma once
// Welfare linkage (本市総合福祉システム, counterpart fukushi): SK-19 生活保護 / 中国残留邦人等支援給付
// starts and ends taken in as files, SK-20 eligibility changes of the welfare office's cases sent
// out. docs/fukushi-layout.md has the layouts and the policies; in short:
//
//  * A file that does not parse is refused WHOLE (invalid_input naming the first line and column;
//    the inbox rolls back and quarantines the exchange, the folder channel moves the file to
//    quarantine/ with the reason).
//  * A file that parses is applied in the inbox transaction, notice by notice in 異動日 order
//    (then line): 開始 inserts a public_assistance row from the 異動日; 廃止 closes the person's
//    open row of that kind with valid_to = the 廃止日 (the first day no longer on assistance, like
//    medical_insurance.valid_to). A 通知番号 applied before (or repeated in the file) is skipped.
//  * A notice that cannot apply — an unknown 宛名番号, a 廃止 with no open row of that kind or on
//    or before its 開始日, a 開始 while a row of that kind is open or overlapping — refuses the
//    WHOLE file with its line (invalid_input, so the exchange is quarantined and nothing applies).
//    Unlike the registry's daily files, a welfare file is small and a wrong line means the two
//    systems disagree about a case: staff fix it at the welfare office and resend.
//    One exception: a 開始 whose open row (same kind, same 開始日) is already recorded — an SK-15
//    inquiry at the counter got there first — is recorded as already_recorded and changes nothing.
#include <cstdint>
#include <optional>

#include "core/clock.hpp"
#include "eligibility/fukushi_file.hpp"
#include "linkage/dispatcher.hpp"
#include "linkage/exchange_store.hpp"
#include "store/database.hpp"

namespace kaigo::eligibility {

// The handler the dispatcher needs for welfare: "SK-19". `serve` merges it into its InboundHandlers.
linkage::InboundHandlers fukushi_inbound_handlers(const Clock& clock);

namespace fukushi {

// SK-19: a welfare file (生保異動情報).
linkage::ApplyFn welfare_file_handler(const Clock& clock);

struct ChangesSent {
  int events = 0;  // eligibility events consumed (all of them, also those of persons not on assistance)
  int rows = 0;    // rows in the file
  std::optional<std::int64_t> exchange_id;  // none when no event concerned a welfare case
};

// SK-20: the eligibility events after the "SK-20" cursor (at most `limit`) of persons with a
// public_assistance row in force on the event's effective_from or later, as ONE CSV file of
// 介護資格異動, one outbound exchange to fukushi, and the cursor moved — all in one transaction.
// The cursor moves past every event consumed, even when none qualified (then no exchange).
Result<ChangesSent> send_eligibility_changes_to_welfare(store::Database& db, const Clock& clock, int limit = 50000);

}  // namespace fukushi
}  // namespace kaigo::eligibility

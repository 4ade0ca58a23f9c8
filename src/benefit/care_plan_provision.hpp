#pragma once
// KY-02 ケアプラン情報の提供: the care-plan notifications registered, replaced or cancelled since
// the last file, sent on to the city's welfare system (fukushi) and the committee support system
// (shinsa, 認定審査会支援システム — it shows the plan office to the committee and the 認定調査
// scheduler) as ONE CSV per run, the same file to both (docs/benefit.md "KY-02").
//
// The consumer keeps the cursor 'KY-02' in event_cursor (migration 016): a run takes the
// recipient_event rows after it (at most `limit`, by event_id; events of other kinds are passed
// over), writes one row per care-plan event, enqueues one outbound exchange to each counterpart
// (idempotency keys "KY-02:<counterpart>:events:<first>-<last>") and moves the cursor in the same
// transaction, holding 'recipient_event_lock' so no event still being committed falls behind it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

struct CarePlanProvisionRow {
  std::int64_t event_id = 0;
  std::string person_id;     // 宛名番号
  std::string insured_no;    // 被保険者番号 ('' when none)
  std::int64_t care_plan_id = 0;
  std::string plan_kind;     // home_care | prevention | self
  std::string office_no;     // '' for self
  std::string notified_on, valid_from, valid_to;  // ISO; valid_to '' when open
  std::string status;        // current | ended | cancelled
};

// The CSV (UTF-8, header row, CRLF), columns of docs/benefit.md "KY-02".
std::string write_care_plan_file(const std::vector<CarePlanProvisionRow>& rows);
const std::vector<std::string>& care_plan_file_header();

struct CarePlansSent {
  std::int64_t events = 0;   // events after the cursor looked at (all kinds)
  std::int64_t rows = 0;     // care-plan rows in the file
  std::optional<std::int64_t> fukushi_exchange_id, shinsa_exchange_id;  // none when no care-plan event
  std::int64_t cursor = 0;
};

Result<CarePlansSent> send_care_plans(store::Database& db, const Clock& clock, const std::string& actor = "job:KY-02",
                                      int limit = 50000);

}  // namespace kaigo::benefit

#pragma once
// NT-14 認定結果情報: the certifications granted, superseded or cancelled since the last file, sent
// to the city's welfare system (fukushi) as ONE CSV per run (docs/certification.md "NT-14").
//
// The consumer keeps the cursor 'NT-14' in event_cursor (migration 014): a run takes the
// certification_event rows after it (at most `limit`, by event_id), writes one row per event and
// enqueues one outbound exchange (idempotency key "NT-14:events:<first>-<last>"), moving the cursor
// in the same transaction — a crash sends nothing twice and loses nothing. The run holds the
// number_sequence row 'certification_event_lock' (the one record_decision holds while it writes
// events), so no event of a decision still being committed can fall behind the cursor.
//
// Welfare gets every certification, not only its assistance cases: the 総合福祉システム reads
// the care level for the services it grants itself (高齢者福祉サービス by level, 障害福祉 where
// 介護保険 goes first — 障害者総合支援法7条).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::certification {

// One row of the NT-14 file: the certification as it stands when the file is made (a certification
// granted and superseded within one window shows its moved end on both rows; welfare applies the
// rows in event order and ends at the present state).
struct WelfareResultRow {
  std::int64_t event_id = 0;
  std::string event_kind;        // granted, superseded, cancelled
  std::string person_id;         // 宛名番号
  std::string insured_no;        // 被保険者番号 (of the application)
  std::int64_t certification_id = 0;
  std::string application_no;
  std::string application_kind;  // new, renewal, change, ex_officio, transfer
  std::string care_level;        // none … care_5
  Date valid_from, valid_to, certified_on;
  std::int64_t monthly_cap_units = 0;
  std::string status;            // current, superseded, cancelled
};

// The CSV (UTF-8, header row, CRLF): the columns of docs/certification.md "NT-14".
std::string write_results_to_welfare_file(const std::vector<WelfareResultRow>& rows);
// The header's column names, in order (tests and docs read them).
const std::vector<std::string>& results_to_welfare_header();

struct ResultsSent {
  std::int64_t events = 0;                  // events after the cursor looked at
  std::int64_t rows = 0;                    // rows in the file
  std::optional<std::int64_t> exchange_id;  // none when there was no event
  std::int64_t cursor = 0;                  // the cursor after the run
};

// Sends the events after the cursor (NT-14 to fukushi). Nothing after the cursor: no exchange.
Result<ResultsSent> send_results_to_welfare(store::Database& db, const Clock& clock, const std::string& actor = "job:NT-14",
                                            int limit = 50000);

}  // namespace kaigo::certification

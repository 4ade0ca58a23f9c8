#pragma once
// KY-03 受給者異動連絡票情報: the recipient records sent to the 国保連 (docs/benefit.md "KY-03").
//
// Build (a draft): under the three writers' locks (eligibility_event_lock,
// certification_event_lock, recipient_event_lock, in that order) the events after the cursors
// 'recipient', 'KY-03:certification' and 'KY-03:recipient' are read set-based, the persons they
// touch are recorded in recipient_pending (migration 017, with the earliest effective date) and
// the cursors move — all in one transaction. Then every pending person who is a recipient (has
// or had a certification, care plan, co-payment rate, 給付制限 or a record sent) gets a record as
// of the change: identity, eligibility, certification, care plan, co-payment rate, 給付制限,
// 住所地特例, checked against the 国保連's rejection causes. A record failing a check is held
// (stays out of the file). A new build discards an open regular draft (its records are rebuilt).
//
// Send: the ok records written with the codec (layout KY03) → one outbound exchange to kokuhoren
// (flow KY-03) in the transaction that marks the file sent and removes the persons of the ok
// records from recipient_pending. Held persons stay pending and come back in the next draft; a
// crash between build and send loses nothing (the cursors moved, the persons are pending).
//
// 訂正: a correction file (kind correction) for a person's last sent record: correct (訂正区分 1,
// the record rebuilt from today's data as of its change date) or delete (2, the record as sent).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

struct BenefitConfig;

// Everything a build or send needs besides the database.
struct RecipientContext {
  const BenefitConfig& config;
  std::string insurer_no;  // the city's 保険者番号 (6 digits)
};

struct RecipientCheck {
  std::string cause;    // certification_missing, certification_outside_eligibility, plan_outside_eligibility,
                        // certification_overlap, office_unknown, copayment_rate_missing, insured_no_missing,
                        // field_invalid
  std::string field;    // the KY03 layout key
  std::string message;  // no personal data
};

struct RecipientRecord {
  std::int64_t record_id = 0, file_id = 0;
  std::string person_id, insured_no;
  std::string change_kind;  // new | change | end
  std::string correction;   // none | correct | delete
  std::optional<std::int64_t> corrects_record_id;
  std::string change_date;  // ISO
  std::map<std::string, std::string> fields;  // KY03 data key → value as written
  std::string check_status;                   // ok | held
  std::vector<RecipientCheck> check_causes;
};

struct RecipientFile {
  std::int64_t file_id = 0;
  std::string kind, status, layout_version;
  std::int64_t record_count = 0, held_count = 0;
  std::optional<std::int64_t> exchange_id;
  std::string built_at, built_by;
  std::optional<std::string> sent_at, sent_by;
};

struct RecipientBuild {
  std::optional<RecipientFile> file;  // none: nobody pending
  std::int64_t events = 0;            // events read after the three cursors
  std::int64_t skipped = 0;           // pending persons who are not recipients (dropped)
  std::optional<std::int64_t> discarded_file_id;
};

Result<RecipientBuild> build_recipient_draft(store::Database& db, const Clock& clock, const RecipientContext& ctx,
                                             const std::string& actor);
Result<RecipientFile> send_recipient_file(store::Database& db, const Clock& clock, const RecipientContext& ctx,
                                          std::int64_t file_id, const std::string& actor);
Result<RecipientFile> discard_recipient_file(store::Database& db, std::int64_t file_id, const std::string& actor);
// A correction draft for the person's last sent record; correction: "correct" | "delete".
Result<RecipientFile> build_recipient_correction(store::Database& db, const Clock& clock, const RecipientContext& ctx,
                                                 const std::string& person_id, const std::string& correction,
                                                 const std::string& actor);

Result<std::vector<RecipientFile>> list_recipient_files(store::Connection& c, int limit = 100);
Result<std::optional<RecipientFile>> find_recipient_file(store::Connection& c, std::int64_t file_id);
Result<std::vector<RecipientRecord>> recipient_file_records(store::Connection& c, std::int64_t file_id);
// The file as UTF-8 text: the payload sent, or for a draft what sending would write now.
Result<std::string> recipient_file_text(store::Connection& c, const Clock& clock, const RecipientContext& ctx,
                                        std::int64_t file_id);

// The monthly job: from `build_day` of a month, when no file was built by the job that month and
// no draft is open, builds a draft and, when `send_when_clean` and nothing is held, sends it.
struct RecipientSchedule {
  int build_day = 1;             // the 国保連 takes the month's 受給者異動 by about the 5th
  bool send_when_clean = true;   // false: every draft waits for staff
};
Result<std::string> run_recipient_month(store::Database& db, const Clock& clock, const RecipientContext& ctx,
                                        const RecipientSchedule& schedule, const std::string& actor = "job:KY-03");

}  // namespace kaigo::benefit

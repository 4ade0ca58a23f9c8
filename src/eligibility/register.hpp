#pragma once
// The insured register (被保険者台帳): facts in, periods derived, every change a revision and a
// published event. Tables: migration 005 (docs/insured-register.md).
//
// Every writer takes the Connection of the CALLER'S transaction, so a registry movement, a
// counter case or a welfare file and the eligibility change it causes commit together (and an
// inbound exchange applies exactly once, linkage::receive_inbound). Each writer re-derives the
// person's periods (derive_periods over all their facts, so a retroactive fact is just a fact),
// replaces eligibility_period, and when anything changed writes one eligibility_revision (with the
// diff_periods JSON) and one eligibility_event, and issues a 被保険者番号 to a person who has a
// period and no number yet.
//
// Thread-safety: free functions over a Connection; serialisation is the database's (SQLite
// write transactions are exclusive; on PostgreSQL the person's row is locked FOR UPDATE first).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "eligibility/periods.hpp"
#include "eligibility/types.hpp"
#include "store/database.hpp"

namespace kaigo::eligibility {

// Where a change came from: shown in the history and stored on every row it writes.
struct ChangeSource {
  std::string source;                       // juki, counter_case, staff, fukushi, inquiry, synthetic_city
  std::optional<std::int64_t> exchange_id;  // the inbound exchange that brought it
  std::optional<std::int64_t> case_id;      // the movement case it was recorded in
  std::string actor;                        // staff user_id or job name
  std::string cause;                        // a line for the history, no personal data ("住基異動 転入 (SK-16)")
};

// ---- Address facts (eligibility_fact) ----

enum class AddressFactKind { move_in, move_out, emigration, death };
std::string_view to_code(AddressFactKind kind);
Result<AddressFactKind> parse_address_fact_kind(std::string_view code);

struct AddressFact {
  AddressFactKind kind = AddressFactKind::move_in;
  Date on;                             // 転入日 / 転出日 / 出国日 / 死亡日
  std::optional<Date> new_address_on;  // move_out only: the new city's 転入日
  std::string registry_movement_id;    // SK-16: the registry's id of the movement ("" if none)
};

struct StoredAddressFact {
  std::int64_t fact_id = 0;
  AddressFact fact;
  std::string source;
  std::optional<std::int64_t> source_exchange_id;
  std::optional<std::int64_t> case_id;
  std::string recorded_at, recorded_by;
  std::optional<std::string> cancelled_at, cancelled_by, cancel_reason;
};

// What a writer did to the person's register.
struct RegisterOutcome {
  std::optional<std::int64_t> revision_id;  // none: the periods did not change
  std::vector<PeriodChange> changes;
  std::vector<EligibilityPeriod> periods;   // after
  std::optional<std::string> issued_insured_no;  // a number issued by this change
};

// Records an address fact and re-derives. Errors: not_found (person), invalid_input (a move_out
// whose new_address_on is before on; a fact after the person's recorded death).
Result<RegisterOutcome> record_address_fact(store::Connection& c, const Clock& clock, const std::string& person_id,
                                            const AddressFact& fact, const ChangeSource& source);
// Cancels a fact (a correction; the row stays, marked) and re-derives. not_found / conflict (already cancelled).
Result<RegisterOutcome> cancel_address_fact(store::Connection& c, const Clock& clock, const std::string& person_id,
                                            std::int64_t fact_id, const std::string& reason, const ChangeSource& source);

// ---- Medical insurance of category 2 (medical_insurance, migration 002) ----

struct MedicalInsuranceGain {
  std::string insurer_kind;  // kokuho, kyokai_kenpo, kumiai, kyosai, koki
  std::string insurer_no;
  Date valid_from;           // the insurance's 資格取得日
};
Result<RegisterOutcome> record_medical_insurance_gained(store::Connection& c, const Clock& clock,
                                                        const std::string& person_id, const MedicalInsuranceGain& gain,
                                                        const ChangeSource& source);
// Closes the person's open medical insurance: valid_to = lost_on (the insurance's 資格喪失日, the
// first day not enrolled). conflict when none is open.
Result<RegisterOutcome> record_medical_insurance_lost(store::Connection& c, const Clock& clock,
                                                      const std::string& person_id, Date lost_on,
                                                      const ChangeSource& source);

// ---- 適用除外 (exemption) ----

struct Exemption {
  std::int64_t exemption_id = 0;
  std::string person_id;
  std::string facility_kind;  // config/codes/exempt_facility_kinds.tsv code
  std::string facility_name;
  Date entered_on;
  std::optional<Date> left_on;
  std::string source, recorded_at, recorded_by;
};
Result<std::pair<std::int64_t, RegisterOutcome>> start_exemption(store::Connection& c, const Clock& clock,
                                                                 const Exemption& e, const ChangeSource& source);
// conflict when already ended; invalid_input when left_on < entered_on.
Result<RegisterOutcome> end_exemption(store::Connection& c, const Clock& clock, std::int64_t exemption_id, Date left_on,
                                      const ChangeSource& source);

// ---- 住所地特例 ledgers (former_address_rule) ----

struct FormerAddressRule {
  std::int64_t rule_id = 0;
  std::string person_id;
  FormerAddressDirection direction = FormerAddressDirection::ours_living_elsewhere;
  FacilityKind facility_kind = FacilityKind::special_nursing_home;
  std::string facility_name;
  std::string facility_municipality_code;  // 6 digits
  std::string other_insurer_no;            // 6 digits
  Date started_on;
  std::optional<Date> ended_on;
  std::string source, recorded_at, recorded_by;
};
std::string_view to_code(FormerAddressDirection direction);
Result<FormerAddressDirection> parse_former_address_direction(std::string_view code);

// invalid_input when the facility kind is not a 住所地特例対象施設 (former_address_rule_applies),
// or a code is malformed; conflict when the person already has an open rule.
Result<std::pair<std::int64_t, RegisterOutcome>> start_former_address_rule(store::Connection& c, const Clock& clock,
                                                                           const FormerAddressRule& rule,
                                                                           const ChangeSource& source);
Result<RegisterOutcome> end_former_address_rule(store::Connection& c, const Clock& clock, std::int64_t rule_id,
                                                Date ended_on, const ChangeSource& source);

// ---- Re-derivation ----

// Re-derives one person from everything stored (used by the writers above, and after a change
// to a person's birth date). Writes a revision only when the periods changed.
Result<RegisterOutcome> rederive(store::Connection& c, const Clock& clock, const std::string& person_id,
                                 const ChangeSource& source);

struct RebuildReport {
  std::int64_t persons = 0;    // persons looked at
  std::int64_t changed = 0;    // persons whose periods changed (one revision each)
  std::int64_t periods = 0;    // periods in force afterwards for the persons looked at
  std::int64_t numbers_issued = 0;
};
// Set-based re-derivation of many persons (a registry full load, the synthetic city's first
// start): persons with person_id in [from_person_id, to_person_id] (empty: unbounded), in chunks
// of `chunk` persons, each chunk one transaction (so an interrupted rebuild is simply run again:
// unchanged persons write nothing).
Result<RebuildReport> rebuild(store::Database& db, const Clock& clock, const ChangeSource& source,
                              const std::string& from_person_id = "", const std::string& to_person_id = "",
                              int chunk = 10000);

// The first registration of a city's residents (migration day, or the synthetic city's first
// start): every person recorded as a resident with no address fact yet gets a 転入 fact on the
// day they became a resident here (person.status_date, else the birth date), set-based, then the
// whole register is rebuilt. Running it again adds nothing and changes nothing.
Result<RebuildReport> register_initial_residents(store::Database& db, const Clock& clock, const ChangeSource& source);

// 年齢到達: as the register's horizon (periods.hpp) moves into a new month, the persons who reach
// 40 or 65 in that month are re-derived, so their periods (and numbers) appear. Runs each month not
// yet done (batch_run job 'age_arrivals', key = the horizon month YYYY-MM), the first run only the
// current one; re-running a month is harmless (unchanged persons write nothing).
Result<RebuildReport> run_age_arrivals(store::Database& db, const Clock& clock, const std::string& actor);

struct RebuildChunk {
  RebuildReport report;
  std::string last_person_id;  // "" when no person was left
};
// One chunk of `rebuild` in the CALLER'S transaction (a registry full load applies its staged rows
// and re-derives the same persons in one chunk transaction): persons with person_id greater than
// after_person_id ("" = from the first) and at most to_person_id ("" = unbounded), at most `limit`
// of them, in person_id order.
Result<RebuildChunk> rebuild_chunk(store::Connection& c, const Clock& clock, const ChangeSource& source,
                                   const std::string& after_person_id, const std::string& to_person_id, int limit);

// ---- Reads ----

struct Revision {
  std::int64_t revision_id = 0;
  std::string revised_at, revised_by, source;
  std::optional<std::int64_t> source_exchange_id, case_id;
  std::string cause, earliest_change_on;
  std::string changes_json;
};

struct RegisterView {
  std::string person_id;
  std::optional<std::string> insured_no;
  std::vector<EligibilityPeriod> periods;
  std::vector<StoredAddressFact> facts;  // incl. cancelled, by date
  std::vector<Exemption> exemptions;
  std::vector<FormerAddressRule> former_address_rules;
  std::vector<Revision> revisions;        // newest first
};
Result<std::optional<RegisterView>> load_register(store::Connection& c, const std::string& person_id);

// The period in force on `date`, if any.
std::optional<EligibilityPeriod> period_on(const std::vector<EligibilityPeriod>& periods, Date date);

// The 住所地特例 ledger of one direction; open_on set → only rules in force that day.
Result<std::vector<FormerAddressRule>> list_former_address_rules(store::Connection& c,
                                                                 std::optional<FormerAddressDirection> direction,
                                                                 std::optional<Date> open_on, int limit, int offset);
Result<std::vector<Exemption>> list_exemptions(store::Connection& c, std::optional<Date> open_on, int limit, int offset);

// ---- Published changes (eligibility_event) ----

struct EligibilityEvent {
  std::int64_t event_id = 0;
  std::string person_id;
  std::int64_t revision_id = 0;
  std::string effective_from;
};
// The events after the consumer's cursor, oldest first, at most `limit`.
Result<std::vector<EligibilityEvent>> events_after_cursor(store::Connection& c, const std::string& consumer, int limit);
// Moves the consumer's cursor (inside the consumer's own transaction).
Result<void> advance_cursor(store::Connection& c, const std::string& consumer, std::int64_t last_event_id);

}  // namespace kaigo::eligibility

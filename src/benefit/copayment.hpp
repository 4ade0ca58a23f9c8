#pragma once
// 利用者負担割合 (co-payment rate; 法49条の2, 59条の2; 施行令22条の2, 29条の2), docs/benefit-income.md:
//
//  * The yearly determination for 1 August of rate_year (valid 1 August – 31 July, income year
//    rate_year − 1) for every person whose care_certification is current on that day: a resumable
//    batch_run (job 'copayment_rates', run_key the year); each chunk of persons is read set-based
//    (income.hpp) and written in one transaction with the run's cursor, so a stopped run resumes
//    where it stopped. A row of the same period is superseded only when the rate changed; a person
//    whose rate is the same keeps the row it has.
//  * A new recipient (a certification granted mid-year, read from certification_event with the
//    cursor 'copayment:certification') gets a rate from the certification's first day (reason
//    new_recipient) when no rate covers that day yet.
//  * A redetermination by staff from a day (income corrected: reason correction; household
//    changed: reason mid_year) ends the row in force the day before and adds the new one to
//    31 July — only when the rate changes.
//  Every new or changed rate writes one recipient_event (kind copayment_rate) for KY-03, holding
//  number_sequence 'recipient_event_lock' in the same transaction.
//
// explanation (copayment_rate.explanation) is JSON: {"decision": the rule's words with the figures,
// "facts": [{kind, person_id, ref_id, detail}], "missing": [{person_id, fact, tax_year, ask_flow}],
// "provisional": bool}. A decision made while a household member's income is missing is
// provisional (the inquiry flows KY-06 / KY-08 bring it; a redetermination then corrects it).
//
// Thread-safety: CopaymentService holds references only; two runs of the same year serialise on
// the batch_run row.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "benefit/rules.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

struct CopaymentRate {
  std::int64_t rate_id = 0;
  std::string person_id;
  int rate_year = 0;
  std::string valid_from, valid_to;
  int rate = 1;
  int tax_year = 0;
  std::string reason;       // yearly | mid_year | new_recipient | correction
  std::string explanation;  // JSON (above)
  std::string status;       // current | superseded
  std::optional<std::int64_t> batch_run_id;
  std::string decided_at, decided_by;
};

struct CopaymentRunReport {
  std::int64_t batch_run_id = 0;
  int rate_year = 0;
  std::string status;            // running (stopped early) | done
  std::int64_t persons = 0;      // persons handled so far (done_count)
  std::int64_t written = 0;      // rows written by this call (new or changed)
  std::int64_t unchanged = 0;    // persons whose rate stayed (this call)
  std::int64_t provisional = 0;  // rows written with missing facts (this call)
  std::int64_t by_rate[3] = {0, 0, 0};  // rows written by this call, 1割 / 2割 / 3割
};

struct Redetermination {
  bool changed = false;
  CopaymentRate rate;  // the row in force from the day (new when changed)
};

class CopaymentService {
 public:
  CopaymentService(store::Database& db, const Clock& clock, const BenefitRules& rules);

  // The yearly run for 1 August of rate_year. `max_chunks` stops after that many chunks (a demo
  // or a test of the resumption); a later call resumes. A finished run returns its report again.
  // invalid_input: an implausible rate_year (before the first rules version, or after next year).
  Result<CopaymentRunReport> run_yearly(int rate_year, const std::string& actor,
                                        std::optional<int> max_chunks = std::nullopt);

  // The background job: certifications granted since the cursor (up to `limit` events) get a rate
  // from their first day when none covers it. Returns the rows written.
  Result<std::int64_t> pick_up_new_recipients(const std::string& actor, int limit = 500);

  // Staff: the person's rate from `from` again. reason: "income_corrected" | "household_changed".
  // not_found: no such person; invalid_input naming the field.
  Result<Redetermination> redetermine(const std::string& person_id, Date from, const std::string& reason,
                                      const std::string& actor);

  // A person's rows, newest period first (superseded ones too).
  Result<std::vector<CopaymentRate>> for_person(const std::string& person_id);
  // The row in force on `on` (current, valid_from ≤ on ≤ valid_to).
  Result<std::optional<CopaymentRate>> in_force(const std::string& person_id, Date on);

 private:
  store::Database& db_;
  const Clock& clock_;
  const BenefitRules& rules_;
};

}  // namespace kaigo::benefit

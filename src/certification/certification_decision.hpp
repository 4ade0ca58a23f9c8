#pragma once
// Recording a decision (二次判定, or a transfer's certificate terms) and the certification it
// grants — the one place that writes certification_decision, care_certification and
// certification_event, so NT-12 (the committee), a transfer within 14 days (法36条) and staff
// entering a paper decision all end the same way. docs/certification.md.
#include <cstdint>
#include <optional>
#include <string>

#include "certification/rules.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::certification {

struct DecisionInput {
  std::int64_t application_id = 0;
  std::optional<std::int64_t> session_id;       // the committee session (none: transfer / staff)
  CareLevel level = CareLevel::none;
  std::optional<int> validity_months;           // required for a certified level, except a transfer
  std::optional<Validity> fixed_validity;       // a transfer: the certificate's period (from applied_on)
  std::string remarks;                          // 審査会の意見
  std::string change_reason;                    // why the level differs from the first stage
  Date decided_on;
  std::optional<std::int64_t> source_exchange_id;  // NT-12
  std::string actor;
};

struct RecordedDecision {
  std::int64_t decision_id = 0;
  std::optional<std::int64_t> certification_id;   // none for 非該当
  std::optional<Validity> validity;
  std::optional<std::int64_t> superseded_certification_id;
};

// On the caller's connection, inside its transaction:
//  - checks: the application exists and is not withdrawn or decided (conflict "already decided");
//    the months within validity_range for the kind (invalid_input "validity_months"); the rules
//    version of applied_on;
//  - writes certification_decision; for a certified level a care_certification (status current,
//    monthly_cap_units of the level) and a certification_event 'granted'; a renewal or change
//    supersedes the person's current certification (status superseded; a change ends it the day
//    before the new one starts) with an event 'superseded';
//  - sets the application's status 'decided' and decided_on.
Result<RecordedDecision> record_decision(store::Connection& c, const Clock& clock, const CertificationRules& rules,
                                         const DecisionInput& input);

}  // namespace kaigo::certification

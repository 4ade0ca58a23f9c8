#pragma once
// Internals shared by the workflow (workflow*.cpp) and committee (committee*.cpp) files: the
// application as they need it, the person part of the request forms, fee accrual, the step to
// ready.
#include <cstdint>
#include <optional>
#include <string>

#include "certification/codes.hpp"
#include "certification/rules.hpp"
#include "certification/shinsa_format.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace kaigo::certification::workflow_detail {

inline constexpr const char* kShinsa = "shinsa";
inline constexpr const char* kChosa = "chosa";
inline constexpr const char* kIryokikan = "iryokikan";

struct ApplicationFacts {
  std::int64_t application_id = 0;
  std::string application_no, person_id;
  ApplicationKind kind = ApplicationKind::new_application;
  std::string category, place, status;
  Date applied_on;
  std::optional<std::string> specified_disease;
  std::optional<std::int64_t> previous_certification_id;
};

// The application (locked FOR UPDATE on PostgreSQL when `lock`); none when it does not exist.
Result<std::optional<ApplicationFacts>> load_application(store::Connection& c, std::int64_t application_id, bool lock);

// True for the statuses a request or a result may still change.
bool is_open(const std::string& status);  // received, investigating, ready, scheduled

// A conflict naming why the application takes no more work ("withdrawn", "already decided").
Result<void> require_open(const ApplicationFacts& a, const std::string& field);

// The person block of the request forms (no phone is kept: "").
Result<shinsa::PersonPart> person_part(store::Connection& c, const std::string& person_id);

// "A2026000123" → "C2026000123-<n>" (prefix C / D), n = the application's requests so far + 1.
std::string request_no(char prefix, const std::string& application_no, std::int64_t n);

// One fee owed, accrued once per basis_key (a replay adds nothing).
struct FeeAccrual {
  std::string flow_id;    // NT-15 | NT-16 | NT-17
  std::string basis_key;  // "NT-16:assessment:<id>" …
  std::string payee_code, payee_name;
  std::string fee_key;    // the rule file's key
  Date work_on;
  std::optional<std::int64_t> application_id, session_id;
};
// The amount is the rule file's for fee_key in force on work_on; not_found naming the key.
Result<void> accrue_fee(store::Connection& c, const Clock& clock, const CertificationRules& rules, const FeeAccrual& fee);

// When the latest assessment and the latest opinion of an open, not-yet-ready application are both
// received: the first stage into first_stage_result and the application ready (ready_on today).
// Returns whether it became ready.
Result<bool> ready_if_complete(store::Connection& c, const Clock& clock, const CertificationRules& rules,
                               std::int64_t application_id);

// The care level of the certification a renewal or change follows (the one the application names,
// else the person's current one ending last); none for a new application or when there is none.
Result<std::optional<CareLevel>> previous_level(store::Connection& c, const ApplicationFacts& a);

}  // namespace kaigo::certification::workflow_detail

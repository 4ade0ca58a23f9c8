#pragma once
// 返還金 (徴収金, 介護保険法22条) — KY-18 … KY-20, docs/benefit.md §KY-18.
// The one writer of repayment and repayment_receipt. A decision fixes the principal, the 加算金
// (法22条3項, rules repayment_surcharge), the total, the 納期限 (decided_on + rules
// repayment_due_days) and a unique 納付書番号 (slip_no, with a check digit the bank verifies);
// it writes the benefit_payment row kind repayment_charge (KY-20, 調定, basis "repayment:<id>") and
// records the mailing of the 決定通知書 + 納付書 as an outbound exchange to `person` (flow KY-18).
// The PDF itself is printed on demand (repayment_notice.pdf); the benefit_document row with
// once_key "repayment_notice:<repayment_id>" is written at the first print.
//
// Thread-safety: free functions; the Connection is the caller's (one thread).
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

struct RepaymentInput {
  std::string debtor_kind;                // "insured" | "provider"
  std::optional<std::string> person_id;   // insured: required; provider: the person concerned, if one
  std::optional<std::string> office_no;   // provider: required (10 digits)
  std::string debtor_name;                // provider: required; insured: empty → the person's name
  RepaymentReason reason_kind = RepaymentReason::other;
  std::string reason;                     // the facts, for the notice (no more personal data than needed)
  std::int64_t principal = 0;             // > 0
  Date decided_on;
  std::string actor;
};

struct Repayment {
  std::int64_t repayment_id = 0;
  std::string debtor_kind;
  std::optional<std::string> person_id;
  std::optional<std::string> office_no;
  std::string debtor_name;
  std::string reason_kind;
  std::string reason;
  std::int64_t principal = 0;
  std::int64_t surcharge = 0;
  std::int64_t total = 0;
  std::int64_t paid_total = 0;
  std::string slip_no;
  std::string decided_on;
  std::string due_on;
  std::string status;        // open | partially_paid | paid | overpaid | cancelled
  std::string explanation;   // JSON: the rules version, the surcharge formula, the due-date rule
  std::string decided_by;
  std::optional<std::string> changed_by, changed_at;  // who cancelled it, and when
  std::string recorded_at;
};

// 納付書番号: 12 digits = decision year (4) + sequence (7) + check digit (mod 10, weights 3/1
// from the right, as JAN codes), so a mistyped number is caught at the bank.
std::string make_slip_no(int year, std::int64_t sequence);
bool slip_no_valid(std::string_view slip_no);

// On the caller's connection, inside its transaction. invalid_input naming the field for a bad
// input (debtor_kind, person_id, office_no, debtor_name, principal, reason); not_found for an
// unknown person. Writes repayment (status open), the benefit_payment row (KY-20
// repayment_charge) and the KY-18 outbound exchange to `person`.
Result<Repayment> decide_repayment(store::Connection& c, const Clock& clock, const BenefitRules& rules,
                                   const RepaymentInput& input);

// Cancels an open repayment (decided in error); conflict when anything was received.
Result<Repayment> cancel_repayment(store::Connection& c, const Clock& clock, std::int64_t repayment_id,
                                   const std::string& actor);

Result<Repayment> load_repayment(store::Connection& c, std::int64_t repayment_id);
Result<std::vector<Repayment>> list_repayments(store::Connection& c, const std::optional<std::string>& status,
                                               const std::optional<std::string>& person_id);

}  // namespace kaigo::benefit

#pragma once
// The 給付 side of the embedded demo (kaigo serve's first start on the embedded default, never a
// production database): a few hundred category-1 persons of the synthetic city certified and
// carried through the benefit business the way a city's would be, so the 給付 screens and the
// 国保連 benefit simulator have something on first start (docs/simulator.md "The demo's benefits").
//
// Everything goes through the businesses' own functions, in the order a city lives them:
//   1. 認定: an application taken in (NT-01, ApplicationService::intake) on the 1st of the month
//      three months back and the committee's decision (certification::record_decision, as NT-12
//      records it) 20 days later — levels 要支援1 … 要介護5 in a fixed pattern, households of two
//      insured persons first (so a 高額 household total can pass its cap);
//   2. KY-01: a care-plan notification (register_care_plan) for nine persons in ten, by an office
//      that makes care plans (介護予防支援 46 for 要支援, 居宅介護支援 43 for 要介護);
//   3. 負担割合: the yearly run of the current rate year, then the new-recipient pick-up (the
//      certification's first day when the yearly run does not cover it);
//   4. KY-03: the recipient draft built and sent, one dispatcher pass taking it to the 国保連;
//   5. KY-04: the 国保連 (the caller's simulator) sends the two service months before this one,
//      each applied by a dispatcher pass through the inbox's KY-04 handler;
//   6. KY-05: 高額 applications (register_high_cost_application) for two in three of those with a
//      care plan, so the 高額 run pays some decisions and holds others.
// Deterministic: the same city (seed, size) and the same day give the same persons, levels and
// offices (the simulator is seeded too). Seeded once: refused (conflict) when any certification exists.
//
// Thread-safety: runs on the caller's thread before the server serves; no state.
#include <cstdint>
#include <functional>
#include <string>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::certification {
struct CertificationConfig;
}

namespace kaigo::benefit {

struct RecipientContext;

// The counterpart side, given by the caller (the simulators live in sim/, above this library).
struct DemoCounterparts {
  // One dispatcher pass: the outbox sent, the channels' inbound applied.
  std::function<Result<void>()> dispatch;
  // The 国保連 sends the KY-04 of review month `review` (service month the one before), made on
  // `created_on`; returns the data records sent (0 when it had nothing or sent that month before).
  std::function<Result<std::int64_t>(Date review, Date created_on)> send_month;
};

struct DemoBenefitOptions {
  int persons = 200;                // certified persons (fewer when the city has fewer insured)
  int months = 2;                   // KY-04 service months delivered, the last one the month before today
  std::string actor = "demo";
};

struct DemoBenefitReport {
  std::int64_t certified = 0;       // certifications granted
  std::int64_t skipped = 0;         // candidates the intake refused (not insured on the day …)
  std::int64_t care_plans = 0;      // KY-01 notifications registered
  std::int64_t rates = 0;           // copayment_rate rows written (yearly run + new recipients)
  std::int64_t ky03_records = 0;    // records in the KY-03 file sent
  std::int64_t ky03_held = 0;       // records held by the KY-03 checks (not sent)
  std::int64_t ky04_sent = 0;       // KY-04 data records the 国保連 sent
  std::int64_t ky04_applied = 0;    // benefit_record rows after the inbox applied them
  std::int64_t high_cost_applications = 0;  // KY-05 applications registered
  std::string first_service_month, last_service_month;  // YYYY-MM of the KY-04 months
  std::string summary() const;      // counts only, for the log line (no personal data)
};

// Seeds the demo's benefits as above (clock.today() is the demo's today). conflict when the
// database holds a certification already; errors of the services pass through unchanged.
Result<DemoBenefitReport> seed_demo_benefits(store::Database& db, const Clock& clock,
                                             const certification::CertificationConfig& certification_config,
                                             const RecipientContext& recipients, const DemoCounterparts& counterparts,
                                             const DemoBenefitOptions& options = {});

}  // namespace kaigo::benefit

#pragma once
// KY-01 居宅サービス計画作成依頼届出: who makes a person's care plan, from a day (介護保険法46条
// 居宅介護サービス計画費, 施行規則95条の2 — the notification to the insurer; 介護予防支援 法58条,
// 施行規則95条の3). One row per notification in care_plan (migration 016): a new notification ends
// the previous one the day before; a withdrawn one is cancelled (and the one it ended runs on).
// Every change writes recipient_event (kind care_plan) for KY-02 and KY-03.
//
// Readers (the simulator, KY-03, the records checks) use current_care_plan only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

struct BenefitConfig;

struct CarePlan {
  std::int64_t care_plan_id = 0;
  std::string person_id;
  std::string plan_kind;                // home_care | prevention | self
  std::optional<std::string> office_no; // 10-digit 事業所番号; none for self
  Date notified_on, valid_from;
  std::optional<Date> valid_to;         // none: open
  std::string status;                   // current | ended | cancelled
  std::string recorded_at, recorded_by;
  std::optional<std::string> changed_by, changed_at;  // who cancelled it, and when
};

// The plan in force for the person on `on` (current or ended, not cancelled), if any.
Result<std::optional<CarePlan>> current_care_plan(store::Connection& c, const std::string& person_id, Date on);

// The person's notifications, newest first (cancelled ones included).
Result<std::vector<CarePlan>> list_care_plans(store::Connection& c, const std::string& person_id);
Result<std::optional<CarePlan>> find_care_plan(store::Connection& c, std::int64_t care_plan_id);

struct CarePlanNotification {
  std::string plan_kind;
  std::optional<std::string> office_no;
  Date notified_on, valid_from;
};

// Registers a notification. invalid_input naming the field (plan_kind, office_no, valid_from);
// not_found for an unknown person; conflict when the person is not insured on valid_from, has no
// current certification of a matching level on it (要支援 → prevention, 要介護 → home_care), or
// already has a notification from that day or later (cancel it first).
Result<CarePlan> register_care_plan(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                    const std::string& person_id, const CarePlanNotification& n, const std::string& actor);

// Withdraws a notification registered in error; the notification it had ended runs on again.
Result<CarePlan> cancel_care_plan(store::Database& db, const Clock& clock, std::int64_t care_plan_id,
                                  const std::string& actor);

// Labels for screens and files.
const char* care_plan_kind_label(const std::string& plan_kind);

}  // namespace kaigo::benefit

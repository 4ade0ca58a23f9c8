// KY-01 care-plan notifications (care_plan.hpp).
#include "benefit/care_plan.hpp"

#include <fmt/format.h>

#include "benefit/codes.hpp"
#include "benefit/recipient_event.hpp"

namespace kaigo::benefit {

namespace {

constexpr const char* kColumns =
    "care_plan_id, person_id, plan_kind, office_no, notified_on, valid_from, valid_to, status, recorded_at, recorded_by, "
    "changed_by, changed_at";

Result<CarePlan> from_row(const store::Row& r) {
  auto notified = Date::parse(r.str(4));
  auto from = Date::parse(r.str(5));
  if (!notified || !from) return fail(ErrorKind::internal, fmt::format("care_plan {} has a stored date that is not a date", r.i64(0)));
  CarePlan p{r.i64(0), r.str(1),  r.str(2),  r.opt_str(3),  *notified,   *from,
             std::nullopt, r.str(7), r.str(8), r.str(9), r.opt_str(10), r.opt_str(11)};
  if (!r.is_null(6)) {
    auto to = Date::parse(r.str(6));
    if (!to) return fail(ErrorKind::internal, fmt::format("care_plan {} has a stored valid_to that is not a date", r.i64(0)));
    p.valid_to = *to;
  }
  return p;
}

Result<std::vector<CarePlan>> select(store::Connection& c, const std::string& where, const store::Params& params) {
  auto rows = c.query(fmt::format("SELECT {} FROM care_plan WHERE {}", kColumns, where), params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<CarePlan> out;
  for (const auto& r : *rows) {
    auto p = from_row(r);
    if (!p) return std::unexpected(p.error());
    out.push_back(std::move(*p));
  }
  return out;
}

// 要支援 → 介護予防支援 (法58条), 要介護 → 居宅介護支援 (法46条).
bool level_matches(const std::string& plan_kind, const std::string& level) {
  if (plan_kind == "prevention") return level.starts_with("support_");
  if (plan_kind == "home_care") return level.starts_with("care_");
  return level != "none";
}

}  // namespace

const char* care_plan_kind_label(const std::string& plan_kind) {
  if (plan_kind == "home_care") return "居宅介護支援事業所";
  if (plan_kind == "prevention") return "介護予防支援事業所";
  if (plan_kind == "self") return "自己作成";
  return "";
}

Result<std::optional<CarePlan>> current_care_plan(store::Connection& c, const std::string& person_id, Date on) {
  auto plans = select(c,
                      "person_id = $1 AND status <> 'cancelled' AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2) "
                      "ORDER BY valid_from DESC, care_plan_id DESC LIMIT 1",
                      {person_id, on.iso()});
  if (!plans) return std::unexpected(plans.error());
  if (plans->empty()) return std::optional<CarePlan>{};
  return std::optional<CarePlan>{plans->front()};
}

Result<std::vector<CarePlan>> list_care_plans(store::Connection& c, const std::string& person_id) {
  return select(c, "person_id = $1 ORDER BY valid_from DESC, care_plan_id DESC", {person_id});
}

Result<std::optional<CarePlan>> find_care_plan(store::Connection& c, std::int64_t care_plan_id) {
  auto plans = select(c, "care_plan_id = $1", {care_plan_id});
  if (!plans) return std::unexpected(plans.error());
  if (plans->empty()) return std::optional<CarePlan>{};
  return std::optional<CarePlan>{plans->front()};
}

Result<CarePlan> register_care_plan(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                    const std::string& person_id, const CarePlanNotification& n, const std::string& actor) {
  if (n.plan_kind != "home_care" && n.plan_kind != "prevention" && n.plan_kind != "self")
    return fail(ErrorKind::invalid_input, "plan_kind must be home_care, prevention or self", "plan_kind");
  const bool self = n.plan_kind == "self";
  if (self && n.office_no && !n.office_no->empty())
    return fail(ErrorKind::invalid_input, "a self-made plan (自己作成) names no office", "office_no");
  if (!self) {
    if (!n.office_no || n.office_no->empty())
      return fail(ErrorKind::invalid_input, "office_no is required for a plan made by an office", "office_no");
    const CareOffice* office = config.office(*n.office_no);
    if (!office) return fail(ErrorKind::invalid_input, "office_no is not a known care office (config/codes/care_offices.tsv)", "office_no");
    if (!office->makes_care_plans)
      return fail(ErrorKind::invalid_input, "the office does not make care plans (居宅介護支援・介護予防支援)", "office_no");
  }
  if (n.notified_on > clock.today()) return fail(ErrorKind::invalid_input, "notified_on is in the future", "notified_on");

  CarePlan out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto person = c.query_one("SELECT 1 FROM person WHERE person_id = $1", {person_id});
    if (!person) return std::unexpected(person.error());
    if (!*person) return fail(ErrorKind::not_found, "no such person", "person_id");
    const std::string day = n.valid_from.iso();
    auto insured = c.query_one(
        "SELECT 1 FROM eligibility_period WHERE person_id = $1 AND acquired_on <= $2 AND (lost_on IS NULL OR lost_on > $2)",
        {person_id, day});
    if (!insured) return std::unexpected(insured.error());
    if (!*insured) return fail(ErrorKind::conflict, "the person is not insured on valid_from", "valid_from");
    if (!self) {
      auto cert = c.query_one(
          "SELECT care_level FROM care_certification WHERE person_id = $1 AND status = 'current' AND valid_from <= $2 "
          "AND valid_to >= $2 ORDER BY valid_from DESC LIMIT 1",
          {person_id, day});
      if (!cert) return std::unexpected(cert.error());
      if (!*cert) return fail(ErrorKind::conflict, "the person has no current certification on valid_from", "valid_from");
      if (!level_matches(n.plan_kind, (*cert)->str(0)))
        return fail(ErrorKind::conflict,
                    n.plan_kind == "prevention"
                        ? "a 介護予防支援 plan needs a 要支援 certification on valid_from"
                        : "a 居宅介護支援 plan needs a 要介護 certification on valid_from",
                    "plan_kind");
    }
    // The writers' lock first: two notifications for one person are serialised here.
    if (auto l = lock_recipient_events(c); !l) return std::unexpected(l.error());
    auto later = c.query_one(
        "SELECT COUNT(*) FROM care_plan WHERE person_id = $1 AND status <> 'cancelled' AND valid_from >= $2", {person_id, day});
    if (!later) return std::unexpected(later.error());
    if ((*later)->i64(0) > 0)
      return fail(ErrorKind::conflict, "a notification from valid_from or later exists; cancel it first", "valid_from");
    // The previous notification ends the day before the new one applies.
    const std::string now = clock.timestamp();
    auto ended = c.query(
        "UPDATE care_plan SET valid_to = $1, status = 'ended' WHERE person_id = $2 AND status <> 'cancelled' "
        "AND (valid_to IS NULL OR valid_to >= $3) RETURNING care_plan_id",
        {n.valid_from.add_days(-1).iso(), person_id, day});
    if (!ended) return std::unexpected(ended.error());
    for (const auto& r : *ended)
      if (auto e = add_recipient_event(c, clock, person_id, "care_plan", r.i64(0)); !e) return std::unexpected(e.error());
    auto id = c.query_one(
        "INSERT INTO care_plan (person_id, plan_kind, office_no, notified_on, valid_from, valid_to, status, recorded_at, "
        "recorded_by) VALUES ($1, $2, $3, $4, $5, NULL, 'current', $6, $7) RETURNING care_plan_id",
        {person_id, n.plan_kind, self ? store::Value(std::monostate{}) : store::Value(*n.office_no), n.notified_on.iso(), day,
         now, actor});
    if (!id) return std::unexpected(id.error());
    const std::int64_t plan_id = (*id)->i64(0);
    if (auto e = add_recipient_event(c, clock, person_id, "care_plan", plan_id); !e) return std::unexpected(e.error());
    auto row = find_care_plan(c, plan_id);
    if (!row) return std::unexpected(row.error());
    out = **row;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<CarePlan> cancel_care_plan(store::Database& db, const Clock& clock, std::int64_t care_plan_id, const std::string& actor) {
  CarePlan out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    if (auto l = lock_recipient_events(c); !l) return std::unexpected(l.error());
    auto plan = find_care_plan(c, care_plan_id);
    if (!plan) return std::unexpected(plan.error());
    if (!*plan) return fail(ErrorKind::not_found, "no such care plan", "care_plan_id");
    if ((*plan)->status == "cancelled") return fail(ErrorKind::conflict, "the notification is already cancelled", "care_plan_id");
    const bool was_current = (*plan)->status == "current";
    auto n = c.exec("UPDATE care_plan SET status = 'cancelled', changed_by = $2, changed_at = $3 WHERE care_plan_id = $1",
                    {care_plan_id, actor, clock.timestamp()});
    if (!n) return std::unexpected(n.error());
    if (auto e = add_recipient_event(c, clock, (*plan)->person_id, "care_plan", care_plan_id); !e) return std::unexpected(e.error());
    if (was_current) {
      // The notification this one had ended (the day before it) runs on again.
      auto reopened = c.query(
          "UPDATE care_plan SET valid_to = NULL, status = 'current' WHERE person_id = $1 AND status = 'ended' AND valid_to = $2 "
          "RETURNING care_plan_id",
          {(*plan)->person_id, (*plan)->valid_from.add_days(-1).iso()});
      if (!reopened) return std::unexpected(reopened.error());
      for (const auto& r : *reopened)
        if (auto e = add_recipient_event(c, clock, (*plan)->person_id, "care_plan", r.i64(0)); !e) return std::unexpected(e.error());
    }
    auto row = find_care_plan(c, care_plan_id);
    if (!row) return std::unexpected(row.error());
    out = **row;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

}  // namespace kaigo::benefit

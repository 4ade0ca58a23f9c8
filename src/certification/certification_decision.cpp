// record_decision: the one writer of certification_decision, care_certification and
// certification_event (certification_decision.hpp).
#include "certification/certification_decision.hpp"

#include <fmt/format.h>

namespace kaigo::certification {

namespace {

struct ApplicationFacts {
  std::string person_id;
  ApplicationKind kind = ApplicationKind::new_application;
  std::string status;
  Date applied_on;
  std::optional<std::int64_t> previous_certification_id;
};

struct PreviousCertification {
  std::int64_t certification_id = 0;
  CareLevel level = CareLevel::none;
  Date valid_to;
};

Result<ApplicationFacts> lock_application(store::Connection& c, std::int64_t application_id) {
  auto r = c.query_one(fmt::format("SELECT person_id, kind, status, applied_on, previous_certification_id "
                                   "FROM certification_application WHERE application_id = $1{}",
                                   c.for_update()),
                       {application_id});
  if (!r) return std::unexpected(r.error());
  if (!*r) return fail(ErrorKind::not_found, fmt::format("no application {}", application_id), "application_id");
  const store::Row& row = **r;
  ApplicationFacts f;
  f.person_id = row.str(0);
  auto kind = application_kind_from_code(row.str(1));
  if (!kind) return fail(ErrorKind::internal, fmt::format("application {} has an unknown kind", application_id));
  f.kind = *kind;
  f.status = row.str(2);
  auto applied = Date::parse(row.str(3));
  if (!applied) return fail(ErrorKind::internal, fmt::format("application {} has a malformed applied_on", application_id));
  f.applied_on = *applied;
  f.previous_certification_id = row.opt_i64(4);
  return f;
}

// The certification a renewal or change follows: the one the application names, else the
// person's current one ending last.
Result<std::optional<PreviousCertification>> previous_certification(store::Connection& c, const ApplicationFacts& a) {
  Result<std::optional<store::Row>> r = a.previous_certification_id
      ? c.query_one("SELECT certification_id, care_level, valid_to FROM care_certification WHERE certification_id = $1",
                    {*a.previous_certification_id})
      : c.query_one("SELECT certification_id, care_level, valid_to FROM care_certification "
                    "WHERE person_id = $1 AND status = 'current' ORDER BY valid_to DESC, certification_id DESC LIMIT 1",
                    {a.person_id});
  if (!r) return std::unexpected(r.error());
  if (!*r) return std::optional<PreviousCertification>();
  auto level = care_level_from_code((*r)->str(1));
  auto to = Date::parse((*r)->str(2));
  if (!level || !to) return fail(ErrorKind::internal, "a stored certification has a malformed level or period");
  return std::optional<PreviousCertification>(PreviousCertification{(*r)->i64(0), *level, *to});
}

Result<void> add_event(store::Connection& c, const std::string& person_id, std::int64_t certification_id,
                       const char* kind, const std::string& now) {
  auto e = c.exec("INSERT INTO certification_event (person_id, certification_id, kind, created_at) VALUES ($1, $2, $3, $4)",
                  {person_id, certification_id, std::string(kind), now});
  if (!e) return std::unexpected(e.error());
  return {};
}

}  // namespace

Result<RecordedDecision> record_decision(store::Connection& c, const Clock& clock, const CertificationRules& rules,
                                         const DecisionInput& input) {
  auto app = lock_application(c, input.application_id);
  if (!app) return std::unexpected(app.error());
  if (app->status == "withdrawn") return fail(ErrorKind::conflict, "the application is withdrawn", "application_id");
  if (app->status == "decided" || app->status == "notified")
    return fail(ErrorKind::conflict, "already decided", "application_id");
  auto existing = c.query_one("SELECT decision_id FROM certification_decision WHERE application_id = $1", {input.application_id});
  if (!existing) return std::unexpected(existing.error());
  if (*existing) return fail(ErrorKind::conflict, "already decided", "application_id");

  auto version = rules.on(app->applied_on);
  if (!version) return std::unexpected(version.error());

  std::optional<PreviousCertification> previous;
  if (app->kind == ApplicationKind::renewal || app->kind == ApplicationKind::change ||
      app->kind == ApplicationKind::ex_officio) {
    auto p = previous_certification(c, *app);
    if (!p) return std::unexpected(p.error());
    previous = *p;
  }

  RecordedDecision out;
  std::optional<int> months;
  std::int64_t cap_units = 0;
  if (is_certified(input.level)) {
    if (input.fixed_validity) {
      // A transfer (法36条): the certificate's period, no months of our own.
      if (input.fixed_validity->to < input.fixed_validity->from)
        return fail(ErrorKind::invalid_input, "the certificate's period ends before it starts", "fixed_validity");
      out.validity = *input.fixed_validity;
    } else {
      if (!input.validity_months)
        return fail(ErrorKind::invalid_input, "a certified level needs its validity in months", "validity_months");
      const bool same_level = previous && previous->level == input.level;
      auto v = validity_period(**version, app->kind, app->applied_on,
                               previous ? std::optional<Date>(previous->valid_to) : std::nullopt, same_level,
                               *input.validity_months);
      if (!v) return std::unexpected(v.error());
      out.validity = *v;
      months = input.validity_months;
    }
    // 区分支給限度基準額 of the level in force on the first day of the period.
    auto cap_rules = rules.on(out.validity->from);
    if (!cap_rules) return std::unexpected(cap_rules.error());
    auto cap = monthly_cap_units(**cap_rules, input.level);
    if (!cap) return std::unexpected(cap.error());
    cap_units = *cap;
  }

  const std::string now = clock.timestamp();
  auto first_stage_level = c.query_one("SELECT care_level FROM first_stage_result WHERE application_id = $1", {input.application_id});
  if (!first_stage_level) return std::unexpected(first_stage_level.error());

  auto decision = c.query_one(
      "INSERT INTO certification_decision (application_id, session_id, care_level, first_stage_level, validity_months, "
      "valid_from, valid_to, remarks, change_reason, decided_on, source_exchange_id, recorded_at, recorded_by) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING decision_id",
      {input.application_id, store::opt(input.session_id), std::string(to_code(input.level)),
       *first_stage_level ? store::Value((*first_stage_level)->str(0)) : store::null(),
       months ? store::Value(static_cast<std::int64_t>(*months)) : store::null(),
       out.validity ? store::Value(out.validity->from.iso()) : store::null(),
       out.validity ? store::Value(out.validity->to.iso()) : store::null(), input.remarks, input.change_reason,
       input.decided_on.iso(), store::opt(input.source_exchange_id), now, input.actor});
  if (!decision) return std::unexpected(decision.error());
  out.decision_id = (*decision)->i64(0);

  if (out.validity) {
    // Writers of certification_event hold this row until commit, so a consumer's cursor never
    // skips an event committed late with a smaller id (as eligibility_event).
    auto lock = c.query_one(
        fmt::format("SELECT next_value FROM number_sequence WHERE name = 'certification_event_lock'{}", c.for_update()));
    if (!lock) return std::unexpected(lock.error());

    // A renewal or change supersedes the person's current certification that reaches into the new
    // period or ends the day before it (法28条10項: the renewal follows on; 法29条2項: a change
    // takes effect from its application day, so the old one ends the day before).
    const Date from = out.validity->from;
    auto overlapping = c.query(
        "SELECT certification_id, valid_from FROM care_certification WHERE person_id = $1 AND status = 'current' "
        "AND valid_to >= $2 ORDER BY certification_id",
        {app->person_id, from.add_days(-1).iso()});
    if (!overlapping) return std::unexpected(overlapping.error());
    for (const auto& row : *overlapping)
      if (row.str(1) >= from.iso())
        return fail(ErrorKind::conflict,
                    fmt::format("the person has a certification from {} already, not before the new period", row.str(1)),
                    "application_id");
    for (const auto& row : *overlapping) {
      const std::int64_t id = row.i64(0);
      auto moved = c.exec(
          "UPDATE care_certification SET status = 'superseded', "
          "valid_to = CASE WHEN valid_to >= $2 THEN $3 ELSE valid_to END WHERE certification_id = $1",
          {id, from.iso(), from.add_days(-1).iso()});
      if (!moved) return std::unexpected(moved.error());
      if (auto e = add_event(c, app->person_id, id, "superseded", now); !e) return std::unexpected(e.error());
      out.superseded_certification_id = id;
    }

    auto granted = c.query_one(
        "INSERT INTO care_certification (person_id, application_id, care_level, valid_from, valid_to, certified_on, "
        "monthly_cap_units, status, remarks, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'current', $8, $9) "
        "RETURNING certification_id",
        {app->person_id, input.application_id, std::string(to_code(input.level)), out.validity->from.iso(),
         out.validity->to.iso(), input.decided_on.iso(), cap_units, input.remarks, now});
    if (!granted) return std::unexpected(granted.error());
    out.certification_id = (*granted)->i64(0);
    if (auto e = add_event(c, app->person_id, *out.certification_id, "granted", now); !e) return std::unexpected(e.error());
  }

  auto updated = c.exec(
      "UPDATE certification_application SET status = 'decided', decided_on = $2, updated_at = $3 WHERE application_id = $1",
      {input.application_id, input.decided_on.iso(), now});
  if (!updated) return std::unexpected(updated.error());
  return out;
}

}  // namespace kaigo::certification

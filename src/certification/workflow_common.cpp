// Helpers of the workflow and committee files (workflow_internal.hpp).
#include <fmt/format.h>

#include "certification/workflow_internal.hpp"
#include "people/person_store.hpp"

namespace kaigo::certification::workflow_detail {

Result<std::optional<ApplicationFacts>> load_application(store::Connection& c, std::int64_t application_id, bool lock) {
  auto r = c.query_one(fmt::format("SELECT application_id, application_no, person_id, kind, category, place, status, applied_on, "
                                   "specified_disease, previous_certification_id FROM certification_application "
                                   "WHERE application_id = $1{}",
                                   lock ? c.for_update() : ""),
                       {application_id});
  if (!r) return std::unexpected(r.error());
  if (!*r) return std::optional<ApplicationFacts>();
  const store::Row& row = **r;
  ApplicationFacts a;
  a.application_id = row.i64(0);
  a.application_no = row.str(1);
  a.person_id = row.str(2);
  auto kind = application_kind_from_code(row.str(3));
  auto applied = Date::parse(row.str(7));
  if (!kind || !applied) return fail(ErrorKind::internal, fmt::format("application {} has a malformed kind or date", application_id));
  a.kind = *kind;
  a.category = row.str(4);
  a.place = row.str(5);
  a.status = row.str(6);
  a.applied_on = *applied;
  a.specified_disease = row.opt_str(8);
  a.previous_certification_id = row.opt_i64(9);
  return std::optional<ApplicationFacts>(std::move(a));
}

bool is_open(const std::string& status) {
  return status == "received" || status == "investigating" || status == "ready" || status == "scheduled";
}

Result<void> require_open(const ApplicationFacts& a, const std::string& field) {
  if (a.status == "withdrawn") return fail(ErrorKind::conflict, "the application is withdrawn", field);
  if (a.status == "decided" || a.status == "notified") return fail(ErrorKind::conflict, "the application is already decided", field);
  return {};
}

Result<shinsa::PersonPart> person_part(store::Connection& c, const std::string& person_id) {
  auto p = people::find_person(c, person_id);
  if (!p) return std::unexpected(p.error());
  if (!*p) return fail(ErrorKind::internal, "the application's person is missing");
  return shinsa::PersonPart{(*p)->name_kanji, (*p)->name_kana, (*p)->birth_date, (*p)->sex, (*p)->address, ""};
}

std::string request_no(char prefix, const std::string& application_no, std::int64_t n) {
  std::string digits;
  for (char ch : application_no)
    if (ch >= '0' && ch <= '9') digits.push_back(ch);
  return fmt::format("{}{}-{}", prefix, digits, n);
}

Result<void> accrue_fee(store::Connection& c, const Clock& clock, const CertificationRules& rules, const FeeAccrual& fee) {
  auto version = rules.on(fee.work_on);
  if (!version) return std::unexpected(version.error());
  auto amount = certification::fee(**version, fee.fee_key);
  if (!amount) return std::unexpected(amount.error());
  auto r = c.exec(
      "INSERT INTO certification_fee (flow_id, basis_key, payee_code, payee_name, fee_kind, amount, work_on, application_id, "
      "session_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (basis_key) DO NOTHING",
      {fee.flow_id, fee.basis_key, fee.payee_code, fee.payee_name, fee.fee_key, amount->yen, fee.work_on.iso(),
       store::opt(fee.application_id), store::opt(fee.session_id), clock.timestamp()});
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<bool> ready_if_complete(store::Connection& c, const Clock& clock, const CertificationRules& rules,
                               std::int64_t application_id) {
  auto app = load_application(c, application_id, false);
  if (!app) return std::unexpected(app.error());
  if (!*app || ((*app)->status != "received" && (*app)->status != "investigating")) return false;
  // The latest request of each kind that was not cancelled decides: a re-requested assessment
  // waits for its new result.
  auto assessment = c.query_one(
      "SELECT assessment_id, status, standard_tenths, cognitive_decline, unstable_condition FROM home_assessment "
      "WHERE application_id = $1 AND status <> 'cancelled' ORDER BY assessment_id DESC LIMIT 1",
      {application_id});
  if (!assessment) return std::unexpected(assessment.error());
  auto opinion = c.query_one(
      "SELECT status FROM physician_opinion WHERE application_id = $1 AND status <> 'cancelled' ORDER BY opinion_id DESC LIMIT 1",
      {application_id});
  if (!opinion) return std::unexpected(opinion.error());
  if (!*assessment || !*opinion || (*assessment)->str(1) != "received" || (*opinion)->str(0) != "received") return false;

  auto version = rules.on((*app)->applied_on);
  if (!version) return std::unexpected(version.error());
  const std::int64_t tenths = (*assessment)->i64(2);
  const FirstStage first = first_stage(**version, tenths, (*assessment)->i64(3) == 1, (*assessment)->i64(4) == 1);
  const std::string now = clock.timestamp();
  auto stored = c.exec(
      "INSERT INTO first_stage_result (application_id, assessment_id, care_level, standard_tenths, explanation, computed_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (application_id) DO UPDATE SET assessment_id = excluded.assessment_id, "
      "care_level = excluded.care_level, standard_tenths = excluded.standard_tenths, explanation = excluded.explanation, "
      "computed_at = excluded.computed_at",
      {application_id, (*assessment)->i64(0), std::string(to_code(first.level)), tenths, first.explanation, now});
  if (!stored) return std::unexpected(stored.error());
  auto ready = c.exec(
      "UPDATE certification_application SET status = 'ready', ready_on = $2, updated_at = $3 "
      "WHERE application_id = $1 AND status IN ('received', 'investigating')",
      {application_id, clock.today().iso(), now});
  if (!ready) return std::unexpected(ready.error());
  return *ready == 1;
}

Result<std::optional<CareLevel>> previous_level(store::Connection& c, const ApplicationFacts& a) {
  if (a.kind == ApplicationKind::new_application || a.kind == ApplicationKind::transfer) return std::optional<CareLevel>();
  Result<std::optional<store::Row>> r = a.previous_certification_id
      ? c.query_one("SELECT care_level FROM care_certification WHERE certification_id = $1", {*a.previous_certification_id})
      : c.query_one("SELECT care_level FROM care_certification WHERE person_id = $1 AND status = 'current' "
                    "ORDER BY valid_to DESC, certification_id DESC LIMIT 1",
                    {a.person_id});
  if (!r) return std::unexpected(r.error());
  if (!*r) return std::optional<CareLevel>();
  auto level = care_level_from_code((*r)->str(0));
  if (!level) return fail(ErrorKind::internal, "a stored certification has an unknown care level");
  return std::optional<CareLevel>(*level);
}

}  // namespace kaigo::certification::workflow_detail

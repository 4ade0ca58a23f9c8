// NT-07 (認定調査依頼 to chosa) and NT-09 (主治医意見書作成依頼 to iryokikan): workflow.hpp.
#include <fmt/format.h>

#include "certification/workflow.hpp"
#include "certification/workflow_internal.hpp"

namespace kaigo::certification {

using namespace workflow_detail;

namespace {

// The application as a request needs it: open, and not before a session.
Result<ApplicationFacts> lock_for_request(store::Connection& c, std::int64_t application_id) {
  auto app = load_application(c, application_id, true);
  if (!app) return std::unexpected(app.error());
  if (!*app) return fail(ErrorKind::not_found, fmt::format("no application {}", application_id), "application_id");
  if (auto open = require_open(**app, "application_id"); !open) return std::unexpected(open.error());
  if ((*app)->status == "scheduled")
    return fail(ErrorKind::conflict, "the application is before a committee session; wait for its decision", "application_id");
  return std::move(**app);
}

Result<Date> due_day(const std::optional<Date>& due_on, Date today) {
  if (!due_on) return today.add_days(kDefaultDueDays);
  if (*due_on < today) return fail(ErrorKind::invalid_input, "due_on must not be before today", "due_on");
  return *due_on;
}

// The application's clock and status after a request: investigating; the first request of the
// kind sets its requested_on; a ready application (re-assessment) waits again, off any planned
// session.
Result<void> mark_investigating(store::Connection& c, std::int64_t application_id, const char* requested_column, Date today,
                                const std::string& now) {
  auto r = c.exec(fmt::format("UPDATE certification_application SET status = 'investigating', "
                              "{0} = COALESCE({0}, $2), ready_on = NULL, updated_at = $3 WHERE application_id = $1",
                              requested_column),
                  {application_id, today.iso(), now});
  if (!r) return std::unexpected(r.error());
  // No longer ready: off any planned session it was put before (a requested one refused above).
  auto off = c.exec(
      "DELETE FROM committee_case WHERE application_id = $1 AND outcome IS NULL AND session_id IN "
      "(SELECT session_id FROM committee_session WHERE status = 'planned')",
      {application_id});
  if (!off) return std::unexpected(off.error());
  return {};
}

Result<AssessmentView> assessment_view(store::Connection& c, std::int64_t assessment_id) {
  auto r = c.query_one(
      "SELECT assessment_id, request_no, assessor_kind, contractor_code, assessor_name, requested_on, due_on, status "
      "FROM home_assessment WHERE assessment_id = $1",
      {assessment_id});
  if (!r) return std::unexpected(r.error());
  if (!*r) return fail(ErrorKind::internal, "an assessment vanished");
  const store::Row& row = **r;
  AssessmentView v;
  v.assessment_id = row.i64(0);
  v.request_no = row.str(1);
  v.assessor_kind = row.str(2);
  v.contractor_code = row.opt_str(3);
  v.assessor_name = row.str(4);
  v.requested_on = row.str(5);
  v.due_on = row.str(6);
  v.status = row.str(7);
  return v;
}

Result<OpinionView> opinion_view(store::Connection& c, std::int64_t opinion_id) {
  auto r = c.query_one(
      "SELECT opinion_id, request_no, institution_code, doctor_name, first_visit, requested_on, due_on, status "
      "FROM physician_opinion WHERE opinion_id = $1",
      {opinion_id});
  if (!r) return std::unexpected(r.error());
  if (!*r) return fail(ErrorKind::internal, "an opinion vanished");
  const store::Row& row = **r;
  OpinionView v;
  v.opinion_id = row.i64(0);
  v.request_no = row.str(1);
  v.institution_code = row.str(2);
  v.doctor_name = row.str(3);
  v.first_visit = row.i64(4) == 1;
  v.requested_on = row.str(5);
  v.due_on = row.str(6);
  v.status = row.str(7);
  return v;
}

}  // namespace

WorkflowService::WorkflowService(store::Database& db, const Clock& clock, const CertificationConfig& config)
    : db_(db), clock_(clock), config_(config) {}

Result<Requested<AssessmentView>> WorkflowService::request_assessment(std::int64_t application_id,
                                                                      const AssessmentRequestInput& input,
                                                                      const std::string& actor) {
  // The input on its own first.
  const Contractor* contractor = nullptr;
  if (input.assessor_kind == "contractor") {
    if (!input.contractor_code || input.contractor_code->empty())
      return fail(ErrorKind::invalid_input, "a contractor's code is required", "contractor_code");
    contractor = config_.contractor(*input.contractor_code);
    if (!contractor) return fail(ErrorKind::invalid_input, "not a contractor of assessment_contractors.tsv", "contractor_code");
  } else if (input.assessor_kind == "city") {
    if (input.contractor_code) return fail(ErrorKind::invalid_input, "the city's own assessor has no contractor code", "contractor_code");
    if (input.assessor_name.empty()) return fail(ErrorKind::invalid_input, "the city's assessor is named", "assessor_name");
  } else {
    return fail(ErrorKind::invalid_input, "assessor_kind must be contractor or city", "assessor_kind");
  }
  const Date today = clock_.today();
  auto due = due_day(input.due_on, today);
  if (!due) return std::unexpected(due.error());

  Requested<AssessmentView> out;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto app = lock_for_request(c, application_id);
    if (!app) return std::unexpected(app.error());
    const std::string now = clock_.timestamp();
    // The contractor gave it back (or staff chose another): the open request ends here.
    auto cancelled = c.exec("UPDATE home_assessment SET status = 'cancelled' WHERE application_id = $1 AND status = 'requested'",
                            {application_id});
    if (!cancelled) return std::unexpected(cancelled.error());
    auto n = c.query_one("SELECT COUNT(*) FROM home_assessment WHERE application_id = $1", {application_id});
    if (!n) return std::unexpected(n.error());
    const std::string no = request_no('C', app->application_no, (*n)->i64(0) + 1);
    auto inserted = c.query_one(
        "INSERT INTO home_assessment (application_id, request_no, assessor_kind, contractor_code, assessor_name, requested_on, "
        "due_on, status, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8) RETURNING assessment_id",
        {application_id, no, input.assessor_kind, contractor ? store::Value(contractor->code) : store::null(), input.assessor_name,
         today.iso(), due->iso(), actor});
    if (!inserted) return std::unexpected(inserted.error());
    const std::int64_t assessment_id = (*inserted)->i64(0);
    auto person = person_part(c, app->person_id);
    if (!person) return std::unexpected(person.error());
    const std::string payload = shinsa::assessment_request_document(
        {no, app->application_no, input.assessor_kind, contractor ? std::optional<std::string>(contractor->code) : std::nullopt,
         input.assessor_name, app->place, std::string(to_code(app->kind)), today, *due, *person});
    auto sent = linkage::enqueue_outbound(
        c, clock_,
        linkage::OutboundMessage{"NT-07", kChosa, payload, "application/json", {app->person_id}, "認定調査依頼", actor,
                                 "NT-07:" + no});
    if (!sent) return std::unexpected(sent.error());
    auto linked = c.exec("UPDATE home_assessment SET request_exchange_id = $2 WHERE assessment_id = $1",
                         {assessment_id, sent->exchange_id});
    if (!linked) return std::unexpected(linked.error());
    if (auto m = mark_investigating(c, application_id, "assessment_requested_on", today, now); !m) return m;
    auto view = assessment_view(c, assessment_id);
    if (!view) return std::unexpected(view.error());
    out = {app->person_id, std::move(*view), sent->exchange_id};
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<Requested<OpinionView>> WorkflowService::request_opinion(std::int64_t application_id, const OpinionRequestInput& input,
                                                                const std::string& actor) {
  const MedicalInstitution* institution = config_.institution(input.institution_code);
  if (input.institution_code.empty()) return fail(ErrorKind::invalid_input, "the institution is required", "institution_code");
  if (!institution) return fail(ErrorKind::invalid_input, "not an institution of medical_institutions.tsv", "institution_code");
  if (input.doctor_name.empty()) return fail(ErrorKind::invalid_input, "the doctor (主治医) is named", "doctor_name");
  const Date today = clock_.today();
  auto due = due_day(input.due_on, today);
  if (!due) return std::unexpected(due.error());

  Requested<OpinionView> out;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto app = lock_for_request(c, application_id);
    if (!app) return std::unexpected(app.error());
    const std::string now = clock_.timestamp();
    auto cancelled = c.exec("UPDATE physician_opinion SET status = 'cancelled' WHERE application_id = $1 AND status = 'requested'",
                            {application_id});
    if (!cancelled) return std::unexpected(cancelled.error());
    auto n = c.query_one("SELECT COUNT(*) FROM physician_opinion WHERE application_id = $1", {application_id});
    if (!n) return std::unexpected(n.error());
    const std::string no = request_no('D', app->application_no, (*n)->i64(0) + 1);
    auto inserted = c.query_one(
        "INSERT INTO physician_opinion (application_id, request_no, institution_code, doctor_name, first_visit, requested_on, "
        "due_on, status, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8) RETURNING opinion_id",
        {application_id, no, institution->code, input.doctor_name, std::int64_t{input.first_visit ? 1 : 0}, today.iso(),
         due->iso(), actor});
    if (!inserted) return std::unexpected(inserted.error());
    const std::int64_t opinion_id = (*inserted)->i64(0);
    auto person = person_part(c, app->person_id);
    if (!person) return std::unexpected(person.error());
    const std::string payload = shinsa::opinion_request_document(
        {no, app->application_no, institution->code, input.doctor_name, input.first_visit, today, *due, *person});
    auto sent = linkage::enqueue_outbound(
        c, clock_,
        linkage::OutboundMessage{"NT-09", kIryokikan, payload, "application/json", {app->person_id}, "主治医意見書作成依頼",
                                 actor, "NT-09:" + no});
    if (!sent) return std::unexpected(sent.error());
    auto linked = c.exec("UPDATE physician_opinion SET request_exchange_id = $2 WHERE opinion_id = $1", {opinion_id, sent->exchange_id});
    if (!linked) return std::unexpected(linked.error());
    if (auto m = mark_investigating(c, application_id, "opinion_requested_on", today, now); !m) return m;
    auto view = opinion_view(c, opinion_id);
    if (!view) return std::unexpected(view.error());
    out = {app->person_id, std::move(*view), sent->exchange_id};
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

}  // namespace kaigo::certification

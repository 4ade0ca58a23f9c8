// Committee sessions, their members and cases, and NT-11 (committee.hpp).
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "certification/committee.hpp"
#include "certification/workflow_internal.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::certification {

using namespace workflow_detail;

namespace {

Result<std::vector<SessionMemberView>> members_of(store::Connection& c, std::int64_t session_id) {
  auto rows = c.query(
      "SELECT m.member_code, cm.name, cm.profession, m.role, m.attended FROM committee_session_member m "
      "JOIN committee_member cm ON cm.member_code = m.member_code WHERE m.session_id = $1 "
      "ORDER BY CASE m.role WHEN 'chair' THEN 0 ELSE 1 END, m.member_code",
      {session_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<SessionMemberView> out;
  for (const auto& r : *rows)
    out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.is_null(4) ? std::nullopt : std::optional<bool>(r.i64(4) == 1)});
  return out;
}

Result<std::vector<SessionCaseView>> cases_of(store::Connection& c, std::int64_t session_id) {
  auto rows = c.query(
      "SELECT a.application_id, a.application_no, a.person_id, p.name_kanji, p.name_kana, a.kind, a.status, cc.case_order, "
      "f.care_level, f.standard_tenths, cc.outcome, d.care_level, d.validity_months, d.valid_from, d.valid_to "
      "FROM committee_case cc JOIN certification_application a ON a.application_id = cc.application_id "
      "JOIN person p ON p.person_id = a.person_id "
      "LEFT JOIN first_stage_result f ON f.application_id = a.application_id "
      "LEFT JOIN certification_decision d ON d.application_id = a.application_id AND d.session_id = cc.session_id "
      "WHERE cc.session_id = $1 ORDER BY cc.case_order",
      {session_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<SessionCaseView> out;
  for (const auto& r : *rows)
    out.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.i64(7), r.opt_str(8), r.opt_i64(9),
                   r.opt_str(10), r.opt_str(11), r.opt_i64(12), r.opt_str(13), r.opt_str(14)});
  return out;
}

// The session row, locked; not_found.
Result<std::pair<std::string, std::string>> lock_session(store::Connection& c, std::int64_t session_id) {
  auto r = c.query_one(fmt::format("SELECT status, session_no FROM committee_session WHERE session_id = $1{}", c.for_update()),
                       {session_id});
  if (!r) return std::unexpected(r.error());
  if (!*r) return fail(ErrorKind::not_found, fmt::format("no committee session {}", session_id), "session_id");
  return std::make_pair((*r)->str(0), (*r)->str(1));
}

Result<void> require_planned(const std::string& status) {
  if (status != "planned")
    return fail(ErrorKind::conflict, fmt::format("the session is {} (only a planned session takes cases or is requested)", status),
                "session_id");
  return {};
}

}  // namespace

Result<void> sync_members(store::Connection& c, const CertificationConfig& config) {
  if (config.members.empty()) return {};
  std::string values;
  store::Params params;
  for (const auto& m : config.members) {
    values += fmt::format("{}({})", values.empty() ? "" : ", ", store::numbered_params(5, params.size() + 1));
    params.insert(params.end(), {m.member_code, m.name, m.profession, m.payee_code, std::int64_t{m.active ? 1 : 0}});
  }
  auto r = c.exec("INSERT INTO committee_member (member_code, name, profession, payee_code, active) VALUES " + values +
                      " ON CONFLICT (member_code) DO UPDATE SET name = excluded.name, profession = excluded.profession, "
                      "payee_code = excluded.payee_code, active = excluded.active",
                  params);
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<std::optional<SessionView>> load_session(store::Connection& c, std::int64_t session_id) {
  auto r = c.query_one(
      "SELECT session_id, session_no, panel, held_on, status, request_exchange_id, decision_exchange_id, created_at, created_by "
      "FROM committee_session WHERE session_id = $1",
      {session_id});
  if (!r) return std::unexpected(r.error());
  if (!*r) return std::optional<SessionView>();
  const store::Row& row = **r;
  SessionView v{row.i64(0), row.str(1), row.str(2), row.str(3), row.str(4), row.opt_i64(5), row.opt_i64(6), row.str(7), row.str(8),
                {}, {}};
  auto members = members_of(c, session_id);
  if (!members) return std::unexpected(members.error());
  v.members = std::move(*members);
  auto cases = cases_of(c, session_id);
  if (!cases) return std::unexpected(cases.error());
  v.cases = std::move(*cases);
  return std::optional<SessionView>(std::move(v));
}

CommitteeService::CommitteeService(store::Database& db, const Clock& clock, const CertificationConfig& config)
    : db_(db), clock_(clock), config_(config) {}

Result<SessionView> CommitteeService::create_session(const SessionInput& input, const std::string& actor) {
  if (input.panel.empty()) return fail(ErrorKind::invalid_input, "the panel (合議体) is named", "panel");
  if (input.held_on < clock_.today()) return fail(ErrorKind::invalid_input, "held_on must not be before today", "held_on");
  if (input.members.size() < static_cast<std::size_t>(kMinPanelMembers))
    return fail(ErrorKind::invalid_input,
                fmt::format("a panel has at least {} members (介護保険法施行令9条)", kMinPanelMembers), "members");
  std::set<std::string> seen;
  int chairs = 0;
  for (std::size_t i = 0; i < input.members.size(); ++i) {
    const auto& m = input.members[i];
    const CommitteeMember* known = config_.member(m.member_code);
    if (!known) return fail(ErrorKind::invalid_input, "not a member of committee_members.tsv", fmt::format("members[{}].member_code", i));
    if (!known->active)
      return fail(ErrorKind::invalid_input, "the member is no longer appointed", fmt::format("members[{}].member_code", i));
    if (!seen.insert(m.member_code).second)
      return fail(ErrorKind::invalid_input, "the member appears twice", fmt::format("members[{}].member_code", i));
    if (m.role != "chair" && m.role != "member")
      return fail(ErrorKind::invalid_input, "role must be chair or member", fmt::format("members[{}].role", i));
    chairs += m.role == "chair";
  }
  // 施行令10条: 合議体に長を置き、委員の互選によりこれを定める — one chair per sitting.
  if (chairs != 1) return fail(ErrorKind::invalid_input, "a panel has exactly one chair (合議体の長)", "members");

  std::int64_t session_id = 0;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    if (auto s = sync_members(c, config_); !s) return s;
    auto n = c.query_one("SELECT COUNT(*) FROM committee_session WHERE held_on = $1", {input.held_on.iso()});
    if (!n) return std::unexpected(n.error());
    const std::string session_no = fmt::format("S{}-{}", input.held_on.compact(), (*n)->i64(0) + 1);
    auto made = c.query_one(
        "INSERT INTO committee_session (session_no, panel, held_on, status, created_at, created_by) "
        "VALUES ($1, $2, $3, 'planned', $4, $5) RETURNING session_id",
        {session_no, input.panel, input.held_on.iso(), clock_.timestamp(), actor});
    if (!made) return std::unexpected(made.error());
    session_id = (*made)->i64(0);
    std::string values;
    store::Params params{session_id};
    for (const auto& m : input.members) {
      values += fmt::format("{}($1, ${}, ${})", values.empty() ? "" : ", ", params.size() + 1, params.size() + 2);
      params.insert(params.end(), {m.member_code, m.role});
    }
    auto members = c.exec("INSERT INTO committee_session_member (session_id, member_code, role) VALUES " + values, params);
    if (!members) return std::unexpected(members.error());
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  auto found = find(session_id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::internal, "a session vanished after it was made");
  return std::move(**found);
}

Result<SessionView> CommitteeService::add_cases(std::int64_t session_id, const std::vector<std::int64_t>& application_ids,
                                                const std::string& actor) {
  (void)actor;  // the cases record no author; the API's access log names who added them
  if (application_ids.empty()) return fail(ErrorKind::invalid_input, "name at least one application", "application_ids");
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto session = lock_session(c, session_id);
    if (!session) return std::unexpected(session.error());
    if (auto p = require_planned(session->first); !p) return p;
    std::vector<std::int64_t> fresh;
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < application_ids.size(); ++i) {
      const std::string field = fmt::format("application_ids[{}]", i);
      const std::int64_t id = application_ids[i];
      if (!seen.insert(id).second) continue;
      auto app = load_application(c, id, true);
      if (!app) return std::unexpected(app.error());
      if (!*app) return fail(ErrorKind::not_found, fmt::format("no application {}", id), field);
      auto before = c.query_one(
          "SELECT cc.session_id FROM committee_case cc JOIN committee_session s ON s.session_id = cc.session_id "
          "WHERE cc.application_id = $1 AND cc.outcome IS NULL AND s.status IN ('planned', 'requested')",
          {id});
      if (!before) return std::unexpected(before.error());
      if (*before && (*before)->i64(0) == session_id) continue;  // already a case here
      if (*before) return fail(ErrorKind::conflict, "the application is a case of another open session", field);
      if ((*app)->status != "ready")
        return fail(ErrorKind::conflict,
                    fmt::format("only a ready application (assessment and opinion in) goes before the committee; this one is {}",
                                (*app)->status),
                    field);
      fresh.push_back(id);
    }
    if (fresh.empty()) return {};
    auto last = c.query_one("SELECT COALESCE(MAX(case_order), 0) FROM committee_case WHERE session_id = $1", {session_id});
    if (!last) return std::unexpected(last.error());
    std::string values;
    store::Params params{session_id};
    std::int64_t order = (*last)->i64(0);
    for (std::int64_t id : fresh) {
      values += fmt::format("{}($1, ${}, ${})", values.empty() ? "" : ", ", params.size() + 1, params.size() + 2);
      params.insert(params.end(), {id, ++order});
    }
    auto added = c.exec("INSERT INTO committee_case (session_id, application_id, case_order) VALUES " + values, params);
    if (!added) return std::unexpected(added.error());
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  auto found = find(session_id);
  if (!found) return std::unexpected(found.error());
  return std::move(**found);
}

Result<SessionView> CommitteeService::request(std::int64_t session_id, const std::string& actor) {
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto session = lock_session(c, session_id);
    if (!session) return std::unexpected(session.error());
    if (auto p = require_planned(session->first); !p) return p;
    auto view = load_session(c, session_id);
    if (!view) return std::unexpected(view.error());
    const SessionView& s = **view;
    if (s.cases.empty()) return fail(ErrorKind::conflict, "the session has no cases yet", "session_id");
    shinsa::SessionRequestDoc doc{s.session_no, s.panel, *Date::parse(s.held_on), {}, {}};
    for (const auto& m : s.members) doc.members.push_back({m.member_code, m.name, m.profession, m.role});
    std::vector<std::string> persons;
    for (const auto& k : s.cases) {
      auto app = load_application(c, k.application_id, true);
      if (!app) return std::unexpected(app.error());
      if ((*app)->status != "ready")
        return fail(ErrorKind::conflict, fmt::format("case {} is no longer ready ({})", k.case_order, (*app)->status), "session_id");
      if (!k.first_stage_level || !k.standard_tenths)
        return fail(ErrorKind::internal, "a ready application without its first stage");
      auto version = config_.rules.on((*app)->applied_on);
      if (!version) return std::unexpected(version.error());
      auto previous = previous_level(c, **app);
      if (!previous) return std::unexpected(previous.error());
      auto first = care_level_from_code(*k.first_stage_level);
      if (!first) return fail(ErrorKind::internal, "a first stage with an unknown level");
      shinsa::SessionCasePart part{(*app)->application_no, (*app)->kind, *first, *k.standard_tenths, *previous,
                                   validity_range(**version, (*app)->kind, *previous && **previous == *first), std::nullopt,
                                   std::nullopt};
      if ((*app)->kind == ApplicationKind::renewal) {
        part.same_level = validity_range(**version, ApplicationKind::renewal, true);
        part.other_level = validity_range(**version, ApplicationKind::renewal, false);
      }
      doc.cases.push_back(std::move(part));
      persons.push_back((*app)->person_id);
    }
    auto sent = linkage::enqueue_outbound(
        c, clock_,
        linkage::OutboundMessage{"NT-11", kShinsa, shinsa::session_request_document(doc), "application/json", persons,
                                 "審査判定依頼", actor, "NT-11:" + s.session_no});
    if (!sent) return std::unexpected(sent.error());
    const std::string now = clock_.timestamp();
    auto marked = c.exec("UPDATE committee_session SET status = 'requested', request_exchange_id = $2 WHERE session_id = $1",
                         {session_id, sent->exchange_id});
    if (!marked) return std::unexpected(marked.error());
    auto scheduled = c.exec(
        "UPDATE certification_application SET status = 'scheduled', scheduled_on = $2, updated_at = $3 "
        "WHERE status = 'ready' AND application_id IN (SELECT application_id FROM committee_case WHERE session_id = $1)",
        {session_id, clock_.today().iso(), now});
    if (!scheduled) return std::unexpected(scheduled.error());
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  auto found = find(session_id);
  if (!found) return std::unexpected(found.error());
  return std::move(**found);
}

Result<std::optional<SessionView>> CommitteeService::find(std::int64_t session_id) {
  std::optional<SessionView> out;
  auto r = db_.with_connection([&](store::Connection& c) -> Result<void> {
    auto v = load_session(c, session_id);
    if (!v) return std::unexpected(v.error());
    out = std::move(*v);
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

Result<std::vector<SessionSummary>> CommitteeService::list(std::optional<Date> from, std::optional<Date> to) {
  auto rows = db_.query(
      "SELECT s.session_id, s.session_no, s.panel, s.held_on, s.status, "
      "(SELECT COUNT(*) FROM committee_case cc WHERE cc.session_id = s.session_id), "
      "(SELECT COUNT(*) FROM committee_case cc WHERE cc.session_id = s.session_id AND cc.outcome = 'decided'), "
      "(SELECT COUNT(*) FROM committee_case cc WHERE cc.session_id = s.session_id AND cc.outcome = 'deferred'), "
      "(SELECT COUNT(*) FROM committee_session_member m WHERE m.session_id = s.session_id) "
      "FROM committee_session s WHERE s.held_on >= $1 AND s.held_on <= $2 ORDER BY s.held_on DESC, s.session_id DESC",
      {from ? from->iso() : std::string("0000-01-01"), to ? to->iso() : std::string("9999-12-31")});
  if (!rows) return std::unexpected(rows.error());
  std::vector<SessionSummary> out;
  for (const auto& r : *rows)
    out.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.i64(5), r.i64(6), r.i64(7), r.i64(8)});
  return out;
}

}  // namespace kaigo::certification

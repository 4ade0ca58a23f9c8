// NT-12 審査判定結果 from shinsa: checked whole, then applied in the inbox's transaction
// (committee.hpp).
#include <map>
#include <set>

#include <fmt/format.h>

#include "certification/certification_decision.hpp"
#include "certification/committee.hpp"
#include "certification/workflow_internal.hpp"

namespace kaigo::certification {

using namespace workflow_detail;

namespace {

std::unexpected<Error> refuse(ErrorKind kind, const std::string& path, const std::string& what) {
  return fail(kind, fmt::format("{}: {}", path, what), path);
}

struct SessionRow {
  std::int64_t session_id = 0;
  std::string status;
  Date held_on;
};

struct CaseRow {
  std::int64_t case_order = 0;
  ApplicationFacts application;
  std::optional<CareLevel> previous_level;
};

Result<SessionRow> lock_session_by_no(store::Connection& c, const std::string& session_no) {
  auto r = c.query_one(
      fmt::format("SELECT session_id, status, held_on FROM committee_session WHERE session_no = $1{}", c.for_update()),
      {session_no});
  if (!r) return std::unexpected(r.error());
  if (!*r) return refuse(ErrorKind::not_found, "session_no", "no such session");
  SessionRow s{(*r)->i64(0), (*r)->str(1), Date::parse((*r)->str(2)).value_or(Date())};
  if (s.status == "decided") return refuse(ErrorKind::conflict, "session_no", "the session is already decided");
  if (s.status != "requested")
    return refuse(ErrorKind::conflict, "session_no", fmt::format("the session is {}, not requested (NT-11 not sent)", s.status));
  return s;
}

// The session's open cases by application_no.
Result<std::map<std::string, CaseRow>> cases_of(store::Connection& c, std::int64_t session_id) {
  auto rows = c.query("SELECT application_id, case_order FROM committee_case WHERE session_id = $1 ORDER BY case_order", {session_id});
  if (!rows) return std::unexpected(rows.error());
  std::map<std::string, CaseRow> out;
  for (const auto& r : *rows) {
    auto app = load_application(c, r.i64(0), true);
    if (!app) return std::unexpected(app.error());
    if (!*app) return fail(ErrorKind::internal, "a case without its application");
    auto previous = previous_level(c, **app);
    if (!previous) return std::unexpected(previous.error());
    const std::string no = (*app)->application_no;
    out.emplace(no, CaseRow{r.i64(1), std::move(**app), *previous});
  }
  return out;
}

Result<void> apply_decisions(store::Connection& c, const Clock& clock, const CertificationConfig& config,
                             const linkage::Exchange& exchange) {
  auto doc = shinsa::parse_decisions(exchange.payload);
  if (!doc) return std::unexpected(doc.error());
  auto session = lock_session_by_no(c, doc->session_no);
  if (!session) return std::unexpected(session.error());
  if (doc->held_on != session->held_on) return refuse(ErrorKind::invalid_input, "held_on", "is not the day of the session");
  if (clock.today() < doc->held_on) return refuse(ErrorKind::invalid_input, "held_on", "is after today");

  // Attendance within the session's members.
  auto members = c.query("SELECT member_code, role FROM committee_session_member WHERE session_id = $1", {session->session_id});
  if (!members) return std::unexpected(members.error());
  std::map<std::string, std::string> role_of;
  for (const auto& m : *members) role_of.emplace(m.str(0), m.str(1));
  for (std::size_t i = 0; i < doc->attended.size(); ++i)
    if (!role_of.contains(doc->attended[i]))
      return refuse(ErrorKind::invalid_input, fmt::format("attended[{}]", i), "is not a member of the session");

  // Every case exactly once (the parser refused a case twice), each still before the committee,
  // each validity within the range of its kind.
  auto cases = cases_of(c, session->session_id);
  if (!cases) return std::unexpected(cases.error());
  std::set<std::string> answered;
  for (std::size_t i = 0; i < doc->decisions.size(); ++i) {
    const auto& d = doc->decisions[i];
    const std::string base = fmt::format("decisions[{}]", i);
    auto it = cases->find(d.application_no);
    if (it == cases->end()) return refuse(ErrorKind::invalid_input, base + ".application_no", "is not a case of this session");
    const CaseRow& k = it->second;
    if (k.application.status == "decided" || k.application.status == "notified")
      return refuse(ErrorKind::conflict, base + ".application_no", "the application is already decided");
    if (k.application.status != "scheduled")
      return refuse(ErrorKind::conflict, base + ".application_no",
                    fmt::format("the application is {}, not before the committee", k.application.status));
    answered.insert(d.application_no);
    if (d.deferred || !d.level || !is_certified(*d.level)) continue;
    auto version = config.rules.on(k.application.applied_on);
    if (!version) return std::unexpected(version.error());
    const bool same_level = k.previous_level && *k.previous_level == *d.level;
    const ValidityRange range = validity_range(**version, k.application.kind, same_level);
    if (*d.validity_months < range.min_months || *d.validity_months > range.max_months)
      return refuse(ErrorKind::invalid_input, base + ".validity_months",
                    fmt::format("{} months is outside {}–{} months allowed for a {} application{}", *d.validity_months,
                                range.min_months, range.max_months, to_code(k.application.kind),
                                k.application.kind == ApplicationKind::renewal
                                    ? (same_level ? " at the same level" : " at another level")
                                    : ""));
    if (k.application.kind == ApplicationKind::renewal && !k.previous_level)
      return refuse(ErrorKind::conflict, base + ".application_no", "a renewal without the certification it renews");
  }
  for (const auto& [no, k] : *cases)
    if (!answered.contains(no))
      return refuse(ErrorKind::invalid_input, "decisions", fmt::format("case {} of the session has no decision", k.case_order));

  // Applied: nothing above wrote anything.
  const std::string now = clock.timestamp();
  for (std::size_t i = 0; i < doc->decisions.size(); ++i) {
    const auto& d = doc->decisions[i];
    const CaseRow& k = cases->at(d.application_no);
    const std::int64_t app_id = k.application.application_id;
    if (d.deferred) {
      // 再審査: back to ready for a later session; the wait before the committee runs again.
      auto back = c.exec(
          "UPDATE certification_application SET status = 'ready', scheduled_on = NULL, updated_at = $2 WHERE application_id = $1",
          {app_id, now});
      if (!back) return std::unexpected(back.error());
    } else {
      DecisionInput input;
      input.application_id = app_id;
      input.session_id = session->session_id;
      input.level = *d.level;
      input.validity_months = d.validity_months;
      input.remarks = d.remarks;
      input.change_reason = d.change_reason;
      input.decided_on = doc->held_on;
      input.source_exchange_id = exchange.exchange_id;
      input.actor = "channel:shinsa";
      auto recorded = record_decision(c, clock, config.rules, input);
      if (!recorded) {
        const Error& e = recorded.error();
        return refuse(e.kind, fmt::format("decisions[{}]", i) + (e.field.empty() ? "" : "." + e.field), e.message);
      }
    }
    auto outcome = c.exec("UPDATE committee_case SET outcome = $3 WHERE session_id = $1 AND application_id = $2",
                          {session->session_id, app_id, std::string(d.deferred ? "deferred" : "decided")});
    if (!outcome) return std::unexpected(outcome.error());
    if (auto p = linkage::add_person(c, exchange.exchange_id, k.application.person_id); !p) return p;
  }

  // Attendance, then the fees of those who sat (報酬 per sitting, NT-15), in one statement.
  store::Params attended{session->session_id};
  for (const auto& m : doc->attended) attended.push_back(m);
  auto marked = c.exec(
      attended.size() > 1
          ? fmt::format("UPDATE committee_session_member SET attended = CASE WHEN member_code IN ({}) THEN 1 ELSE 0 END "
                        "WHERE session_id = $1",
                        store::numbered_params(attended.size() - 1, 2))
          : std::string("UPDATE committee_session_member SET attended = 0 WHERE session_id = $1"),
      attended);
  if (!marked) return std::unexpected(marked.error());
  if (!doc->attended.empty()) {
    // The payees as the member list says now (a corrected 債権者コード reaches the fee).
    if (auto synced = sync_members(c, config); !synced) return synced;
    auto version = config.rules.on(doc->held_on);
    if (!version) return std::unexpected(version.error());
    auto chair = fee(**version, "committee.chair");
    if (!chair) return std::unexpected(chair.error());
    auto member = fee(**version, "committee.member");
    if (!member) return std::unexpected(member.error());
    auto fees = c.exec(
        "INSERT INTO certification_fee (flow_id, basis_key, payee_code, payee_name, fee_kind, amount, work_on, application_id, "
        "session_id, created_at) SELECT 'NT-15', CAST($2 AS TEXT) || m.member_code, cm.payee_code, cm.name, "
        "CASE WHEN m.role = 'chair' THEN 'committee.chair' ELSE 'committee.member' END, "
        "CASE WHEN m.role = 'chair' THEN CAST($3 AS BIGINT) ELSE CAST($4 AS BIGINT) END, CAST($5 AS TEXT), NULL, m.session_id, "
        "CAST($6 AS TEXT) FROM committee_session_member m JOIN committee_member cm ON cm.member_code = m.member_code "
        "WHERE m.session_id = $1 AND m.attended = 1 ON CONFLICT (basis_key) DO NOTHING",
        {session->session_id, fmt::format("NT-15:session:{}:", session->session_id), chair->yen, member->yen,
         doc->held_on.iso(), now});
    if (!fees) return std::unexpected(fees.error());
  }
  auto decided = c.exec("UPDATE committee_session SET status = 'decided', decision_exchange_id = $2 WHERE session_id = $1",
                        {session->session_id, exchange.exchange_id});
  if (!decided) return std::unexpected(decided.error());
  return {};
}

}  // namespace

linkage::ApplyFn decisions_handler(const Clock& clock, const CertificationConfig& config) {
  return [&clock, &config](store::Connection& c, const linkage::Exchange& e) -> Result<void> {
    auto r = apply_decisions(c, clock, config, e);
    if (!r) return fail(r.error().kind, fmt::format("decisions (NT-12) refused: {}", r.error().message), r.error().field);
    return {};
  };
}

}  // namespace kaigo::certification

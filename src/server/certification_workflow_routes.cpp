// 認定 workflow: the code lists for the forms, NT-07 / NT-09 requests, committee sessions, their
// cases and NT-11 (docs/api-certification.md "Assessment, opinion, committee"). Certification
// staff and supervisors; every read or write of a person's data is in the access log.
#include <fmt/format.h>

#include "certification/committee.hpp"
#include "certification/shinsa_format.hpp"
#include "certification/workflow.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;
namespace cert = certification;

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json opt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }
json opt(const std::optional<bool>& b) { return b ? json(*b) : json(nullptr); }

json level_label(const std::optional<std::string>& code) {
  if (!code) return nullptr;
  auto l = cert::care_level_from_code(*code);
  return l ? json(std::string(cert::label(*l))) : json(nullptr);
}

Result<const cert::CertificationConfig*> config_of(const ServerContext& ctx) {
  if (!ctx.certification) return fail(ErrorKind::unavailable, "the certification rules and code lists are not loaded on this server");
  return ctx.certification;
}

json masters_json(const cert::CertificationConfig& c) {
  json contractors = json::array(), institutions = json::array(), members = json::array(), diseases = json::array(),
       levels = json::array(), kinds = json::array(), items = json::array();
  for (const auto& k : c.contractors) contractors.push_back({{"code", k.code}, {"name", k.name}});
  for (const auto& m : c.institutions) institutions.push_back({{"code", m.code}, {"name", m.name}});
  for (const auto& m : c.members)
    members.push_back({{"member_code", m.member_code}, {"name", m.name}, {"profession", m.profession}, {"active", m.active}});
  for (const auto& d : c.specified_diseases) diseases.push_back({{"code", d.code}, {"name", d.name}});
  for (auto l : {cert::CareLevel::none, cert::CareLevel::support_1, cert::CareLevel::support_2, cert::CareLevel::care_1,
                 cert::CareLevel::care_2, cert::CareLevel::care_3, cert::CareLevel::care_4, cert::CareLevel::care_5})
    levels.push_back({{"code", std::string(cert::to_code(l))}, {"label", std::string(cert::label(l))}});
  for (auto k : {cert::ApplicationKind::new_application, cert::ApplicationKind::renewal, cert::ApplicationKind::change,
                 cert::ApplicationKind::ex_officio, cert::ApplicationKind::transfer})
    kinds.push_back({{"code", std::string(cert::to_code(k))}, {"label", std::string(cert::label(k))}});
  for (const auto& i : c.assessment_items) {
    json choices = json::array();
    for (std::size_t k = 0; k < i.choices.size(); ++k) choices.push_back({{"value", i.choices[k]}, {"label", i.choice_labels[k]}});
    items.push_back({{"code", i.code}, {"group", i.group}, {"name", i.name}, {"choices", choices}});
  }
  return {{"contractors", contractors},
          {"institutions", institutions},
          {"members", members},
          {"specified_diseases", diseases},
          {"care_levels", levels},
          {"kinds", kinds},
          {"assessment_items", items},
          {"dementia_independence", cert::shinsa::dementia_independence_levels()},
          {"bedridden_independence", cert::shinsa::bedridden_independence_levels()}};
}

json assessment_json(const cert::AssessmentView& a, const cert::CertificationConfig& c) {
  const auto* k = a.contractor_code ? c.contractor(*a.contractor_code) : nullptr;
  return {{"assessment_id", a.assessment_id}, {"request_no", a.request_no},     {"assessor_kind", a.assessor_kind},
          {"contractor_code", opt(a.contractor_code)}, {"contractor_name", k ? json(k->name) : json(nullptr)},
          {"assessor_name", a.assessor_name}, {"requested_on", a.requested_on}, {"due_on", a.due_on},
          {"status", a.status}, {"assessed_on", opt(a.assessed_on)}, {"received_on", opt(a.received_on)},
          // The result's fields, null until NT-08 (the application's detail shows them then).
          {"items", nullptr}, {"special_notes", opt(a.special_notes)}, {"standard_tenths", opt(a.standard_tenths)},
          {"cognitive_decline", opt(a.cognitive_decline)}, {"unstable_condition", opt(a.unstable_condition)},
          {"dementia_independence", opt(a.dementia_independence)}, {"bedridden_independence", opt(a.bedridden_independence)}};
}

json opinion_json(const cert::OpinionView& o, const cert::CertificationConfig& c) {
  const auto* m = c.institution(o.institution_code);
  return {{"opinion_id", o.opinion_id},   {"request_no", o.request_no},
          {"institution_code", o.institution_code}, {"institution_name", m ? json(m->name) : json(nullptr)},
          {"doctor_name", o.doctor_name}, {"first_visit", o.first_visit},
          {"requested_on", o.requested_on}, {"due_on", o.due_on},
          {"status", o.status}, {"written_on", opt(o.written_on)}, {"received_on", opt(o.received_on)},
          {"content", nullptr}, {"specified_disease", opt(o.specified_disease)}};  // null until NT-10
}

json session_json(const cert::SessionView& s) {
  json members = json::array(), cases = json::array();
  for (const auto& m : s.members)
    members.push_back({{"member_code", m.member_code}, {"name", m.name}, {"profession", m.profession}, {"role", m.role},
                       {"attended", opt(m.attended)}});
  for (const auto& k : s.cases)
    cases.push_back({{"application_id", k.application_id},
                     {"application_no", k.application_no},
                     {"person_id", k.person_id},
                     {"name", k.name},
                     {"name_kana", k.name_kana},
                     {"kind", k.kind},
                     {"kind_label", std::string(cert::kind_label(k.kind))},
                     {"status", k.status},
                     {"case_order", k.case_order},
                     {"first_stage_level", opt(k.first_stage_level)},
                     {"first_stage_label", level_label(k.first_stage_level)},
                     {"standard_minutes", k.standard_tenths ? json(cert::shinsa::minutes_text(*k.standard_tenths)) : json(nullptr)},
                     {"standard_tenths", opt(k.standard_tenths)},
                     {"outcome", opt(k.outcome)},
                     {"decided_level", opt(k.decided_level)},
                     {"decided_label", level_label(k.decided_level)},
                     {"validity_months", opt(k.validity_months)},
                     {"valid_from", opt(k.valid_from)},
                     {"valid_to", opt(k.valid_to)}});
  return {{"session_id", s.session_id},     {"session_no", s.session_no},
          {"panel", s.panel},               {"held_on", s.held_on},
          {"status", s.status},             {"request_exchange_id", opt(s.request_exchange_id)},
          {"decision_exchange_id", opt(s.decision_exchange_id)}, {"created_at", s.created_at},
          {"created_by", s.created_by},     {"members", members},
          {"cases", cases}};
}

std::vector<std::string> persons_of(const cert::SessionView& s) {
  std::vector<std::string> out;
  for (const auto& k : s.cases) out.push_back(k.person_id);
  return out;
}

// The case persons of a session shown (a read of each), before the data leaves the server.
Result<void> log_reads(ServerContext& ctx, const ApiRequest& req, const cert::SessionView& s, const std::string& resource) {
  const auto persons = persons_of(s);
  if (persons.empty()) return {};
  return ctx.db.transaction(
      [&](store::Connection& c) { return record_reads(c, ctx.clock, req.user().user.user_id, persons, resource); });
}

// A write of each person (NT-11 sends their data to shinsa; adding cases puts them before it).
Result<void> log_writes(ServerContext& ctx, const ApiRequest& req, const std::vector<std::string>& persons,
                        const std::string& resource) {
  if (persons.empty()) return {};
  return ctx.db.transaction([&](store::Connection& c) -> Result<void> {
    for (const auto& p : persons)
      if (auto r = record_access(c, ctx.clock, req.user().user.user_id, p, AccessAction::write, resource, false); !r) return r;
    return {};
  });
}

Result<std::optional<Date>> optional_date(const json& body, const char* name) { return date_field(body, name, false); }

}  // namespace

void add_certification_workflow_routes(Router& router, ServerContext& ctx) {
  const std::string app_path = "/api/v1/certification/applications/{application_id}";
  const std::string sessions_path = "/api/v1/certification/sessions";
  const std::string session_path = "/api/v1/certification/sessions/{session_id}";

  router.add(Route{"GET", "/api/v1/certification/masters",
                   "the code lists for the forms: contractors, institutions, members, 特定疾病, care levels, kinds, 基本調査 items",
                   certification_workers(), [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     auto config = config_of(ctx);
                     if (!config) return std::unexpected(config.error());
                     return ApiResponse::json(masters_json(**config));
                   }});

  router.add(Route{
      "POST", app_path + "/assessment-request", "NT-07: request the home assessment (認定調査) of a contractor or the city's assessor",
      certification_workers(),
      [&ctx, app_path](ApiRequest& req) -> Result<ApiResponse> {
        auto config = config_of(ctx);
        if (!config) return std::unexpected(config.error());
        auto id = id_param(req.path_params.at(0), "application_id");
        if (!id) return std::unexpected(id.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        cert::AssessmentRequestInput in;
        auto kind = string_field(*body, "assessor_kind");
        if (!kind) return std::unexpected(kind.error());
        in.assessor_kind = *kind;
        auto code = string_field(*body, "contractor_code", false);
        if (!code) return std::unexpected(code.error());
        if (!code->empty()) in.contractor_code = *code;
        auto name = string_field(*body, "assessor_name", false);
        if (!name) return std::unexpected(name.error());
        in.assessor_name = *name;
        auto due = optional_date(*body, "due_on");
        if (!due) return std::unexpected(due.error());
        in.due_on = *due;
        cert::WorkflowService service(ctx.db, ctx.clock, **config);
        auto made = service.request_assessment(*id, in, req.user().user.user_id);
        if (!made) return std::unexpected(made.error());
        if (auto l = log_writes(ctx, req, {made->person_id}, "POST " + app_path + "/assessment-request"); !l)
          return std::unexpected(l.error());
        json out = assessment_json(made->view, **config);
        out["application_id"] = *id;
        out["exchange_id"] = made->exchange_id;
        return ApiResponse::json(out, 201);
      },
      {},
      {{"assessor_kind", "contractor | city", true},
       {"contractor_code", "contractor: a code of assessment_contractors.tsv", false},
       {"assessor_name", "city: the city's assessor (required); contractor: optional", false},
       {"due_on", "YYYY-MM-DD; default today + 14 days", false}}});

  router.add(Route{
      "POST", app_path + "/opinion-request", "NT-09: request the physician's opinion (主治医意見書)", certification_workers(),
      [&ctx, app_path](ApiRequest& req) -> Result<ApiResponse> {
        auto config = config_of(ctx);
        if (!config) return std::unexpected(config.error());
        auto id = id_param(req.path_params.at(0), "application_id");
        if (!id) return std::unexpected(id.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        cert::OpinionRequestInput in;
        auto code = string_field(*body, "institution_code");
        if (!code) return std::unexpected(code.error());
        in.institution_code = *code;
        auto doctor = string_field(*body, "doctor_name");
        if (!doctor) return std::unexpected(doctor.error());
        in.doctor_name = *doctor;
        auto first = body->find("first_visit");
        if (first == body->end() || !first->is_boolean())
          return fail(ErrorKind::invalid_input, "first_visit must be true (初回) or false (継続)", "first_visit");
        in.first_visit = first->get<bool>();
        auto due = optional_date(*body, "due_on");
        if (!due) return std::unexpected(due.error());
        in.due_on = *due;
        cert::WorkflowService service(ctx.db, ctx.clock, **config);
        auto made = service.request_opinion(*id, in, req.user().user.user_id);
        if (!made) return std::unexpected(made.error());
        if (auto l = log_writes(ctx, req, {made->person_id}, "POST " + app_path + "/opinion-request"); !l)
          return std::unexpected(l.error());
        json out = opinion_json(made->view, **config);
        out["application_id"] = *id;
        out["exchange_id"] = made->exchange_id;
        return ApiResponse::json(out, 201);
      },
      {},
      {{"institution_code", "a code of medical_institutions.tsv", true},
       {"doctor_name", "the doctor (主治医)", true},
       {"first_visit", "true: 初回 (first opinion), false: 継続", true},
       {"due_on", "YYYY-MM-DD; default today + 14 days", false}}});

  router.add(Route{
      "GET", sessions_path, "committee sessions held between from and to, with their case counts", certification_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto config = config_of(ctx);
        if (!config) return std::unexpected(config.error());
        std::optional<Date> from, to;
        for (auto [key, target] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
          if (auto v = req.query(key)) {
            auto d = Date::parse(*v);
            if (!d) return fail(ErrorKind::invalid_input, fmt::format("{} must be a date YYYY-MM-DD", key), key);
            *target = *d;
          }
        }
        cert::CommitteeService service(ctx.db, ctx.clock, **config);
        auto list = service.list(from, to);
        if (!list) return std::unexpected(list.error());
        json items = json::array();
        for (const auto& s : *list)
          items.push_back({{"session_id", s.session_id}, {"session_no", s.session_no}, {"panel", s.panel},
                           {"held_on", s.held_on},       {"status", s.status},         {"cases", s.cases},
                           {"decided", s.decided},       {"deferred", s.deferred},     {"members", s.members}});
        return ApiResponse::json({{"items", items}});
      },
      {{"from", "YYYY-MM-DD, inclusive", false}, {"to", "YYYY-MM-DD, inclusive", false}}});

  router.add(Route{
      "POST", sessions_path, "a committee session (合議体, day, members with one chair)", certification_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto config = config_of(ctx);
        if (!config) return std::unexpected(config.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        cert::SessionInput in;
        auto panel = string_field(*body, "panel");
        if (!panel) return std::unexpected(panel.error());
        in.panel = *panel;
        auto held = date_field(*body, "held_on");
        if (!held) return std::unexpected(held.error());
        in.held_on = **held;
        auto members = body->find("members");
        if (members == body->end() || !members->is_array())
          return fail(ErrorKind::invalid_input, "members must be a list of {member_code, role}", "members");
        for (std::size_t i = 0; i < members->size(); ++i) {
          const json& m = (*members)[i];
          if (!m.is_object() || !m.contains("member_code") || !m["member_code"].is_string())
            return fail(ErrorKind::invalid_input, "member_code is required", fmt::format("members[{}].member_code", i));
          if (!m.contains("role") || !m["role"].is_string())
            return fail(ErrorKind::invalid_input, "role is required (chair or member)", fmt::format("members[{}].role", i));
          in.members.push_back({m["member_code"].get<std::string>(), m["role"].get<std::string>()});
        }
        cert::CommitteeService service(ctx.db, ctx.clock, **config);
        auto made = service.create_session(in, req.user().user.user_id);
        if (!made) return std::unexpected(made.error());
        return ApiResponse::json(session_json(*made), 201);
      },
      {},
      {{"panel", "合議体 name, e.g. 第1合議体", true},
       {"held_on", "YYYY-MM-DD, today or later", true},
       {"members", "[{member_code, role: chair | member}], at least 3, one chair", true}}});

  router.add(Route{"GET", session_path, "a committee session with its members and cases (first stage, level decided)",
                   certification_workers(), [&ctx, session_path](ApiRequest& req) -> Result<ApiResponse> {
                     auto config = config_of(ctx);
                     if (!config) return std::unexpected(config.error());
                     auto id = id_param(req.path_params.at(0), "session_id");
                     if (!id) return std::unexpected(id.error());
                     cert::CommitteeService service(ctx.db, ctx.clock, **config);
                     auto found = service.find(*id);
                     if (!found) return std::unexpected(found.error());
                     if (!*found) return fail(ErrorKind::not_found, fmt::format("no committee session {}", *id), "session_id");
                     if (auto l = log_reads(ctx, req, **found, "GET " + session_path); !l) return std::unexpected(l.error());
                     return ApiResponse::json(session_json(**found));
                   }});

  router.add(Route{
      "POST", session_path + "/cases", "put ready applications before a planned session", certification_workers(),
      [&ctx, session_path](ApiRequest& req) -> Result<ApiResponse> {
        auto config = config_of(ctx);
        if (!config) return std::unexpected(config.error());
        auto id = id_param(req.path_params.at(0), "session_id");
        if (!id) return std::unexpected(id.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto ids = body->find("application_ids");
        if (ids == body->end() || !ids->is_array())
          return fail(ErrorKind::invalid_input, "application_ids must be a list of application ids", "application_ids");
        std::vector<std::int64_t> apps;
        for (std::size_t i = 0; i < ids->size(); ++i) {
          if (!(*ids)[i].is_number_integer() || (*ids)[i].get<std::int64_t>() <= 0)
            return fail(ErrorKind::invalid_input, "must be an application id", fmt::format("application_ids[{}]", i));
          apps.push_back((*ids)[i].get<std::int64_t>());
        }
        cert::CommitteeService service(ctx.db, ctx.clock, **config);
        auto session = service.add_cases(*id, apps, req.user().user.user_id);
        if (!session) return std::unexpected(session.error());
        if (auto l = log_writes(ctx, req, persons_of(*session), "POST " + session_path + "/cases"); !l)
          return std::unexpected(l.error());
        return ApiResponse::json(session_json(*session));
      },
      {},
      {{"application_ids", "[application_id, …]: ready applications", true}}});

  router.add(Route{
      "POST", session_path + "/request", "NT-11: the session and its cases sent to the committee-support system",
      certification_workers(),
      [&ctx, session_path](ApiRequest& req) -> Result<ApiResponse> {
        auto config = config_of(ctx);
        if (!config) return std::unexpected(config.error());
        auto id = id_param(req.path_params.at(0), "session_id");
        if (!id) return std::unexpected(id.error());
        cert::CommitteeService service(ctx.db, ctx.clock, **config);
        auto session = service.request(*id, req.user().user.user_id);
        if (!session) return std::unexpected(session.error());
        if (auto l = log_writes(ctx, req, persons_of(*session), "POST " + session_path + "/request"); !l)
          return std::unexpected(l.error());
        return ApiResponse::json(session_json(*session));
      }});
}

}  // namespace kaigo::server

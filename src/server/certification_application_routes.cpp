// 認定 applications and the clock: NT-01 intake, the list with its timers, one application's
// workflow, 取下げ, 延期通知 (and its PDF), the days-to-decision report, a person's certifications
// (docs/api-certification.md "Applications and the clock"). Certification staff and supervisors;
// every read or write of a person's data is in the access log.
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "audit/chained_log.hpp"
#include "certification/application.hpp"
#include "certification/certification_outputs.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;
namespace cert = certification;

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json opt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }
json opt(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }
json opt(const std::optional<bool>& b) { return b ? json(*b) : json(nullptr); }
json opt_object(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  auto j = json::parse(*text, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

json level_label(const std::string& code) {
  auto l = cert::care_level_from_code(code);
  return l ? json(std::string(cert::label(*l))) : json(nullptr);
}

// Days as tenths → a number with one decimal for display (the exact tenths are sent beside it).
json days_of(std::int64_t tenths, std::int64_t count) {
  return count > 0 ? json(static_cast<double>(tenths) / 10.0) : json(nullptr);
}

json row_json(const cert::ApplicationRow& r) {
  return {{"application_id", r.application_id},
          {"application_no", r.application_no},
          {"person_id", r.person_id},
          {"name", r.name},
          {"name_kana", r.name_kana},
          {"insured_no", r.insured_no},
          {"kind", r.kind},
          {"kind_label", std::string(cert::kind_label(r.kind))},
          {"category", r.category},
          {"applied_on", r.applied_on.iso()},
          {"deadline_on", r.deadline_on.iso()},
          {"warn_from", r.warn_on.iso()},
          {"days_elapsed", r.clock.days_elapsed},
          {"days_left", r.clock.days_left},
          {"clock", std::string(cert::to_code(r.clock.state))},
          {"clock_label", std::string(cert::label(r.clock.state))},
          {"status", r.status},
          {"status_label", std::string(cert::status_label(r.status))},
          {"stage_label", cert::stage_label(r)},
          {"postponed_until", opt(r.postponed_until)},
          {"insurance_check", r.insurance_check},
          {"arrears_check", r.arrears_check}};
}

json certification_json(const cert::CertificationView& c) {
  return {{"certification_id", c.certification_id},   {"application_id", c.application_id},
          {"care_level", c.care_level},               {"care_level_label", level_label(c.care_level)},
          {"valid_from", c.valid_from},               {"valid_to", c.valid_to},
          {"certified_on", c.certified_on},           {"monthly_cap_units", c.monthly_cap_units},
          {"status", c.status},                       {"remarks", c.remarks}};
}

json postponement_json(const cert::Postponement& p) {
  return {{"postponement_id", p.postponement_id}, {"application_id", p.application_id}, {"reason", p.reason},
          {"expected_on", p.expected_on.iso()},   {"issued_on", p.issued_on.iso()},    {"issued_by", p.issued_by},
          {"document_id", opt(p.document_id)}};
}

std::string_view document_label(std::string_view kind) {
  if (kind == "result_notice") return "要介護認定等結果通知書";
  if (kind == "postponement_notice") return "認定延期通知書";
  if (kind == "entitlement_certificate") return "受給資格証明書";
  if (kind == "renewal_reminder") return "更新申請のお知らせ";
  return kind;
}

json application_json(const cert::Application& a, const cert::CertificationConfig& config) {
  json out = row_json(a.row);
  out["place"] = a.place;
  out["applicant_relation"] = a.applicant_relation;
  out["specified_disease"] = opt(a.specified_disease);
  const auto* disease = a.specified_disease ? config.specified_disease(*a.specified_disease) : nullptr;
  out["specified_disease_name"] = disease ? json(disease->name) : json(nullptr);
  out["reason"] = a.reason;
  out["arrears_months"] = opt(a.arrears_months);
  out["withdrawn_on"] = opt(a.row.withdrawn_on);
  out["withdraw_reason"] = opt(a.withdraw_reason);
  out["previous_certification_id"] = opt(a.previous_certification_id);
  out["certificate_id"] = opt(a.certificate_id);
  out["handed_exchange_id"] = opt(a.handed_exchange_id);
  out["created_at"] = a.created_at;
  out["created_by"] = a.created_by;
  json stages = json::array();
  for (const auto& s : a.stages)
    stages.push_back({{"stage", s.stage}, {"label", s.label}, {"from", opt(s.from)}, {"to", opt(s.to)},
                      {"days", s.days ? json(*s.days) : json(nullptr)}});
  out["stages"] = stages;
  json pps = json::array();
  for (const auto& p : a.postponements) pps.push_back(postponement_json(p));
  out["postponements"] = pps;
  json checks = json::array();
  for (const auto& c : a.checks)
    checks.push_back({{"inquiry_id", c.inquiry_id},      {"check_kind", c.check_kind},       {"request_flow", c.request_flow},
                      {"inquiry_status", c.inquiry_status}, {"outcome", opt(c.outcome)},   {"summary", opt(c.summary)},
                      {"reject_reason", opt(c.reject_reason)}, {"applied_at", opt(c.applied_at)}, {"created_at", c.created_at}});
  out["checks"] = checks;
  json assessments = json::array();
  for (const auto& h : a.assessments) {
    const auto* k = h.contractor_code ? config.contractor(*h.contractor_code) : nullptr;
    assessments.push_back({{"assessment_id", h.assessment_id},
                           {"request_no", h.request_no},
                           {"assessor_kind", h.assessor_kind},
                           {"contractor_code", opt(h.contractor_code)},
                           {"contractor_name", k ? json(k->name) : json(nullptr)},
                           {"assessor_name", h.assessor_name},
                           {"requested_on", h.requested_on},
                           {"due_on", h.due_on},
                           {"status", h.status},
                           {"assessed_on", opt(h.assessed_on)},
                           {"received_on", opt(h.received_on)},
                           {"items", opt_object(h.items_json)},
                           {"special_notes", opt(h.special_notes)},
                           {"standard_tenths", opt(h.standard_tenths)},
                           {"cognitive_decline", opt(h.cognitive_decline)},
                           {"unstable_condition", opt(h.unstable_condition)},
                           {"dementia_independence", opt(h.dementia_independence)},
                           {"bedridden_independence", opt(h.bedridden_independence)}});
  }
  out["assessments"] = assessments;
  json opinions = json::array();
  for (const auto& o : a.opinions) {
    const auto* m = config.institution(o.institution_code);
    opinions.push_back({{"opinion_id", o.opinion_id},
                        {"request_no", o.request_no},
                        {"institution_code", o.institution_code},
                        {"institution_name", m ? json(m->name) : json(nullptr)},
                        {"doctor_name", o.doctor_name},
                        {"first_visit", o.first_visit},
                        {"requested_on", o.requested_on},
                        {"due_on", o.due_on},
                        {"status", o.status},
                        {"written_on", opt(o.written_on)},
                        {"received_on", opt(o.received_on)},
                        {"content", opt_object(o.content_json)},
                        {"specified_disease", opt(o.specified_disease)}});
  }
  out["opinions"] = opinions;
  out["first_stage"] = a.first_stage ? json{{"care_level", a.first_stage->care_level},
                                            {"care_level_label", level_label(a.first_stage->care_level)},
                                            {"standard_tenths", a.first_stage->standard_tenths},
                                            {"explanation", a.first_stage->explanation},
                                            {"computed_at", a.first_stage->computed_at}}
                                     : json(nullptr);
  json cases = json::array();
  for (const auto& c : a.cases)
    cases.push_back({{"session_id", c.session_id}, {"session_no", c.session_no}, {"held_on", c.held_on},
                     {"session_status", c.status}, {"outcome", opt(c.outcome)}});
  out["cases"] = cases;
  out["decision"] = a.decision ? json{{"decision_id", a.decision->decision_id},
                                      {"session_id", opt(a.decision->session_id)},
                                      {"care_level", a.decision->care_level},
                                      {"care_level_label", level_label(a.decision->care_level)},
                                      {"first_stage_level", opt(a.decision->first_stage_level)},
                                      {"validity_months", opt(a.decision->validity_months)},
                                      {"valid_from", opt(a.decision->valid_from)},
                                      {"valid_to", opt(a.decision->valid_to)},
                                      {"remarks", a.decision->remarks},
                                      {"change_reason", a.decision->change_reason},
                                      {"decided_on", a.decision->decided_on}}
                               : json(nullptr);
  out["certification"] = a.certification ? certification_json(*a.certification) : json(nullptr);
  json documents = json::array();
  for (const auto& d : a.documents)
    documents.push_back({{"document_id", d.document_id}, {"kind", d.kind}, {"kind_label", std::string(document_label(d.kind))},
                         {"issued_on", d.issued_on}, {"issued_by", d.issued_by}, {"certification_id", opt(d.certification_id)}});
  out["documents"] = documents;
  out["previous_certification"] = a.previous_certification ? certification_json(*a.previous_certification) : json(nullptr);
  return out;
}

json stats_json(const cert::DaysStats& d) {
  return {{"count", d.count},
          {"mean_days", days_of(d.mean_tenths, d.count)},
          {"mean_days_tenths", d.mean_tenths},
          {"median_days", days_of(d.median_tenths, d.count)},
          {"median_days_tenths", d.median_tenths},
          {"max_days", d.count > 0 ? json(d.max_days) : json(nullptr)}};
}

json share(std::int64_t part, std::int64_t whole) {
  // Three decimals from integers: 2 of 3 → 0.667.
  return whole > 0 ? json(static_cast<double>((part * 1000 * 2 + whole) / (whole * 2)) / 1000.0) : json(nullptr);
}

json report_json(const cert::Report& r) {
  json months = json::array();
  for (const auto& m : r.months) {
    json row = stats_json(m.days);
    row["month"] = m.month;
    row["within_deadline"] = share(m.within_deadline, m.days.count);
    row["within_deadline_count"] = m.within_deadline;
    row["postponed"] = m.postponed;
    months.push_back(std::move(row));
  }
  json stages = json::array();
  for (const auto& s : r.stages)
    stages.push_back({{"stage", s.stage}, {"label", s.label}, {"count", s.count}, {"mean_days", days_of(s.mean_tenths, s.count)},
                      {"mean_days_tenths", s.mean_tenths}});
  auto providers = [](const std::vector<cert::ProviderRow>& rows) {
    json out = json::array();
    for (const auto& p : rows) {
      json row = stats_json(p.days);
      row["code"] = p.code;
      row["name"] = p.name;
      row["overdue"] = p.overdue;
      out.push_back(std::move(row));
    }
    return out;
  };
  json total = stats_json(r.total);
  total["within_deadline"] = share(r.within_deadline, r.total.count);
  total["within_deadline_count"] = r.within_deadline;
  return {{"from", r.from_month},   {"to", r.to_month},         {"total", total},
          {"months", months},       {"stages", stages},         {"contractors", providers(r.contractors)},
          {"institutions", providers(r.institutions)}};
}

Result<const cert::CertificationConfig*> config_of(const ServerContext& ctx) {
  if (!ctx.certification) return fail(ErrorKind::unavailable, "the certification rules and code lists are not loaded on this server");
  return ctx.certification;
}

Result<void> log_access(ServerContext& ctx, const ApiRequest& req, const std::string& person_id, AccessAction action,
                        const std::string& resource) {
  return ctx.db.transaction([&](store::Connection& c) {
    return record_access(c, ctx.clock, req.user().user.user_id, person_id, action, resource, false);
  });
}

Result<json> body_of(ApiRequest& req) { return req.json_body(); }

}  // namespace

void add_certification_application_routes(Router& router, ServerContext& ctx) {
  // The office printed on the 延期通知書 (config/certification_outputs.json), read once; a bad file
  // makes the PDF route answer unavailable with the reason.
  auto outputs = std::make_shared<Result<cert::OutputsConfig>>(
      cert::OutputsConfig::load(std::filesystem::path(ctx.options.config_dir)));
  const std::string list_path = "/api/v1/certification/applications";
  const std::string one_path = "/api/v1/certification/applications/{application_id}";

  router.add(Route{
      "GET", list_path, "the applications with their timers (filter, q = application_no, insured_no or kana prefix)",
      certification_workers(),
      [&ctx, list_path](ApiRequest& req) -> Result<ApiResponse> {
        auto config = config_of(ctx);
        if (!config) return std::unexpected(config.error());
        cert::ListQuery q;
        if (auto f = req.query("filter")) {
          auto parsed = cert::list_filter_from_code(*f);
          if (!parsed) return std::unexpected(parsed.error());
          q.filter = *parsed;
        }
        q.q = req.query("q").value_or("");
        auto limit = limit_param(req.query("limit"), 50, 500);
        if (!limit) return std::unexpected(limit.error());
        auto offset = offset_param(req.query("offset"));
        if (!offset) return std::unexpected(offset.error());
        q.limit = *limit;
        q.offset = *offset;
        cert::ApplicationService service(ctx.db, ctx.clock, **config, ctx.inquiries);
        auto page = service.list(q);
        if (!page) return std::unexpected(page.error());
        auto counts = service.filter_counts();
        if (!counts) return std::unexpected(counts.error());
        std::vector<std::string> persons;
        json items = json::array();
        for (const auto& r : page->items) {
          persons.push_back(r.person_id);
          items.push_back(row_json(r));
        }
        if (!persons.empty()) {
          auto logged = ctx.db.transaction([&](store::Connection& c) {
            return record_reads(c, ctx.clock, req.user().user.user_id, persons, "GET " + list_path);
          });
          if (!logged) return std::unexpected(logged.error());
        }
        json by_filter = json::object();
        for (const auto& [name, n] : *counts) by_filter[name] = n;
        return ApiResponse::json({{"items", items}, {"total", page->total}, {"counts", by_filter}});
      },
      {{"filter", "open (default) | warning | overdue | postponed | waiting_assessment | waiting_opinion | ready | scheduled | decided | all"},
       {"q", "application_no (A…), insured_no (digits) or a kana prefix"},
       {"limit", "1–500, default 50"},
       {"offset", "default 0"}}});

  router.add(Route{
      "POST", list_path, "NT-01: take an application in (a category-2 applicant's NT-02/NT-04 are asked at once)",
      certification_workers(),
      [&ctx, list_path](ApiRequest& req) -> Result<ApiResponse> {
        auto config = config_of(ctx);
        if (!config) return std::unexpected(config.error());
        auto body = body_of(req);
        if (!body) return std::unexpected(body.error());
        cert::IntakeRequest in;
        auto person_id = string_field(*body, "person_id");
        if (!person_id) return std::unexpected(person_id.error());
        auto kind = string_field(*body, "kind");
        if (!kind) return std::unexpected(kind.error());
        auto applied_on = date_field(*body, "applied_on");
        if (!applied_on) return std::unexpected(applied_on.error());
        auto place = string_field(*body, "place");
        if (!place) return std::unexpected(place.error());
        auto relation = string_field(*body, "applicant_relation", false);
        if (!relation) return std::unexpected(relation.error());
        auto disease = string_field(*body, "specified_disease", false);
        if (!disease) return std::unexpected(disease.error());
        auto reason = string_field(*body, "reason", false);
        if (!reason) return std::unexpected(reason.error());
        in.person_id = *person_id;
        in.kind = *kind;
        in.applied_on = **applied_on;
        in.place = *place;
        in.applicant_relation = *relation;
        if (!disease->empty()) in.specified_disease = *disease;
        in.reason = *reason;
        cert::ApplicationService service(ctx.db, ctx.clock, **config, ctx.inquiries);
        auto a = service.intake(in, req.user().user.user_id);
        if (!a) return std::unexpected(a.error());
        if (auto l = log_access(ctx, req, a->row.person_id, AccessAction::write, "POST " + list_path); !l)
          return std::unexpected(l.error());
        return ApiResponse::json(application_json(*a, **config), 201);
      },
      {},
      {{"person_id", "宛名番号", true},
       {"kind", "new | renewal | change | ex_officio | transfer", true},
       {"applied_on", "申請日 YYYY-MM-DD (not after today)", true},
       {"place", "home | facility", true},
       {"applicant_relation", "本人 | 家族 | 地域包括支援センター | 居宅介護支援事業者 | 施設 | 職権 (ex_officio: default 職権)"},
       {"specified_disease", "category 2: the 特定疾病 code (01–16)"},
       {"reason", "change / ex_officio: why (required for those)"}}});

  router.add(Route{"GET", one_path, "one application with its whole workflow, clock and stages", certification_workers(),
                   [&ctx, one_path](ApiRequest& req) -> Result<ApiResponse> {
                     auto config = config_of(ctx);
                     if (!config) return std::unexpected(config.error());
                     auto id = id_param(req.path_params.at(0), "application_id");
                     if (!id) return std::unexpected(id.error());
                     cert::ApplicationService service(ctx.db, ctx.clock, **config, ctx.inquiries);
                     auto a = service.find(*id);
                     if (!a) return std::unexpected(a.error());
                     if (!*a) return fail(ErrorKind::not_found, fmt::format("no application {}", *id), "application_id");
                     if (auto l = log_access(ctx, req, (*a)->row.person_id, AccessAction::read, "GET " + one_path); !l)
                       return std::unexpected(l.error());
                     return ApiResponse::json(application_json(**a, **config));
                   }});

  router.add(Route{"POST", one_path + "/withdraw", "取下げ: the application withdrawn (NT-01 sent again with withdrawn_on)",
                   certification_workers(),
                   [&ctx, one_path](ApiRequest& req) -> Result<ApiResponse> {
                     auto config = config_of(ctx);
                     if (!config) return std::unexpected(config.error());
                     auto id = id_param(req.path_params.at(0), "application_id");
                     if (!id) return std::unexpected(id.error());
                     auto body = body_of(req);
                     if (!body) return std::unexpected(body.error());
                     auto reason = string_field(*body, "reason");
                     if (!reason) return std::unexpected(reason.error());
                     cert::ApplicationService service(ctx.db, ctx.clock, **config, ctx.inquiries);
                     auto a = service.withdraw(*id, *reason, req.user().user.user_id);
                     if (!a) return std::unexpected(a.error());
                     if (auto l = log_access(ctx, req, a->row.person_id, AccessAction::write, "POST " + one_path + "/withdraw"); !l)
                       return std::unexpected(l.error());
                     return ApiResponse::json(application_json(*a, **config));
                   },
                   {},
                   {{"reason", "why it is withdrawn", true}}});

  router.add(Route{"POST", one_path + "/postponements",
                   "延期通知 (法27条11項ただし書): reason and expected day; the 延期通知書 is issued with it",
                   certification_workers(),
                   [&ctx, one_path](ApiRequest& req) -> Result<ApiResponse> {
                     auto config = config_of(ctx);
                     if (!config) return std::unexpected(config.error());
                     auto id = id_param(req.path_params.at(0), "application_id");
                     if (!id) return std::unexpected(id.error());
                     auto body = body_of(req);
                     if (!body) return std::unexpected(body.error());
                     auto reason = string_field(*body, "reason");
                     if (!reason) return std::unexpected(reason.error());
                     auto expected = date_field(*body, "expected_on");
                     if (!expected) return std::unexpected(expected.error());
                     cert::ApplicationService service(ctx.db, ctx.clock, **config, ctx.inquiries);
                     auto p = service.postpone(*id, *reason, **expected, req.user().user.user_id);
                     if (!p) return std::unexpected(p.error());
                     auto person = ctx.db.query("SELECT person_id FROM certification_application WHERE application_id = $1", {*id});
                     if (!person) return std::unexpected(person.error());
                     if (auto l = log_access(ctx, req, person->front().str(0), AccessAction::write,
                                             "POST " + one_path + "/postponements");
                         !l)
                       return std::unexpected(l.error());
                     return ApiResponse::json(postponement_json(*p), 201);
                   },
                   {},
                   {{"reason", "延期の理由", true}, {"expected_on", "処理見込期日 YYYY-MM-DD (after today and the deadline)", true}}});

  router.add(Route{"GET", one_path + "/postponements/{postponement_id}/notice.pdf", "the 延期通知書 of a postponement as PDF",
                   certification_workers(),
                   [&ctx, one_path, outputs](ApiRequest& req) -> Result<ApiResponse> {
                     auto config = config_of(ctx);
                     if (!config) return std::unexpected(config.error());
                     if (!*outputs) return fail(ErrorKind::unavailable, outputs->error().message, outputs->error().field);
                     auto id = id_param(req.path_params.at(0), "application_id");
                     if (!id) return std::unexpected(id.error());
                     auto pp_id = id_param(req.path_params.at(1), "postponement_id");
                     if (!pp_id) return std::unexpected(pp_id.error());
                     cert::ApplicationService service(ctx.db, ctx.clock, **config, ctx.inquiries);
                     auto a = service.find(*id);
                     if (!a) return std::unexpected(a.error());
                     if (!*a) return fail(ErrorKind::not_found, fmt::format("no application {}", *id), "application_id");
                     const cert::Postponement* p = nullptr;
                     for (const auto& x : (*a)->postponements)
                       if (x.postponement_id == *pp_id) p = &x;
                     if (!p || !p->document_id)
                       return fail(ErrorKind::not_found, fmt::format("no 延期通知 {} of application {}", *pp_id, *id), "postponement_id");
                     // The notice is rendered from the stored rows by the documents' one renderer.
                     const cert::OutputContext out{ctx.city, (*config)->rules, **outputs};
                     auto pdf = cert::document_pdf(ctx.db, out, *p->document_id);
                     if (!pdf) return std::unexpected(pdf.error());
                     if (auto l = log_access(ctx, req, (*a)->row.person_id, AccessAction::read,
                                             "GET " + one_path + "/postponements/{postponement_id}/notice.pdf");
                         !l)
                       return std::unexpected(l.error());
                     ApiResponse r;
                     r.text = std::move(*pdf);
                     r.content_type = "application/pdf";
                     r.headers.emplace_back("Content-Disposition",
                                            fmt::format("inline; filename=\"postponement-notice-{}.pdf\"", *p->document_id));
                     return r;
                   }});

  router.add(Route{"GET", "/api/v1/certification/report",
                   "days to decision per month of decision, per stage, per contractor and institution (no personal data)",
                   certification_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto config = config_of(ctx);
                     if (!config) return std::unexpected(config.error());
                     cert::ApplicationService service(ctx.db, ctx.clock, **config, ctx.inquiries);
                     auto r = service.report(req.query("from"), req.query("to"));
                     if (!r) return std::unexpected(r.error());
                     return ApiResponse::json(report_json(*r));
                   },
                   {{"from", "YYYY-MM (default: 11 months before this one)"}, {"to", "YYYY-MM (default: this month)"}}});

  router.add(Route{"GET", "/api/v1/certification/persons/{person_id}",
                   "a person's certifications (current and past) and applications", certification_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto config = config_of(ctx);
                     if (!config) return std::unexpected(config.error());
                     const std::string& id = req.path_params.at(0);
                     cert::ApplicationService service(ctx.db, ctx.clock, **config, ctx.inquiries);
                     auto p = service.for_person(id);
                     if (!p) return std::unexpected(p.error());
                     if (!*p) return fail(ErrorKind::not_found, fmt::format("no person {}", id), "person_id");
                     if (auto l = log_access(ctx, req, id, AccessAction::read, "GET /api/v1/certification/persons/{person_id}"); !l)
                       return std::unexpected(l.error());
                     json certs = json::array();
                     for (const auto& c : (*p)->certifications) certs.push_back(certification_json(c));
                     json apps = json::array();
                     for (const auto& a : (*p)->applications) apps.push_back(row_json(a));
                     return ApiResponse::json({{"person_id", (*p)->person_id},
                                               {"name", (*p)->name},
                                               {"name_kana", (*p)->name_kana},
                                               {"insured_no", opt((*p)->insured_no)},
                                               {"certifications", certs},
                                               {"applications", apps}});
                   }});
}

}  // namespace kaigo::server

// 給付 recipient side (docs/api-benefit.md "Care plans and 給付制限", "Recipient records"):
// care-plan notifications (KY-01) and their provision (KY-02), 給付制限, and the KY-03 recipient
// files to the 国保連. Every read or write of a person's data is in the access log.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/care_plan.hpp"
#include "benefit/care_plan_provision.hpp"
#include "benefit/codes.hpp"
#include "benefit/recipient.hpp"
#include "benefit/restriction.hpp"
#include "core/cp932.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;

json opt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }
json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json opt(const std::optional<Date>& v) { return v ? json(v->iso()) : json(nullptr); }


json plan_json(const benefit::CarePlan& p, const benefit::BenefitConfig* cfg) {
  const benefit::CareOffice* office = cfg && p.office_no ? cfg->office(*p.office_no) : nullptr;
  return {{"care_plan_id", p.care_plan_id}, {"person_id", p.person_id},     {"plan_kind", p.plan_kind},
          {"plan_kind_label", benefit::care_plan_kind_label(p.plan_kind)},   {"office_no", opt(p.office_no)},
          {"office_name", office ? json(office->name) : json(nullptr)},     {"notified_on", p.notified_on.iso()},
          {"valid_from", p.valid_from.iso()}, {"valid_to", opt(p.valid_to)}, {"status", p.status},
          {"recorded_at", p.recorded_at},    {"recorded_by", p.recorded_by},    {"changed_by", opt(p.changed_by)},
          {"changed_at", opt(p.changed_at)}};
}

json restriction_json(const benefit::BenefitRestriction& r) {
  return {{"restriction_id", r.restriction_id}, {"person_id", r.person_id}, {"kind", r.kind},
          {"kind_label", benefit::restriction_kind_label(r.kind)}, {"valid_from", r.valid_from.iso()},
          {"valid_to", opt(r.valid_to)}, {"decided_on", r.decided_on.iso()}, {"reason", r.reason}, {"status", r.status},
          {"recorded_at", r.recorded_at}, {"recorded_by", r.recorded_by}, {"changed_by", opt(r.changed_by)},
          {"changed_at", opt(r.changed_at)}};
}

json file_json(const benefit::RecipientFile& f) {
  return {{"file_id", f.file_id},       {"kind", f.kind},         {"status", f.status},
          {"layout_version", f.layout_version}, {"record_count", f.record_count}, {"held_count", f.held_count},
          {"exchange_id", opt(f.exchange_id)},  {"built_at", f.built_at},  {"built_by", f.built_by},
          {"sent_at", opt(f.sent_at)},  {"sent_by", opt(f.sent_by)},
          {"csv", fmt::format("/api/v1/benefit/recipient-files/{}/file.csv", f.file_id)}};
}

json record_json(const benefit::RecipientRecord& r) {
  json causes = json::array();
  for (const auto& k : r.check_causes) causes.push_back({{"cause", k.cause}, {"field", k.field}, {"message", k.message}});
  return {{"record_id", r.record_id},     {"person_id", r.person_id},     {"insured_no", r.insured_no},
          {"change_kind", r.change_kind}, {"correction", r.correction},   {"corrects_record_id", opt(r.corrects_record_id)},
          {"change_date", r.change_date}, {"check_status", r.check_status}, {"check_causes", causes}, {"fields", r.fields}};
}

Result<void> log_person(ServerContext& ctx, const ApiRequest& req, const std::string& person_id, AccessAction action,
                        const std::string& resource) {
  return ctx.db.transaction([&](store::Connection& c) {
    return record_access(c, ctx.clock, req.user().user.user_id, person_id, action, resource, false);
  });
}

Result<void> log_persons(ServerContext& ctx, const ApiRequest& req, const std::vector<std::string>& ids, const std::string& resource) {
  if (ids.empty()) return {};
  return ctx.db.transaction([&](store::Connection& c) { return record_reads(c, ctx.clock, req.user().user.user_id, ids, resource); });
}

Result<std::vector<benefit::RecipientRecord>> records_of(ServerContext& ctx, std::int64_t file_id) {
  std::vector<benefit::RecipientRecord> out;
  auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
    auto recs = benefit::recipient_file_records(c, file_id);
    if (!recs) return std::unexpected(recs.error());
    out = std::move(*recs);
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

// The file with its records, the persons logged as read.
Result<ApiResponse> file_with_records(ServerContext& ctx, const ApiRequest& req, const benefit::RecipientFile& f,
                                      const std::string& resource, int status = 200) {
  auto recs = records_of(ctx, f.file_id);
  if (!recs) return std::unexpected(recs.error());
  std::vector<std::string> persons;
  json records = json::array(), held = json::array();
  for (const auto& r : *recs) {
    persons.push_back(r.person_id);
    records.push_back(record_json(r));
    if (r.check_status == "held") held.push_back(record_json(r));
  }
  if (auto logged = log_persons(ctx, req, persons, resource); !logged) return std::unexpected(logged.error());
  json body = file_json(f);
  body["records"] = records;
  body["checks"] = held;  // the pre-send check list: held records and their causes
  return ApiResponse::json(body, status);
}

benefit::RecipientContext recipient_ctx(ServerContext& ctx, const benefit::BenefitConfig& cfg) {
  return benefit::RecipientContext{cfg, ctx.city.insurer_no};
}

void add_care_plan_routes(Router& router, ServerContext& ctx) {
  router.add(Route{"GET", "/api/v1/persons/{person_id}/care-plans", "KY-01: the person's care-plan notifications, newest first",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string person_id = req.path_params.at(0);
                     std::vector<benefit::CarePlan> plans;
                     auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto l = benefit::list_care_plans(c, person_id);
                       if (!l) return std::unexpected(l.error());
                       plans = std::move(*l);
                       return {};
                     });
                     if (!r) return std::unexpected(r.error());
                     if (auto logged = log_person(ctx, req, person_id, AccessAction::read, "GET /api/v1/persons/{person_id}/care-plans"); !logged)
                       return std::unexpected(logged.error());
                     json items = json::array();
                     for (const auto& p : plans) items.push_back(plan_json(p, ctx.benefit));
                     return ApiResponse::json({{"items", items}});
                   }});
  router.add(Route{"POST", "/api/v1/persons/{person_id}/care-plans",
                   "KY-01: register a 居宅サービス計画作成依頼届出 (a new one ends the previous the day before)", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto cfg = ctx.benefit_config();
                     if (!cfg) return std::unexpected(cfg.error());
                     auto body = req.json_body();
                     if (!body) return std::unexpected(body.error());
                     auto kind = string_field(*body, "plan_kind");
                     if (!kind) return std::unexpected(kind.error());
                     auto office = string_field(*body, "office_no", false);
                     if (!office) return std::unexpected(office.error());
                     auto notified = date_field(*body, "notified_on", false);
                     if (!notified) return std::unexpected(notified.error());
                     auto from = date_field(*body, "valid_from");
                     if (!from) return std::unexpected(from.error());
                     benefit::CarePlanNotification n{*kind, office->empty() ? std::nullopt : std::optional<std::string>(*office),
                                                     notified->value_or(ctx.clock.today()), **from};
                     const std::string person_id = req.path_params.at(0);
                     auto plan = benefit::register_care_plan(ctx.db, ctx.clock, **cfg, person_id, n, req.user().user.user_id);
                     if (!plan) return std::unexpected(plan.error());
                     if (auto logged = log_person(ctx, req, person_id, AccessAction::write, "POST /api/v1/persons/{person_id}/care-plans"); !logged)
                       return std::unexpected(logged.error());
                     return ApiResponse::json(plan_json(*plan, *cfg), 201);
                   },
                   {},
                   {{"plan_kind", "home_care | prevention | self", true},
                    {"office_no", "10-digit 事業所番号 of an office that makes care plans (not for self)"},
                    {"notified_on", "YYYY-MM-DD 届出日 (default today)"},
                    {"valid_from", "YYYY-MM-DD 適用開始日", true}}});
  router.add(Route{"POST", "/api/v1/care-plans/{care_plan_id}/cancel",
                   "KY-01: withdraw a notification registered in error (the one it ended runs on)", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_param(req.path_params.at(0), "care_plan_id");
                     if (!id) return std::unexpected(id.error());
                     auto plan = benefit::cancel_care_plan(ctx.db, ctx.clock, *id, req.user().user.user_id);
                     if (!plan) return std::unexpected(plan.error());
                     if (auto logged = log_person(ctx, req, plan->person_id, AccessAction::write, "POST /api/v1/care-plans/{care_plan_id}/cancel"); !logged)
                       return std::unexpected(logged.error());
                     return ApiResponse::json(plan_json(*plan, ctx.benefit));
                   }});
  router.add(Route{"POST", "/api/v1/benefit/care-plan-provision",
                   "KY-02: send the care-plan changes to welfare (fukushi) and committee support (shinsa) now", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto sent = benefit::send_care_plans(ctx.db, ctx.clock, req.user().user.user_id);
                     if (!sent) return std::unexpected(sent.error());
                     return ApiResponse::json({{"events", sent->events}, {"rows", sent->rows},
                                               {"fukushi_exchange_id", opt(sent->fukushi_exchange_id)},
                                               {"shinsa_exchange_id", opt(sent->shinsa_exchange_id)}, {"cursor", sent->cursor}});
                   }});
}

void add_restriction_routes(Router& router, ServerContext& ctx) {
  router.add(Route{"GET", "/api/v1/persons/{person_id}/benefit-restrictions", "給付制限 of the person, newest first", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string person_id = req.path_params.at(0);
                     std::vector<benefit::BenefitRestriction> rows;
                     auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto l = benefit::list_restrictions(c, person_id);
                       if (!l) return std::unexpected(l.error());
                       rows = std::move(*l);
                       return {};
                     });
                     if (!r) return std::unexpected(r.error());
                     if (auto logged = log_person(ctx, req, person_id, AccessAction::read, "GET /api/v1/persons/{person_id}/benefit-restrictions"); !logged)
                       return std::unexpected(logged.error());
                     json items = json::array();
                     for (const auto& x : rows) items.push_back(restriction_json(x));
                     return ApiResponse::json({{"items", items}});
                   }});
  router.add(Route{"POST", "/api/v1/persons/{person_id}/benefit-restrictions",
                   "register a 給付制限 (法66条 償還払い, 67条 一時差止, 69条 減額)", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto body = req.json_body();
                     if (!body) return std::unexpected(body.error());
                     auto kind = string_field(*body, "kind");
                     if (!kind) return std::unexpected(kind.error());
                     auto from = date_field(*body, "valid_from");
                     if (!from) return std::unexpected(from.error());
                     auto to = date_field(*body, "valid_to", false);
                     if (!to) return std::unexpected(to.error());
                     auto decided = date_field(*body, "decided_on", false);
                     if (!decided) return std::unexpected(decided.error());
                     auto reason = string_field(*body, "reason");
                     if (!reason) return std::unexpected(reason.error());
                     const std::string person_id = req.path_params.at(0);
                     auto r = benefit::register_restriction(ctx.db, ctx.clock, person_id,
                                                            {*kind, **from, *to, decided->value_or(ctx.clock.today()), *reason},
                                                            req.user().user.user_id);
                     if (!r) return std::unexpected(r.error());
                     if (auto logged = log_person(ctx, req, person_id, AccessAction::write, "POST /api/v1/persons/{person_id}/benefit-restrictions"); !logged)
                       return std::unexpected(logged.error());
                     return ApiResponse::json(restriction_json(*r), 201);
                   },
                   {},
                   {{"kind", "reimbursement_only | payment_suspended | benefit_reduced", true},
                    {"valid_from", "YYYY-MM-DD", true},
                    {"valid_to", "YYYY-MM-DD (open when absent)"},
                    {"decided_on", "YYYY-MM-DD (default today)"},
                    {"reason", "why (e.g. 保険料滞納 1年以上)", true}}});
  router.add(Route{"POST", "/api/v1/benefit-restrictions/{restriction_id}/end", "end a 給付制限 on a day (default today)",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_param(req.path_params.at(0), "restriction_id");
                     if (!id) return std::unexpected(id.error());
                     auto body = req.json_body();
                     if (!body) return std::unexpected(body.error());
                     auto to = date_field(*body, "valid_to", false);
                     if (!to) return std::unexpected(to.error());
                     auto r = benefit::end_restriction(ctx.db, ctx.clock, *id, to->value_or(ctx.clock.today()), req.user().user.user_id);
                     if (!r) return std::unexpected(r.error());
                     if (auto logged = log_person(ctx, req, r->person_id, AccessAction::write, "POST /api/v1/benefit-restrictions/{restriction_id}/end"); !logged)
                       return std::unexpected(logged.error());
                     return ApiResponse::json(restriction_json(*r));
                   },
                   {},
                   {{"valid_to", "YYYY-MM-DD the last day of the restriction (default today)"}}});
}

void add_recipient_file_routes(Router& router, ServerContext& ctx) {
  router.add(Route{"POST", "/api/v1/benefit/recipient-files",
                   "KY-03: build the draft of the next 受給者異動連絡票情報 file, with its checks (replaces an open draft)",
                   benefit_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto cfg = ctx.benefit_config();
                     if (!cfg) return std::unexpected(cfg.error());
                     auto body = req.json_body();
                     if (!body) return std::unexpected(body.error());
                     auto kind = string_field(*body, "kind", false);
                     if (!kind) return std::unexpected(kind.error());
                     if (!kind->empty() && *kind != "regular")
                       return fail(ErrorKind::invalid_input, "kind must be regular (corrections: POST /persons/{person_id}/recipient-corrections)", "kind");
                     auto built = benefit::build_recipient_draft(ctx.db, ctx.clock, recipient_ctx(ctx, **cfg), req.user().user.user_id);
                     if (!built) return std::unexpected(built.error());
                     if (!built->file)
                       return ApiResponse::json({{"file", nullptr}, {"events", built->events}, {"skipped", built->skipped}});
                     auto out = file_with_records(ctx, req, *built->file, "POST /api/v1/benefit/recipient-files", 201);
                     if (out) {
                       out->body["events"] = built->events;
                       out->body["skipped"] = built->skipped;
                       out->body["discarded_file_id"] = opt(built->discarded_file_id);
                     }
                     return out;
                   },
                   {},
                   {{"kind", "regular (default)"}}});
  router.add(Route{"GET", "/api/v1/benefit/recipient-files", "KY-03: recipient files, newest first", benefit_workers(),
                   [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     std::vector<benefit::RecipientFile> files;
                     auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto l = benefit::list_recipient_files(c);
                       if (!l) return std::unexpected(l.error());
                       files = std::move(*l);
                       return {};
                     });
                     if (!r) return std::unexpected(r.error());
                     json items = json::array();
                     for (const auto& f : files) items.push_back(file_json(f));
                     return ApiResponse::json({{"items", items}});
                   }});
  auto find = [&ctx](const ApiRequest& req) -> Result<benefit::RecipientFile> {
    auto id = id_param(req.path_params.at(0), "file_id");
    if (!id) return std::unexpected(id.error());
    std::optional<benefit::RecipientFile> f;
    auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
      auto x = benefit::find_recipient_file(c, *id);
      if (!x) return std::unexpected(x.error());
      f = *x;
      return {};
    });
    if (!r) return std::unexpected(r.error());
    if (!f) return fail(ErrorKind::not_found, fmt::format("no recipient file {}", *id), "file_id");
    return *f;
  };
  router.add(Route{"GET", "/api/v1/benefit/recipient-files/{file_id}", "KY-03: one file, its records and the pre-send check list",
                   benefit_workers(), [&ctx, find](ApiRequest& req) -> Result<ApiResponse> {
                     auto f = find(req);
                     if (!f) return std::unexpected(f.error());
                     return file_with_records(ctx, req, *f, "GET /api/v1/benefit/recipient-files/{file_id}");
                   }});
  router.add(Route{"POST", "/api/v1/benefit/recipient-files/{file_id}/send",
                   "KY-03: send the draft's ok records to the 国保連 (held ones stay for the next draft)", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto cfg = ctx.benefit_config();
                     if (!cfg) return std::unexpected(cfg.error());
                     auto id = id_param(req.path_params.at(0), "file_id");
                     if (!id) return std::unexpected(id.error());
                     auto sent = benefit::send_recipient_file(ctx.db, ctx.clock, recipient_ctx(ctx, **cfg), *id, req.user().user.user_id);
                     if (!sent) return std::unexpected(sent.error());
                     return file_with_records(ctx, req, *sent, "POST /api/v1/benefit/recipient-files/{file_id}/send");
                   }});
  router.add(Route{"POST", "/api/v1/benefit/recipient-files/{file_id}/discard",
                   "KY-03: discard a draft (its persons stay pending for the next draft)", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto id = id_param(req.path_params.at(0), "file_id");
                     if (!id) return std::unexpected(id.error());
                     auto f = benefit::discard_recipient_file(ctx.db, *id, req.user().user.user_id);
                     if (!f) return std::unexpected(f.error());
                     return ApiResponse::json(file_json(*f));
                   }});
  router.add(Route{"GET", "/api/v1/benefit/recipient-files/{file_id}/file.csv",
                   "KY-03: the file as CP932 (as sent; for a draft, what sending would write)", benefit_workers(),
                   [&ctx, find](ApiRequest& req) -> Result<ApiResponse> {
                     auto cfg = ctx.benefit_config();
                     if (!cfg) return std::unexpected(cfg.error());
                     auto f = find(req);
                     if (!f) return std::unexpected(f.error());
                     std::string text;
                     auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
                       auto t = benefit::recipient_file_text(c, ctx.clock, recipient_ctx(ctx, **cfg), f->file_id);
                       if (!t) return std::unexpected(t.error());
                       text = std::move(*t);
                       return {};
                     });
                     if (!r) return std::unexpected(r.error());
                     auto bytes = cp932::encode(text);
                     if (!bytes) return std::unexpected(bytes.error());
                     auto recs = records_of(ctx, f->file_id);
                     if (!recs) return std::unexpected(recs.error());
                     std::vector<std::string> persons;
                     for (const auto& x : *recs)
                       if (x.check_status == "ok") persons.push_back(x.person_id);
                     if (auto logged = log_persons(ctx, req, persons, "GET /api/v1/benefit/recipient-files/{file_id}/file.csv"); !logged)
                       return std::unexpected(logged.error());
                     ApiResponse res;
                     res.text = std::move(*bytes);
                     res.content_type = "text/csv; charset=Shift_JIS";
                     res.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"KY03_{}.csv\"", f->file_id));
                     return res;
                   }});
  router.add(Route{"POST", "/api/v1/persons/{person_id}/recipient-corrections",
                   "KY-03 訂正: a correction draft (correct | delete) of the person's last sent record", benefit_workers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto cfg = ctx.benefit_config();
                     if (!cfg) return std::unexpected(cfg.error());
                     auto body = req.json_body();
                     if (!body) return std::unexpected(body.error());
                     auto correction = string_field(*body, "correction");
                     if (!correction) return std::unexpected(correction.error());
                     const std::string person_id = req.path_params.at(0);
                     auto f = benefit::build_recipient_correction(ctx.db, ctx.clock, recipient_ctx(ctx, **cfg), person_id, *correction,
                                                                  req.user().user.user_id);
                     if (!f) return std::unexpected(f.error());
                     return file_with_records(ctx, req, *f, "POST /api/v1/persons/{person_id}/recipient-corrections", 201);
                   },
                   {},
                   {{"correction", "correct (訂正区分 1: today's data) | delete (2)", true}}});
}

}  // namespace

void add_benefit_recipient_routes(Router& router, ServerContext& ctx) {
  add_care_plan_routes(router, ctx);
  add_restriction_routes(router, ctx);
  add_recipient_file_routes(router, ctx);
}

}  // namespace kaigo::server

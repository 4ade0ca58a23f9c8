// 番号連携 for staff: the inquiry kinds, submitting an inquiry (情報照会), the queue of inquiries,
// cancel and retry, a person's inquiries and their 情報提供等記録 (with a CSV export for a
// disclosure request). Every inquiry or answer about a person shown is an access-logged read;
// submitting one is a logged write.
#include <fmt/format.h>

#include "core/date.hpp"
#include "gateway/disclosure.hpp"
#include "linkage/flow_catalog.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;

// Who may ask other bodies about a person: the business staff who need the answers, and supervisors.
const RoleSet& inquirers() { return person_readers(); }

json opt_time(const std::optional<std::int64_t>& unix_s) {
  if (!unix_s) return nullptr;
  FixedClock at{std::chrono::sys_seconds{std::chrono::seconds{*unix_s}}};
  return at.timestamp();
}

json opt_text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::map<std::string, std::string> counterpart_names(const std::string& config_dir) {
  std::map<std::string, std::string> names;
  if (auto cps = linkage::load_counterparts(config_dir))
    for (const auto& c : *cps) names[c.code] = c.name;
  return names;
}

json inquiry_json(const gateway::Inquiry& q, const gateway::CodeBook& codes, const std::map<std::string, std::string>& names) {
  const auto* kind = codes.kind(q.kind);
  const std::string counterpart = kind ? kind->counterpart : "";
  json answer = nullptr;
  if (!q.answer.empty()) {
    answer = json::parse(q.answer, nullptr, false);
    if (answer.is_discarded()) answer = nullptr;
  }
  auto name = names.find(counterpart);
  return {{"inquiry_id", q.inquiry_id},
          {"request_key", q.request_key},
          {"kind", q.kind},
          {"kind_name", kind ? kind->description : q.kind},
          {"flow_id", q.flow_id},
          {"person_id", q.person_id},
          {"counterpart", counterpart},
          {"counterpart_name", name == names.end() ? counterpart : name->second},
          {"institution_code", q.institution_code},
          {"jimu_code", q.jimu_code},
          {"procedure_code", q.procedure_code},
          {"item_code", q.item_code},
          {"period_from", q.period_from},
          {"period_to", q.period_to},
          {"processing_no", opt_text(q.processing_no)},
          {"status", gateway::to_string(q.status)},
          {"attempts", q.attempts},
          {"next_poll_at", gateway::is_final(q.status) ? json(nullptr) : opt_time(q.next_poll_at)},
          {"deadline_at", opt_time(q.deadline_at)},
          {"error_code", opt_text(q.error_code)},
          {"error_message", opt_text(q.error_message)},
          {"cancel_reason", opt_text(q.cancel_reason)},
          {"answer", answer},
          {"purpose", q.purpose},
          {"created_by", q.created_by},
          {"created_at", q.created_at},
          {"updated_at", q.updated_at},
          {"answered_at", opt_text(q.answered_at)},
          {"bulk_id", q.bulk_id ? json(*q.bulk_id) : json(nullptr)}};
}

Result<void> require_gateway(const ServerContext& ctx) {
  if (!ctx.inquiries || !ctx.codes)
    return fail(ErrorKind::unavailable, "番号連携 (the 中間サーバー) is not configured on this server");
  return {};
}

Result<std::int64_t> inquiry_id_of(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return fail(ErrorKind::invalid_input, "inquiry_id is a number", "inquiry_id");
  return std::stoll(text);
}

Result<void> log_reads(ServerContext& ctx, const ApiRequest& req, const std::vector<std::string>& ids,
                       const std::string& resource) {
  return ctx.db.transaction(
      [&](store::Connection& c) { return record_reads(c, ctx.clock, req.user().user.user_id, ids, resource); });
}

Result<ApiResponse> one_inquiry(ServerContext& ctx, ApiRequest& req, const gateway::Inquiry& q, const std::string& resource,
                                int status = 200) {
  if (auto l = log_reads(ctx, req, {q.person_id}, resource); !l) return std::unexpected(l.error());
  return ApiResponse::json(inquiry_json(q, *ctx.codes, counterpart_names(ctx.options.config_dir)), status);
}


}  // namespace

void add_inquiry_routes(Router& router, ServerContext& ctx) {
  router.add(Route{"GET", "/api/v1/inquiry-kinds", "the kinds of 情報照会 and their flows", inquirers(),
                   [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     if (auto g = require_gateway(ctx); !g) return std::unexpected(g.error());
                     const auto names = counterpart_names(ctx.options.config_dir);
                     json out = json::array();
                     for (const auto& [name, k] : ctx.codes->kinds()) {
                       json flows = json::array();
                       for (const auto& f : k.flows) flows.push_back({{"request_flow", f.request_flow}, {"answer_flow", f.answer_flow}});
                       auto cp = names.find(k.counterpart);
                       // Income and tax are asked for the previous calendar year (賦課: 前年所得).
                       const bool previous_year = name.find("tax") != std::string::npos;
                       out.push_back({{"kind", name},
                                      {"name", k.description},
                                      {"counterpart", k.counterpart},
                                      {"counterpart_name", cp == names.end() ? k.counterpart : cp->second},
                                      {"request_flow", k.flows.front().request_flow},
                                      {"answer_flow", k.flows.front().answer_flow},
                                      {"flows", flows},
                                      {"period", previous_year ? "previous_year" : "as_of_today"},
                                      {"items", k.items},
                                      {"disclosed", k.disclosed}});
                     }
                     return ApiResponse::json(out);
                   }});

  router.add(Route{
      "POST", "/api/v1/inquiries", "submit one 情報照会 about a person", inquirers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        if (auto g = require_gateway(ctx); !g) return std::unexpected(g.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        gateway::InquiryRequestSpec spec;
        for (auto [field, target] : {std::pair{"person_id", &spec.person_id}, std::pair{"kind", &spec.kind},
                                     std::pair{"purpose", &spec.purpose}}) {
          auto v = string_field(*body, field);
          if (!v) return std::unexpected(v.error());
          *target = *v;
        }
        for (auto [field, target] : {std::pair{"period_from", &spec.period_from}, std::pair{"period_to", &spec.period_to}}) {
          auto v = string_field(*body, field);
          if (!v) return std::unexpected(v.error());
          auto d = Date::parse(*v);
          if (!d) return fail(ErrorKind::invalid_input, d.error().message, field);
          *target = *d;
        }
        auto flow = string_field(*body, "flow_id", false);
        if (!flow) return std::unexpected(flow.error());
        spec.flow_id = *flow;
        auto known = ctx.db.query("SELECT 1 FROM person WHERE person_id = $1", {spec.person_id});
        if (!known) return std::unexpected(known.error());
        if (known->empty()) return fail(ErrorKind::not_found, fmt::format("no person {}", spec.person_id), "person_id");
        auto q = ctx.inquiries->submit(spec, req.user().user.user_id);
        if (!q) return std::unexpected(q.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_access(c, ctx.clock, req.user().user.user_id, spec.person_id, AccessAction::write,
                               "POST /api/v1/inquiries", false);
        });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(inquiry_json(*q, *ctx.codes, counterpart_names(ctx.options.config_dir)), 201);
      },
      {},
      {{"person_id", "宛名番号 (統合宛名番号)", true},
       {"kind", "照会種別 (GET /api/v1/inquiry-kinds)", true},
       {"period_from", "対象期間 from, YYYY-MM-DD", true},
       {"period_to", "対象期間 to, YYYY-MM-DD", true},
       {"purpose", "照会の目的 (情報提供等記録)", true},
       {"flow_id", "the kind's request flow to use (default: its first)"}}});

  router.add(Route{
      "GET", "/api/v1/inquiries", "the queue of inquiries, with counts per state", inquirers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        if (auto g = require_gateway(ctx); !g) return std::unexpected(g.error());
        gateway::InquiryFilter filter;
        if (auto s = req.query("status")) {
          auto st = gateway::parse_inquiry_status(*s);
          if (!st) return fail(ErrorKind::invalid_input, st.error().message, "status");
          filter.status = *st;
        }
        filter.kind = req.query("kind").value_or("");
        filter.person_id = req.query("person_id").value_or("");
        if (auto limit = req.query("limit")) {
          if (limit->size() > 4 || limit->find_first_not_of("0123456789") != std::string::npos || std::stoi(*limit) < 1 ||
              std::stoi(*limit) > 1000)
            return fail(ErrorKind::invalid_input, "limit must be a number from 1 to 1000", "limit");
          filter.limit = std::stoi(*limit);
        }
        auto items = ctx.inquiries->list(filter);
        if (!items) return std::unexpected(items.error());
        auto counted = ctx.db.query("SELECT status, COUNT(*) FROM inquiry GROUP BY status");
        if (!counted) return std::unexpected(counted.error());
        json counts = json::object();
        for (auto st : {"queued", "submitted", "pending", "manual_pending", "provided", "not_found", "error", "timed_out", "cancelled"})
          counts[st] = 0;
        for (const auto& r : *counted) counts[r.str(0)] = r.i64(1);
        std::vector<std::string> ids;
        for (const auto& q : *items) ids.push_back(q.person_id);
        if (auto l = log_reads(ctx, req, ids, "GET /api/v1/inquiries"); !l) return std::unexpected(l.error());
        const auto names = counterpart_names(ctx.options.config_dir);
        json out = json::array();
        for (const auto& q : *items) out.push_back(inquiry_json(q, *ctx.codes, names));
        return ApiResponse::json({{"items", out}, {"counts", counts}});
      },
      {{"status", "one state"}, {"kind", "照会種別"}, {"person_id", "宛名番号"}, {"limit", "1–1000, default 100"}}});

  router.add(Route{"GET", "/api/v1/inquiries/{inquiry_id}", "one inquiry with its answer", inquirers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     if (auto g = require_gateway(ctx); !g) return std::unexpected(g.error());
                     auto id = inquiry_id_of(req.path_params.at(0));
                     if (!id) return std::unexpected(id.error());
                     auto q = ctx.inquiries->find(*id);
                     if (!q) return std::unexpected(q.error());
                     if (!*q) return fail(ErrorKind::not_found, fmt::format("no inquiry {}", *id), "inquiry_id");
                     return one_inquiry(ctx, req, **q, "GET /api/v1/inquiries/{inquiry_id}");
                   }});

  router.add(Route{"POST", "/api/v1/inquiries/{inquiry_id}/cancel", "cancel an open inquiry", inquirers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     if (auto g = require_gateway(ctx); !g) return std::unexpected(g.error());
                     auto id = inquiry_id_of(req.path_params.at(0));
                     if (!id) return std::unexpected(id.error());
                     auto body = req.json_body();
                     if (!body) return std::unexpected(body.error());
                     auto reason = string_field(*body, "reason");
                     if (!reason) return std::unexpected(reason.error());
                     auto q = ctx.inquiries->cancel(*id, *reason, req.user().user.user_id);
                     if (!q) return std::unexpected(q.error());
                     return one_inquiry(ctx, req, *q, "POST /api/v1/inquiries/{inquiry_id}/cancel");
                   },
                   {},
                   {{"reason", "取消理由", true}}});

  router.add(Route{"POST", "/api/v1/inquiries/{inquiry_id}/retry", "send an error or timed-out inquiry again", inquirers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     if (auto g = require_gateway(ctx); !g) return std::unexpected(g.error());
                     auto id = inquiry_id_of(req.path_params.at(0));
                     if (!id) return std::unexpected(id.error());
                     auto q = ctx.inquiries->retry(*id, req.user().user.user_id);
                     if (!q) return std::unexpected(q.error());
                     return one_inquiry(ctx, req, *q, "POST /api/v1/inquiries/{inquiry_id}/retry");
                   }});

  router.add(Route{"GET", "/api/v1/persons/{person_id}/inquiries", "the inquiries about one person", inquirers(),
                   [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     if (auto g = require_gateway(ctx); !g) return std::unexpected(g.error());
                     const std::string& id = req.path_params.at(0);
                     auto items = ctx.inquiries->for_person(id);
                     if (!items) return std::unexpected(items.error());
                     if (auto l = log_reads(ctx, req, {id}, "GET /api/v1/persons/{person_id}/inquiries"); !l)
                       return std::unexpected(l.error());
                     const auto names = counterpart_names(ctx.options.config_dir);
                     json out = json::array();
                     for (const auto& q : *items) out.push_back(inquiry_json(q, *ctx.codes, names));
                     return ApiResponse::json({{"items", out}});
                   }});

  auto records = [&ctx](ApiRequest& req) -> Result<std::vector<gateway::DisclosureRecord>> {
    if (auto g = require_gateway(ctx); !g) return std::unexpected(g.error());
    const std::string& id = req.path_params.at(0);
    std::vector<gateway::DisclosureRecord> out;
    auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
      auto recs = gateway::exchange_records_for_person(c, *ctx.codes, id);
      if (!recs) return std::unexpected(recs.error());
      out = std::move(*recs);
      return {};
    });
    if (!r) return std::unexpected(r.error());
    if (auto l = log_reads(ctx, req, {id}, "GET /api/v1/persons/{person_id}/exchange-records"); !l)
      return std::unexpected(l.error());
    // Show counterparts by their Japanese names, on screen and in the file given to the person.
    const auto names = counterpart_names(ctx.options.config_dir);
    for (auto& r : out)
      if (auto n = names.find(r.provider); n != names.end()) r.provider = n->second;
    return out;
  };

  router.add(Route{"GET", "/api/v1/persons/{person_id}/exchange-records", "情報提供等記録 of one person",
                   RoleSet{Role::eligibility_staff, Role::premium_staff, Role::certification_staff, Role::benefit_staff,
                           Role::supervisor, Role::auditor},
                   [&ctx, records](ApiRequest& req) -> Result<ApiResponse> {
                     auto recs = records(req);
                     if (!recs) return std::unexpected(recs.error());
                     json out = json::array();
                     for (const auto& r : *recs) {
                       const gateway::CodeRow* jimu = nullptr;
                       if (auto d = Date::parse(r.requested_at.substr(0, 10)))
                         jimu = ctx.codes->in_effect("jimu", r.jimu_code, *d);
                       const bool inquiry = r.direction == "照会";
                       json item_names = json::array();
                       for (size_t start = 0; start < r.items.size();) {
                         auto comma = r.items.find(',', start);
                         item_names.push_back(r.items.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
                         if (comma == std::string::npos) break;
                         start = comma + 1;
                       }
                       out.push_back({{"at", r.requested_at},
                                      {"kind", inquiry ? "inquiry" : "provision"},
                                      {"direction", r.direction},
                                      {"requester", r.requester},
                                      {"provider", r.provider},
                                      {"counterpart_name", inquiry ? r.provider : r.requester},
                                      {"institution_code", r.institution_code},
                                      {"jimu_code", r.jimu_code},
                                      {"jimu_name", jimu ? jimu->name : ""},
                                      {"item_code", r.item_code},
                                      {"item_names", item_names},
                                      {"flow_id", r.flow_id},
                                      {"processing_no", opt_text(r.processing_no)},
                                      {"purpose", r.purpose},
                                      {"answered_at", opt_text(r.answered_at)},
                                      {"status", r.status},
                                      {"summary", r.answer_summary},
                                      {"disclosure", r.disclosed ? "disclosed" : "withheld"}});
                     }
                     return ApiResponse::json({{"items", out}});
                   }});

  router.add(Route{"GET", "/api/v1/persons/{person_id}/exchange-records.csv", "情報提供等記録 as CSV (disclosure request)",
                   RoleSet{Role::eligibility_staff, Role::premium_staff, Role::certification_staff, Role::benefit_staff,
                           Role::supervisor, Role::auditor},
                   [records](ApiRequest& req) -> Result<ApiResponse> {
                     auto recs = records(req);
                     if (!recs) return std::unexpected(recs.error());
                     ApiResponse r;
                     r.text = gateway::export_csv(*recs);
                     r.content_type = "text/csv; charset=utf-8";
                     r.headers.emplace_back("Content-Disposition",
                                            fmt::format("attachment; filename=\"exchange-records-{}.csv\"", req.path_params.at(0)));
                     return r;
                   }});
}

}  // namespace kaigo::server

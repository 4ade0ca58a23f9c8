// 賦課の入力 from other institutions (FK-03 … FK-10) for premium staff: ask about one person, list a
// person's premium inquiries with what each answer did, and start the yearly bulk inquiry
// (docs/premium-inputs.md). Every person's data read or written here is access-logged.
#include <fmt/format.h>

#include "audit/chained_log.hpp"
#include "premium/premium_inputs.hpp"
#include "server/access_log.hpp"
#include "server/json_fields.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json opt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

json inquiry_json(const premium::PremiumInquiry& p) {
  const auto* k = premium::premium_input_kind(p.kind);
  return {{"inquiry_id", p.inquiry_id},
          {"person_id", p.person_id},
          {"fiscal_year", p.fiscal_year},
          {"kind", p.kind},
          {"kind_name", k ? json(std::string(k->label)) : json(p.kind)},
          {"request_flow", p.request_flow},
          {"answer_flow", p.answer_flow},
          {"reason", p.reason},
          {"municipality_code", opt(p.municipality_code)},
          {"base_date", p.base_date},
          {"run_id", opt(p.run_id)},
          {"created_at", p.created_at},
          {"created_by", p.created_by},
          {"status", p.status},
          {"processing_no", opt(p.processing_no)},
          {"answered_at", opt(p.answered_at)},
          {"error_code", opt(p.error_code)},
          {"outcome", opt(p.outcome)},
          {"summary", opt(p.summary)},
          {"reject_reason", opt(p.reject_reason)},
          {"answer_exchange_id", opt(p.answer_exchange_id)},
          {"recalc_queued", p.recalc_queued},
          {"applied_at", opt(p.applied_at)},
          {"applied_by", opt(p.applied_by)}};
}

json run_json(const premium::InquiryRun& r) {
  json kinds = json::array();
  for (const auto& k : r.kinds)
    kinds.push_back({{"kind", k.kind},
                     {"request_flow", k.request_flow},
                     {"selected", k.selected},
                     {"already_asked", k.already_asked},
                     {"asked", k.asked},
                     {"submitted", k.submitted},
                     {"refused", k.refused},
                     {"queued", k.queued},
                     {"bulk_id", opt(k.bulk_id)}});
  return {{"run_id", r.run_id}, {"fiscal_year", r.fiscal_year}, {"kinds", kinds}, {"created_at", r.created_at},
          {"created_by", r.created_by}};
}

Result<int> fiscal_year_field(const json& body) {
  auto it = body.find("fiscal_year");
  if (it == body.end() || !it->is_number_integer() || it->get<std::int64_t>() < 2000 || it->get<std::int64_t>() > 2999)
    return fail(ErrorKind::invalid_input, "fiscal_year must be a year (2000…2999)", "fiscal_year");
  return static_cast<int>(it->get<std::int64_t>());
}

// The service of this request (the config file is small; read per request so an edit applies).
struct Bound {
  premium::PremiumInputsConfig config;
};
Result<Bound> bind(const ServerContext& ctx) {
  if (!ctx.inquiries) return fail(ErrorKind::unavailable, "番号連携 (the 中間サーバー) is not configured on this server");
  auto cfg = premium::PremiumInputsConfig::load(ctx.options.config_dir);
  if (!cfg) return std::unexpected(cfg.error());
  return Bound{std::move(*cfg)};
}

Result<void> person_exists(ServerContext& ctx, const std::string& id) {
  auto known = ctx.db.query("SELECT 1 FROM person WHERE person_id = $1", {id});
  if (!known) return std::unexpected(known.error());
  if (known->empty()) return fail(ErrorKind::not_found, fmt::format("no person {}", id), "person_id");
  return {};
}

}  // namespace

void add_premium_inputs_routes(Router& router, ServerContext& ctx) {
  const std::string person_path = "/api/v1/persons/{person_id}/premium/inquiries";

  router.add(Route{
      "POST", person_path, "ask another institution about one person's premium inputs (FK-03/05/07/09)", premium_workers(),
      [&ctx, person_path](ApiRequest& req) -> Result<ApiResponse> {
        const std::string& id = req.path_params.at(0);
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto kind = string_field(*body, "kind");
        if (!kind) return std::unexpected(kind.error());
        auto fy = fiscal_year_field(*body);
        if (!fy) return std::unexpected(fy.error());
        auto bound = bind(ctx);
        if (!bound) return std::unexpected(bound.error());
        if (auto e = person_exists(ctx, id); !e) return std::unexpected(e.error());
        premium::PremiumInputsService service(ctx.db, ctx.clock, bound->config, ctx.inquiries);
        auto p = service.inquire(id, *kind, *fy, req.user().user.user_id);
        if (!p) return std::unexpected(p.error());
        auto logged = ctx.db.transaction([&](store::Connection& c) {
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::write, "POST " + person_path, false);
        });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(inquiry_json(*p), 201);
      },
      {},
      {{"kind", "city_local_tax (FK-03) | city_household (FK-05) | nenkin_old_age_welfare (FK-07) | pref_public_assistance (FK-09)", true},
       {"fiscal_year", "the fiscal year of the premium (年度)", true}}});

  router.add(Route{"GET", person_path, "a person's premium inquiries and what each answer applied (FK-04/06/08/10)",
                   premium_workers(), [&ctx, person_path](ApiRequest& req) -> Result<ApiResponse> {
                     const std::string& id = req.path_params.at(0);
                     if (auto e = person_exists(ctx, id); !e) return std::unexpected(e.error());
                     auto cfg = premium::PremiumInputsConfig::load(ctx.options.config_dir);
                     if (!cfg) return std::unexpected(cfg.error());
                     premium::PremiumInputsService service(ctx.db, ctx.clock, *cfg, ctx.inquiries);
                     auto items = service.for_person(id);
                     if (!items) return std::unexpected(items.error());
                     auto logged = ctx.db.transaction([&](store::Connection& c) {
                       return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                                            "GET " + person_path, false);
                     });
                     if (!logged) return std::unexpected(logged.error());
                     json out = json::array();
                     for (const auto& p : *items) out.push_back(inquiry_json(p));
                     return ApiResponse::json({{"items", out}});
                   }});

  router.add(Route{
      "POST", "/api/v1/premium/inquiries/bulk", "the yearly run's inquiries to other institutions (FK-03/05/07/09 in bulk)",
      premium_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto fy = fiscal_year_field(*body);
        if (!fy) return std::unexpected(fy.error());
        auto bound = bind(ctx);
        if (!bound) return std::unexpected(bound.error());
        premium::PremiumInputsService service(ctx.db, ctx.clock, bound->config, ctx.inquiries);
        auto run = service.inquire_bulk(*fy, req.user().user.user_id);
        if (!run) return std::unexpected(run.error());
        // One chained append for every person asked about in this run (a write of each).
        auto logged = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          auto persons = c.query("SELECT DISTINCT person_id FROM premium_inquiry WHERE run_id = $1 ORDER BY person_id", {run->run_id});
          if (!persons) return std::unexpected(persons.error());
          if (persons->empty()) return {};
          const std::string at = ctx.clock.timestamp();
          std::vector<store::Params> rows;
          rows.reserve(persons->size());
          for (const auto& p : *persons)
            rows.push_back({at, req.user().user.user_id, p.str(0), std::string("write"),
                            std::string("POST /api/v1/premium/inquiries/bulk"), std::int64_t{0}});
          auto seq = audit::append_many(c, audit::access_log_spec(), rows);
          if (!seq) return std::unexpected(seq.error());
          return {};
        });
        if (!logged) return std::unexpected(logged.error());
        return ApiResponse::json(run_json(*run), 201);
      },
      {},
      {{"fiscal_year", "the fiscal year of the premium (年度)", true}}});

  router.add(Route{"GET", "/api/v1/premium/inquiries/runs", "the yearly inquiry runs with their counts (no personal data)",
                   premium_workers(), [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                     auto limit = limit_param(req.query("limit"), 20, 500);
                     if (!limit) return std::unexpected(limit.error());
                     auto cfg = premium::PremiumInputsConfig::load(ctx.options.config_dir);
                     if (!cfg) return std::unexpected(cfg.error());
                     premium::PremiumInputsService service(ctx.db, ctx.clock, *cfg, ctx.inquiries);
                     auto runs = service.runs(*limit);
                     if (!runs) return std::unexpected(runs.error());
                     json out = json::array();
                     for (const auto& r : *runs) out.push_back(run_json(r));
                     return ApiResponse::json({{"items", out}});
                   },
                   {{"limit", "1–500, default 20"}}});
}

}  // namespace kaigo::server

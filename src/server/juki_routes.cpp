// 住基連携 (docs/api-eligibility.md "Registry linkage"): the registry files taken in (SK-16), the
// lines quarantined for staff and their resolution, and asking the registry about one person
// (SK-02; the answer SK-03 comes back through the dispatcher). 資格担当 and 監督者 only.
#include <fmt/format.h>

#include "eligibility/juki_service.hpp"
#include "server/access_log.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

const RoleSet& registry_staff() {
  static const RoleSet roles{Role::eligibility_staff, Role::supervisor};
  return roles;
}

Result<int> limit_of(const ApiRequest& req, int fallback, int max) {
  const auto text = req.query("limit");
  if (!text) return fallback;
  try {
    std::size_t used = 0;
    const int n = std::stoi(*text, &used);
    if (used == text->size() && n >= 1 && n <= max) return n;
  } catch (const std::exception&) {
  }
  return fail(ErrorKind::invalid_input, fmt::format("limit must be 1..{}", max), "limit");
}

nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json load_json(const eligibility::juki::Load& l) {
  return {{"load_id", l.load_id},       {"exchange_id", l.exchange_id},   {"kind", l.kind},
          {"file_name", l.file_name},   {"received_at", l.received_at},   {"lines", l.lines},
          {"applied", l.applied},       {"unchanged", l.unchanged},       {"duplicates", l.duplicates},
          {"out_of_order", l.out_of_order}, {"quarantined", l.quarantined}, {"status", l.status},
          {"reason", opt(l.reason)},    {"finished_at", opt(l.finished_at)}};
}

nlohmann::json quarantine_json(const eligibility::juki::QuarantineItem& q) {
  return {{"quarantine_id", q.quarantine_id}, {"load_id", q.load_id},         {"line_no", q.line_no},
          {"field", q.field},                 {"message", q.message},         {"person_id", opt(q.person_id)},
          {"movement_id", opt(q.movement_id)}, {"status", q.status},          {"created_at", q.created_at},
          {"resolved_by", opt(q.resolved_by)}, {"resolved_at", opt(q.resolved_at)}, {"resolution", opt(q.resolution)}};
}

}  // namespace

void add_juki_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "GET", "/api/v1/juki/loads", "registry files taken in (SK-16): full loads and differences with their counts",
      registry_staff(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto limit = limit_of(req, 50, 500);
        if (!limit) return std::unexpected(limit.error());
        nlohmann::json items = nlohmann::json::array();
        auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto loads = eligibility::juki::list_loads(c, *limit);
          if (!loads) return std::unexpected(loads.error());
          for (const auto& l : *loads) items.push_back(load_json(l));
          return {};
        });
        if (!r) return std::unexpected(r.error());
        return ApiResponse::json({{"items", items}});
      },
      {{"limit", "1..500, default 50"}}});

  router.add(Route{
      "GET", "/api/v1/juki/quarantine", "registry lines left for staff (unknown person, refused file, missing from a full load)",
      registry_staff(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto limit = limit_of(req, 200, 1000);
        if (!limit) return std::unexpected(limit.error());
        std::vector<eligibility::juki::QuarantineItem> items;
        auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto q = eligibility::juki::list_quarantine(c, req.query("status").value_or(""), *limit);
          if (!q) return std::unexpected(q.error());
          items = std::move(*q);
          return {};
        });
        if (!r) return std::unexpected(r.error());
        std::vector<std::string> persons;
        for (const auto& q : items)
          if (q.person_id) persons.push_back(*q.person_id);
        if (!persons.empty()) {
          auto logged = ctx.db.transaction([&](store::Connection& c) {
            return record_reads(c, ctx.clock, req.user().user.user_id, persons, "GET /api/v1/juki/quarantine");
          });
          if (!logged) return std::unexpected(logged.error());
        }
        nlohmann::json out = nlohmann::json::array();
        for (const auto& q : items) out.push_back(quarantine_json(q));
        return ApiResponse::json({{"items", out}});
      },
      {{"status", "open | resolved (default: both)"}, {"limit", "1..1000, default 200"}}});

  router.add(Route{
      "POST", "/api/v1/juki/quarantine/{quarantine_id}/resolve", "mark a quarantined registry line resolved, with a note",
      registry_staff(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        std::int64_t id = 0;
        try {
          id = std::stoll(req.path_params.at(0));
        } catch (const std::exception&) {
          return fail(ErrorKind::invalid_input, "quarantine_id must be a number", "quarantine_id");
        }
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        if (!body->contains("resolution") || !(*body)["resolution"].is_string())
          return fail(ErrorKind::invalid_input, "resolution is required", "resolution");
        const std::string resolution = (*body)["resolution"].get<std::string>();
        nlohmann::json out;
        auto r = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          auto q = eligibility::juki::resolve_quarantine(c, ctx.clock, id, req.user().user.user_id, resolution);
          if (!q) return std::unexpected(q.error());
          if (q->person_id)
            if (auto a = record_access(c, ctx.clock, req.user().user.user_id, *q->person_id, AccessAction::write,
                                       "POST /api/v1/juki/quarantine/{quarantine_id}/resolve", false);
                !a)
              return a;
          out = quarantine_json(*q);
          return {};
        });
        if (!r) return std::unexpected(r.error());
        return ApiResponse::json(out);
      },
      {},
      {{"resolution", "what staff did about the line", true}}});

  router.add(Route{
      "POST", "/api/v1/persons/{person_id}/registry-inquiry",
      "ask the resident registry about the person and household (SK-02); the answer (SK-03) updates what differs",
      registry_staff(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string& person_id = req.path_params.at(0);
        nlohmann::json out;
        auto r = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          auto receipt = eligibility::juki::request_registry_record(c, ctx.clock, person_id, req.user().user.user_id);
          if (!receipt) return std::unexpected(receipt.error());
          if (auto a = record_access(c, ctx.clock, req.user().user.user_id, person_id, AccessAction::write,
                                     "POST /api/v1/persons/{person_id}/registry-inquiry", false);
              !a)
            return a;
          out = {{"exchange_id", receipt->exchange_id}, {"correlation_id", receipt->correlation_id}, {"status", "queued"}};
          return {};
        });
        if (!r) return std::unexpected(r.error());
        return ApiResponse::json(out, 201);
      }});
}

}  // namespace kaigo::server

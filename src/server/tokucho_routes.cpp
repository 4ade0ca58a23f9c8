// 特別徴収 and the collection plan (docs/tokucho-layout.md, docs/premium-collection.md): a person's
// collection — the plan of every year (特別徴収 and 普通徴収 instalments, every status), how it was
// computed, the targets, requests and results, the deduction status — the 特別徴収 files with the
// errors of refused ones, and queueing the FK-15 requests. Reading a person is in the access log;
// queueing requests records a write for each person requested.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "audit/chained_log.hpp"
#include "premium/tokucho_service.hpp"
#include "server/access_log.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {

using nlohmann::json;

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

template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json file_json(const premium::tokucho::FileRow& f) {
  json errors = json::array();
  for (const auto& e : f.errors) errors.push_back({{"record_no", e.record_no}, {"field", e.field}, {"message", e.message}});
  return {{"exchange_id", f.exchange_id}, {"flow_id", f.flow_id},       {"kind", f.kind},
          {"layout_version", opt(f.layout_version)}, {"file_name", f.file_name}, {"sha256", f.sha256},
          {"bytes", f.bytes},             {"records", f.records},       {"fiscal_year", opt(f.fiscal_year)},
          {"applied", f.applied},         {"status", f.status},         {"reason", opt(f.reason)},
          {"recorded_at", f.recorded_at}, {"recorded_by", f.recorded_by}, {"errors", errors}};
}

}  // namespace

void add_tokucho_routes(Router& router, ServerContext& ctx) {
  // The layouts, code lists and collection rules, loaded once; a server whose config is broken
  // answers these routes unavailable (and says why) rather than not starting.
  auto loaded = premium::TokuchoConfig::load(ctx.options.config_dir);
  std::shared_ptr<const premium::TokuchoConfig> config =
      loaded ? std::make_shared<const premium::TokuchoConfig>(std::move(*loaded)) : nullptr;
  const std::string why = loaded ? "" : loaded.error().message;
  auto config_of = [config, why]() -> Result<const premium::TokuchoConfig*> {
    if (!config) return fail(ErrorKind::unavailable, "特別徴収の設定を読めない: " + why);
    return config.get();
  };

  router.add(Route{
      "GET", "/api/v1/persons/{person_id}/premium/collection",
      "the person's collection: per fiscal year the plan (特別徴収 and 普通徴収 instalments, every status), how it was "
      "computed, the FK-15 requests and FK-16 results, the deduction status; the FK-14 targets",
      person_readers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string id = req.path_params.at(0);
        json out;
        auto read = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          auto exists = c.query_one("SELECT 1 FROM person WHERE person_id = $1", {id});
          if (!exists) return std::unexpected(exists.error());
          if (!*exists) return fail(ErrorKind::not_found, fmt::format("no person {}", id), "person_id");
          auto view = premium::tokucho::person_collection(c, id);
          if (!view) return std::unexpected(view.error());
          out = std::move(*view);
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                               "GET /api/v1/persons/{person_id}/premium/collection", false);
        });
        if (!read) return std::unexpected(read.error());
        return ApiResponse::json(out);
      }});

  router.add(Route{
      "GET", "/api/v1/tokucho/files",
      "特別徴収 files: FK-14 target lists and FK-16 results received, FK-15 requests sent, refused files with their "
      "errors by record and field",
      premium_workers(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto limit = limit_of(req, 50, 500);
        if (!limit) return std::unexpected(limit.error());
        json items = json::array();
        auto r = ctx.db.with_connection([&](store::Connection& c) -> Result<void> {
          auto files = premium::tokucho::list_files(c, req.query("status").value_or(""), *limit);
          if (!files) return std::unexpected(files.error());
          for (const auto& f : *files) items.push_back(file_json(f));
          return {};
        });
        if (!r) return std::unexpected(r.error());
        return ApiResponse::json({{"items", items}});
      },
      {{"status", "sent | applied | rejected (default: all)"}, {"limit", "1..500, default 50"}}});

  router.add(Route{
      "POST", "/api/v1/tokucho/requests",
      "queue the FK-15 特別徴収依頼 of fiscal_year: every special instalment planned and not yet requested, one file; "
      "the dispatcher sends it and applies the 依頼処理結果",
      premium_workers(),
      [&ctx, config_of](ApiRequest& req) -> Result<ApiResponse> {
        auto cfg = config_of();
        if (!cfg) return std::unexpected(cfg.error());
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        if (!body->contains("fiscal_year") || !(*body)["fiscal_year"].is_number_integer())
          return fail(ErrorKind::invalid_input, "fiscal_year (a year, e.g. 2026) is required", "fiscal_year");
        const int fy = (*body)["fiscal_year"].get<int>();
        if (fy < 2000 || fy > 2100) return fail(ErrorKind::invalid_input, "fiscal_year out of range", "fiscal_year");
        const std::string user = req.user().user.user_id;
        auto sent = premium::tokucho::send_requests(ctx.db, ctx.clock, **cfg, fy, user);
        if (!sent) return std::unexpected(sent.error());
        if (sent->exchange_id) {
          // Each person requested: a write of their case (an exchange about them).
          auto logged = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
            auto persons = c.query("SELECT person_id FROM tokucho_request WHERE exchange_id = $1", {*sent->exchange_id});
            if (!persons) return std::unexpected(persons.error());
            const std::string at = ctx.clock.timestamp();
            std::vector<store::Params> rows;
            rows.reserve(persons->size());
            for (const auto& p : *persons)
              rows.push_back({at, user, p.str(0), std::string("write"), std::string("POST /api/v1/tokucho/requests"),
                              std::int64_t{0}});
            auto seq = audit::append_many(c, audit::access_log_spec(), rows);
            if (!seq) return std::unexpected(seq.error());
            return {};
          });
          if (!logged) return std::unexpected(logged.error());
        }
        json substituted = json::array();
        for (char32_t ch : sent->substituted) substituted.push_back(fmt::format("U+{:04X}", static_cast<std::uint32_t>(ch)));
        return ApiResponse::json({{"fiscal_year", fy},
                                  {"persons", sent->persons},
                                  {"exchange_id", opt(sent->exchange_id)},
                                  {"correlation_id", sent->correlation_id.empty() ? json(nullptr) : json(sent->correlation_id)},
                                  {"substituted", substituted},
                                  {"status", sent->exchange_id ? "queued" : "nothing_to_request"}},
                                 sent->exchange_id ? 201 : 200);
      },
      {},
      {{"fiscal_year", "the fiscal year whose planned deductions are requested", true}}});
}

}  // namespace kaigo::server

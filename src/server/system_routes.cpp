// GET /healthz, GET /metrics, GET /api/v1/openapi.json — public, no personal data.
#include <fmt/format.h>

#include "server/metrics.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {
constexpr const char* kApiVersion = "1.0.0";
}

void add_system_routes(Router& router, ServerContext& ctx, Metrics& metrics) {
  router.add(Route{"GET", "/healthz", "liveness and database reachability", std::nullopt,
                   [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     auto ping = ctx.db.query("SELECT 1");
                     if (!ping) return fail(ErrorKind::unavailable, "the database is not reachable", "database");
                     return ApiResponse::json({{"status", "ok"}, {"database", ctx.db.dialect() == store::Dialect::sqlite ? "sqlite" : "postgresql"}});
                   }});

  router.add(Route{"GET", "/metrics", "Prometheus metrics", std::nullopt,
                   [&ctx, &metrics](ApiRequest&) -> Result<ApiResponse> {
                     auto ping = ctx.db.query("SELECT 1");
                     std::string extra = fmt::format(
                         "# HELP kaigo_database_up Whether the database answered this scrape.\n"
                         "# TYPE kaigo_database_up gauge\nkaigo_database_up {}\n",
                         ping ? 1 : 0);
                     ApiResponse r;
                     r.text = metrics.prometheus(extra);
                     r.content_type = "text/plain; version=0.0.4";
                     return r;
                   }});

  router.add(Route{"GET", "/api/v1/openapi.json", "this API's OpenAPI 3 document", std::nullopt,
                   [&router](ApiRequest&) -> Result<ApiResponse> { return ApiResponse::json(router.openapi(kApiVersion)); }});
}

}  // namespace kaigo::server

// GET /api/v1/flows: the 77-step flow catalog with each flow's state and traffic.
#include "linkage/flow_catalog.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

void add_flow_routes(Router& router, ServerContext& ctx) {
  router.add_for_any_user(Route{"GET", "/api/v1/flows", "the flow catalog (77 steps) with state and traffic", {},
                                [&ctx](ApiRequest&) -> Result<ApiResponse> {
                                  auto catalog = linkage::load_flow_catalog(ctx.options.config_dir);
                                  if (!catalog) return std::unexpected(catalog.error());
                                  auto traffic = linkage::flow_traffic(ctx.db);
                                  if (!traffic) return std::unexpected(traffic.error());
                                  return ApiResponse::json(linkage::catalog_json(*catalog, *traffic));
                                }});
}

}  // namespace kaigo::server

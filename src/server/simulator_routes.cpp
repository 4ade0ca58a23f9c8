// Demo controls of the bundled simulators (docs/api-eligibility.md "Simulators"): which are
// attached, and letting one live simulated days (the registry: births, deaths, moves). The
// controls exist only where `kaigo serve` attached a simulator (the embedded default); in
// production the list is empty and advance answers not_found.
#include <fmt/format.h>

#include "server/routes.hpp"

namespace kaigo::server {

namespace {

// The staff whose screens carry a demo control: 資格 (the registry), 認定 (the committee-support
// system: contractors, doctors and the committee answer as its days pass) and 給付 (the 国保連's
// monthly 給付実績).
const RoleSet& simulator_users() {
  static const RoleSet roles{Role::eligibility_staff, Role::certification_staff, Role::benefit_staff,
                             Role::supervisor, Role::administrator};
  return roles;
}

std::string label_of(const std::string& counterpart) {
  if (counterpart == "juki") return "住民基本台帳 (模擬)";
  if (counterpart == "shinsa") return "認定審査会支援システム (模擬)";
  if (counterpart == "kokuhoren") return "国保連合会 (模擬: 特別徴収・給付実績)";
  return counterpart + " (模擬)";
}

}  // namespace

void add_simulator_routes(Router& router, ServerContext& ctx) {
  router.add(Route{"GET", "/api/v1/simulators", "the bundled simulators attached to this server (demo only)",
                   simulator_users(), [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     nlohmann::json items = nlohmann::json::array();
                     for (const auto& [code, control] : ctx.simulator_controls)
                       items.push_back({{"counterpart", code}, {"label", label_of(code)}});
                     return ApiResponse::json({{"items", items}});
                   }});
  router.add(Route{
      "POST", "/api/v1/simulators/{counterpart}/advance",
      "let a simulated counterpart live 1..366 days (the registry posts its movements; the dispatcher takes them in)",
      simulator_users(),
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string& counterpart = req.path_params.at(0);
        auto it = ctx.simulator_controls.find(counterpart);
        if (it == ctx.simulator_controls.end())
          return fail(ErrorKind::not_found, fmt::format("no simulator is attached for {}", counterpart), "counterpart");
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        if (!body->contains("days") || !(*body)["days"].is_number_integer())
          return fail(ErrorKind::invalid_input, "days (1..366) is required", "days");
        const auto days = (*body)["days"].get<std::int64_t>();
        if (days < 1 || days > 366) return fail(ErrorKind::invalid_input, "days must be 1..366", "days");
        auto summary = it->second(static_cast<int>(days));
        if (!summary) return std::unexpected(summary.error());
        return ApiResponse::json({{"summary", *summary}});
      },
      {},
      {{"days", "1..366", true}}});
}

}  // namespace kaigo::server

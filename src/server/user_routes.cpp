// Staff users: GET/POST /api/v1/users (administrator only; no personal data of residents).
#include "server/routes.hpp"

namespace kaigo::server {

namespace {
using nlohmann::json;
}

void add_user_routes(Router& router, ServerContext& ctx) {
  router.add(Route{"GET", "/api/v1/users", "list staff users", RoleSet{Role::administrator},
                   [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     auto rows = ctx.db.query("SELECT user_id, display_name, roles, active FROM staff_user ORDER BY user_id");
                     if (!rows) return std::unexpected(rows.error());
                     json items = json::array();
                     for (const auto& r : *rows) {
                       json roles = json::array();
                       if (auto set = parse_roles(r.str(2)))
                         for (Role role : *set) roles.push_back(role_name(role));
                       items.push_back({{"user_id", r.str(0)}, {"display_name", r.str(1)}, {"roles", roles},
                                        {"active", r.i64(3) == 1}});
                     }
                     return ApiResponse::json({{"items", items}});
                   }});

  router.add(Route{
      "POST", "/api/v1/users", "create a staff user", RoleSet{Role::administrator},
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        for (const char* f : {"user_id", "display_name", "password"})
          if (!body->contains(f) || !(*body)[f].is_string())
            return fail(ErrorKind::invalid_input, std::string(f) + " is required", f);
        if (!body->contains("roles") || !(*body)["roles"].is_array())
          return fail(ErrorKind::invalid_input, "roles must be an array of role names", "roles");
        RoleSet roles;
        for (const auto& r : (*body)["roles"]) {
          auto role = r.is_string() ? parse_role(r.get<std::string>()) : std::nullopt;
          if (!role) return fail(ErrorKind::invalid_input, "unknown role " + r.dump(), "roles");
          roles.insert(*role);
        }
        auto created = ctx.auth.create_user((*body)["user_id"], (*body)["display_name"], (*body)["password"], roles);
        if (!created) return std::unexpected(created.error());
        return ApiResponse::json({{"user_id", (*body)["user_id"]}}, 201);
      },
      {},
      {{"user_id", "login name", true},
       {"display_name", "name shown on screens", true},
       {"password", "at least 10 characters", true},
       {"roles", "array of role names", true}}});
}

}  // namespace kaigo::server

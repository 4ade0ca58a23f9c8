// POST /api/v1/login, POST /api/v1/logout, GET /api/v1/me.
#include <fmt/format.h>

#include "server/routes.hpp"

namespace kaigo::server {

namespace {

nlohmann::json session_json(const Session& s) {
  nlohmann::json roles = nlohmann::json::array();
  for (Role r : s.user.roles) roles.push_back(role_name(r));
  return {{"user_id", s.user.user_id}, {"display_name", s.user.display_name}, {"roles", roles}, {"csrf_token", s.csrf_token}};
}

Result<std::string> string_field(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty())
    return fail(ErrorKind::invalid_input, fmt::format("{} is required", name), name);
  return it->get<std::string>();
}

}  // namespace

void add_session_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "POST", "/api/v1/login", "log in; sets the session cookie and returns the CSRF token", std::nullopt,
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.json_body();
        if (!body) return std::unexpected(body.error());
        auto user_id = string_field(*body, "user_id");
        if (!user_id) return std::unexpected(user_id.error());
        auto password = string_field(*body, "password");
        if (!password) return std::unexpected(password.error());
        auto login = ctx.auth.login(*user_id, *password, req.raw.remote_addr);
        if (!login) return std::unexpected(login.error());
        auto res = ApiResponse::json(session_json(login->session));
        res.headers.emplace_back("Set-Cookie", session_cookie(login->token, ctx.options.auth_policy.absolute_timeout_s,
                                                              ctx.options.secure_cookie));
        return res;
      },
      {},
      {{"user_id", "login name", true}, {"password", "password", true}}});

  router.add_for_any_user(Route{"POST", "/api/v1/logout", "end the session", {},
                                [&ctx](ApiRequest& req) -> Result<ApiResponse> {
                                  if (auto r = ctx.auth.logout(req.user()); !r) return std::unexpected(r.error());
                                  auto res = ApiResponse::no_content();
                                  res.headers.emplace_back("Set-Cookie", clear_session_cookie(ctx.options.secure_cookie));
                                  return res;
                                }});

  router.add_for_any_user(Route{"GET", "/api/v1/me", "the logged-in user, roles and CSRF token", {},
                                [](ApiRequest& req) -> Result<ApiResponse> { return ApiResponse::json(session_json(req.user())); }});
}

}  // namespace kaigo::server

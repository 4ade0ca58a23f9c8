#include "server/router.hpp"

#include <chrono>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "server/metrics.hpp"

namespace kaigo::server {

using nlohmann::json;

Result<json> ApiRequest::json_body() const {
  if (raw.body.empty()) return fail(ErrorKind::invalid_input, "the request needs a JSON body", "body");
  json j = json::parse(raw.body, nullptr, false);
  if (j.is_discarded()) return fail(ErrorKind::invalid_input, "the body is not valid JSON", "body");
  if (!j.is_object()) return fail(ErrorKind::invalid_input, "the body must be a JSON object", "body");
  return j;
}

std::optional<std::string> ApiRequest::query(const std::string& key) const {
  if (!raw.has_param(key)) return std::nullopt;
  auto v = raw.get_param_value(key);
  if (v.empty()) return std::nullopt;
  return v;
}

ApiResponse ApiResponse::json(nlohmann::json body, int status) {
  ApiResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

ApiResponse ApiResponse::no_content() {
  ApiResponse r;
  r.status = 204;
  r.text = "";
  return r;
}

json error_body(const Error& e) {
  json err{{"kind", to_string(e.kind)}, {"message", e.message}};
  err["field"] = e.field.empty() ? json(nullptr) : json(e.field);
  return json{{"error", err}};
}

void write_response(httplib::Response& res, const ApiResponse& r) {
  res.status = r.status;
  for (const auto& [k, v] : r.headers) res.set_header(k, v);
  if (r.text) {
    if (r.status != 204) res.set_content(*r.text, r.content_type);
  } else {
    res.set_content(r.body.dump(), "application/json; charset=utf-8");
  }
}

void write_error(httplib::Response& res, const Error& e) {
  res.status = http_status(e.kind);
  res.set_content(error_body(e).dump(), "application/json; charset=utf-8");
}

std::string session_cookie(const std::string& token, std::int64_t max_age_s, bool secure) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookie, token, max_age_s,
                     secure ? "; Secure" : "");
}

std::string clear_session_cookie(bool secure) {
  return fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{}", kSessionCookie, secure ? "; Secure" : "");
}

std::optional<std::string> cookie_value(const httplib::Request& req, const std::string& name) {
  const auto count = req.get_header_value_count("Cookie");
  for (size_t i = 0; i < count; ++i) {
    const std::string value = req.get_header_value("Cookie", i);
    std::string_view header = value;
    while (!header.empty()) {
      auto semi = header.find(';');
      auto part = header.substr(0, semi);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (part.starts_with(name + "=")) return std::string(part.substr(name.size() + 1));
      if (semi == std::string_view::npos) break;
      header.remove_prefix(semi + 1);
    }
  }
  return std::nullopt;
}

void Router::add(Route route) {
  // "{name}" → one path segment.
  std::string re = "^" + std::regex_replace(route.pattern, std::regex(R"(\{[a-z_]+\})"), "([^/]+)") + "$";
  compiled_.push_back(Compiled{std::regex(re)});
  routes_.push_back(std::move(route));
}

void Router::add_for_any_user(Route route) {
  route.roles = RoleSet(all_roles().begin(), all_roles().end());
  route.any_authenticated = true;
  add(std::move(route));
}

bool Router::dispatch(const httplib::Request& req, httplib::Response& res) {
  const auto started = std::chrono::steady_clock::now();
  const Route* route = nullptr;
  std::smatch match;
  bool path_known = false;
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (!std::regex_match(req.path, match, compiled_[i].regex)) continue;
    path_known = true;
    if (routes_[i].method == req.method) {
      route = &routes_[i];
      break;
    }
  }
  if (!path_known) return false;
  std::string label = route ? route->pattern : "unmatched";
  auto finish = [&] {
    metrics_.observe(req.method, label, res.status,
                     std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
  };
  if (!route) {
    write_error(res, Error{ErrorKind::not_found, fmt::format("{} is not allowed on {}", req.method, req.path), "method"});
    res.status = 405;
    finish();
    return true;
  }
  ApiRequest api{req, {}, std::nullopt};
  for (size_t i = 1; i < match.size(); ++i) api.path_params.push_back(match[i].str());

  auto run = [&]() -> Result<ApiResponse> {
    if (route->roles) {
      auto token = cookie_value(req, kSessionCookie);
      if (!token) return fail(ErrorKind::unauthenticated, "not logged in");
      auto session = auth_.authenticate(*token);
      if (!session) return std::unexpected(session.error());
      bool admitted = false;
      for (Role r : session->user.roles) admitted = admitted || route->roles->contains(r);
      if (!admitted) return fail(ErrorKind::forbidden, "your role does not allow this");
      // CSRF: a write must echo the session's token in a header, which a cross-site form cannot.
      if (req.method != "GET" && req.get_header_value("X-CSRF-Token") != session->csrf_token)
        return fail(ErrorKind::forbidden, "missing or wrong CSRF token", "X-CSRF-Token");
      api.session = std::move(*session);
    }
    return route->handler(api);
  };
  try {
    auto result = run();
    if (result) write_response(res, *result);
    else write_error(res, result.error());
  } catch (const std::exception& e) {
    // A bug: log the route, never the request (it may carry personal data).
    spdlog::error("unhandled exception on {} {}: {}", req.method, route->pattern, e.what());
    write_error(res, Error{ErrorKind::internal, "internal error", {}});
  }
  finish();
  return true;
}

json Router::openapi(const std::string& version) const {
  json paths = json::object();
  for (const auto& r : routes_) {
    json op{{"summary", r.summary}, {"operationId", fmt::format("{} {}", r.method, r.pattern)}};
    json roles = json::array();
    if (r.roles)
      for (Role role : *r.roles) roles.push_back(role_name(role));
    op["x-roles"] = r.roles ? roles : json("public");
    if (r.roles) op["security"] = json::array({json{{"session", json::array()}}});
    else op["security"] = json::array();
    json params = json::array();
    std::smatch m;
    std::string rest = r.pattern;
    std::regex placeholder(R"(\{([a-z_]+)\})");
    while (std::regex_search(rest, m, placeholder)) {
      params.push_back({{"name", m[1].str()}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
      rest = m.suffix();
    }
    for (const auto& q : r.query_params)
      params.push_back({{"name", q.name}, {"in", "query"}, {"required", q.required}, {"description", q.description},
                        {"schema", {{"type", "string"}}}});
    if (!params.empty()) op["parameters"] = params;
    if (!r.body_fields.empty()) {
      json props = json::object(), required = json::array();
      for (const auto& f : r.body_fields) {
        props[f.name] = {{"description", f.description}};
        if (f.required) required.push_back(f.name);
      }
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", {{"type", "object"}, {"properties", props}, {"required", required}}}}}}}};
    }
    op["responses"] = {{"200", {{"description", "success"}}},
                       {"default", {{"description", "error: {\"error\":{\"kind\",\"message\",\"field\"}}"}}}};
    std::string method = r.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    paths[r.pattern][method] = op;
  }
  return json{{"openapi", "3.0.3"},
              {"info", {{"title", "kaigo API"}, {"version", version}}},
              {"servers", json::array({json{{"url", "/"}}})},
              {"components",
               {{"securitySchemes", {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", kSessionCookie}}}}}}},
              {"paths", paths}};
}

}  // namespace kaigo::server

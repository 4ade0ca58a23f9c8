#pragma once
// The API's routes. Every route declares the roles it admits (or that it is public), its summary
// and its parameters; the router enforces login, roles and the CSRF token before the handler
// runs, turns Error values into one JSON error body, and generates the OpenAPI document from the
// same declarations, so the document cannot drift from the routes.
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "server/auth.hpp"
#include "server/roles.hpp"

namespace kaigo::server {

class Metrics;

struct ApiRequest {
  const httplib::Request& raw;
  std::vector<std::string> path_params;  // the {placeholders} of the pattern, in order
  std::optional<Session> session;        // set on every non-public route

  // The body parsed as a JSON object (invalid_input naming "body" otherwise).
  Result<nlohmann::json> json_body() const;
  std::optional<std::string> query(const std::string& key) const;  // empty values count as absent
  const Session& user() const { return *session; }
};

struct ApiResponse {
  int status = 200;
  nlohmann::json body;                  // sent as JSON unless `text` is set
  std::optional<std::string> text;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;

  static ApiResponse json(nlohmann::json body, int status = 200);
  static ApiResponse no_content();
};

using Handler = std::function<Result<ApiResponse>(ApiRequest&)>;

struct ParamDoc {
  std::string name, description;
  bool required = false;
};

struct Route {
  std::string method;                 // GET, POST, PUT, DELETE
  std::string pattern;                // "/api/v1/persons/{person_id}"
  std::string summary;                // one line, for the OpenAPI document
  std::optional<RoleSet> roles = {};       // nullopt: public, no login
  Handler handler = {};
  std::vector<ParamDoc> query_params = {};
  std::vector<ParamDoc> body_fields = {};  // JSON body fields
  bool any_authenticated = false;          // with roles == all roles: any logged-in user
};

// The body of every error response: {"error":{"kind","message","field"}}.
nlohmann::json error_body(const Error& e);

class Router {
 public:
  Router(Auth& auth, Metrics& metrics) : auth_(auth), metrics_(metrics) {}

  // Registers a route; a public route must say so by leaving roles empty (nullopt).
  void add(Route route);
  // Convenience: a route admitting every logged-in user.
  void add_for_any_user(Route route);

  // Handles one request (all methods). Returns false when no route's pattern matches the path
  // (the caller then answers 404 or serves a static file).
  bool dispatch(const httplib::Request& req, httplib::Response& res);

  const std::vector<Route>& routes() const { return routes_; }
  nlohmann::json openapi(const std::string& version) const;

 private:
  struct Compiled {
    std::regex regex;
  };
  Auth& auth_;
  Metrics& metrics_;
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

// Writes an ApiResponse or an error into an httplib response.
void write_response(httplib::Response& res, const ApiResponse& r);
void write_error(httplib::Response& res, const Error& e);

// The session cookie's name and its Set-Cookie values.
inline constexpr const char* kSessionCookie = "kaigo_session";
std::string session_cookie(const std::string& token, std::int64_t max_age_s, bool secure);
std::string clear_session_cookie(bool secure);
std::optional<std::string> cookie_value(const httplib::Request& req, const std::string& name);

}  // namespace kaigo::server

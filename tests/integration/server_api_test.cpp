// The HTTP API's framework: login, sessions, CSRF, throttling, errors, the role matrix, the
// OpenAPI document, metrics, and two instances sharing one database.
#include <gtest/gtest.h>

#include <set>

#include "server_fixture.hpp"

namespace kaigo {
namespace {

using nlohmann::json;
using testing::ApiClient;
using testing::ServerFixture;

class ServerApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    f = std::make_unique<ServerFixture>(GetParam());
    testing::seed_standard_data(*f);
  }
  json body(const httplib::Result& r) { return json::parse(r->body); }
  std::unique_ptr<ServerFixture> f;
};

TEST_P(ServerApiTest, LoginSetsAnHttpOnlyStrictCookieAndReturnsTheCsrfToken) {
  ApiClient c(f->port());
  auto r = c.login("eligibility_staff");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("kaigo_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(body(r)["roles"], json::array({"eligibility_staff"}));
  EXPECT_FALSE(body(r)["csrf_token"].get<std::string>().empty());
  auto me = c.get("/api/v1/me");
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(body(me)["user_id"], "eligibility_staff");
}

TEST_P(ServerApiTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  ApiClient c(f->port());
  auto wrong = c.login("eligibility_staff", "not-the-password");
  auto unknown = c.login("nobody", "not-the-password");
  ASSERT_EQ(wrong->status, 401);
  ASSERT_EQ(unknown->status, 401);
  EXPECT_EQ(body(wrong)["error"]["message"], body(unknown)["error"]["message"]);
  EXPECT_EQ(body(wrong)["error"]["kind"], "unauthenticated");
}

TEST_P(ServerApiTest, RepeatedFailuresLockTheLoginNameForAWhile) {
  ApiClient c(f->port());
  for (int i = 0; i < 5; ++i) ASSERT_EQ(c.login("supervisor", "wrong-password")->status, 401);
  auto locked = c.login("supervisor");  // even the right password
  ASSERT_EQ(locked->status, 429);
  EXPECT_EQ(body(locked)["error"]["kind"], "too_many_requests");
  EXPECT_EQ(c.login("auditor")->status, 200) << "another login name is not locked";
  f->clock().advance(std::chrono::minutes(16));
  EXPECT_EQ(c.login("supervisor")->status, 200) << "the lock ends";
}

TEST_P(ServerApiTest, AnIdleSessionExpires) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("premium_staff")->status, 200);
  f->clock().advance(std::chrono::minutes(29));
  ASSERT_EQ(c.get("/api/v1/me")->status, 200);
  f->clock().advance(std::chrono::minutes(31));
  auto expired = c.get("/api/v1/me");
  EXPECT_EQ(expired->status, 401);
  EXPECT_NE(body(expired)["error"]["message"].get<std::string>().find("expired"), std::string::npos);
}

TEST_P(ServerApiTest, WritesNeedTheCsrfToken) {
  ApiClient c(f->port());
  ASSERT_EQ(c.login("administrator")->status, 200);
  auto no_token = c.post("/api/v1/logout", "", false);
  ASSERT_EQ(no_token->status, 403);
  EXPECT_EQ(body(no_token)["error"]["field"], "X-CSRF-Token");
  EXPECT_EQ(c.get("/api/v1/me")->status, 200) << "the refused logout changed nothing";
  EXPECT_EQ(c.post("/api/v1/logout", "")->status, 204);
  EXPECT_EQ(c.get("/api/v1/me")->status, 401);
}

TEST_P(ServerApiTest, BadRequestsGetClearJsonErrors) {
  ApiClient c(f->port());
  auto bad_json = c.http.Post("/api/v1/login", "{not json", "application/json");
  ASSERT_EQ(bad_json->status, 400);
  EXPECT_EQ(body(bad_json)["error"]["field"], "body");
  auto missing = c.http.Post("/api/v1/login", R"({"user_id":"x"})", "application/json");
  ASSERT_EQ(missing->status, 400);
  EXPECT_EQ(body(missing)["error"]["field"], "password");
  auto unknown = c.get("/api/v1/no-such-thing");
  ASSERT_EQ(unknown->status, 404);
  EXPECT_EQ(body(unknown)["error"]["kind"], "not_found");
  auto wrong_method = c.send("DELETE", "/api/v1/login", "");
  EXPECT_EQ(wrong_method->status, 405);
  ASSERT_EQ(c.login("administrator")->status, 200);
  auto bad_user = c.post("/api/v1/users", R"({"user_id":"new1","display_name":"N","password":"long-enough-1","roles":["boss"]})");
  ASSERT_EQ(bad_user->status, 400);
  EXPECT_EQ(body(bad_user)["error"]["field"], "roles");
  auto short_pw = c.post("/api/v1/users", R"({"user_id":"new1","display_name":"N","password":"short","roles":["auditor"]})");
  ASSERT_EQ(short_pw->status, 400);
  EXPECT_EQ(body(short_pw)["error"]["field"], "password");
  ASSERT_EQ(c.post("/api/v1/users", R"({"user_id":"new1","display_name":"N","password":"long-enough-1","roles":["auditor"]})")->status, 201);
  auto dup = c.post("/api/v1/users", R"({"user_id":"new1","display_name":"N","password":"long-enough-1","roles":["auditor"]})");
  EXPECT_EQ(dup->status, 409);
  ApiClient n(f->port());
  EXPECT_EQ(n.login("new1", "long-enough-1")->status, 200) << "the created user can log in";
}

// Every route × every role: public routes answer without login; the others refuse without a
// session (401), refuse roles they do not admit (403), and let admitted roles through.
TEST_P(ServerApiTest, RoleMatrixCoversEveryRoute) {
  const auto& routes = f->server().router().routes();
  ASSERT_GE(routes.size(), 10u);
  for (const auto& route : routes) {
    std::string path = route.pattern;
    for (auto [placeholder, sample] : {std::pair<std::string, std::string>{"{person_id}", "1000000001"},
                                       std::pair<std::string, std::string>{"{inquiry_id}", "1"},
                                       std::pair<std::string, std::string>{"{case_id}", "1"},
                                       std::pair<std::string, std::string>{"{item}", "identity"},
                                       std::pair<std::string, std::string>{"{quarantine_id}", "1"},
                                       std::pair<std::string, std::string>{"{counterpart}", "juki"},
                                       std::pair<std::string, std::string>{"{fact_id}", "1"},
                                       std::pair<std::string, std::string>{"{rule_id}", "1"},
                                       std::pair<std::string, std::string>{"{exemption_id}", "1"},
                                       std::pair<std::string, std::string>{"{batch_run_id}", "1"},
                                       std::pair<std::string, std::string>{"{file_no}", "1"},
                                       std::pair<std::string, std::string>{"{application_id}", "1"},
                                       std::pair<std::string, std::string>{"{document_id}", "1"},
                                       std::pair<std::string, std::string>{"{session_id}", "1"},
                                       std::pair<std::string, std::string>{"{postponement_id}", "1"},
                                       std::pair<std::string, std::string>{"{care_plan_id}", "1"},
                                       std::pair<std::string, std::string>{"{restriction_id}", "1"},
                                       std::pair<std::string, std::string>{"{file_id}", "1"},
                                       std::pair<std::string, std::string>{"{repayment_id}", "1"},
                                       std::pair<std::string, std::string>{"{combined_id}", "1"},
                                       std::pair<std::string, std::string>{"{decision_id}", "1"}})
      if (auto brace = path.find(placeholder); brace != std::string::npos) path.replace(brace, placeholder.size(), sample);
    ASSERT_EQ(path.find('{'), std::string::npos) << "add a sample value for " << route.pattern;
    const std::string body = route.method == "GET" ? "" : "{}";
    ApiClient anon(f->port());
    auto r = anon.send(route.method, path, body);
    ASSERT_TRUE(r);
    if (!route.roles) {
      EXPECT_NE(r->status, 401) << route.method << " " << route.pattern;
      EXPECT_NE(r->status, 403) << route.method << " " << route.pattern;
      continue;
    }
    EXPECT_EQ(r->status, 401) << route.method << " " << route.pattern << " without login";
    for (server::Role role : server::all_roles()) {
      if (route.method == "POST" && route.pattern == "/api/v1/logout") continue;  // would end the session
      ApiClient c(f->port());
      ASSERT_EQ(c.login(std::string(server::role_name(role)))->status, 200);
      auto res = c.send(route.method, path, body);
      ASSERT_TRUE(res);
      if (route.roles->contains(role)) {
        EXPECT_NE(res->status, 401) << route.method << " " << route.pattern << " as " << server::role_name(role);
        EXPECT_NE(res->status, 403) << route.method << " " << route.pattern << " as " << server::role_name(role);
      } else {
        EXPECT_EQ(res->status, 403) << route.method << " " << route.pattern << " as " << server::role_name(role);
      }
    }
  }
}

TEST_P(ServerApiTest, OpenApiDocumentListsExactlyTheRoutes) {
  ApiClient c(f->port());
  auto r = c.get("/api/v1/openapi.json");
  ASSERT_EQ(r->status, 200);
  auto doc = body(r);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  size_t operations = 0;
  for (auto& [path, methods] : doc["paths"].items()) operations += methods.size();
  const auto& routes = f->server().router().routes();
  EXPECT_EQ(operations, routes.size());
  for (const auto& route : routes) {
    std::string method = route.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(ch));
    ASSERT_TRUE(doc["paths"].contains(route.pattern)) << route.pattern;
    ASSERT_TRUE(doc["paths"][route.pattern].contains(method)) << route.method << " " << route.pattern;
    const auto& roles = doc["paths"][route.pattern][method]["x-roles"];
    if (!route.roles) {
      EXPECT_EQ(roles, "public");
    } else {
      std::set<std::string> documented(roles.begin(), roles.end());
      std::set<std::string> declared;
      for (auto role : *route.roles) declared.insert(std::string(server::role_name(role)));
      EXPECT_EQ(documented, declared) << route.pattern;
    }
  }
}

TEST_P(ServerApiTest, HealthAndMetrics) {
  ApiClient c(f->port());
  auto h = c.get("/healthz");
  ASSERT_EQ(h->status, 200);
  EXPECT_EQ(body(h)["status"], "ok");
  c.login("auditor");
  auto m = c.get("/metrics");
  ASSERT_EQ(m->status, 200);
  EXPECT_NE(m->body.find("kaigo_http_requests_total{method=\"POST\",route=\"/api/v1/login\",status=\"200\"} 1"), std::string::npos)
      << m->body;
  EXPECT_NE(m->body.find("kaigo_database_up 1"), std::string::npos);
}

// No state outside the database: a session made on one instance works on another, and a
// logout on the second ends it on the first.
TEST_P(ServerApiTest, TwoInstancesOnOneDatabaseServeTheSameUsers) {
  ServerFixture second(GetParam(), f->url());
  ApiClient a(f->port());
  ASSERT_EQ(a.login("eligibility_staff")->status, 200);
  ApiClient b(second.port());
  b.cookie = a.cookie;
  b.csrf = a.csrf;
  auto read = b.get("/api/v1/persons/1000000001");
  ASSERT_EQ(read->status, 200) << read->body;
  EXPECT_EQ(body(read)["person"]["name_kanji"], "山田 太郎");
  ASSERT_EQ(b.post("/api/v1/logout", "")->status, 204);
  EXPECT_EQ(a.get("/api/v1/me")->status, 401);
}

INSTANTIATE_TEST_SUITE_P(Db, ServerApiTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo

// The simulator as an HTTP service: /healthz, a 400 with {"error":{…}} for a malformed request, the
// control endpoints (rules, clock by advance and by "now", stats), and `kaigo sim serve` started
// as its own process answering /healthz on a free loopback port and stopping on SIGTERM.
#include <gtest/gtest.h>

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "sim/number_network/http_service.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "test_db.hpp"

namespace kaigo {
namespace {

using json = nlohmann::json;
namespace net = sim::network;

class SimNetworkHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam(), 4, &url);
    ASSERT_TRUE(db);
    people::MyNumberVault vault(random_bytes(32));
    auto built = sim::generate_city(*db, vault, sim::CityOptions{1'500, 3, Date{2026, 4, 1}, "test"});
    ASSERT_TRUE(built) << built.error().message;
  }
  std::unique_ptr<store::Database> db;
  std::string url;
};

TEST_P(SimNetworkHttpTest, HealthzBadRequestAndTheControlEndpoints) {
  FixedClock base = FixedClock::at(Date{2026, 5, 1});
  net::SettableClock clock(base);
  net::IntermediateServerSim sim(*db, clock);
  net::HttpService service(sim, clock);
  auto port = service.start();
  ASSERT_TRUE(port) << port.error().message;
  httplib::Client c("127.0.0.1", *port);

  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);

  auto bad = c.Post("/chukan/v1/submit", "{not json", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["error"]["kind"], "invalid_input");
  auto bad_rule = c.Post("/sim/v1/scenarios", R"({"rules":[{"effect":"explode"}]})", "application/json");
  ASSERT_TRUE(bad_rule);
  EXPECT_EQ(bad_rule->status, 400);
  EXPECT_EQ(json::parse(bad_rule->body)["error"]["field"], "rules[0].effect");
  auto unknown_op = c.Post("/chukan/v1/explode", "{}", "application/json");
  ASSERT_TRUE(unknown_op);
  EXPECT_EQ(unknown_op->status, 404);

  // Latency of an hour, driven by setting the clock to an absolute time.
  auto rules = c.Post("/sim/v1/scenarios", R"({"rules":[{"kind":"*","latency_seconds":3600}]})", "application/json");
  ASSERT_TRUE(rules);
  ASSERT_EQ(rules->status, 200);
  auto person = db->query("SELECT person_id FROM pension WHERE pension_kind = 'old_age' ORDER BY person_id LIMIT 1");
  ASSERT_TRUE(person && !person->empty());
  json submit{{"protocol", net::kProtocol},
              {"requests",
               {{{"request_key", "INQ-1"},
                 {"person_id", person->front().str(0)},
                 {"jimu_code", "JM0000000093"},
                 {"procedure_code", "JT0000009301"},
                 {"item_code", *net::KindTable::built_in().item_for_kind("pref_public_assistance")},
                 {"institution_code", "3000000000001"},
                 {"period_from", "2026-04-01"},
                 {"period_to", "2027-03-31"}}}}};
  auto s = c.Post("/chukan/v1/submit", submit.dump(), "application/json");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->status, 200) << s->body;
  const auto no = json::parse(s->body)["accepted"][0]["processing_no"].get<std::string>();
  const std::string poll = json{{"protocol", net::kProtocol}, {"processing_nos", {no}}}.dump();
  EXPECT_EQ(json::parse(c.Post("/chukan/v1/poll", poll, "application/json")->body)["answers"][0]["status"], "pending");
  auto moved = c.Post("/sim/v1/clock", R"({"now":"2026-05-01T10:00:00+09:00"})", "application/json");
  ASSERT_TRUE(moved);
  ASSERT_EQ(moved->status, 200) << moved->body;
  EXPECT_EQ(json::parse(moved->body)["now"], "2026-05-01T10:00:00+09:00");
  const auto answer = json::parse(c.Post("/chukan/v1/poll", poll, "application/json")->body)["answers"][0];
  EXPECT_TRUE(answer["status"] == "provided" || answer["status"] == "not_found") << answer.dump();
  auto backwards = c.Post("/sim/v1/clock", R"({"advance_seconds":-5})", "application/json");
  ASSERT_TRUE(backwards);
  EXPECT_EQ(backwards->status, 400);

  auto stats = c.Get("/sim/v1/stats");
  ASSERT_TRUE(stats);
  auto st = json::parse(stats->body);
  EXPECT_EQ(st["inquiries"], 1);
  EXPECT_EQ(st["polls"], 2);
  EXPECT_EQ(st["now"], "2026-05-01T10:00:00+09:00");
  auto in_force = c.Get("/sim/v1/scenarios");
  ASSERT_TRUE(in_force);
  EXPECT_EQ(json::parse(in_force->body)["rules"][0]["latency_seconds"], 3600);
}

// Starts `kaigo … sim serve --port 0`, reads the port from its first lines, asks /healthz, and
// stops it with SIGTERM (exit code 0).
TEST_P(SimNetworkHttpTest, KaigoSimServeAnswersHealthz) {
  const std::string dir = testing::scratch_dir("simserve");
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    ::execl(KAIGO_BINARY, KAIGO_BINARY, "--db", url.c_str(), "--data-dir", dir.c_str(), "sim", "serve", "--port", "0",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  FILE* f = ::fdopen(out[0], "r");
  ASSERT_NE(f, nullptr);
  int port = 0;
  char line[512];
  const std::regex serving(R"(kaigo sim: serving on http://127\.0\.0\.1:(\d+)/)");
  while (port == 0 && std::fgets(line, sizeof line, f)) {
    std::cmatch m;
    if (std::regex_search(line, m, serving)) port = std::stoi(m[1].str());
  }
  EXPECT_GT(port, 0) << "kaigo sim serve did not report its port";
  if (port > 0) {
    httplib::Client c("127.0.0.1", port);
    auto health = c.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(json::parse(health->body)["status"], "ok");
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  std::fclose(f);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

INSTANTIATE_TEST_SUITE_P(Db, SimNetworkHttpTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo

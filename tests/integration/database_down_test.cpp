// A database that stops answering: the API says so with 503 and a JSON error, and nothing is
// half-written.
#include <gtest/gtest.h>

#include <atomic>

#include "server_fixture.hpp"

namespace kaigo {
namespace {

using nlohmann::json;

// Delegates to a real database until `down` is set; then every connection attempt fails the way
// a stopped server or a broken disk does.
class SwitchableDatabase final : public store::Database {
 public:
  explicit SwitchableDatabase(store::Database& inner) : inner_(inner) {}
  std::atomic<bool> down{false};
  store::Dialect dialect() const override { return inner_.dialect(); }
  std::string describe() const override { return inner_.describe(); }
  Result<void> with_connection(const std::function<Result<void>(store::Connection&)>& fn) override {
    if (down) return fail(ErrorKind::unavailable, "the database is not reachable");
    return inner_.with_connection(fn);
  }

 protected:
  Result<void> begin(store::Connection& c) override {
    auto r = c.exec(c.dialect() == store::Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    if (!r) return std::unexpected(r.error());
    return {};
  }

 private:
  store::Database& inner_;
};

class DatabaseDownTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DatabaseDownTest, ApiAnswers503WithAJsonError) {
  testing::ServerFixture seed(GetParam());
  testing::seed_standard_data(seed);
  SwitchableDatabase db(seed.db());
  auto city = people::load_city_profile(KAIGO_SOURCE_CONFIG_DIR);
  ASSERT_TRUE(city);
  server::ServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.config_dir = KAIGO_SOURCE_CONFIG_DIR;
  server::Server srv(db, seed.clock(), seed.vault(), *city, o);
  ASSERT_TRUE(srv.bind());
  srv.start();
  testing::ApiClient c(srv.port());
  ASSERT_EQ(c.login("premium_staff")->status, 200);
  db.down = true;
  auto health = c.get("/healthz");
  EXPECT_EQ(health->status, 503);
  EXPECT_EQ(json::parse(health->body)["error"]["kind"], "unavailable");
  auto search = c.get("/api/v1/persons?kana=%E3%83%A4");
  EXPECT_EQ(search->status, 503);
  EXPECT_EQ(json::parse(search->body)["error"]["kind"], "unavailable");
  auto login = testing::ApiClient(srv.port()).login("auditor");
  EXPECT_EQ(login->status, 503);
  db.down = false;
  EXPECT_EQ(c.get("/healthz")->status, 200);
  auto back = c.get("/api/v1/persons?kana=%E3%83%A4");
  EXPECT_EQ(back->status, 200) << "the session survived the outage";
  auto reads = seed.db().query("SELECT COUNT(*) FROM access_log");
  EXPECT_EQ(reads->front().i64(0), 2) << "only the reads that happened were logged";
  srv.stop();
}

INSTANTIATE_TEST_SUITE_P(Db, DatabaseDownTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo

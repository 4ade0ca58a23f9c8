#pragma once
// A kaigo server on a free loopback port over a fresh database, with one staff user per role and
// a few people, for the API tests. Also a small client that keeps the session cookie and CSRF token.
#include <memory>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "benefit/codes.hpp"
#include "certification/codes.hpp"
#include "core/clock.hpp"
#include "people/city_profile.hpp"
#include "people/my_number_vault.hpp"
#include "premium/premium_table.hpp"
#include "server/server.hpp"
#include "test_db.hpp"

namespace kaigo::testing {

inline constexpr const char* kTestPassword = "correct-horse-42";
inline constexpr const char* kTestMyNumber = "123456789018";  // check digit valid

// Staff user "<role>" holds exactly that role, e.g. "eligibility_staff".
struct ApiClient {
  explicit ApiClient(int port);
  httplib::Result login(const std::string& user, const std::string& password = kTestPassword);
  httplib::Result get(const std::string& path);
  httplib::Result post(const std::string& path, const std::string& body, bool with_csrf = true);
  httplib::Result send(const std::string& method, const std::string& path, const std::string& body, bool with_csrf = true);

  httplib::Client http;
  std::string cookie;  // "kaigo_session=…"
  std::string csrf;
};

class ServerFixture {
 public:
  // url: open this database instead of a fresh one (a second instance on the same data).
  explicit ServerFixture(const std::string& backend, const std::string& url = {});
  ~ServerFixture();

  // Inserts a person (current row, one history row, optional insured_no and My Number).
  void add_person(const std::string& person_id, const std::string& kanji, const std::string& kana,
                  const std::string& birth, const std::string& household_id, const std::string& relation,
                  const std::string& insured_no = {}, const std::string& my_number = {});

  store::Database& db() { return *db_; }
  server::Server& server() { return *server_; }
  FixedClock& clock() { return clock_; }
  int port() const { return server_->port(); }
  const std::string& url() const { return url_; }
  const people::MyNumberVault& vault() const { return vault_; }
  const std::vector<premium::PremiumTable>& premium_tables() const { return premium_tables_; }
  const certification::CertificationConfig& certification() const { return certification_; }
  const benefit::BenefitConfig& benefit() const { return benefit_; }

 private:
  std::string url_;
  std::unique_ptr<store::Database> db_;
  FixedClock clock_;
  people::MyNumberVault vault_;
  people::CityProfile city_;
  std::vector<premium::PremiumTable> premium_tables_;
  certification::CertificationConfig certification_;
  benefit::BenefitConfig benefit_;
  std::unique_ptr<server::Server> server_;
};

// The standard cast: 3 people in two households, one staff user per role.
void seed_standard_data(ServerFixture& f);

}  // namespace kaigo::testing

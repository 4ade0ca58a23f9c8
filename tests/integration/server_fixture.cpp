#include "server_fixture.hpp"

#include "eligibility/register.hpp"

#include <gtest/gtest.h>

#include "store/database.hpp"

namespace kaigo::testing {

ApiClient::ApiClient(int port) : http("127.0.0.1", port) {
  http.set_connection_timeout(5);
  http.set_read_timeout(30);
}

httplib::Result ApiClient::login(const std::string& user, const std::string& password) {
  nlohmann::json body{{"user_id", user}, {"password", password}};
  auto res = http.Post("/api/v1/login", body.dump(), "application/json");
  if (res && res->status == 200) {
    auto set = res->get_header_value("Set-Cookie");
    cookie = set.substr(0, set.find(';'));
    csrf = nlohmann::json::parse(res->body)["csrf_token"];
  }
  return res;
}

httplib::Result ApiClient::get(const std::string& path) {
  httplib::Headers h;
  if (!cookie.empty()) h.emplace("Cookie", cookie);
  return http.Get(path, h);
}

httplib::Result ApiClient::post(const std::string& path, const std::string& body, bool with_csrf) {
  return send("POST", path, body, with_csrf);
}

httplib::Result ApiClient::send(const std::string& method, const std::string& path, const std::string& body, bool with_csrf) {
  httplib::Headers h;
  if (!cookie.empty()) h.emplace("Cookie", cookie);
  if (with_csrf && !csrf.empty()) h.emplace("X-CSRF-Token", csrf);
  if (method == "GET") return http.Get(path, h);
  if (method == "POST") return http.Post(path, h, body, "application/json");
  if (method == "PUT") return http.Put(path, h, body, "application/json");
  if (method == "PATCH") return http.Patch(path, h, body, "application/json");
  return http.Delete(path, h, body, "application/json");
}

ServerFixture::ServerFixture(const std::string& backend, const std::string& url)
    : clock_(FixedClock::at(*Date::parse("2026-11-24"))), vault_(std::string(32, 'k')) {
  if (url.empty()) {
    db_ = fresh_database(backend, 8, &url_);
  } else {
    url_ = url;
    auto opened = store::open_database(url, 8);
    if (opened) db_ = std::move(*opened);
  }
  if (!db_) throw std::runtime_error("no test database");
  auto city = people::load_city_profile(KAIGO_SOURCE_CONFIG_DIR);
  if (!city) throw std::runtime_error(city.error().message);
  city_ = *city;
  server::ServerOptions o;
  o.port = 0;
  o.threads = 4;
  o.config_dir = KAIGO_SOURCE_CONFIG_DIR;
  o.data_dir = scratch_dir("server-data");  // print files
  auto tables = premium::load_premium_tables(std::string(KAIGO_SOURCE_CONFIG_DIR) + "/rules/premium");
  if (!tables) throw std::runtime_error(tables.error().message);
  premium_tables_ = std::move(*tables);
  auto certification = certification::CertificationConfig::load(KAIGO_SOURCE_CONFIG_DIR);
  if (!certification) throw std::runtime_error(certification.error().message);
  certification_ = std::move(*certification);
  auto benefit = benefit::BenefitConfig::load(KAIGO_SOURCE_CONFIG_DIR);
  if (!benefit) throw std::runtime_error(benefit.error().message);
  benefit_ = std::move(*benefit);
  server_ = std::make_unique<server::Server>(*db_, clock_, vault_, city_, o);
  server_->attach_premium_tables(premium_tables_);
  server_->attach_certification(certification_);
  server_->attach_benefit(benefit_);
  if (auto b = server_->bind(); !b) throw std::runtime_error(b.error().message);
  server_->start();
}

ServerFixture::~ServerFixture() { server_->stop(); }

void ServerFixture::add_person(const std::string& person_id, const std::string& kanji, const std::string& kana,
                               const std::string& birth, const std::string& household_id, const std::string& relation,
                               const std::string& insured_no, const std::string& my_number) {
  auto r = db_->transaction([&](store::Connection& c) -> Result<void> {
    const store::Params person{person_id, kanji, kana, birth, std::string("1"), std::string("1000001"),
                               std::string("みどり市中央区本町1丁目1番1号"), std::string("981"), household_id, relation,
                               std::string("resident")};
    if (auto e = c.exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                        "ward_code, household_id, relation, registry_status, updated_at) "
                        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'2026-01-01T00:00:00+09:00')",
                        person);
        !e)
      return std::unexpected(e.error());
    if (auto e = c.exec("INSERT INTO person_history (person_id, valid_from, name_kanji, name_kana, birth_date, sex, "
                        "postal_code, address, ward_code, household_id, relation, registry_status, reason, recorded_at, "
                        "recorded_by) VALUES ($1,$4,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'birth','2026-01-01T00:00:00+09:00','test')",
                        person);
        !e)
      return std::unexpected(e.error());
    if (!insured_no.empty()) {
      if (auto e = c.exec("INSERT INTO insured_number (insured_no, person_id, assigned_on) VALUES ($1,$2,'2026-01-01')",
                          {insured_no, person_id});
          !e)
        return std::unexpected(e.error());
      // An insured person of the fixture has lived here since birth: the register derives their periods.
      auto moved_in = eligibility::record_address_fact(
          c, clock_, person_id, eligibility::AddressFact{eligibility::AddressFactKind::move_in, *Date::parse(birth), std::nullopt, ""},
          eligibility::ChangeSource{"synthetic_city", std::nullopt, std::nullopt, "test", "fixture"});
      if (!moved_in) return std::unexpected(moved_in.error());
    }
    if (!my_number.empty()) {
      auto cipher = vault_.encrypt(person_id, my_number);
      if (!cipher) return std::unexpected(cipher.error());
      if (auto e = c.exec("INSERT INTO my_number (person_id, ciphertext, key_id, recorded_at, recorded_by) "
                          "VALUES ($1,$2,$3,'2026-01-01T00:00:00+09:00','test')",
                          {person_id, *cipher, vault_.key_id()});
          !e)
        return std::unexpected(e.error());
    }
    return {};
  });
  if (!r) throw std::runtime_error(r.error().message);
}

void seed_standard_data(ServerFixture& f) {
  f.add_person("1000000001", "山田 太郎", "ヤマダ タロウ", "1955-04-10", "H0001", "世帯主", "0100000001", kTestMyNumber);
  f.add_person("1000000002", "山田 花子", "ヤマダ ハナコ", "1958-09-01", "H0001", "妻", "0100000002");
  f.add_person("1000000003", "髙橋 一郎", "タカハシ イチロウ", "1980-01-31", "H0002", "世帯主");
  server::Auth auth(f.db(), f.clock());
  for (server::Role r : server::all_roles()) {
    std::string name(server::role_name(r));
    if (auto c = auth.create_user(name, name, kTestPassword, {r}); !c) throw std::runtime_error(c.error().message);
  }
}

}  // namespace kaigo::testing

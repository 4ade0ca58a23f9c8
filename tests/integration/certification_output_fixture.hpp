#pragma once
// A database with the certification config for the output tests (certification_outputs_test,
// certification_files_test): insured persons, applications taken in through the application
// service and decided through record_decision, as the committee's NT-12 would decide them.
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "certification/application.hpp"
#include "certification/certification_decision.hpp"
#include "certification/certification_outputs.hpp"
#include "certification/codes.hpp"
#include "eligibility/register.hpp"
#include "people/city_profile.hpp"
#include "test_db.hpp"

namespace kaigo::testing {

class CertificationOutputFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = fresh_database(GetParam());
    ASSERT_TRUE(db);
    auto cfg = certification::CertificationConfig::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(cfg) << cfg.error().message;
    config = std::make_unique<certification::CertificationConfig>(std::move(*cfg));
    auto outputs_cfg = certification::OutputsConfig::load(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(outputs_cfg) << outputs_cfg.error().message;
    outputs = std::make_unique<certification::OutputsConfig>(std::move(*outputs_cfg));
    auto city_profile = people::load_city_profile(KAIGO_SOURCE_CONFIG_DIR);
    ASSERT_TRUE(city_profile) << city_profile.error().message;
    city = std::make_unique<people::CityProfile>(std::move(*city_profile));
    applications = std::make_unique<certification::ApplicationService>(*db, clock, *config, nullptr);
    print_dir = scratch_dir("certification-print");
  }

  certification::OutputContext out() const { return {*city, config->rules, *outputs}; }

  // A category-1 resident (born 1940) since 2000, insured (so with a 被保険者番号).
  void person(const std::string& id, const std::string& kanji) {
    auto r = db->transaction([&](store::Connection& c) -> Result<void> {
      if (auto e = c.exec("INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, "
                          "ward_code, household_id, relation, registry_status, updated_at) VALUES ($1, $2, 'ニンテイ タロウ', "
                          "'1940-05-01', '1', '1000001', 'みどり市中央区本町2丁目3番4号', '981', $3, '世帯主', 'resident', "
                          "'2026-01-01T00:00:00+09:00')",
                          {id, kanji, "H" + id});
          !e)
        return std::unexpected(e.error());
      const eligibility::ChangeSource src{"synthetic_city", std::nullopt, std::nullopt, "test", "fixture"};
      auto in = eligibility::record_address_fact(
          c, clock, id, eligibility::AddressFact{eligibility::AddressFactKind::move_in, Date(2000, 4, 1), std::nullopt, ""}, src);
      if (!in) return std::unexpected(in.error());
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  // An application taken in (NT-01) on the clock's day.
  std::int64_t apply(const std::string& person_id, const std::string& kind = "new") {
    certification::IntakeRequest req{person_id, kind, clock.today(), "home", "本人", std::nullopt, ""};
    auto app = applications->intake(req, "tester");
    EXPECT_TRUE(app) << app.error().message;
    return app ? app->row.application_id : 0;
  }

  // The committee's decision (as NT-12 records it).
  certification::RecordedDecision decide(std::int64_t application_id, certification::CareLevel level,
                                         std::optional<int> months, const std::string& remarks = "") {
    certification::RecordedDecision out;
    auto r = db->transaction([&](store::Connection& c) -> Result<void> {
      certification::DecisionInput in;
      in.application_id = application_id;
      in.level = level;
      in.validity_months = months;
      in.remarks = remarks;
      in.decided_on = clock.today();
      in.actor = "tester";
      auto d = certification::record_decision(c, clock, config->rules, in);
      if (!d) return std::unexpected(d.error());
      out = *d;
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return out;
  }

  std::int64_t count(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows) << sql << ": " << rows.error().message;
    return rows && !rows->empty() ? (*rows)[0].i64(0) : -1;
  }
  std::string text(const std::string& sql, const store::Params& params = {}) {
    auto rows = db->query(sql, params);
    EXPECT_TRUE(rows && !rows->empty()) << sql;
    return rows && !rows->empty() ? (*rows)[0].str(0) : std::string();
  }
  void set_day(Date d) { clock.set(FixedClock::at(d).now()); }

  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 11, 2));
  std::unique_ptr<certification::CertificationConfig> config;
  std::unique_ptr<certification::OutputsConfig> outputs;
  std::unique_ptr<people::CityProfile> city;
  std::unique_ptr<certification::ApplicationService> applications;
  std::string print_dir;
};

}  // namespace kaigo::testing

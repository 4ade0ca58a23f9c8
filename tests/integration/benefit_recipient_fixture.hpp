#pragma once
// The recipient-side tests (benefit_care_plan_test, benefit_recipient_test): the certification
// fixture (insured persons, applications, decisions through record_decision) plus a benefit
// config of two care offices and the KY03 layout of config/layouts/kokuhoren.
#include <memory>
#include <string>

#include "benefit/codes.hpp"
#include "benefit/recipient.hpp"
#include "benefit/recipient_event.hpp"
#include "certification_output_fixture.hpp"

namespace kaigo::testing {

class BenefitRecipientFixture : public CertificationOutputFixture {
 protected:
  static constexpr const char* kOffice = "1310000011";     // makes care plans
  static constexpr const char* kPrevention = "1310000029"; // 地域包括支援センター
  static constexpr const char* kNoPlans = "1310000037";    // a provider that does not make plans

  void SetUp() override {
    CertificationOutputFixture::SetUp();
    auto layouts = benefit::csv::load_layouts(std::filesystem::path(KAIGO_SOURCE_CONFIG_DIR) / "layouts" / "kokuhoren");
    ASSERT_TRUE(layouts) << layouts.error().message;
    benefit_config = std::make_unique<benefit::BenefitConfig>();
    benefit_config->layouts = std::move(*layouts);
    benefit_config->offices = {{kOffice, "みどり居宅介護支援事業所", "みどり市中央区1-1", {"43"}, true},
                               {kPrevention, "みどり地域包括支援センター", "みどり市中央区1-2", {"46"}, true},
                               {kNoPlans, "みどり訪問介護", "みどり市中央区1-3", {"11"}, false}};
  }

  benefit::RecipientContext recipient_ctx() const { return {*benefit_config, city->insurer_no}; }

  // A co-payment rate as the income engineer's determination writes it (with its event).
  void rate(const std::string& person_id, int r, const std::string& from, const std::string& to) {
    auto done = db->transaction([&](store::Connection& c) -> Result<void> {
      auto id = c.query_one(
          "INSERT INTO copayment_rate (person_id, rate_year, valid_from, valid_to, rate, tax_year, reason, explanation, status, "
          "decided_at, decided_by) VALUES ($1, 2026, $2, $3, $4, 2025, 'new_recipient', '{}', 'current', 'x', 'tester') "
          "RETURNING rate_id",
          {person_id, from, to, std::int64_t{r}});
      if (!id) return std::unexpected(id.error());
      auto e = benefit::add_recipient_event(c, clock, person_id, "copayment_rate", (*id)->i64(0));
      if (!e) return std::unexpected(e.error());
      return {};
    });
    ASSERT_TRUE(done) << done.error().message;
  }

  std::unique_ptr<benefit::BenefitConfig> benefit_config;
};

}  // namespace kaigo::testing

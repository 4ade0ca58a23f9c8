// 賦課 over a real database (SQLite and PostgreSQL): one person's stage from the household and
// the tax rows kaigo holds, the explanation stored beside it, revisions with history when income,
// welfare or eligibility change (異動賦課), and the yearly run resumed after a stop with no
// duplicate and no gap.
#include <set>
#include <stdexcept>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/hash.hpp"
#include "eligibility/register.hpp"
#include "people/my_number_vault.hpp"
#include "premium/assessment.hpp"
#include "sim/city_generator.hpp"
#include "premium_fixture.hpp"
#include "test_db.hpp"

namespace kaigo::premium {
namespace {

using testing::backend_name;
using testing::backends;

class PremiumAssessmentTest : public PremiumFixture {};

// 施行令38条1項1号 (rules.md §2): household untaxed, 課税年金収入 + その他 ≤ 80.9万 (FY2025–) →
// 第1段階, reduced ratio 0.285 of the 基準額 74,700 = 21,289.5 → 10円未満切捨て 21,280.
TEST_P(PremiumAssessmentTest, UntaxedHouseholdOnASmallPensionIsStage1WithItsExplanation) {
  couple(false);
  auto outcome = assess_person(*db_, clock_, tables_, "P1", 2026, kCauseStaff, "tester");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_EQ(outcome->kind, AssessOutcome::Kind::created);
  const Assessment a = current("P1");
  EXPECT_EQ(a.stage, 1);
  EXPECT_EQ(a.months, 12);
  EXPECT_EQ(a.base_date, "2026-04-01");
  EXPECT_EQ(a.annual_amount, 21280);
  EXPECT_EQ(a.amount, 21280);
  EXPECT_TRUE(a.reduced);
  const std::string why = explanation_text(a);
  EXPECT_NE(why.find("第1段階"), std::string::npos) << why;
  EXPECT_NE(why.find("700,000"), std::string::npos) << why;
  auto inputs = nlohmann::json::parse(a.inputs);
  EXPECT_EQ(inputs["tax"]["from"]["source"], "tax_office");
  EXPECT_EQ(inputs["household_members"].size(), 1u);
  // Assessing again with nothing changed writes nothing.
  auto again = assess_person(*db_, clock_, tables_, "P1", 2026, kCauseStaff, "tester");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->kind, AssessOutcome::Kind::unchanged);
  EXPECT_EQ(history("P1").size(), 1u);
}

// 施行令38条1項4号: self untaxed, someone in the household taxed, ≤ 80.9万 → 第4段階 0.9.
TEST_P(PremiumAssessmentTest, ATaxedSpouseMakesItStage4) {
  couple(true);
  ASSERT_TRUE(assess_person(*db_, clock_, tables_, "P1", 2026, kCauseStaff, "tester"));
  const Assessment a = current("P1");
  EXPECT_EQ(a.stage, 4);
  EXPECT_EQ(a.amount, 67230);  // 74,700 × 0.9
}

// Revision (更正, rules.md §2): a late tax row of the spouse re-assesses the husband; the old
// assessment stays as history and the difference is kept.
TEST_P(PremiumAssessmentTest, ALateTaxRowOfTheSpouseRevisesWithHistory) {
  couple(false);
  const AssessmentRun first = annual();
  EXPECT_EQ(first.status, "done");
  EXPECT_EQ(first.created, 2);
  add_tax("P2", true, 2000000, 2500000, 900000, "2026-08-01T09:00:00+09:00");
  auto rev = run_revisions(*db_, clock_, tables_, "tester");
  ASSERT_TRUE(rev) << rev.error().message;
  EXPECT_EQ(rev->revised, 2);  // the spouse's own stage and the husband's household status
  const Assessment a = current("P1");
  EXPECT_EQ(a.revision, 1);
  EXPECT_EQ(a.stage, 4);
  EXPECT_EQ(a.previous_amount, 21280);
  EXPECT_EQ(a.cause, kCauseIncome);
  auto all = history("P1");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_FALSE(all[1].is_current);
  EXPECT_EQ(all[1].amount, 21280);
  // Nothing new: the next run records nothing.
  auto none = run_revisions(*db_, clock_, tables_, "tester");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->batch_run_id, 0);
  EXPECT_EQ(history("P1").size(), 2u);
}

// 月割 (法129条, rules.md §2): a move out on 3 November (loss that day) charges April–October.
TEST_P(PremiumAssessmentTest, AMoveOutRevisesToSevenMonths) {
  couple(true);
  annual();
  auto moved = db_->transaction([&](store::Connection& c) -> Result<void> {
    auto r = eligibility::record_address_fact(
        c, clock_, "P1", eligibility::AddressFact{eligibility::AddressFactKind::move_out, d("2026-11-03"), std::nullopt, ""},
        eligibility::ChangeSource{"staff", std::nullopt, std::nullopt, "tester", "転出"});
    if (!r) return std::unexpected(r.error());
    return {};
  });
  ASSERT_TRUE(moved) << moved.error().message;
  ASSERT_TRUE(run_revisions(*db_, clock_, tables_, "tester"));
  const Assessment a = current("P1");
  EXPECT_EQ(a.months, 7);
  EXPECT_EQ(a.amount, 39210);  // 67,230 × 7 / 12 = 39,217.5 → 10円未満切捨て
  EXPECT_EQ(a.cause, kCauseEligibility);
}

// 施行令38条1項1号イ: 生活保護 takes 第1段階 whatever the household's tax.
TEST_P(PremiumAssessmentTest, PublicAssistanceTakesStage1) {
  couple(true);
  ASSERT_TRUE(db_->exec("INSERT INTO public_assistance (person_id, kind, valid_from, valid_to, source, recorded_at, "
                        "recorded_by) VALUES ('P1', 'welfare', '2025-10-01', NULL, 'fukushi', "
                        "'2026-01-01T00:00:00+09:00', 'test')"));
  ASSERT_TRUE(assess_person(*db_, clock_, tables_, "P1", 2026, kCauseStaff, "tester"));
  const Assessment a = current("P1");
  EXPECT_EQ(a.stage, 1);
  EXPECT_NE(nlohmann::json::parse(a.inputs)["public_assistance"], nullptr);
}

// FK-06: a member who stayed in the former city, answered as taxed, makes the household taxed;
// a later answer replaces the earlier one.
TEST_P(PremiumAssessmentTest, AMemberLivingElsewhereAnsweredByTheFormerCityCounts) {
  add_person("P1", "1950-05-10", "H1", "世帯主");
  add_tax("P1", false, 0, 700000, 0);
  register_everyone();
  auto answer = [&](std::int64_t inquiry, std::int64_t taxed) {
    ASSERT_TRUE(db_->exec(
        "INSERT INTO household_member_tax_status (person_id, fiscal_year, base_date, tax_year, member_key, "
        "member_person_id, relation, resident_tax_taxed, inquiry_id, source, source_exchange_id, recorded_at, recorded_by) "
        "VALUES ('P1', 2026, '2026-04-01', 2025, 'ext:0042', NULL, '子', $1, $2, 'exchange', 77, "
        "'2026-06-01T09:00:00+09:00', 'test')",
        {taxed, inquiry}));
  };
  answer(1, 1);
  ASSERT_TRUE(assess_person(*db_, clock_, tables_, "P1", 2026, kCauseStaff, "tester"));
  Assessment a = current("P1");
  EXPECT_EQ(a.stage, 4);
  const auto members = nlohmann::json::parse(a.inputs)["household_members"];
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0]["from"]["table"], "household_member_tax_status");
  answer(2, 0);  // the corrected answer: untaxed
  ASSERT_TRUE(assess_person(*db_, clock_, tables_, "P1", 2026, kCauseHousehold, "tester"));
  EXPECT_EQ(current("P1").stage, 1);
}

TEST_P(PremiumAssessmentTest, UnknownAndUninsuredPersons) {
  add_person("C1", "2010-01-01", "H9", "子");
  register_everyone();
  auto unknown = assess_person(*db_, clock_, tables_, "NOPE", 2026, kCauseStaff, "tester");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
  auto child = assess_person(*db_, clock_, tables_, "C1", 2026, kCauseStaff, "tester");
  ASSERT_TRUE(child);
  EXPECT_EQ(child->kind, AssessOutcome::Kind::not_insured);
  auto no_table = assess_person(*db_, clock_, tables_, "C1", 1999, kCauseStaff, "tester");
  ASSERT_FALSE(no_table);
  EXPECT_EQ(no_table.error().kind, ErrorKind::conflict);
}

// The yearly run stopped after two chunks (as by kill -9 between transactions) and run again:
// every category-1 insured assessed exactly once; a third run changes nothing.
TEST_P(PremiumAssessmentTest, TheYearlyRunResumesWithNoDuplicateAndNoGap) {
  const people::MyNumberVault vault(random_bytes(32));
  auto city = sim::generate_city(*db_, vault, sim::CityOptions{300, 5, Date(2026, 4, 1), "test"});
  ASSERT_TRUE(city) << city.error().message;
  // kaigo's copy of the tax office's rows, as FK-02 would bring them.
  ASSERT_TRUE(db_->exec("INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, "
                        "taxable_pension_income, pension_misc_income, salary_income, land_sale_special_deduction, "
                        "resident_tax_taxed, taxable_income, source, source_exchange_id, recorded_at, recorded_by) "
                        "SELECT person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
                        "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, "
                        "taxable_income, 'tax_office', NULL, recorded_at, 'test' FROM tax_income"));
  register_everyone();

  AnnualRunOptions o;
  o.fiscal_year = 2026;
  o.actor = "tester";
  o.chunk = 15;
  int chunks = 0;
  o.on_progress = [&](const AssessmentRunProgress&) {
    if (++chunks == 2) throw std::runtime_error("killed");
  };
  EXPECT_THROW((void)run_annual_assessment(*db_, clock_, tables_, o), std::runtime_error);
  o.on_progress = nullptr;
  auto resumed = run_annual_assessment(*db_, clock_, tables_, o);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->status, "done");

  auto insured = db_->query("SELECT COUNT(DISTINCT person_id) FROM eligibility_period WHERE category = '1' "
                            "AND acquired_on < '2027-04-01' AND (lost_on IS NULL OR lost_on > '2026-04-01')");
  auto rows = db_->query("SELECT COUNT(*), COUNT(DISTINCT person_id) FROM premium_assessment WHERE fiscal_year = 2026");
  ASSERT_TRUE(insured && rows);
  const std::int64_t expected = insured->at(0).i64(0);
  EXPECT_GT(expected, 50);
  EXPECT_EQ(rows->at(0).i64(0), expected);  // no duplicate
  EXPECT_EQ(rows->at(0).i64(1), expected);  // no gap
  EXPECT_EQ(resumed->done_count, expected);

  auto stages = db_->query("SELECT COUNT(DISTINCT stage) FROM premium_assessment WHERE fiscal_year = 2026");
  ASSERT_TRUE(stages);
  EXPECT_GE(stages->at(0).i64(0), 5);  // a city spreads over the stages

  auto third = run_annual_assessment(*db_, clock_, tables_, o);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->created + third->revised, 0);
}

INSTANTIATE_TEST_SUITE_P(Db, PremiumAssessmentTest, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace kaigo::premium

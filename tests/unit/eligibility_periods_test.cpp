// derive_periods and diff_periods: a person's dated facts → eligibility periods in this city, and
// what a retroactive fact changes. Every scenario cites what it proves.
#include <gtest/gtest.h>

#include <optional>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "eligibility/chargeable_months.hpp"
#include "eligibility/periods.hpp"

namespace {

using kaigo::Date;
using namespace kaigo::eligibility;

Date d(const char* iso) { return *Date::parse(iso); }

constexpr auto C1 = InsuredCategory::category_1;
constexpr auto C2 = InsuredCategory::category_2;
constexpr auto ours = FormerAddressDirection::ours_living_elsewhere;
constexpr auto theirs = FormerAddressDirection::theirs_living_here;

EligibilityPeriod open_from(const char* from, InsuredCategory c, AcquisitionReason why) {
  return {d(from), std::nullopt, c, why, std::nullopt};
}
EligibilityPeriod closed_from(const char* from, const char* to, InsuredCategory c, AcquisitionReason why, LossReason end) {
  return {d(from), d(to), c, why, end};
}

struct Scenario {
  const char* name;
  PersonFacts person;
  std::vector<EligibilityPeriod> expected;
  const char* source;
};

std::vector<Scenario> scenarios() {
  using A = AcquisitionReason;
  using L = LossReason;
  return {
      {"category 2 at 40, category 1 at 65 without a gap",
       {d("1960-06-01"), {MoveIn{d("1990-01-01")}, MedicalInsuranceGained{d("1990-01-01")}}},
       {closed_from("2000-05-31", "2025-05-31", C2, A::reaching_40_with_medical_insurance, L::category_change),
        open_from("2025-05-31", C1, A::category_change)},
       "法10条1号, 法9条: born on the 1st → both ages on the previous month's last day; 2 → 1 same day"},
      {"40–64 on 生活保護 without medical insurance, then 65",
       {d("1970-05-10"), {MoveIn{d("2000-01-01")}}},
       {open_from("2035-05-09", C1, A::reaching_65)},
       "rules.md §1 / SK-15: not insured at 40–64 without medical insurance; category 1 at 65 (法10条4号)"},
      {"medical insurance lost and regained at 50",
       {d("1975-04-02"),
        {MoveIn{d("2000-01-01")}, MedicalInsuranceGained{d("2000-01-01")}, MedicalInsuranceLost{d("2025-06-15")},
         MedicalInsuranceGained{d("2025-09-01")}}},
       {closed_from("2015-04-01", "2025-06-15", C2, A::reaching_40_with_medical_insurance, L::medical_insurance_lost),
        closed_from("2025-09-01", "2040-04-01", C2, A::medical_insurance_gained, L::category_change),
        open_from("2040-04-01", C1, A::category_change)},
       "法11条2項 (loss that day), 法10条3号 (acquisition that day) / SK-13"},
      {"medical insurance lost at 64 does not touch category 1 at 65",
       {d("1960-06-02"), {MoveIn{d("1990-01-01")}, MedicalInsuranceGained{d("1990-01-01")},
                          MedicalInsuranceLost{d("2025-06-01")}}},
       {closed_from("2000-06-01", "2025-06-01", C2, A::reaching_40_with_medical_insurance, L::category_change),
        open_from("2025-06-01", C1, A::category_change)},
       "法9条1号: medical insurance does not matter from 65 (reached the same day it ended)"},
      {"転入 at 75 and domestic 転出 with loss on the new city's 転入日",
       {d("1950-01-01"), {MoveIn{d("2025-04-10")}, MoveOut{d("2025-11-03"), d("2025-11-03")}}},
       {closed_from("2025-04-10", "2025-11-03", C1, A::move_in, L::move_out_domestic)},
       "法10条2号, 法11条1項ただし書 / SK-01"},
      {"転出 with no new address known",
       {d("1950-01-01"), {MoveIn{d("2025-04-10")}, MoveOut{d("2025-11-03"), std::nullopt}}},
       {closed_from("2025-04-10", "2025-11-04", C1, A::move_in, L::move_out_domestic)},
       "法11条1項: the day after the address ends"},
      {"emigration and return",
       {d("1950-01-01"), {MoveIn{d("2010-01-01")}, Emigration{d("2024-03-31")}, MoveIn{d("2025-02-01")}}},
       {closed_from("2014-12-31", "2024-04-01", C1, A::reaching_65, L::emigration),
        open_from("2025-02-01", C1, A::move_in)},
       "法10条4号 (born 1 January → 31 December), 法11条1項 (emigration: the next day), 法10条2号"},
      {"death on the last day of a month; facts after death ignored",
       {d("1950-01-01"), {MoveIn{d("2000-01-01")}, Death{d("2026-01-31")}, MoveIn{d("2026-03-01")}}},
       {closed_from("2014-12-31", "2026-02-01", C1, A::reaching_65, L::death)},
       "法11条1項: death → the next day"},
      {"exempt facility in and out",
       {d("1950-05-05"),
        {MoveIn{d("2000-01-01")}, ExemptFacilityEntered{d("2020-08-31")}, ExemptFacilityLeft{d("2022-12-31")}}},
       {closed_from("2015-05-04", "2020-09-01", C1, A::reaching_65, L::entered_exempt_facility),
        open_from("2023-01-01", C1, A::left_exempt_facility)},
       "施行法11条: exempt from the day after 入所; insured from the day after 退所"},
      {"our insured moves into a 特養 in another city (住所地特例) and later leaves it",
       {d("1950-01-01"),
        {MoveIn{d("2000-01-01")}, MoveOut{d("2024-10-01"), d("2024-10-01")},
         FormerAddressRuleStarted{d("2024-10-01"), ours}, FormerAddressRuleEnded{d("2025-06-01"), ours}}},
       {closed_from("2014-12-31", "2025-06-01", C1, A::reaching_65, L::former_address_rule_ended)},
       "法13条 / SK-11: still insured here while living in the facility elsewhere"},
      {"another city's insured moves into a facility here, then the rule ends",
       {d("1950-01-01"),
        {MoveIn{d("2024-10-01")}, FormerAddressRuleStarted{d("2024-10-01"), theirs},
         FormerAddressRuleEnded{d("2025-06-01"), theirs}}},
       {open_from("2025-06-01", C1, A::former_address_rule_ended)},
       "法13条 / SK-11: an address here but insured by the former city until the rule ends"},
      {"our resident becomes another city's 住所地特例 case",
       {d("1950-01-01"), {MoveIn{d("2000-01-01")}, FormerAddressRuleStarted{d("2025-06-01"), theirs}}},
       {closed_from("2014-12-31", "2025-06-01", C1, A::reaching_65, L::former_address_rule_elsewhere)},
       "法13条: the other city insures from the day the rule applies"},
      {"転入 on the day of reaching 65 is recorded as 転入",
       {d("1960-06-01"), {MoveIn{d("2025-05-31")}}},
       {open_from("2025-05-31", C1, A::move_in)},
       "法10条2号 and 4号 on one day: the address comes first (docs/eligibility-rules.md)"},
      {"leap-day birth: 40 in a leap year, 65 in a common year",
       {d("1960-02-29"), {MoveIn{d("1990-01-01")}, MedicalInsuranceGained{d("1990-01-01")}}},
       {closed_from("2000-02-28", "2025-02-28", C2, A::reaching_40_with_medical_insurance, L::category_change),
        open_from("2025-02-28", C1, A::category_change)},
       "年齢計算ニ関スル法律: the day before the anniversary (2000-02-29, 2025-03-01)"},
      {"same-day 転入 and 転出 elsewhere: never insured here",
       {d("1950-01-01"), {MoveIn{d("2025-05-10")}, MoveOut{d("2025-05-10"), d("2025-05-10")}}},
       {},
       "法10条2号 and 11条1項ただし書 on one day: acquisition and loss cancel (docs/eligibility-rules.md)"},
      {"40–64 without address: not insured even with medical insurance",
       {d("1975-01-01"), {MedicalInsuranceGained{d("2000-01-01")}}},
       {},
       "法9条2号: an address in the city is required"},
  };
}

TEST(EligibilityPeriods, DerivedFromFacts) {
  for (const Scenario& s : scenarios()) {
    SCOPED_TRACE(s.name);
    EXPECT_EQ(derive_periods(s.person), s.expected) << s.source;
  }
}

TEST(EligibilityPeriods, FactOrderOnDifferentDaysDoesNotMatter) {
  const PersonFacts in_order{d("1975-04-02"),
                             {MoveIn{d("2000-01-01")}, MedicalInsuranceGained{d("2001-01-01")},
                              MedicalInsuranceLost{d("2025-06-15")}, Emigration{d("2030-01-31")}}};
  PersonFacts shuffled = in_order;
  std::swap(shuffled.facts[0], shuffled.facts[3]);
  std::swap(shuffled.facts[1], shuffled.facts[2]);
  EXPECT_EQ(derive_periods(in_order), derive_periods(shuffled));
  EXPECT_EQ(derive_periods(in_order), derive_periods(in_order));
}

TEST(EligibilityPeriods, MovedOutInNovemberIsChargedAprilToOctober) {
  // rules.md §2 with §1: 転入 before the year, domestic 転出 on 11/3 → 7 months of FY2025.
  const auto periods =
      derive_periods({d("1950-01-01"), {MoveIn{d("2020-01-01")}, MoveOut{d("2025-11-03"), d("2025-11-03")}}});
  ASSERT_EQ(periods.size(), 1U);
  EXPECT_EQ(chargeable_months(periods[0], 2025).count, 7);
}

TEST(EligibilityPeriods, RetroactiveFactsGiveAVisibleDiff) {
  using A = AcquisitionReason;
  using L = LossReason;
  const Date birth = d("1950-01-01");
  const auto before = derive_periods({birth, {MoveIn{d("2025-04-10")}}});
  ASSERT_EQ(before, (std::vector{open_from("2025-04-10", C1, A::move_in)}));

  // A late notice: the 転入 really happened on 4/1, and the person died on 2025-09-30.
  const auto corrected = derive_periods({birth, {MoveIn{d("2025-04-01")}, Death{d("2025-09-30")}}});
  const auto changes = diff_periods(before, corrected);
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].kind, PeriodChangeKind::changed);
  EXPECT_EQ(changes[0].before, before[0]);
  EXPECT_EQ(changes[0].after, closed_from("2025-04-01", "2025-10-01", C1, A::move_in, L::death));

  // Nothing changed: no entries.
  EXPECT_TRUE(diff_periods(corrected, corrected).empty());

  // A retroactive emigration splits the period: the first is changed, the return is added.
  const auto split = derive_periods({birth, {MoveIn{d("2025-04-01")}, Emigration{d("2025-06-10")},
                                            MoveIn{d("2025-08-01")}}});
  const auto split_changes = diff_periods(before, split);
  ASSERT_EQ(split_changes.size(), 2U);
  EXPECT_EQ(split_changes[0].kind, PeriodChangeKind::changed);
  EXPECT_EQ(split_changes[0].after, closed_from("2025-04-01", "2025-06-11", C1, A::move_in, L::emigration));
  EXPECT_EQ(split_changes[1].kind, PeriodChangeKind::added);
  EXPECT_EQ(split_changes[1].after, open_from("2025-08-01", C1, A::move_in));
  EXPECT_FALSE(split_changes[1].before.has_value());

  // A 転入 entered by mistake is withdrawn: the period is removed.
  const auto removed = diff_periods(before, derive_periods({birth, {}}));
  ASSERT_EQ(removed.size(), 1U);
  EXPECT_EQ(removed[0].kind, PeriodChangeKind::removed);
  EXPECT_EQ(removed[0].before, before[0]);
  EXPECT_FALSE(removed[0].after.has_value());
}

TEST(EligibilityPeriods, DiffTreatsCategoriesAsDifferentPeriods) {
  using A = AcquisitionReason;
  using L = LossReason;
  // Medical insurance found retroactively for a 40–64 resident: a category-2 period appears
  // before the category-1 one, which itself is unchanged.
  const Date birth = d("1960-06-02");
  const auto before = derive_periods({birth, {MoveIn{d("2020-01-01")}}});
  const auto after =
      derive_periods({birth, {MoveIn{d("2020-01-01")}, MedicalInsuranceGained{d("2020-01-01")}}});
  const auto changes = diff_periods(before, after);
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[0].kind, PeriodChangeKind::added);
  EXPECT_EQ(changes[0].after, closed_from("2020-01-01", "2025-06-01", C2, A::move_in, L::category_change));
  EXPECT_EQ(changes[1].kind, PeriodChangeKind::changed);  // its acquisition reason became category_change
  EXPECT_EQ(changes[1].before, open_from("2025-06-01", C1, A::reaching_65));
  EXPECT_EQ(changes[1].after, open_from("2025-06-01", C1, A::category_change));
}

}  // namespace

namespace kaigo::eligibility {
namespace {

Date day(const char* iso) { return *Date::parse(iso); }

TEST(EligibilityPeriods, RegisterHorizonIsTheEndOfTheMonthAfterNext) {
  EXPECT_EQ(register_horizon(day("2026-11-24")), day("2027-01-31"));
  EXPECT_EQ(register_horizon(day("2026-12-31")), day("2027-02-28"));
  EXPECT_EQ(register_horizon(day("2027-12-01")), day("2028-02-29"));  // leap year
}

TEST(EligibilityPeriods, KnownUntilDropsLaterPeriodsAndOpensLaterLosses) {
  // A category-2 insured who turns 65 in 2035: seen from 2026, one open category-2 period.
  const std::vector<EligibilityPeriod> full{
      {day("2010-06-01"), day("2035-06-01"), InsuredCategory::category_2, AcquisitionReason::reaching_40_with_medical_insurance,
       LossReason::category_change},
      {day("2035-06-01"), std::nullopt, InsuredCategory::category_1, AcquisitionReason::category_change, std::nullopt}};
  const auto known = known_until(full, day("2027-01-31"));
  ASSERT_EQ(known.size(), 1u);
  EXPECT_FALSE(known[0].lost_on);
  EXPECT_FALSE(known[0].loss_reason);
  // On the horizon itself the change is known.
  EXPECT_EQ(known_until(full, day("2035-06-01")), full);
}

}  // namespace
}  // namespace kaigo::eligibility

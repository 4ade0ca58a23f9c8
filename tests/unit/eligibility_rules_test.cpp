// The pure 資格 (eligibility) rules: ages, categories, acquisition and loss dates, 住所地特例,
// 受給資格証明書 and chargeable months. Every row cites what it proves.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "eligibility/chargeable_months.hpp"
#include "eligibility/rules.hpp"
#include "eligibility/types.hpp"

namespace {

using kaigo::Date;
using namespace kaigo::eligibility;

Date d(const char* iso) { return *Date::parse(iso); }

constexpr auto C1 = InsuredCategory::category_1;
constexpr auto C2 = InsuredCategory::category_2;

// ---- Reaching an age ----

struct ReachCase {
  const char* birth;
  int age;
  const char* reached_on;
  const char* source;
};

const ReachCase kReachCases[] = {
    {"1959-06-02", 65, "2024-06-01", "rules.md §1: born 1959-06-02 → 65 on 2024-06-01"},
    {"1959-06-01", 65, "2024-05-31", "rules.md §1: born on the 1st → the last day of the previous month"},
    {"1960-03-01", 65, "2025-02-28", "born 1 March, common year: 28 February"},
    {"1964-03-01", 40, "2004-02-29", "born 1 March, leap year: the leap day"},
    {"1960-02-29", 65, "2025-02-28", "born 29 February, common year (anniversary 1 March): 28 February"},
    {"1960-02-29", 40, "2000-02-28", "born 29 February, leap year: the day before the leap day"},
    {"1985-01-01", 40, "2024-12-31", "born 1 January: 31 December of the year before"},
    {"1960-08-31", 65, "2025-08-30", "born on a month end: the day before"},
};

TEST(EligibilityRules, DateReachingIsTheDayBeforeTheBirthday) {
  for (const ReachCase& c : kReachCases)
    EXPECT_EQ(date_reaching(d(c.birth), c.age), d(c.reached_on)) << c.source;
}

// ---- Category on a day (法9条) ----

struct CategoryCase {
  const char* birth;
  const char* on;
  bool address;
  bool medical_insurance;
  bool exempt;
  std::optional<InsuredCategory> expected;
  const char* source;
};

const CategoryCase kCategoryCases[] = {
    {"1950-04-10", "2025-04-01", true, true, false, C1, "法9条1号: resident 65+"},
    {"1950-04-10", "2025-04-01", true, false, false, C1,
     "rules.md §1 / SK-15, SK-19: 65+ on 生活保護 without medical insurance is category 1"},
    {"1975-04-10", "2025-04-01", true, true, false, C2, "法9条2号: resident 40–64 with medical insurance"},
    {"1975-04-10", "2025-04-01", true, false, false, std::nullopt,
     "rules.md §1 / SK-15, SK-19: 40–64 on 生活保護 without medical insurance is not insured"},
    {"1990-04-10", "2025-04-01", true, true, false, std::nullopt, "under 40: not insured"},
    {"1985-04-01", "2025-03-31", true, true, false, C2, "法10条1号: category 2 on the day 40 is reached"},
    {"1985-04-01", "2025-03-30", true, true, false, std::nullopt, "the day before reaching 40"},
    {"1960-06-01", "2025-05-30", true, true, false, C2, "the day before reaching 65: still category 2"},
    {"1960-06-01", "2025-05-31", true, true, false, C1, "reaching 65 (born on the 1st): category 1 that day"},
    {"1950-04-10", "2025-04-01", false, true, false, std::nullopt, "法9条: no address in the city"},
    {"1950-04-10", "2025-04-01", true, true, true, std::nullopt, "施行法11条: in an 適用除外施設, 65+"},
    {"1975-04-10", "2025-04-01", true, true, true, std::nullopt, "施行法11条: in an 適用除外施設, 40–64"},
};

TEST(EligibilityRules, CategoryOnADay) {
  for (const CategoryCase& c : kCategoryCases)
    EXPECT_EQ(category_on(d(c.birth), d(c.on), c.address, c.medical_insurance, c.exempt), c.expected) << c.source;
}

// ---- Acquisition and loss dates (法10条, 法11条, 施行法11条) ----

struct EventDateCase {
  Date computed;
  const char* expected;
  const char* source;
};

std::vector<EventDateCase> acquisition_cases() {
  return {
      {acquisition_date(ReachingAge{d("1960-06-01"), 65}), "2025-05-31",
       "法10条4号 + 年齢計算ニ関スル法律: born on the 1st → the previous month's last day"},
      {acquisition_date(ReachingAge{d("1960-06-02"), 65}), "2025-06-01", "法10条4号: the day before the birthday"},
      {acquisition_date(ReachingAge{d("1985-07-15"), 40}), "2025-07-14", "法10条1号: 40 with medical insurance"},
      {acquisition_date(ReachingAge{d("1960-02-29"), 65}), "2025-02-28", "法10条4号: leap-day birth"},
      {acquisition_date(MoveIn{d("2025-04-10")}), "2025-04-10", "法10条2号 / SK-01, SK-16: the 転入日"},
      {acquisition_date(MoveIn{d("2025-01-31")}), "2025-01-31", "法10条2号: 転入 on a month end"},
      {acquisition_date(MedicalInsuranceGained{d("2025-10-01")}), "2025-10-01",
       "法10条3号 / SK-13: a 40–64 resident joining medical insurance, that day"},
      {acquisition_date(ExemptFacilityLeft{d("2025-06-15")}), "2025-06-16",
       "施行法11条: 退所 — insured from the day after (docs/eligibility-rules.md)"},
      {acquisition_date(ExemptFacilityLeft{d("2025-12-31")}), "2026-01-01", "施行法11条: 退所 on 31 December"},
  };
}

std::vector<EventDateCase> loss_cases() {
  return {
      {loss_date(MoveOut{d("2025-11-03"), d("2025-11-03")}), "2025-11-03",
       "法11条1項ただし書: address elsewhere the same day → loss that day (the new city's 転入日)"},
      {loss_date(MoveOut{d("2025-11-03"), std::nullopt}), "2025-11-04",
       "法11条1項: no address elsewhere known → the day after the address ends"},
      {loss_date(MoveOut{d("2025-11-05"), d("2025-11-03")}), "2025-11-03",
       "法11条1項ただし書: 転出予定日 corrected to the earlier actual 転入日 elsewhere"},
      {loss_date(MoveOut{d("2025-11-03"), d("2025-11-10")}), "2025-11-04",
       "法11条1項: a gap without address → the day after the address ends"},
      {loss_date(MoveOut{d("2025-10-31"), std::nullopt}), "2025-11-01", "法11条1項: address ends on a month end"},
      {loss_date(Emigration{d("2025-08-20")}), "2025-08-21", "法11条1項: 国外転出 → the next day"},
      {loss_date(Emigration{d("2026-03-31")}), "2026-04-01", "法11条1項: emigration on the fiscal year's last day"},
      {loss_date(Death{d("2026-01-31")}), "2026-02-01", "法11条1項: death on a month end → the 1st of the next"},
      {loss_date(Death{d("2024-02-29")}), "2024-03-01", "法11条1項: death on a leap day"},
      {loss_date(MedicalInsuranceLost{d("2025-07-01")}), "2025-07-01",
       "法11条2項 / SK-13: category 2 loses on the day medical insurance ends"},
      {loss_date(ExemptFacilityEntered{d("2025-08-31")}), "2025-09-01",
       "施行法11条 / rules.md §1: entering an 適用除外施設 → exempt from the next day"},
  };
}

TEST(EligibilityRules, AcquisitionDates) {
  for (const EventDateCase& c : acquisition_cases()) EXPECT_EQ(c.computed, d(c.expected)) << c.source;
}

TEST(EligibilityRules, LossDates) {
  for (const EventDateCase& c : loss_cases()) EXPECT_EQ(c.computed, d(c.expected)) << c.source;
}

// ---- 住所地特例 (法13条) ----

struct FacilityCase {
  FacilityKind kind;
  bool moving_between_municipalities;
  bool applies;
  const char* source;
};

const FacilityCase kFacilityCases[] = {
    {FacilityKind::special_nursing_home, true, true, "法13条1項1号: 特養"},
    {FacilityKind::geriatric_health_facility, true, true, "法13条1項1号: 老健"},
    {FacilityKind::integrated_care_hospital, true, true, "法13条1項1号: 介護医療院"},
    {FacilityKind::paid_nursing_home, true, true, "法13条1項2号: 有料老人ホーム (特定施設)"},
    {FacilityKind::serviced_housing_counting_as_paid_home, true, true, "法13条1項2号: サ高住 that is 有料"},
    {FacilityKind::serviced_housing_other, true, false, "rules.md §1: only サ高住 that counts as 有料"},
    {FacilityKind::low_cost_home, true, true, "法13条1項2号: 軽費老人ホーム (特定施設)"},
    {FacilityKind::protective_home, true, true, "法13条1項3号: 養護老人ホーム"},
    {FacilityKind::community_special_nursing_home, true, false, "rules.md §1: not for 地域密着型 (特養)"},
    {FacilityKind::community_specified_facility, true, false, "rules.md §1: not for 地域密着型 (特定施設)"},
    {FacilityKind::dementia_group_home, true, false, "rules.md §1: not for 地域密着型 (グループホーム)"},
    {FacilityKind::special_nursing_home, false, false, "法13条: a move inside the city needs no rule"},
};

TEST(EligibilityRules, Sk11FormerAddressRuleAppliesToTheListedFacilities) {
  for (const FacilityCase& c : kFacilityCases) {
    EXPECT_EQ(former_address_rule_applies(c.kind, c.moving_between_municipalities), c.applies) << c.source;
    EXPECT_EQ(insuring_city(c.kind, c.moving_between_municipalities),
              c.applies ? InsuringCity::former_city : InsuringCity::facility_city)
        << c.source;
  }
}

// ---- 受給資格証明書 (法36条) ----

struct CertificateCase {
  const char* acquired_on;
  const char* applied_on;
  bool carries_over;
  const char* source;
};

const CertificateCase kCertificateCases[] = {
    {"2025-04-01", "2025-04-01", true, "法36条: applied on the day of acquisition"},
    {"2025-04-01", "2025-04-14", true, "法36条: day 13 after acquisition"},
    {"2025-04-01", "2025-04-15", true, "法36条 + 民法140条 初日不算入: day 14 (the last day) counts"},
    {"2025-04-01", "2025-04-16", false, "法36条: day 15 is too late — a new review"},
    {"2025-03-31", "2025-03-30", false, "applied before becoming insured here"},
    {"2025-01-31", "2025-02-14", true, "day 14 across a month end"},
    {"2025-01-31", "2025-02-15", false, "day 15 across a month end"},
    {"2024-02-20", "2024-03-05", true, "day 14 across a leap day"},
    {"2024-02-20", "2024-03-06", false, "day 15 across a leap day"},
};

TEST(EligibilityRules, Sk09CertificateCarriesOverWithinFourteenDays) {
  for (const CertificateCase& c : kCertificateCases)
    EXPECT_EQ(certificate_carries_over(d(c.acquired_on), d(c.applied_on)), c.carries_over) << c.source;
  EXPECT_EQ(certificate_deadline(d("2025-04-01")), d("2025-04-15"));
}

// ---- Chargeable months (rules.md §2 monthly proration) ----

struct MonthsCase {
  const char* acquired_on;
  const char* lost_on;  // nullptr: still insured
  InsuredCategory category;
  int fiscal_year;
  int count;
  const char* first_month;  // nullptr when count is 0
  const char* last_month;
  const char* source;
};

const MonthsCase kMonthsCases[] = {
    {"2020-01-01", nullptr, C1, 2025, 12, "2025-04-01", "2026-03-01", "insured all year: 12"},
    {"2025-04-10", "2025-11-03", C1, 2025, 7, "2025-04-01", "2025-10-01",
     "rules.md §2: moved out with loss 11/3 → April–October = 7"},
    {"2025-05-31", nullptr, C1, 2025, 11, "2025-05-01", "2026-03-01",
     "born 1960-06-01 reaches 65 on 5/31: May is the month of acquisition"},
    {"2025-06-01", nullptr, C1, 2025, 10, "2025-06-01", "2026-03-01", "acquisition on the 1st: that month counts"},
    {"2025-07-31", nullptr, C1, 2025, 9, "2025-07-01", "2026-03-01", "acquisition on the 31st: that month counts"},
    {"2020-01-01", "2025-10-01", C1, 2025, 6, "2025-04-01", "2025-09-01",
     "loss on the 1st: that month is not charged"},
    {"2020-01-01", "2026-02-01", C1, 2025, 10, "2025-04-01", "2026-01-01",
     "death on 1/31 → loss 2/1: January is charged"},
    {"2020-01-01", "2026-04-01", C1, 2025, 12, "2025-04-01", "2026-03-01",
     "emigration on 3/31 → loss 4/1: the whole year"},
    {"2025-08-05", "2025-08-20", C1, 2025, 0, nullptr, nullptr,
     "acquisition and loss in one month: no month before the month of loss"},
    {"2020-01-01", "2025-04-01", C1, 2025, 0, nullptr, nullptr, "lost before the fiscal year"},
    {"2020-01-01", "2025-04-30", C1, 2025, 0, nullptr, nullptr, "lost in April: April not charged"},
    {"2026-04-01", nullptr, C1, 2025, 0, nullptr, nullptr, "acquired after the fiscal year"},
    {"2024-02-29", nullptr, C1, 2023, 2, "2024-02-01", "2024-03-01", "acquired on a leap day: February and March"},
    {"2020-01-01", nullptr, C2, 2025, 0, nullptr, nullptr, "法150条: category 2 pays through the medical insurer"},
};

TEST(EligibilityRules, ChargeableMonths) {
  for (const MonthsCase& c : kMonthsCases) {
    EligibilityPeriod period{d(c.acquired_on), std::nullopt, c.category, AcquisitionReason::move_in, std::nullopt};
    if (c.lost_on) period.lost_on = d(c.lost_on);
    const ChargeableMonths months = chargeable_months(period, c.fiscal_year);
    EXPECT_EQ(months.count, c.count) << c.source;
    ASSERT_EQ(months.months.size(), static_cast<std::size_t>(c.count)) << c.source;
    if (c.count == 0) continue;
    EXPECT_EQ(months.months.front(), d(c.first_month)) << c.source;
    EXPECT_EQ(months.months.back(), d(c.last_month)) << c.source;
    for (std::size_t i = 1; i < months.months.size(); ++i)
      EXPECT_EQ(months.months[i], months.months[i - 1].add_months(1)) << c.source;
  }
}

// ---- Storage codes ----

TEST(EligibilityRules, CodesRoundTrip) {
  for (InsuredCategory c : {C1, C2}) EXPECT_EQ(*parse_insured_category(to_code(c)), c);
  EXPECT_EQ(to_code(C1), "1");
  EXPECT_EQ(to_code(C2), "2");
  for (int i = 0; i <= static_cast<int>(AcquisitionReason::category_change); ++i) {
    const auto r = static_cast<AcquisitionReason>(i);
    EXPECT_NE(to_code(r), "unknown");
    EXPECT_EQ(*parse_acquisition_reason(to_code(r)), r);
  }
  for (int i = 0; i <= static_cast<int>(LossReason::category_change); ++i) {
    const auto r = static_cast<LossReason>(i);
    EXPECT_NE(to_code(r), "unknown");
    EXPECT_EQ(*parse_loss_reason(to_code(r)), r);
  }
  for (int i = 0; i <= static_cast<int>(FacilityKind::dementia_group_home); ++i) {
    const auto k = static_cast<FacilityKind>(i);
    EXPECT_NE(to_code(k), "unknown");
    EXPECT_EQ(*parse_facility_kind(to_code(k)), k);
  }
  EXPECT_FALSE(parse_insured_category("3").has_value());
  const auto bad = parse_loss_reason("moved");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, kaigo::ErrorKind::invalid_input);
  EXPECT_EQ(bad.error().field, "loss_reason");
  EXPECT_FALSE(parse_acquisition_reason("").has_value());
  EXPECT_FALSE(parse_facility_kind("hospital").has_value());
}

}  // namespace

#include "eligibility/rules.hpp"

#include <array>
#include <string>
#include <utility>

namespace kaigo::eligibility {

Date date_reaching(Date birth, int age) { return Date::reaches_age(birth, age); }

std::optional<InsuredCategory> category_on(Date birth, Date date, bool has_address, bool has_medical_insurance,
                                           bool in_exempt_facility) {
  if (!has_address || in_exempt_facility) return std::nullopt;
  const int age = date.age_of(birth);
  if (age >= 65) return InsuredCategory::category_1;                            // 9条1号
  if (age >= 40 && has_medical_insurance) return InsuredCategory::category_2;  // 9条2号
  return std::nullopt;
}

Date acquisition_date(const ReachingAge& event) { return date_reaching(event.birth, event.age); }

Date acquisition_date(const MoveIn& event) { return event.on; }

Date acquisition_date(const MedicalInsuranceGained& event) { return event.on; }

// 施行法11条 exempts a person "while in" the facility. On the 退所日 the person is still in it
// for part of the day, so the exemption ends with that day and eligibility starts the next —
// the mirror of entering (exempt from the day after 入所). See docs/eligibility-rules.md.
Date acquisition_date(const ExemptFacilityLeft& event) { return event.on.add_days(1); }

// 11条1項: loss "住所を有しなくなった日の翌日から"; ただし書: when the person gets an address in
// another municipality on that day, loss is "その日から". A domestic move is registered with a
// planned date and corrected to the new city's 転入日, so an earlier new address also ends the
// address here on that day. A later new address leaves a gap without address: the day after.
Date loss_date(const MoveOut& event) {
  if (event.new_address_on && *event.new_address_on <= event.ended_on) return *event.new_address_on;
  return event.ended_on.add_days(1);
}

Date loss_date(const Emigration& event) { return event.on.add_days(1); }

Date loss_date(const Death& event) { return event.on.add_days(1); }

Date loss_date(const MedicalInsuranceLost& event) { return event.on; }

Date loss_date(const ExemptFacilityEntered& event) { return event.on.add_days(1); }

namespace {

constexpr std::array<std::pair<FacilityKind, std::string_view>, 11> kFacilityCodes{{
    {FacilityKind::special_nursing_home, "special_nursing_home"},
    {FacilityKind::geriatric_health_facility, "geriatric_health_facility"},
    {FacilityKind::integrated_care_hospital, "integrated_care_hospital"},
    {FacilityKind::paid_nursing_home, "paid_nursing_home"},
    {FacilityKind::serviced_housing_counting_as_paid_home, "serviced_housing_counting_as_paid_home"},
    {FacilityKind::serviced_housing_other, "serviced_housing_other"},
    {FacilityKind::low_cost_home, "low_cost_home"},
    {FacilityKind::protective_home, "protective_home"},
    {FacilityKind::community_special_nursing_home, "community_special_nursing_home"},
    {FacilityKind::community_specified_facility, "community_specified_facility"},
    {FacilityKind::dementia_group_home, "dementia_group_home"},
}};

// 13条1項: 住所地特例対象施設 are 介護保険施設, 特定施設 (有料老人ホーム, 軽費老人ホーム and サ高住
// that are 有料老人ホーム) and 養護老人ホーム. 地域密着型 facilities are excluded because their
// users must live in the city that designated them (78条の2); a サ高住 without 有料 services is a
// dwelling like any other.
bool is_former_address_facility(FacilityKind kind) {
  switch (kind) {
    case FacilityKind::special_nursing_home:
    case FacilityKind::geriatric_health_facility:
    case FacilityKind::integrated_care_hospital:
    case FacilityKind::paid_nursing_home:
    case FacilityKind::serviced_housing_counting_as_paid_home:
    case FacilityKind::low_cost_home:
    case FacilityKind::protective_home:
      return true;
    case FacilityKind::serviced_housing_other:
    case FacilityKind::community_special_nursing_home:
    case FacilityKind::community_specified_facility:
    case FacilityKind::dementia_group_home:
      return false;
  }
  return false;
}

}  // namespace

std::string_view to_code(FacilityKind kind) {
  for (const auto& [k, code] : kFacilityCodes)
    if (k == kind) return code;
  return "unknown";  // unreachable while kFacilityCodes lists every enumerator (tested)
}

Result<FacilityKind> parse_facility_kind(std::string_view code) {
  for (const auto& [k, c] : kFacilityCodes)
    if (c == code) return k;
  return fail(ErrorKind::invalid_input, "unknown facility_kind code", "facility_kind");
}

bool former_address_rule_applies(FacilityKind kind, bool moving_between_municipalities) {
  return moving_between_municipalities && is_former_address_facility(kind);
}

InsuringCity insuring_city(FacilityKind kind, bool moving_between_municipalities) {
  return former_address_rule_applies(kind, moving_between_municipalities) ? InsuringCity::former_city
                                                                          : InsuringCity::facility_city;
}

Date certificate_deadline(Date acquired_on) { return acquired_on.add_days(14); }

bool certificate_carries_over(Date acquired_on, Date applied_on) {
  return applied_on >= acquired_on && applied_on <= certificate_deadline(acquired_on);
}

}  // namespace kaigo::eligibility

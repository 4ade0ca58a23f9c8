#pragma once
// The dates of 資格 (eligibility) events, as pure functions of the facts. Each function names
// the article it implements; docs/eligibility-rules.md lists them with the interpretations made.
#include <optional>
#include <string_view>

#include "core/date.hpp"
#include "core/error.hpp"
#include "eligibility/types.hpp"

namespace kaigo::eligibility {

// 年齢計算ニ関スル法律 + 民法143条: an age is reached on the day before the birthday
// (born 1959-06-02 → 65 on 2024-06-01; born on the 1st → the last day of the previous month).
Date date_reaching(Date birth, int age);

// 介護保険法9条 with 施行法11条: the category of a person on `date`, or none when not insured.
// Category 1: address in the city and 65+ (medical insurance does not matter, so 生活保護
// recipients aged 65+ are insured). Category 2: address, 40–64 and a medical insurance (a 40–64
// 生活保護 recipient without one is not insured). Nobody in an 適用除外施設 is insured.
std::optional<InsuredCategory> category_on(Date birth, Date date, bool has_address, bool has_medical_insurance,
                                           bool in_exempt_facility);

// ---- Events. Each carries the dates the statute counts from. ----

struct ReachingAge {  // 10条1号 (40, with medical insurance) / 10条4号 (65)
  Date birth;
  int age = 65;
};
struct MoveIn {  // 転入: the 転入日 (the day the address here starts)
  Date on;
};
struct MoveOut {  // 転出 inside Japan
  Date ended_on;                       // 住所を有しなくなった日 (the movement date)
  std::optional<Date> new_address_on;  // the new city's 転入日, when known
};
struct Emigration {  // 国外転出: the day of departure
  Date on;
};
struct Death {
  Date on;
};
struct MedicalInsuranceGained {  // the first day enrolled (the insurance's 資格取得日)
  Date on;
};
struct MedicalInsuranceLost {  // the first day NOT enrolled (the insurance's 資格喪失日)
  Date on;
};
struct ExemptFacilityEntered {  // 入所日 of an 適用除外施設 (施行規則170条)
  Date on;
};
struct ExemptFacilityLeft {  // 退所日
  Date on;
};

// 資格取得日 (法10条: "…に至った日から" — acquisition takes effect on the day of the event).
Date acquisition_date(const ReachingAge& event);              // date_reaching(birth, age)
Date acquisition_date(const MoveIn& event);                   // the 転入日 (10条2号)
Date acquisition_date(const MedicalInsuranceGained& event);   // that day (10条3号)
Date acquisition_date(const ExemptFacilityLeft& event);       // the day after 退所 (施行法11条)

// 資格喪失日 (the first day not insured).
Date loss_date(const MoveOut& event);                 // 11条1項 and its ただし書 (see .cpp)
Date loss_date(const Emigration& event);              // 11条1項: the day after departure
Date loss_date(const Death& event);                   // 11条1項: the day after death
Date loss_date(const MedicalInsuranceLost& event);    // 11条2項: that day (category 2 only)
Date loss_date(const ExemptFacilityEntered& event);   // 施行法11条: the day after entering

// ---- 住所地特例 (former-address rule), 介護保険法13条. ----

enum class FacilityKind {
  special_nursing_home,                   // 介護老人福祉施設 (特養), 13条1項1号
  geriatric_health_facility,              // 介護老人保健施設 (老健)
  integrated_care_hospital,               // 介護医療院
  paid_nursing_home,                      // 有料老人ホーム (特定施設, 13条1項2号)
  serviced_housing_counting_as_paid_home, // サ高住 that provides 有料老人ホーム services
  serviced_housing_other,                 // サ高住 that does not: an ordinary residence
  low_cost_home,                          // 軽費老人ホーム (特定施設)
  protective_home,                        // 養護老人ホーム, 13条1項3号
  community_special_nursing_home,         // 地域密着型介護老人福祉施設: excluded
  community_specified_facility,           // 地域密着型特定施設: excluded
  dementia_group_home,                    // 認知症対応型共同生活介護 (グループホーム): excluded
};

std::string_view to_code(FacilityKind kind);
Result<FacilityKind> parse_facility_kind(std::string_view code);

// True when a person moving into a facility of this kind stays insured by the former city:
// the kind is a 住所地特例対象施設 and the move crosses a municipal border.
bool former_address_rule_applies(FacilityKind kind, bool moving_between_municipalities);

enum class InsuringCity { former_city, facility_city };
// Which city insures a person who moves into a facility of this kind.
InsuringCity insuring_city(FacilityKind kind, bool moving_between_municipalities);

// ---- 受給資格証明書 (certificate of entitlement), 介護保険法36条 and 施行規則. ----

// The last day on which an application with a certificate from the former city is decided on
// the certificate's terms: 14 days counted from the day after acquisition (民法140条
// 初日不算入), i.e. acquired_on + 14.
Date certificate_deadline(Date acquired_on);
// True when an application made on `applied_on` is within that window (and not before the
// person became insured here).
bool certificate_carries_over(Date acquired_on, Date applied_on);

}  // namespace kaigo::eligibility

#pragma once
// The 番号連携 answers a counter case applies (SK-05, 09, 11, 13, 15), read from the gateway's
// answer JSON {"items":{…},"null_reasons":{…}} into typed values. Pure: no I/O. A malformed answer
// is invalid_input naming the item ("answer.items.certified_from").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "eligibility/rules.hpp"

namespace kaigo::eligibility {

// An inquiry kind a case can send and apply, with the flows of that use (inquiry_kinds.tsv).
struct CaseInquiryKind {
  std::string_view kind;
  std::string_view request_flow;
  std::string_view answer_flow;
};
const std::vector<CaseInquiryKind>& case_inquiry_kinds();
const CaseInquiryKind* case_inquiry_kind(std::string_view kind);

// SK-05 住民票関係情報 of the former municipality.
struct ResidentAnswer {
  std::string former_municipality_code;  // 6 digits
  std::string former_municipality_name;
  std::optional<std::string> name;
  std::optional<Date> moved_out_on;              // 転出日 there
  std::vector<std::string> household_member_ids; // who moved as one household
};
Result<ResidentAnswer> parse_resident_answer(const std::string& answer_json);

// SK-09 受給資格証明書.
struct CertificateAnswer {
  std::string insurer_no;                       // the issuing (former) insurer
  std::optional<std::string> former_insured_no;
  std::string care_level;                       // support_1 … care_5
  Date certified_from, certified_to, certified_on;
};
Result<CertificateAnswer> parse_certificate_answer(const std::string& answer_json);

// SK-11 住所地特例.
struct FormerAddressRuleAnswer {
  bool applies = false;
  std::string insurer_no;     // the insuring (former) city, when it applies
  std::string facility_name;
  std::optional<Date> valid_from, valid_to;
};
Result<FormerAddressRuleAnswer> parse_former_address_rule_answer(const std::string& answer_json);

// SK-13 医療保険資格.
struct MedicalInsuranceAnswer {
  std::string insurer_kind;  // kokuho, kyokai_kenpo, kumiai, kyosai, koki
  std::string insurer_no;
  Date acquired_on;
  std::optional<Date> lost_on;
};
Result<MedicalInsuranceAnswer> parse_medical_insurance_answer(const std::string& answer_json);

// SK-15 生活保護・中国残留邦人等支援給付.
struct PublicAssistanceAnswer {
  std::string assistance_kind;  // welfare | repatriate
  Date started_on;
  std::optional<Date> ended_on;
};
Result<PublicAssistanceAnswer> parse_public_assistance_answer(const std::string& answer_json);

// 要介護度: the code (none, support_1, support_2, care_1 … care_5) of a code or a Japanese label
// (非該当, 要支援1, 要介護3 …; full-width digits too). invalid_input naming `field` otherwise.
Result<std::string> parse_care_level(std::string_view text, const std::string& field);

// The facility kind named by a facility's name (特別養護老人ホーム …, 介護老人保健施設 …), when the
// name says it; the SK-11 answer carries the name only.
std::optional<FacilityKind> facility_kind_from_name(std::string_view facility_name);

// The kind of a medical insurer from its number (保険者番号の法別番号): 6 digits 国保; 8 digits
// 39… 後期高齢者医療, 01… 協会けんぽ, 06… 健康保険組合, 31…34 共済組合.
std::optional<std::string> insurer_kind_from_number(std::string_view insurer_no);

}  // namespace kaigo::eligibility

#include "eligibility/movement_case_answers.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kaigo::eligibility {

namespace {

using nlohmann::json;

Result<json> items_of(const std::string& answer_json) {
  json doc = json::parse(answer_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return fail(ErrorKind::invalid_input, "the answer is not a JSON object", "answer");
  auto it = doc.find("items");
  if (it == doc.end() || !it->is_object())
    return fail(ErrorKind::invalid_input, "the answer has no items object", "answer.items");
  return *it;
}

std::string field_name(const char* item) { return fmt::format("answer.items.{}", item); }

Result<std::string> text(const json& items, const char* item) {
  auto it = items.find(item);
  if (it == items.end() || it->is_null() || !it->is_string() || it->get<std::string>().empty())
    return fail(ErrorKind::invalid_input, fmt::format("the answer lacks {}", item), field_name(item));
  return it->get<std::string>();
}

std::optional<std::string> opt_text(const json& items, const char* item) {
  auto it = items.find(item);
  if (it == items.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

Result<Date> date(const json& items, const char* item) {
  auto t = text(items, item);
  if (!t) return std::unexpected(t.error());
  auto d = Date::parse(*t);
  if (!d) return fail(ErrorKind::invalid_input, fmt::format("{} is not a date (YYYY-MM-DD)", item), field_name(item));
  return *d;
}

// A date item that may be absent (its null_reason says why: 該当なし / 保有なし).
Result<std::optional<Date>> opt_date(const json& items, const char* item) {
  auto it = items.find(item);
  if (it == items.end() || it->is_null()) return std::optional<Date>{};
  auto d = date(items, item);
  if (!d) return std::unexpected(d.error());
  return std::optional<Date>{*d};
}

bool digits(std::string_view s, std::size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

const std::vector<CaseInquiryKind>& case_inquiry_kinds() {
  static const std::vector<CaseInquiryKind> kinds{
      {"city_resident", "SK-04", "SK-05"},
      {"city_certificate", "SK-08", "SK-09"},
      {"city_former_address_rule", "SK-10", "SK-11"},
      {"iryo_insurance", "SK-12", "SK-13"},
      {"pref_public_assistance", "SK-14", "SK-15"},
  };
  return kinds;
}

const CaseInquiryKind* case_inquiry_kind(std::string_view kind) {
  for (const auto& k : case_inquiry_kinds())
    if (k.kind == kind) return &k;
  return nullptr;
}

Result<ResidentAnswer> parse_resident_answer(const std::string& answer_json) {
  auto items = items_of(answer_json);
  if (!items) return std::unexpected(items.error());
  ResidentAnswer a;
  auto code = text(*items, "former_municipality_code");
  if (!code) return std::unexpected(code.error());
  if (!digits(*code, 6))
    return fail(ErrorKind::invalid_input, "former_municipality_code must be 6 digits", field_name("former_municipality_code"));
  a.former_municipality_code = *code;
  auto name = text(*items, "former_municipality_name");
  if (!name) return std::unexpected(name.error());
  a.former_municipality_name = *name;
  a.name = opt_text(*items, "name");
  auto out = opt_date(*items, "moved_out_on");
  if (!out) return std::unexpected(out.error());
  a.moved_out_on = *out;
  if (auto m = items->find("household_members"); m != items->end() && !m->is_null()) {
    if (!m->is_array()) return fail(ErrorKind::invalid_input, "household_members must be a list", field_name("household_members"));
    for (std::size_t i = 0; i < m->size(); ++i) {
      const auto& member = (*m)[i];
      auto id = member.is_object() ? member.find("person_id") : member.end();
      if (!member.is_object() || id == member.end() || !id->is_string())
        return fail(ErrorKind::invalid_input, "a household member lacks person_id",
                    fmt::format("answer.items.household_members[{}].person_id", i));
      a.household_member_ids.push_back(id->get<std::string>());
    }
  }
  return a;
}

Result<CertificateAnswer> parse_certificate_answer(const std::string& answer_json) {
  auto items = items_of(answer_json);
  if (!items) return std::unexpected(items.error());
  CertificateAnswer a;
  // The issuing insurer: former_insurer_no (the simulator's name) or insurer_no.
  auto insurer = opt_text(*items, "former_insurer_no");
  if (!insurer) insurer = opt_text(*items, "insurer_no");
  if (!insurer || !digits(*insurer, 6))
    return fail(ErrorKind::invalid_input, "the certificate's insurer number (6 digits) is missing", field_name("former_insurer_no"));
  a.insurer_no = *insurer;
  a.former_insured_no = opt_text(*items, "former_insured_no");
  auto level = text(*items, "care_level");
  if (!level) return std::unexpected(level.error());
  auto code = parse_care_level(*level, field_name("care_level"));
  if (!code) return std::unexpected(code.error());
  a.care_level = *code;
  for (auto [item, target] : {std::pair{"certified_from", &a.certified_from}, std::pair{"certified_to", &a.certified_to},
                              std::pair{"certified_on", &a.certified_on}}) {
    auto d = date(*items, item);
    if (!d) return std::unexpected(d.error());
    *target = *d;
  }
  if (a.certified_to < a.certified_from)
    return fail(ErrorKind::invalid_input, "certified_to is before certified_from", field_name("certified_to"));
  return a;
}

Result<FormerAddressRuleAnswer> parse_former_address_rule_answer(const std::string& answer_json) {
  auto items = items_of(answer_json);
  if (!items) return std::unexpected(items.error());
  FormerAddressRuleAnswer a;
  auto applies = items->find("applies");
  if (applies == items->end() || !applies->is_boolean())
    return fail(ErrorKind::invalid_input, "applies must be true or false", field_name("applies"));
  a.applies = applies->get<bool>();
  if (!a.applies) return a;
  auto insurer = text(*items, "insurer_no");
  if (!insurer) return std::unexpected(insurer.error());
  if (!digits(*insurer, 6)) return fail(ErrorKind::invalid_input, "insurer_no must be 6 digits", field_name("insurer_no"));
  a.insurer_no = *insurer;
  auto facility = text(*items, "facility_name");
  if (!facility) return std::unexpected(facility.error());
  a.facility_name = *facility;
  auto from = date(*items, "valid_from");
  if (!from) return std::unexpected(from.error());
  a.valid_from = *from;
  auto to = opt_date(*items, "valid_to");
  if (!to) return std::unexpected(to.error());
  a.valid_to = *to;
  return a;
}

Result<MedicalInsuranceAnswer> parse_medical_insurance_answer(const std::string& answer_json) {
  auto items = items_of(answer_json);
  if (!items) return std::unexpected(items.error());
  MedicalInsuranceAnswer a;
  auto no = text(*items, "insurer_no");
  if (!no) return std::unexpected(no.error());
  if (!digits(*no, 6) && !digits(*no, 8))
    return fail(ErrorKind::invalid_input, "insurer_no must be 6 or 8 digits", field_name("insurer_no"));
  a.insurer_no = *no;
  if (auto kind = opt_text(*items, "insurer_kind")) {
    a.insurer_kind = *kind;
  } else if (auto guessed = insurer_kind_from_number(a.insurer_no)) {
    a.insurer_kind = *guessed;
  } else {
    return fail(ErrorKind::invalid_input, "the insurer's kind is neither given nor known from its number", field_name("insurer_kind"));
  }
  static constexpr std::array<std::string_view, 5> kKinds{"kokuho", "kyokai_kenpo", "kumiai", "kyosai", "koki"};
  if (std::find(kKinds.begin(), kKinds.end(), a.insurer_kind) == kKinds.end())
    return fail(ErrorKind::invalid_input, "unknown insurer_kind", field_name("insurer_kind"));
  auto acquired = date(*items, "acquired_on");
  if (!acquired) return std::unexpected(acquired.error());
  a.acquired_on = *acquired;
  auto lost = opt_date(*items, "lost_on");
  if (!lost) return std::unexpected(lost.error());
  a.lost_on = *lost;
  if (a.lost_on && *a.lost_on < a.acquired_on)
    return fail(ErrorKind::invalid_input, "lost_on is before acquired_on", field_name("lost_on"));
  return a;
}

Result<PublicAssistanceAnswer> parse_public_assistance_answer(const std::string& answer_json) {
  auto items = items_of(answer_json);
  if (!items) return std::unexpected(items.error());
  PublicAssistanceAnswer a;
  auto kind = text(*items, "assistance_kind");
  if (!kind) return std::unexpected(kind.error());
  if (*kind != "welfare" && *kind != "repatriate")
    return fail(ErrorKind::invalid_input, "assistance_kind must be welfare or repatriate", field_name("assistance_kind"));
  a.assistance_kind = *kind;
  auto started = date(*items, "started_on");
  if (!started) return std::unexpected(started.error());
  a.started_on = *started;
  auto ended = opt_date(*items, "ended_on");
  if (!ended) return std::unexpected(ended.error());
  a.ended_on = *ended;
  if (a.ended_on && *a.ended_on < a.started_on)
    return fail(ErrorKind::invalid_input, "ended_on is before started_on", field_name("ended_on"));
  return a;
}

Result<std::string> parse_care_level(std::string_view text, const std::string& field) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kLevels{{
      {"none", "none"}, {"非該当", "none"},
      {"support_1", "support_1"}, {"要支援1", "support_1"},
      {"support_2", "support_2"}, {"要支援2", "support_2"},
      {"care_1", "care_1"}, {"要介護1", "care_1"},
      {"care_2", "care_2"}, {"要介護2", "care_2"},
      {"care_3", "care_3"}, {"要介護3", "care_3"},
      {"care_4", "care_4"}, {"要介護4", "care_4"},
      {"care_5", "care_5"}, {"要介護5", "care_5"},
  }};
  std::string normal(text);
  // Full-width digits (１…５, 3 bytes each in UTF-8: EF BC 91…95) as the certificate may print them.
  for (std::size_t pos; (pos = normal.find("\xEF\xBC")) != std::string::npos && pos + 2 < normal.size();) {
    const unsigned char c = static_cast<unsigned char>(normal[pos + 2]);
    if (c < 0x90 || c > 0x99) break;
    normal.replace(pos, 3, 1, static_cast<char>('0' + (c - 0x90)));
  }
  for (auto [key, code] : kLevels)
    if (normal == key) return std::string(code);
  return fail(ErrorKind::invalid_input, "unknown care level (要支援1-2, 要介護1-5, 非該当)", field);
}

std::optional<FacilityKind> facility_kind_from_name(std::string_view name) {
  // Longest names first: 特別養護老人ホーム contains 養護老人ホーム, 地域密着型… contains the others.
  static constexpr std::array<std::pair<std::string_view, FacilityKind>, 12> kNames{{
      {"地域密着型介護老人福祉施設", FacilityKind::community_special_nursing_home},
      {"地域密着型特別養護老人ホーム", FacilityKind::community_special_nursing_home},
      {"地域密着型特定施設", FacilityKind::community_specified_facility},
      {"グループホーム", FacilityKind::dementia_group_home},
      {"特別養護老人ホーム", FacilityKind::special_nursing_home},
      {"介護老人福祉施設", FacilityKind::special_nursing_home},
      {"介護老人保健施設", FacilityKind::geriatric_health_facility},
      {"介護医療院", FacilityKind::integrated_care_hospital},
      {"有料老人ホーム", FacilityKind::paid_nursing_home},
      {"軽費老人ホーム", FacilityKind::low_cost_home},
      {"ケアハウス", FacilityKind::low_cost_home},
      {"養護老人ホーム", FacilityKind::protective_home},
  }};
  for (auto [key, kind] : kNames)
    if (name.find(key) != std::string_view::npos) return kind;
  return std::nullopt;
}

std::optional<std::string> insurer_kind_from_number(std::string_view no) {
  if (digits(no, 6)) return "kokuho";
  if (!digits(no, 8)) return std::nullopt;
  const std::string_view law = no.substr(0, 2);  // 法別番号
  if (law == "39") return "koki";
  if (law == "01") return "kyokai_kenpo";
  if (law == "06") return "kumiai";
  if (law == "31" || law == "32" || law == "33" || law == "34") return "kyosai";
  return std::nullopt;
}

}  // namespace kaigo::eligibility

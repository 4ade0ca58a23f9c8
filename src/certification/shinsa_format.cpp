// Reading and writing the assessment, opinion and committee documents (shinsa_format.hpp).
#include "certification/shinsa_format.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kaigo::certification::shinsa {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

std::unexpected<Error> bad(const std::string& path, const std::string& what) {
  return fail(ErrorKind::invalid_input, fmt::format("{}: {}", path, what), path);
}

// The document as an object of the expected format.
Result<json> open(std::string_view text, std::string_view format) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("$", fmt::format("not a JSON object (expected {})", format));
  auto f = j.find("format");
  if (f == j.end() || !f->is_string()) return bad("format", fmt::format("is required ({})", format));
  if (f->get<std::string>() != format) return bad("format", fmt::format("must be {} (unknown format or version)", format));
  return j;
}

std::string at(const std::string& base, const std::string& key) { return base.empty() ? key : base + "." + key; }

Result<std::string> text(const json& o, const std::string& key, const std::string& base, bool allow_empty = false) {
  const std::string path = at(base, key);
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return bad(path, "is required");
  if (!it->is_string()) return bad(path, "must be a string");
  std::string s = it->get<std::string>();
  if (!allow_empty && s.empty()) return bad(path, "must not be empty");
  return s;
}

// Absent or null → "", else a string.
Result<std::string> optional_text(const json& o, const std::string& key, const std::string& base) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::string();
  if (!it->is_string()) return bad(at(base, key), "must be a string");
  return it->get<std::string>();
}

Result<Date> date(const json& o, const std::string& key, const std::string& base) {
  auto s = text(o, key, base);
  if (!s) return std::unexpected(s.error());
  auto d = Date::parse(*s);
  if (!d) return bad(at(base, key), "must be a real date YYYY-MM-DD");
  return *d;
}

Result<bool> boolean(const json& o, const std::string& key, const std::string& base) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_boolean()) return bad(at(base, key), "must be true or false");
  return it->get<bool>();
}

Result<std::string> one_of(const json& o, const std::string& key, const std::string& base, const std::vector<std::string>& allowed,
                           const char* list_name) {
  auto s = text(o, key, base);
  if (!s) return std::unexpected(s.error());
  if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end())
    return bad(at(base, key), fmt::format("is not a level of {} ({})", list_name, fmt::join(allowed, ", ")));
  return *s;
}

Result<const json*> array(const json& o, const std::string& key, const std::string& base, bool non_empty) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_array()) return bad(at(base, key), "must be a list");
  if (non_empty && it->empty()) return bad(at(base, key), "must not be empty");
  return &*it;
}

std::string element(const std::string& key, std::size_t i) { return fmt::format("{}[{}]", key, i); }

Result<std::map<std::string, std::string>> items(const json& o, const std::string& base, const CertificationConfig& config) {
  const std::string path = at(base, "items");
  auto it = o.find("items");
  if (it == o.end() || !it->is_object()) return bad(path, "must be an object of the 基本調査 items");
  std::map<std::string, std::string> out;
  // Unknown codes first (a misspelt code would otherwise be reported as the missing one).
  for (const auto& [code, value] : it->items())
    if (!config.assessment_item(code)) return bad(path + "." + code, "is not an item of the 基本調査 (assessment_items.tsv)");
  for (const auto& item : config.assessment_items) {
    const std::string item_path = path + "." + item.code;
    auto v = it->find(item.code);
    if (v == it->end() || v->is_null()) return bad(item_path, fmt::format("is missing ({})", item.name));
    if (!v->is_string()) return bad(item_path, "must be a string (the choice's value)");
    const std::string value = v->get<std::string>();
    if (std::find(item.choices.begin(), item.choices.end(), value) == item.choices.end())
      return bad(item_path, fmt::format("is not a choice of {} (allowed: {})", item.name, fmt::join(item.choices, ", ")));
    out.emplace(item.code, value);
  }
  return out;
}

ojson person_json(const PersonPart& p) {
  ojson o;
  o["name"] = p.name;
  o["name_kana"] = p.name_kana;
  o["birth_date"] = p.birth_date;
  o["sex"] = p.sex;
  o["address"] = p.address;
  o["phone"] = p.phone;
  return o;
}

ojson range_json(const ValidityRange& r) {
  ojson o;
  o["default_months"] = r.default_months;
  o["min_months"] = r.min_months;
  o["max_months"] = r.max_months;
  return o;
}

}  // namespace

const std::vector<std::string>& dementia_independence_levels() {
  static const std::vector<std::string> levels{"自立", "I", "IIa", "IIb", "IIIa", "IIIb", "IV", "M"};
  return levels;
}

const std::vector<std::string>& bedridden_independence_levels() {
  static const std::vector<std::string> levels{"自立", "J1", "J2", "A1", "A2", "B1", "B2", "C1", "C2"};
  return levels;
}

std::optional<std::int64_t> parse_minutes(std::string_view s) {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 2 != s.size() || dot > 6) return std::nullopt;
  std::int64_t whole = 0;
  for (std::size_t i = 0; i < dot; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    whole = whole * 10 + (s[i] - '0');
  }
  if (dot > 1 && s[0] == '0') return std::nullopt;  // "045.3"
  const char tenth = s[dot + 1];
  if (tenth < '0' || tenth > '9') return std::nullopt;
  return whole * 10 + (tenth - '0');
}

std::string minutes_text(std::int64_t tenths) { return fmt::format("{}.{}", tenths / 10, tenths % 10); }

Result<std::vector<AssessmentResult>> parse_assessment_results(std::string_view json_text, const CertificationConfig& config) {
  auto doc = open(json_text, kAssessmentResultsFormat);
  if (!doc) return std::unexpected(doc.error());
  auto results = array(*doc, "results", "", true);
  if (!results) return std::unexpected(results.error());
  std::vector<AssessmentResult> out;
  std::set<std::string> request_nos;
  for (std::size_t i = 0; i < (*results)->size(); ++i) {
    const std::string base = element("results", i);
    const json& r = (**results)[i];
    if (!r.is_object()) return bad(base, "must be an object");
    AssessmentResult a;
    auto request_no = text(r, "request_no", base);
    if (!request_no) return std::unexpected(request_no.error());
    if (!request_nos.insert(*request_no).second) return bad(at(base, "request_no"), "appears twice in the document");
    a.request_no = *request_no;
    auto application_no = text(r, "application_no", base);
    if (!application_no) return std::unexpected(application_no.error());
    a.application_no = *application_no;
    auto assessed_on = date(r, "assessed_on", base);
    if (!assessed_on) return std::unexpected(assessed_on.error());
    a.assessed_on = *assessed_on;
    auto assessor = optional_text(r, "assessor_name", base);
    if (!assessor) return std::unexpected(assessor.error());
    a.assessor_name = *assessor;
    auto item_values = items(r, base, config);
    if (!item_values) return std::unexpected(item_values.error());
    a.items = std::move(*item_values);
    auto notes = optional_text(r, "special_notes", base);
    if (!notes) return std::unexpected(notes.error());
    a.special_notes = *notes;
    auto minutes = text(r, "standard_minutes", base);
    if (!minutes) return std::unexpected(minutes.error());
    auto tenths = parse_minutes(*minutes);
    if (!tenths) return bad(at(base, "standard_minutes"), "must be a decimal with one digit after the point, ≥ 0 (\"45.3\")");
    a.standard_tenths = *tenths;
    auto cognitive = boolean(r, "cognitive_decline", base);
    if (!cognitive) return std::unexpected(cognitive.error());
    a.cognitive_decline = *cognitive;
    auto unstable = boolean(r, "unstable_condition", base);
    if (!unstable) return std::unexpected(unstable.error());
    a.unstable_condition = *unstable;
    auto dementia = one_of(r, "dementia_independence", base, dementia_independence_levels(), "認知症高齢者の日常生活自立度");
    if (!dementia) return std::unexpected(dementia.error());
    a.dementia_independence = *dementia;
    auto bedridden = one_of(r, "bedridden_independence", base, bedridden_independence_levels(), "障害高齢者の日常生活自立度");
    if (!bedridden) return std::unexpected(bedridden.error());
    a.bedridden_independence = *bedridden;
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<OpinionResult>> parse_opinions(std::string_view json_text, const CertificationConfig& config) {
  auto doc = open(json_text, kOpinionsFormat);
  if (!doc) return std::unexpected(doc.error());
  auto opinions = array(*doc, "opinions", "", true);
  if (!opinions) return std::unexpected(opinions.error());
  std::vector<OpinionResult> out;
  std::set<std::string> request_nos;
  for (std::size_t i = 0; i < (*opinions)->size(); ++i) {
    const std::string base = element("opinions", i);
    const json& r = (**opinions)[i];
    if (!r.is_object()) return bad(base, "must be an object");
    OpinionResult o;
    auto request_no = text(r, "request_no", base);
    if (!request_no) return std::unexpected(request_no.error());
    if (!request_nos.insert(*request_no).second) return bad(at(base, "request_no"), "appears twice in the document");
    o.request_no = *request_no;
    auto application_no = text(r, "application_no", base);
    if (!application_no) return std::unexpected(application_no.error());
    o.application_no = *application_no;
    auto written_on = date(r, "written_on", base);
    if (!written_on) return std::unexpected(written_on.error());
    o.written_on = *written_on;
    auto institution = text(r, "institution_code", base);
    if (!institution) return std::unexpected(institution.error());
    if (!config.institution(*institution)) return bad(at(base, "institution_code"), "is not in medical_institutions.tsv");
    o.institution_code = *institution;
    auto doctor = text(r, "doctor_name", base);
    if (!doctor) return std::unexpected(doctor.error());
    o.doctor_name = *doctor;
    auto diagnoses = array(r, "diagnoses", base, true);
    if (!diagnoses) return std::unexpected(diagnoses.error());
    for (std::size_t k = 0; k < (*diagnoses)->size(); ++k) {
      const json& d = (**diagnoses)[k];
      if (!d.is_string() || d.get<std::string>().empty()) return bad(at(base, element("diagnoses", k)), "must be a non-empty string");
      o.diagnoses.push_back(d.get<std::string>());
    }
    auto disease = r.find("specified_disease");
    if (disease != r.end() && !disease->is_null()) {
      if (!disease->is_string()) return bad(at(base, "specified_disease"), "must be a code or null");
      if (!config.specified_disease(disease->get<std::string>()))
        return bad(at(base, "specified_disease"), "is not a 特定疾病 of specified_diseases.tsv");
      o.specified_disease = disease->get<std::string>();
    }
    auto dementia = one_of(r, "dementia_independence", base, dementia_independence_levels(), "認知症高齢者の日常生活自立度");
    if (!dementia) return std::unexpected(dementia.error());
    o.dementia_independence = *dementia;
    auto bedridden = one_of(r, "bedridden_independence", base, bedridden_independence_levels(), "障害高齢者の日常生活自立度");
    if (!bedridden) return std::unexpected(bedridden.error());
    o.bedridden_independence = *bedridden;
    auto remarks = optional_text(r, "remarks", base);
    if (!remarks) return std::unexpected(remarks.error());
    o.remarks = *remarks;
    ojson content;
    content["diagnoses"] = o.diagnoses;
    content["specified_disease"] = o.specified_disease ? ojson(*o.specified_disease) : ojson(nullptr);
    content["dementia_independence"] = o.dementia_independence;
    content["bedridden_independence"] = o.bedridden_independence;
    content["remarks"] = o.remarks;
    o.content_json = content.dump();
    out.push_back(std::move(o));
  }
  return out;
}

Result<SessionDecisions> parse_decisions(std::string_view json_text) {
  auto doc = open(json_text, kDecisionsFormat);
  if (!doc) return std::unexpected(doc.error());
  SessionDecisions out;
  auto session_no = text(*doc, "session_no", "");
  if (!session_no) return std::unexpected(session_no.error());
  out.session_no = *session_no;
  auto held_on = date(*doc, "held_on", "");
  if (!held_on) return std::unexpected(held_on.error());
  out.held_on = *held_on;
  auto attended = array(*doc, "attended", "", false);
  if (!attended) return std::unexpected(attended.error());
  std::set<std::string> seen_members;
  for (std::size_t i = 0; i < (*attended)->size(); ++i) {
    const json& m = (**attended)[i];
    if (!m.is_string() || m.get<std::string>().empty()) return bad(element("attended", i), "must be a member code");
    if (!seen_members.insert(m.get<std::string>()).second) return bad(element("attended", i), "appears twice");
    out.attended.push_back(m.get<std::string>());
  }
  auto decisions = array(*doc, "decisions", "", true);
  if (!decisions) return std::unexpected(decisions.error());
  std::set<std::string> seen_cases;
  for (std::size_t i = 0; i < (*decisions)->size(); ++i) {
    const std::string base = element("decisions", i);
    const json& d = (**decisions)[i];
    if (!d.is_object()) return bad(base, "must be an object");
    CaseDecision c;
    auto application_no = text(d, "application_no", base);
    if (!application_no) return std::unexpected(application_no.error());
    if (!seen_cases.insert(*application_no).second) return bad(at(base, "application_no"), "appears twice in the document");
    c.application_no = *application_no;
    auto outcome = text(d, "outcome", base);
    if (!outcome) return std::unexpected(outcome.error());
    if (*outcome != "decided" && *outcome != "deferred") return bad(at(base, "outcome"), "must be decided or deferred");
    c.deferred = *outcome == "deferred";
    auto level = d.find("care_level");
    auto months = d.find("validity_months");
    const bool has_level = level != d.end() && !level->is_null();
    const bool has_months = months != d.end() && !months->is_null();
    if (c.deferred) {
      if (has_level) return bad(at(base, "care_level"), "must be null for a deferred case");
      if (has_months) return bad(at(base, "validity_months"), "must be null for a deferred case");
    } else {
      if (!has_level) return bad(at(base, "care_level"), "is required for a decided case");
      if (!level->is_string()) return bad(at(base, "care_level"), "must be a care level code");
      auto l = care_level_from_code(level->get<std::string>());
      if (!l) return bad(at(base, "care_level"), "is not a care level code (none, support_1, support_2, care_1 … care_5)");
      c.level = *l;
      if (is_certified(*l)) {
        if (!has_months) return bad(at(base, "validity_months"), "is required for a certified level");
        if (!months->is_number_integer() || months->get<std::int64_t>() < 1 || months->get<std::int64_t>() > 120)
          return bad(at(base, "validity_months"), "must be a whole number of months");
        c.validity_months = months->get<int>();
      } else if (has_months) {
        return bad(at(base, "validity_months"), "must be null for 非該当 (none)");
      }
    }
    auto remarks = optional_text(d, "remarks", base);
    if (!remarks) return std::unexpected(remarks.error());
    c.remarks = *remarks;
    auto reason = optional_text(d, "change_reason", base);
    if (!reason) return std::unexpected(reason.error());
    c.change_reason = *reason;
    out.decisions.push_back(std::move(c));
  }
  return out;
}

std::string assessment_request_document(const AssessmentRequestDoc& d) {
  ojson o;
  o["format"] = std::string(kAssessmentRequestFormat);
  o["request_no"] = d.request_no;
  o["application_no"] = d.application_no;
  o["assessor_kind"] = d.assessor_kind;
  o["contractor_code"] = d.contractor_code ? ojson(*d.contractor_code) : ojson(nullptr);
  o["assessor_name"] = d.assessor_name;
  o["place"] = d.place;
  o["kind"] = d.kind;
  o["requested_on"] = d.requested_on.iso();
  o["due_on"] = d.due_on.iso();
  o["person"] = person_json(d.person);
  return o.dump();
}

std::string opinion_request_document(const OpinionRequestDoc& d) {
  ojson o;
  o["format"] = std::string(kOpinionRequestFormat);
  o["request_no"] = d.request_no;
  o["application_no"] = d.application_no;
  o["institution_code"] = d.institution_code;
  o["doctor_name"] = d.doctor_name;
  o["first_visit"] = d.first_visit;
  o["requested_on"] = d.requested_on.iso();
  o["due_on"] = d.due_on.iso();
  o["person"] = person_json(d.person);
  return o.dump();
}

std::string session_request_document(const SessionRequestDoc& d) {
  ojson o;
  o["format"] = std::string(kSessionRequestFormat);
  o["session_no"] = d.session_no;
  o["panel"] = d.panel;
  o["held_on"] = d.held_on.iso();
  ojson members = ojson::array();
  for (const auto& m : d.members) {
    ojson x;
    x["member_code"] = m.member_code;
    x["name"] = m.name;
    x["profession"] = m.profession;
    x["role"] = m.role;
    members.push_back(std::move(x));
  }
  o["members"] = std::move(members);
  ojson cases = ojson::array();
  for (const auto& c : d.cases) {
    ojson x;
    x["application_no"] = c.application_no;
    x["kind"] = std::string(to_code(c.kind));
    x["first_stage_level"] = std::string(to_code(c.first_stage_level));
    x["standard_minutes"] = minutes_text(c.standard_tenths);
    x["previous_level"] = c.previous_level ? ojson(std::string(to_code(*c.previous_level))) : ojson(nullptr);
    x["validity_default_months"] = c.validity.default_months;
    x["validity_min_months"] = c.validity.min_months;
    x["validity_max_months"] = c.validity.max_months;
    x["validity_same_level"] = c.same_level ? range_json(*c.same_level) : ojson(nullptr);
    x["validity_other_level"] = c.other_level ? range_json(*c.other_level) : ojson(nullptr);
    cases.push_back(std::move(x));
  }
  o["cases"] = std::move(cases);
  return o.dump();
}

}  // namespace kaigo::certification::shinsa

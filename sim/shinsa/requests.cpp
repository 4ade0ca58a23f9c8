// Reading kaigo's requests to shinsa, chosa and iryokikan (see requests.hpp).
#include "sim/shinsa/requests.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kaigo::sim::shinsa {

namespace {

using json = nlohmann::json;

// A small reader that names the JSON path of the first fault.
class Reader {
 public:
  explicit Reader(std::string format) : format_(std::move(format)) {}

  Result<json> open(const std::string& text) const {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return fail(ErrorKind::invalid_input, fmt::format("not a JSON object (expected {})", format_), "$");
    if (!j.contains("format") || !j["format"].is_string() || j["format"].get<std::string>() != format_)
      return fail(ErrorKind::invalid_input, fmt::format("format must be {}", format_), "format");
    return j;
  }

  static Result<std::string> text(const json& o, const std::string& key, const std::string& path, bool required = true) {
    if (!o.contains(key) || o[key].is_null()) {
      if (!required) return std::string();
      return fail(ErrorKind::invalid_input, fmt::format("{} is required", path), path);
    }
    if (!o[key].is_string()) return fail(ErrorKind::invalid_input, fmt::format("{} must be a string", path), path);
    std::string s = o[key].get<std::string>();
    if (required && s.empty()) return fail(ErrorKind::invalid_input, fmt::format("{} must not be empty", path), path);
    return s;
  }

  static Result<std::optional<std::string>> optional_text(const json& o, const std::string& key, const std::string& path) {
    if (!o.contains(key) || o[key].is_null()) return std::optional<std::string>{};
    if (!o[key].is_string()) return fail(ErrorKind::invalid_input, fmt::format("{} must be a string or null", path), path);
    return std::optional<std::string>{o[key].get<std::string>()};
  }

  static Result<Date> date(const json& o, const std::string& key, const std::string& path) {
    auto s = text(o, key, path);
    if (!s) return std::unexpected(s.error());
    auto d = Date::parse(*s);
    if (!d) return fail(ErrorKind::invalid_input, fmt::format("{} must be a date YYYY-MM-DD", path), path);
    return *d;
  }

  static Result<int> integer(const json& o, const std::string& key, const std::string& path) {
    if (!o.contains(key) || !o[key].is_number_integer())
      return fail(ErrorKind::invalid_input, fmt::format("{} must be an integer", path), path);
    return o[key].get<int>();
  }

  static Result<std::optional<MonthsRange>> range(const json& o, const std::string& key, const std::string& path) {
    if (!o.contains(key) || o[key].is_null()) return std::optional<MonthsRange>{};
    if (!o[key].is_object()) return fail(ErrorKind::invalid_input, fmt::format("{} must be an object or null", path), path);
    MonthsRange r;
    auto d = integer(o[key], "default_months", path + ".default_months");
    if (!d) return std::unexpected(d.error());
    auto lo = integer(o[key], "min_months", path + ".min_months");
    if (!lo) return std::unexpected(lo.error());
    auto hi = integer(o[key], "max_months", path + ".max_months");
    if (!hi) return std::unexpected(hi.error());
    r = MonthsRange{*d, *lo, *hi};
    if (r.min_months < 1 || r.min_months > r.default_months || r.default_months > r.max_months)
      return fail(ErrorKind::invalid_input, fmt::format("{}: months must satisfy 1 ≤ min ≤ default ≤ max", path),
                  path + ".default_months");
    return std::optional<MonthsRange>{r};
  }

  static Result<PersonPart> person(const json& o, const std::string& path) {
    if (!o.contains("person") || !o["person"].is_object())
      return fail(ErrorKind::invalid_input, fmt::format("{} must be an object", path), path);
    const json& p = o["person"];
    PersonPart out;
    auto name = text(p, "name", path + ".name", false);
    if (!name) return std::unexpected(name.error());
    out.name = *name;
    auto birth = text(p, "birth_date", path + ".birth_date", false);
    if (!birth) return std::unexpected(birth.error());
    if (auto d = Date::parse(*birth)) out.birth_date = *d;
    auto sex = text(p, "sex", path + ".sex", false);
    if (!sex) return std::unexpected(sex.error());
    out.sex = *sex;
    return out;
  }

 private:
  std::string format_;
};

#define TRY_SET(target, expr)                          \
  do {                                                 \
    auto tried_ = (expr);                              \
    if (!tried_) return std::unexpected(tried_.error()); \
    target = std::move(*tried_);                       \
  } while (0)

}  // namespace

Result<ApplicationDoc> parse_application(const std::string& json_text) {
  const Reader r("kaigo.shinsa.application/1");
  auto j = r.open(json_text);
  if (!j) return std::unexpected(j.error());
  ApplicationDoc d;
  TRY_SET(d.application_no, Reader::text(*j, "application_no", "application_no"));
  TRY_SET(d.insured_no, Reader::text(*j, "insured_no", "insured_no"));
  TRY_SET(d.kind, Reader::text(*j, "kind", "kind"));
  TRY_SET(d.category, Reader::text(*j, "category", "category"));
  TRY_SET(d.applied_on, Reader::date(*j, "applied_on", "applied_on"));
  TRY_SET(d.place, Reader::text(*j, "place", "place"));
  TRY_SET(d.specified_disease, Reader::optional_text(*j, "specified_disease", "specified_disease"));
  TRY_SET(d.person, Reader::person(*j, "person"));
  if (j->contains("previous") && !(*j)["previous"].is_null()) {
    if (!(*j)["previous"].is_object())
      return fail(ErrorKind::invalid_input, "previous must be an object or null", "previous");
    TRY_SET(d.previous_level, Reader::optional_text((*j)["previous"], "care_level", "previous.care_level"));
  }
  if (j->contains("withdrawn_on") && !(*j)["withdrawn_on"].is_null()) {
    Date w;
    TRY_SET(w, Reader::date(*j, "withdrawn_on", "withdrawn_on"));
    d.withdrawn_on = w;
  }
  return d;
}

Result<AssessmentRequestDoc> parse_assessment_request(const std::string& json_text) {
  const Reader r("kaigo.chosa.request/1");
  auto j = r.open(json_text);
  if (!j) return std::unexpected(j.error());
  AssessmentRequestDoc d;
  TRY_SET(d.request_no, Reader::text(*j, "request_no", "request_no"));
  TRY_SET(d.application_no, Reader::text(*j, "application_no", "application_no"));
  TRY_SET(d.contractor_code, Reader::text(*j, "contractor_code", "contractor_code", false));
  TRY_SET(d.assessor_name, Reader::text(*j, "assessor_name", "assessor_name", false));
  TRY_SET(d.place, Reader::text(*j, "place", "place", false));
  TRY_SET(d.kind, Reader::text(*j, "kind", "kind", false));
  TRY_SET(d.requested_on, Reader::date(*j, "requested_on", "requested_on"));
  TRY_SET(d.person, Reader::person(*j, "person"));
  return d;
}

Result<OpinionRequestDoc> parse_opinion_request(const std::string& json_text) {
  const Reader r("kaigo.iryokikan.opinion_request/1");
  auto j = r.open(json_text);
  if (!j) return std::unexpected(j.error());
  OpinionRequestDoc d;
  TRY_SET(d.request_no, Reader::text(*j, "request_no", "request_no"));
  TRY_SET(d.application_no, Reader::text(*j, "application_no", "application_no"));
  TRY_SET(d.institution_code, Reader::text(*j, "institution_code", "institution_code"));
  TRY_SET(d.doctor_name, Reader::text(*j, "doctor_name", "doctor_name", false));
  if (j->contains("first_visit")) {
    if (!(*j)["first_visit"].is_boolean())
      return fail(ErrorKind::invalid_input, "first_visit must be true or false", "first_visit");
    d.first_visit = (*j)["first_visit"].get<bool>();
  }
  TRY_SET(d.requested_on, Reader::date(*j, "requested_on", "requested_on"));
  TRY_SET(d.person, Reader::person(*j, "person"));
  return d;
}

Result<SessionRequestDoc> parse_session_request(const std::string& json_text) {
  const Reader r("kaigo.shinsa.session_request/1");
  auto j = r.open(json_text);
  if (!j) return std::unexpected(j.error());
  SessionRequestDoc d;
  TRY_SET(d.session_no, Reader::text(*j, "session_no", "session_no"));
  TRY_SET(d.panel, Reader::text(*j, "panel", "panel", false));
  TRY_SET(d.held_on, Reader::date(*j, "held_on", "held_on"));
  if (!j->contains("members") || !(*j)["members"].is_array() || (*j)["members"].empty())
    return fail(ErrorKind::invalid_input, "members must be a non-empty array", "members");
  for (std::size_t i = 0; i < (*j)["members"].size(); ++i) {
    const json& m = (*j)["members"][i];
    const std::string path = fmt::format("members[{}]", i);
    if (!m.is_object()) return fail(ErrorKind::invalid_input, fmt::format("{} must be an object", path), path);
    SessionMember member;
    TRY_SET(member.member_code, Reader::text(m, "member_code", path + ".member_code"));
    TRY_SET(member.role, Reader::text(m, "role", path + ".role"));
    if (member.role != "chair" && member.role != "member")
      return fail(ErrorKind::invalid_input, fmt::format("{}.role must be chair or member", path), path + ".role");
    d.members.push_back(std::move(member));
  }
  if (!j->contains("cases") || !(*j)["cases"].is_array())
    return fail(ErrorKind::invalid_input, "cases must be an array", "cases");
  for (std::size_t i = 0; i < (*j)["cases"].size(); ++i) {
    const json& c = (*j)["cases"][i];
    const std::string path = fmt::format("cases[{}]", i);
    if (!c.is_object()) return fail(ErrorKind::invalid_input, fmt::format("{} must be an object", path), path);
    SessionCase sc;
    TRY_SET(sc.application_no, Reader::text(c, "application_no", path + ".application_no"));
    TRY_SET(sc.kind, Reader::text(c, "kind", path + ".kind", false));
    TRY_SET(sc.first_stage_level, Reader::text(c, "first_stage_level", path + ".first_stage_level"));
    TRY_SET(sc.previous_level, Reader::optional_text(c, "previous_level", path + ".previous_level"));
    TRY_SET(sc.validity_default_months, Reader::integer(c, "validity_default_months", path + ".validity_default_months"));
    TRY_SET(sc.validity_min_months, Reader::integer(c, "validity_min_months", path + ".validity_min_months"));
    TRY_SET(sc.validity_max_months, Reader::integer(c, "validity_max_months", path + ".validity_max_months"));
    if (sc.validity_min_months < 1 || sc.validity_min_months > sc.validity_default_months ||
        sc.validity_default_months > sc.validity_max_months)
      return fail(ErrorKind::invalid_input,
                  fmt::format("{}: validity months must satisfy 1 ≤ min ≤ default ≤ max", path),
                  path + ".validity_default_months");
    TRY_SET(sc.same_level, Reader::range(c, "validity_same_level", path + ".validity_same_level"));
    TRY_SET(sc.other_level, Reader::range(c, "validity_other_level", path + ".validity_other_level"));
    d.cases.push_back(std::move(sc));
  }
  return d;
}

}  // namespace kaigo::sim::shinsa

// The application's row SQL and mapping, its NT-01 document, and the two category-2 check kinds:
// shared by intake, checks, list and report.
#include <fmt/format.h>

#include "certification/application_internal.hpp"
#include "people/person_store.hpp"

namespace kaigo::certification::detail {

const char* const kRowColumns =
    "a.application_id, a.application_no, a.person_id, p.name_kanji, p.name_kana, a.insured_no, a.kind, a.category, "
    "a.applied_on, a.deadline_on, a.warn_on, a.status, pp.until, a.assessment_requested_on, a.assessment_received_on, "
    "a.opinion_requested_on, a.opinion_received_on, a.ready_on, a.scheduled_on, a.decided_on, a.notified_on, "
    "a.withdrawn_on, a.insurance_check, a.arrears_check";

const char* const kRowFrom =
    " FROM certification_application a JOIN person p ON p.person_id = a.person_id"
    " LEFT JOIN (SELECT application_id, MAX(expected_on) AS until FROM certification_postponement GROUP BY application_id) pp"
    " ON pp.application_id = a.application_id";

std::optional<Date> opt_date(const store::Row& r, std::size_t i) {
  if (r.is_null(i)) return std::nullopt;
  auto d = Date::parse(r.str(i));
  if (!d) return std::nullopt;
  return *d;
}

namespace {

Date date_or(const store::Row& r, std::size_t i, Date fallback) { return opt_date(r, i).value_or(fallback); }

bool finished_status(std::string_view s) { return s == "decided" || s == "notified" || s == "withdrawn"; }

}  // namespace

ApplicationRow row_from(const store::Row& r, const CertificationRules& rules, Date today) {
  ApplicationRow a;
  a.application_id = r.i64(0);
  a.application_no = r.str(1);
  a.person_id = r.str(2);
  a.name = r.str(3);
  a.name_kana = r.str(4);
  a.insured_no = r.str(5);
  a.kind = r.str(6);
  a.category = r.str(7);
  a.applied_on = date_or(r, 8, today);
  a.deadline_on = date_or(r, 9, a.applied_on);
  if (auto w = opt_date(r, 10)) {
    a.warn_on = *w;
  } else if (auto v = rules.on(a.applied_on)) {
    a.warn_on = warn_from(**v, a.applied_on);  // written without one (before migration 015's column)
  } else {
    a.warn_on = a.deadline_on;
  }
  a.status = r.str(11);
  a.postponed_until = opt_date(r, 12);
  a.dates.applied_on = a.applied_on;
  a.dates.assessment_requested_on = opt_date(r, 13);
  a.dates.assessment_received_on = opt_date(r, 14);
  a.dates.opinion_requested_on = opt_date(r, 15);
  a.dates.opinion_received_on = opt_date(r, 16);
  a.dates.ready_on = opt_date(r, 17);
  a.dates.scheduled_on = opt_date(r, 18);
  a.dates.decided_on = opt_date(r, 19);
  a.dates.notified_on = opt_date(r, 20);
  a.withdrawn_on = opt_date(r, 21);
  a.insurance_check = r.str(22);
  a.arrears_check = r.str(23);
  ClockInput in{a.applied_on, a.deadline_on, a.warn_on, std::nullopt, a.postponed_until};
  if (finished_status(a.status)) in.finished_on = a.dates.decided_on ? a.dates.decided_on : a.withdrawn_on ? a.withdrawn_on : today;
  a.clock = clock_of(in, today);
  return a;
}

Result<std::pair<std::string, std::string>> lock_application(store::Connection& c, std::int64_t application_id) {
  auto row = c.query_one(fmt::format("SELECT status, person_id FROM certification_application WHERE application_id = $1{}",
                                     c.for_update()),
                         {application_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, fmt::format("no application {}", application_id), "application_id");
  return std::pair{(*row)->str(0), (*row)->str(1)};
}

Result<nlohmann::json> shinsa_application_document(store::Connection& c, std::int64_t application_id) {
  using nlohmann::json;
  auto row = c.query_one(
      "SELECT application_no, insured_no, kind, category, applied_on, deadline_on, place, specified_disease, person_id, "
      "previous_certification_id, certificate_id, status, withdrawn_on, withdraw_reason FROM certification_application "
      "WHERE application_id = $1",
      {application_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, fmt::format("no application {}", application_id), "application_id");
  const store::Row& a = **row;
  auto person = people::find_person(c, a.str(8));
  if (!person) return std::unexpected(person.error());
  if (!*person) return fail(ErrorKind::internal, "the application's person is missing");
  json previous = nullptr;
  if (!a.is_null(9)) {
    auto prev = c.query_one("SELECT care_level, valid_from, valid_to FROM care_certification WHERE certification_id = $1",
                            {a.i64(9)});
    if (!prev) return std::unexpected(prev.error());
    if (*prev) previous = {{"care_level", (*prev)->str(0)}, {"valid_from", (*prev)->str(1)}, {"valid_to", (*prev)->str(2)}};
  } else if (!a.is_null(10)) {
    // A transfer: the former city's certification as the 受給資格証明書 carries it.
    auto cert = c.query_one(
        "SELECT care_level, certified_from, certified_to, insurer_no FROM certificate_of_entitlement WHERE certificate_id = $1",
        {a.i64(10)});
    if (!cert) return std::unexpected(cert.error());
    if (*cert)
      previous = {{"care_level", (*cert)->str(0)},
                  {"valid_from", (*cert)->str(1)},
                  {"valid_to", (*cert)->str(2)},
                  {"insurer_no", (*cert)->str(3)}};
  }
  json doc = {{"format", "kaigo.shinsa.application/1"},
              {"application_no", a.str(0)},
              {"insured_no", a.str(1)},
              {"kind", a.str(2)},
              {"category", a.str(3)},
              {"applied_on", a.str(4)},
              {"deadline_on", a.str(5)},
              {"place", a.str(6)},
              {"specified_disease", a.is_null(7) ? json(nullptr) : json(a.str(7))},
              {"person",
               {{"name", (*person)->name_kanji},
                {"name_kana", (*person)->name_kana},
                {"birth_date", (*person)->birth_date},
                {"sex", (*person)->sex},
                {"address", (*person)->address}}},
              {"previous", previous}};
  if (a.str(11) == "withdrawn") {
    doc["withdrawn_on"] = a.str(12);
    doc["withdraw_reason"] = a.str(13);
  }
  return doc;
}

const CheckKind& insurance_check() {
  static const CheckKind k{"insurance", "iryo_insurance", "NT-02", "NT-03", "医療保険資格", "insurance_check",
                           "insurance_inquiry_id"};
  return k;
}

const CheckKind& arrears_check() {
  static const CheckKind k{"arrears", "iryo_arrears", "NT-04", "NT-05", "医療保険料等の滞納", "arrears_check",
                           "arrears_inquiry_id"};
  return k;
}

const CheckKind* check_kind(std::string_view kind) {
  if (kind == insurance_check().check_kind) return &insurance_check();
  if (kind == arrears_check().check_kind) return &arrears_check();
  return nullptr;
}

std::string check_purpose(std::string_view application_no, const CheckKind& k) {
  return fmt::format("要介護認定 申請 {} 第2号被保険者 {}の確認 ({})", application_no, k.label, k.request_flow);
}

std::string prefix_end(std::string prefix) {
  while (!prefix.empty()) {
    const auto last = static_cast<unsigned char>(prefix.back());
    if (last < 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return "\xff";
}

}  // namespace kaigo::certification::detail

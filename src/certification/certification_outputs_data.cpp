// The data of each certification document, built from the stored rows (certification_outputs_internal.hpp).
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "certification/certification_outputs_internal.hpp"
#include "core/hash.hpp"
#include "eligibility/card_batch.hpp"
#include "linkage/exchange_store.hpp"
#include "notice/pdf_writer.hpp"

namespace kaigo::certification::detail {

namespace {

using nlohmann::json;

Result<Date> date_of(const std::string& text, const char* what) {
  auto d = Date::parse(text);
  if (!d) return fail(ErrorKind::internal, fmt::format("a stored {} is not a date", what));
  return *d;
}

std::string digits_only(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

// 介護保険法27条9項: a person found neither in need of care nor of support is told so with the reason.
constexpr const char* kNotCertifiedReason =
    "介護認定審査会の審査及び判定の結果、要介護状態及び要支援状態のいずれにも該当しないと認められたため。";

}  // namespace

const char* const kDocumentColumns =
    "document_id, person_id, application_id, certification_id, kind, issued_on, issued_by, exchange_id, batch_run_id, once_key";

Result<CertificationDocument> document_from(const store::Row& r) {
  CertificationDocument d;
  d.document_id = r.i64(0);
  d.person_id = r.str(1);
  d.application_id = r.opt_i64(2);
  d.certification_id = r.opt_i64(3);
  d.kind = r.str(4);
  auto on = date_of(r.str(5), "document day");
  if (!on) return std::unexpected(on.error());
  d.issued_on = *on;
  d.issued_by = r.str(6);
  d.exchange_id = r.opt_i64(7);
  d.batch_run_id = r.opt_i64(8);
  d.once_key = r.opt_str(9);
  return d;
}

notice::Addressee PersonRecord::addressee() const { return notice::Addressee{postal_code, address, name, name_kana}; }

Result<PersonRecord> person_record(store::Connection& c, const std::string& person_id) {
  auto row = c.query_one(
      "SELECT p.name_kanji, p.name_kana, p.postal_code, p.address, p.birth_date, p.sex, n.insured_no FROM person p "
      "LEFT JOIN insured_number n ON n.person_id = p.person_id WHERE p.person_id = $1",
      {person_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, fmt::format("no person {}", person_id), "person_id");
  const store::Row& r = **row;
  auto birth = date_of(r.str(4), "birth date");
  if (!birth) return std::unexpected(birth.error());
  PersonRecord p;
  p.person_id = person_id;
  p.name = r.str(0);
  p.name_kana = r.str(1);
  p.postal_code = digits_only(r.str(2));
  p.address = r.str(3);
  p.birth_date = *birth;
  p.sex = r.str(5) == "1" ? notice::Sex::male : notice::Sex::female;
  p.insured_no = r.str(6);
  return p;
}

std::string document_no(const OutputContext& out, const std::string& n) {
  return fmt::format("{}介認第{}号", out.city.insurer_name, n);
}

Result<ResultNotice> result_notice_of(store::Connection& c, const OutputContext& out, std::int64_t application_id,
                                      Date issued_on) {
  auto row = c.query_one(
      "SELECT a.application_no, a.kind, a.applied_on, a.insured_no, a.person_id, a.status, d.care_level, d.remarks, "
      "cc.certification_id, cc.valid_from, cc.valid_to, cc.certified_on, cc.monthly_cap_units, d.decision_id "
      "FROM certification_application a LEFT JOIN certification_decision d ON d.application_id = a.application_id "
      "LEFT JOIN care_certification cc ON cc.application_id = a.application_id WHERE a.application_id = $1",
      {application_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, fmt::format("no application {}", application_id), "application_id");
  const store::Row& r = **row;
  const std::string status = r.str(5);
  if (status == "withdrawn") return fail(ErrorKind::conflict, "the application is withdrawn: there is no result to notify", "application_id");
  if ((status != "decided" && status != "notified") || r.is_null(13))
    return fail(ErrorKind::conflict, fmt::format("the application is not decided yet (status {})", status), "application_id");
  auto level = care_level_from_code(r.str(6));
  if (!level) return fail(ErrorKind::internal, "a stored decision has an unknown care level");
  auto kind = application_kind_from_code(r.str(1));
  if (!kind) return fail(ErrorKind::internal, "a stored application has an unknown kind");
  auto applied = date_of(r.str(2), "application day");
  if (!applied) return std::unexpected(applied.error());
  auto person = person_record(c, r.str(4));
  if (!person) return std::unexpected(person.error());

  ResultNotice n;
  n.person_id = r.str(4);
  n.insured_no = r.str(3);
  auto& d = n.notice;
  d.issuer = out.config.issuer(out.city);
  d.document_no = document_no(out, r.str(0));
  d.issued_on = issued_on;
  d.addressee = person->addressee();
  d.insured_no = r.str(3);
  d.application_no = r.str(0);
  d.application_kind = std::string(label(*kind));
  d.applied_on = *applied;
  d.care_level = std::string(label(*level));
  d.committee_remarks = r.str(7);
  d.certified = is_certified(*level);
  if (!d.certified) {
    d.not_certified_reason = kNotCertifiedReason;
  } else {
    if (r.is_null(8)) return fail(ErrorKind::internal, fmt::format("application {} is decided with a level but has no certification", r.str(0)));
    auto from = date_of(r.str(9), "validity start");
    auto to = date_of(r.str(10), "validity end");
    auto certified = date_of(r.str(11), "certification day");
    if (!from || !to || !certified) return fail(ErrorKind::internal, "a stored certification has a date that is not a date");
    n.certification_id = r.i64(8);
    d.certified_on = *certified;
    d.validity = notice::DatePeriod{*from, *to};
    d.monthly_cap_units = r.i64(12);
    // The card with its certification panel (施行規則 様式第一号 の 2), when the person has one.
    auto card = eligibility::card_data_for(c, out.city, n.person_id, issued_on);
    if (!card && card.error().kind != ErrorKind::conflict) return std::unexpected(card.error());
    if (card && *card) {
      notice::InsuranceCardData k = std::move(**card);
      k.care_level = d.care_level;
      k.certified_on = *certified;
      k.validity_period = notice::DatePeriod{*from, *to};
      k.monthly_benefit_cap_units = r.i64(12);
      k.benefit_cap_period = notice::DatePeriod{*from, *to};
      k.committee_remarks = d.committee_remarks;
      if (auto ok = notice::validate(k); !ok)
        return fail(ErrorKind::invalid_input, fmt::format("application {}: the card: {}", r.str(0), ok.error().message),
                    ok.error().field);
      n.card = std::move(k);
    }
  }
  if (auto ok = notice::validate(d); !ok)
    return fail(ErrorKind::invalid_input, fmt::format("application {}: the notice: {}", r.str(0), ok.error().message),
                ok.error().field);
  return n;
}

Result<notice::Document> result_notice_pages(const ResultNotice& n) {
  auto doc = notice::certification_result_notice_document(n.notice);
  if (!doc) return std::unexpected(doc.error());
  if (n.card) {
    auto card = notice::insurance_card_document(*n.card);
    if (!card) return std::unexpected(card.error());
    for (auto& p : card->pages) doc->pages.push_back(std::move(p));
  }
  return doc;
}

std::string certificate_payload(const notice::EntitlementCertificateData& d, const std::string& person_id,
                                std::int64_t certification_id, const std::string& care_level_code) {
  const auto& p = d.person;
  json j = {{"format", "kaigo.iryo.entitlement_certificate/1"},
            {"document_no", d.document_no},
            {"issued_on", d.issued_on.iso()},
            {"insurer_no", d.issuer.insurer_no},
            {"insurer_name", d.issuer.insurer_name},
            {"person_id", person_id},
            {"person",
             {{"insured_no", p.insured_no},
              {"name", p.name},
              {"name_kana", p.name_kana},
              {"birth_date", p.birth_date.iso()},
              {"sex", p.sex == notice::Sex::male ? "1" : "2"},
              {"address", p.address}}},
            {"new_address", d.new_address},
            {"moved_out_on", d.moved_out_on.iso()},
            {"certification_id", certification_id},
            {"care_level", care_level_code},
            {"care_level_label", d.care_level},
            {"certified_on", d.certified_on.iso()},
            {"valid_from", d.validity.from.iso()},
            {"valid_to", d.validity.to.iso()},
            {"committee_remarks", d.committee_remarks},
            {"transfer_certificate_days", d.transfer_certificate_days}};
  return j.dump();
}

Result<notice::EntitlementCertificateData> certificate_from_payload(const std::string& payload, const OutputContext& out) {
  const json j = json::parse(payload, nullptr, false);
  auto bad = [](const char* field) {
    return fail(ErrorKind::internal, fmt::format("a stored NT-06 certificate lacks {}", field), field);
  };
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != "kaigo.iryo.entitlement_certificate/1")
    return bad("format");
  auto text = [&](const json& o, const char* k) { return o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : ""; };
  auto day = [&](const json& o, const char* k) { return Date::parse(text(o, k)); };
  if (!j.contains("person") || !j["person"].is_object()) return bad("person");
  const json& p = j["person"];
  notice::EntitlementCertificateData d;
  d.issuer = out.config.issuer(out.city);
  d.document_no = text(j, "document_no");
  auto issued = day(j, "issued_on");
  auto birth = day(p, "birth_date");
  auto moved = day(j, "moved_out_on");
  auto certified = day(j, "certified_on");
  auto from = day(j, "valid_from");
  auto to = day(j, "valid_to");
  if (!issued) return bad("issued_on");
  if (!birth) return bad("person.birth_date");
  if (!moved) return bad("moved_out_on");
  if (!certified) return bad("certified_on");
  if (!from || !to) return bad("valid_from");
  d.issued_on = *issued;
  d.person = notice::CertificationPerson{text(p, "insured_no"), text(p, "name"), text(p, "name_kana"), *birth,
                                         text(p, "sex") == "1" ? notice::Sex::male : notice::Sex::female,
                                         text(p, "address"), ""};
  d.new_address = text(j, "new_address");
  d.moved_out_on = *moved;
  d.care_level = text(j, "care_level_label");
  d.certified_on = *certified;
  d.validity = notice::DatePeriod{*from, *to};
  d.committee_remarks = text(j, "committee_remarks");
  d.transfer_certificate_days = j.value("transfer_certificate_days", 0);
  return d;
}

Result<notice::RenewalReminderData> renewal_reminder_of(store::Connection& c, const OutputContext& out,
                                                        std::int64_t certification_id, std::int64_t document_id,
                                                        Date issued_on) {
  auto row = c.query_one(
      "SELECT cc.person_id, cc.care_level, cc.valid_from, cc.valid_to, a.insured_no FROM care_certification cc "
      "JOIN certification_application a ON a.application_id = cc.application_id WHERE cc.certification_id = $1",
      {certification_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, fmt::format("no certification {}", certification_id), "certification_id");
  const store::Row& r = **row;
  auto level = care_level_from_code(r.str(1));
  if (!level) return fail(ErrorKind::internal, "a stored certification has an unknown care level");
  auto from = date_of(r.str(2), "validity start");
  auto to = date_of(r.str(3), "validity end");
  if (!from || !to) return fail(ErrorKind::internal, "a stored certification has a date that is not a date");
  auto person = person_record(c, r.str(0));
  if (!person) return std::unexpected(person.error());
  auto rules = out.rules.on(issued_on);
  if (!rules) return std::unexpected(rules.error());
  notice::RenewalReminderData d;
  d.issuer = out.config.issuer(out.city);
  d.document_no = document_no(out, fmt::format("更-{:06}", document_id));
  d.issued_on = issued_on;
  d.addressee = person->addressee();
  d.insured_no = person->insured_no.empty() ? r.str(4) : person->insured_no;
  d.care_level = std::string(label(*level));
  d.validity = notice::DatePeriod{*from, *to};
  d.window_opens = renewal_opens(**rules, *to);
  d.renewal_window_days = (*rules)->renewal_window_days;
  d.where_to_apply = out.config.where_to_apply;
  if (auto ok = notice::validate(d); !ok)
    return fail(ErrorKind::invalid_input, fmt::format("certification {}: the reminder: {}", certification_id, ok.error().message),
                ok.error().field);
  return d;
}

namespace {

// 延期通知書 (the application's postponement; once_key "postponement_notice:<postponement_id>").
Result<notice::Document> postponement_pages(store::Connection& c, const OutputContext& out, const CertificationDocument& doc) {
  const std::string prefix = "postponement_notice:";
  if (!doc.once_key || !doc.once_key->starts_with(prefix))
    return fail(ErrorKind::not_found, "this 延期通知書 names no postponement", "document_id");
  const std::string id = doc.once_key->substr(prefix.size());
  std::int64_t postponement_id = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), postponement_id);
  if (ec != std::errc() || end != id.data() + id.size())
    return fail(ErrorKind::internal, "a 延期通知書 whose once_key names no postponement id", "document_id");
  auto row = c.query_one(
      "SELECT p.reason, p.expected_on, p.issued_on, a.application_no, a.kind, a.applied_on, a.insured_no, a.person_id "
      "FROM certification_postponement p JOIN certification_application a ON a.application_id = p.application_id "
      "WHERE p.postponement_id = $1",
      {postponement_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, "the postponement of this notice is missing", "document_id");
  const store::Row& r = **row;
  auto kind = application_kind_from_code(r.str(4));
  auto expected = date_of(r.str(1), "expected day");
  auto issued = date_of(r.str(2), "postponement day");
  auto applied = date_of(r.str(5), "application day");
  if (!kind || !expected || !issued || !applied) return fail(ErrorKind::internal, "a stored postponement is malformed");
  auto person = person_record(c, r.str(7));
  if (!person) return std::unexpected(person.error());
  notice::CertificationPostponementNoticeData d;
  d.issuer = out.config.issuer(out.city);
  d.document_no = document_no(out, fmt::format("延-{}", id));
  d.issued_on = *issued;
  d.addressee = person->addressee();
  d.insured_no = r.str(6);
  d.application_no = r.str(3);
  d.application_kind = std::string(label(*kind));
  d.applied_on = *applied;
  d.expected_on = *expected;
  d.reason = r.str(0);
  return notice::certification_postponement_notice_document(d);
}

}  // namespace

Result<notice::Document> document_pages(store::Connection& c, const OutputContext& out, const CertificationDocument& d) {
  if (d.kind == "result_notice") {
    if (!d.application_id) return fail(ErrorKind::internal, "a result notice without its application");
    auto n = result_notice_of(c, out, *d.application_id, d.issued_on);
    if (!n) return std::unexpected(n.error());
    return result_notice_pages(*n);
  }
  if (d.kind == "entitlement_certificate") {
    if (!d.exchange_id) return fail(ErrorKind::internal, "a 受給資格証明書 without its NT-06 exchange");
    auto payload = linkage::load_payload(c, *d.exchange_id);
    if (!payload) return std::unexpected(payload.error());
    if (!*payload) return fail(ErrorKind::internal, "the NT-06 exchange of a 受給資格証明書 is missing");
    auto data = certificate_from_payload(**payload, out);
    if (!data) return std::unexpected(data.error());
    return notice::entitlement_certificate_document(*data);
  }
  if (d.kind == "renewal_reminder") {
    if (!d.certification_id) return fail(ErrorKind::internal, "a renewal reminder without its certification");
    auto data = renewal_reminder_of(c, out, *d.certification_id, d.document_id, d.issued_on);
    if (!data) return std::unexpected(data.error());
    return notice::renewal_reminder_document(*data);
  }
  if (d.kind == "postponement_notice") return postponement_pages(c, out, d);
  return fail(ErrorKind::internal, fmt::format("a document of unknown kind '{}'", d.kind));
}

Result<std::string> pdf_bytes(const notice::Document& doc, const std::string& title, const std::string& subject) {
  const auto path = std::filesystem::temp_directory_path() / fmt::format("kaigo-certification-{}.pdf", to_hex(random_bytes(8)));
  auto writer = notice::PdfWriter::open(path, {title, subject});
  if (!writer) return std::unexpected(writer.error());
  auto added = writer->add(doc);
  auto finished = writer->finish();
  std::string bytes;
  if (added && finished) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    bytes = s.str();
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!added) return std::unexpected(added.error());
  if (!finished) return std::unexpected(finished.error());
  if (bytes.empty()) return fail(ErrorKind::internal, "the rendered document cannot be read back");
  return bytes;
}

Result<std::int64_t> running_print_run(store::Connection& c, const Clock& clock, const std::string& job,
                                       const std::string& actor, bool open_new) {
  auto open = c.query_one("SELECT batch_run_id FROM batch_run WHERE job = $1 AND status = 'running' ORDER BY batch_run_id LIMIT 1",
                          {job});
  if (!open) return std::unexpected(open.error());
  if (*open) return (*open)->i64(0);
  if (!open_new) return std::int64_t{0};
  const std::string today = clock.today().iso();
  auto count = c.query_one("SELECT COUNT(*) FROM batch_run WHERE job = $1 AND run_key LIKE $2", {job, today + "-%"});
  if (!count) return std::unexpected(count.error());
  auto row = c.query_one(
      "INSERT INTO batch_run (job, run_key, status, cursor, done_count, started_at, started_by) "
      "VALUES ($1, $2, 'running', '', 0, $3, $4) RETURNING batch_run_id",
      {job, fmt::format("{}-{}", today, (*count)->i64(0) + 1), clock.timestamp(), actor});
  if (!row) return std::unexpected(row.error());
  return (*row)->i64(0);
}

}  // namespace kaigo::certification::detail

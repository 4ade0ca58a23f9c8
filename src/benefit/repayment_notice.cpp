// 返還金 決定通知書 + 納付書 (KY-18): data, issue record, PDF. See repayment_notice.hpp.
#include "benefit/repayment_notice.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "benefit/repayment.hpp"
#include "core/hash.hpp"
#include "notice/pdf_writer.hpp"

namespace kaigo::benefit {

namespace {

using nlohmann::json;

Result<std::string> text_at(const json& j, const std::string& path, const char* key, bool required) {
  if (!j.contains(key)) {
    if (required) return fail(ErrorKind::invalid_input, fmt::format("config/benefit_payments.json: {} is missing", path), path);
    return std::string();
  }
  if (!j[key].is_string())
    return fail(ErrorKind::invalid_input, fmt::format("config/benefit_payments.json: {} must be text", path), path);
  return j[key].get<std::string>();
}

// The basis printed on the decision: a provider's fraud is 法22条3項 (with 加算金), any other
// wrongly paid benefit is returned as 不当利得 and charged by the city (地方自治法231条).
std::string legal_basis(const std::string& reason_kind) {
  if (reason_kind == "provider_fraud") return "介護保険法第22条第2項・第3項";
  return "民法第703条、地方自治法第231条";
}

}  // namespace

Result<PaymentsOffice> load_payments_office(const std::filesystem::path& config_dir, const people::CityProfile& city) {
  const auto file = config_dir / "benefit_payments.json";
  std::ifstream in(file);
  if (!in) return fail(ErrorKind::invalid_input, fmt::format("{} cannot be read", file.string()), "benefit_payments.json");
  json j;
  try {
    j = json::parse(in);
  } catch (const std::exception&) {
    return fail(ErrorKind::invalid_input, "config/benefit_payments.json is not JSON", "benefit_payments.json");
  }
  if (!j.is_object() || !j.contains("office") || !j["office"].is_object())
    return fail(ErrorKind::invalid_input, "config/benefit_payments.json: office is missing", "office");
  if (!j.contains("collection") || !j["collection"].is_object())
    return fail(ErrorKind::invalid_input, "config/benefit_payments.json: collection is missing", "collection");
  PaymentsOffice o;
  o.issuer.insurer_no = city.insurer_no;
  o.issuer.insurer_name = city.insurer_name;
  const json& of = j["office"];
  const json& co = j["collection"];
  struct Slot {
    const json* obj;
    std::string path;
    const char* key;
    std::string* out;
    bool required;
  };
  const Slot slots[] = {
      {&of, "office.department", "department", &o.issuer.department, true},
      {&of, "office.address", "address", &o.issuer.address, true},
      {&of, "office.phone", "phone", &o.issuer.phone, true},
      {&of, "office.review_board", "review_board", &o.issuer.review_board, false},
      {&co, "collection.payee", "payee", &o.collection.payee, true},
      {&co, "collection.bank_name", "bank_name", &o.collection.bank_name, true},
      {&co, "collection.branch_name", "branch_name", &o.collection.branch_name, true},
      {&co, "collection.kind", "kind", &o.collection.kind, true},
      {&co, "collection.account_no", "account_no", &o.collection.account_no, true},
      {&co, "collection.where_to_pay", "where_to_pay", &o.collection.where_to_pay, true},
  };
  for (const Slot& s : slots) {
    auto v = text_at(*s.obj, s.path, s.key, s.required);
    if (!v) return std::unexpected(v.error());
    *s.out = std::move(*v);
  }
  if (j.contains("payment_days")) {
    if (!j["payment_days"].is_number_integer() || j["payment_days"].get<int>() < 0)
      return fail(ErrorKind::invalid_input, "config/benefit_payments.json: payment_days must be a whole number ≥ 0",
                  "payment_days");
    o.payment_days = j["payment_days"].get<int>();
  }
  return o;
}

Result<notice::RepaymentNoticeData> repayment_notice_data(store::Connection& c, const BenefitConfig& config,
                                                          const PaymentsOffice& office, std::int64_t repayment_id,
                                                          Date issued_on) {
  auto r = load_repayment(c, repayment_id);
  if (!r) return std::unexpected(r.error());
  if (r->status == "cancelled") return fail(ErrorKind::conflict, "the repayment was cancelled", "status");
  notice::RepaymentNoticeData d;
  d.issuer = office.issuer;
  d.document_no = fmt::format("返還第{}号", r->repayment_id);
  d.issued_on = issued_on;
  if (r->debtor_kind == "insured") {
    auto p = c.query_one(
        "SELECT p.postal_code, p.address, p.name_kanji, p.name_kana, n.insured_no FROM person p "
        "LEFT JOIN insured_number n ON n.person_id = p.person_id WHERE p.person_id = $1",
        {r->person_id.value_or("")});
    if (!p) return std::unexpected(p.error());
    if (!*p) return fail(ErrorKind::not_found, "the repayment's person is not known", "person_id");
    d.addressee = notice::Addressee{(*p)->str(0), (*p)->str(1), (*p)->str(2), (*p)->str(3)};
    d.debtor_label = "被保険者番号";
    d.debtor_no = (*p)->str(4);
  } else {
    const CareOffice* o = config.office(r->office_no.value_or(""));
    d.addressee = notice::Addressee{"", o ? o->address : std::string(), r->debtor_name, ""};
    d.debtor_label = "事業所番号";
    d.debtor_no = r->office_no.value_or("");
  }
  auto reason = repayment_reason_from_code(r->reason_kind);
  d.reason_label = reason ? std::string(label(*reason)) : r->reason_kind;
  d.reason_detail = r->reason;
  d.legal_basis = legal_basis(r->reason_kind);
  d.principal = r->principal;
  d.surcharge = r->surcharge;
  auto decided = Date::parse(r->decided_on);
  if (!decided) return std::unexpected(decided.error());
  auto version = config.rules.on(*decided);
  if (version) {
    d.surcharge_numerator = (*version)->surcharge_numerator;
    d.surcharge_denominator = (*version)->surcharge_denominator;
  }
  d.total = r->total;
  auto due = Date::parse(r->due_on);
  if (!due) return std::unexpected(due.error());
  d.due_on = *due;
  d.slip_no = r->slip_no;
  d.fiscal_year_label = to_wareki_year(Date(decided->fiscal_year(), 4, 1)) + "度";
  d.collection = office.collection;
  return d;
}

Result<std::string> benefit_pdf_bytes(const notice::Document& doc, const std::string& title, const std::string& subject) {
  const auto path = std::filesystem::temp_directory_path() / fmt::format("kaigo-benefit-{}.pdf", to_hex(random_bytes(8)));
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

Result<std::string> repayment_notice_pdf(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                         const PaymentsOffice& office, std::int64_t repayment_id, const std::string& actor) {
  std::optional<notice::Document> doc;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto data = repayment_notice_data(c, config, office, repayment_id, clock.today());
    if (!data) return std::unexpected(data.error());
    auto rendered = notice::repayment_notice_document(*data);
    if (!rendered) return std::unexpected(rendered.error());
    doc = std::move(*rendered);
    auto person = c.query_one("SELECT person_id FROM repayment WHERE repayment_id = $1", {repayment_id});
    if (!person) return std::unexpected(person.error());
    // The first issue is the one mailed (once_key); any later print is a reprint.
    auto first = c.exec(
        "INSERT INTO benefit_document (person_id, kind, ref_id, issued_on, issued_by, once_key) "
        "VALUES ($1, 'repayment_notice', $2, $3, $4, $5) ON CONFLICT (once_key) DO NOTHING",
        {*person ? (*person)->at(0) : store::null(), repayment_id, clock.today().iso(), actor,
         fmt::format("repayment_notice:{}", repayment_id)});
    if (!first) return std::unexpected(first.error());
    if (*first == 0) {
      auto reprint = c.exec(
          "INSERT INTO benefit_document (person_id, kind, ref_id, issued_on, issued_by) "
          "VALUES ($1, 'repayment_notice', $2, $3, $4)",
          {*person ? (*person)->at(0) : store::null(), repayment_id, clock.today().iso(), actor});
      if (!reprint) return std::unexpected(reprint.error());
    }
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return benefit_pdf_bytes(*doc, "返還金決定通知書・納付書", "KY-18");
}

}  // namespace kaigo::benefit

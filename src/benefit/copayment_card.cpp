// 介護保険負担割合証: the yearly run's print file and the counter (copayment_card.hpp).
#include "benefit/copayment_card.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "benefit/benefit_print.hpp"
#include "core/hash.hpp"
#include "notice/pdf_writer.hpp"

namespace kaigo::benefit {

namespace {

constexpr const char* kCardColumns =
    "r.rate_id, r.person_id, r.rate, r.valid_from, r.valid_to, p.name_kanji, p.name_kana, p.birth_date, p.sex, "
    "p.postal_code, p.address, COALESCE(i.insured_no, '') "
    "FROM copayment_rate r JOIN person p ON p.person_id = r.person_id "
    "LEFT JOIN insured_number i ON i.person_id = r.person_id";

std::string digits_of(const std::string& s) {
  std::string out;
  for (char ch : s)
    if (ch >= '0' && ch <= '9') out += ch;
  return out;
}

Result<Date> date_of(const std::string& iso, std::string_view field) {
  auto d = Date::parse(iso);
  if (!d) return fail(ErrorKind::internal, fmt::format("a stored {} is not a date", field));
  return *d;
}

Result<notice::CopaymentCardData> data_of(const store::Row& r, const notice::BenefitIssuer& issuer, Date today) {
  notice::CopaymentCardData d;
  d.issuer = issuer;
  d.issued_on = today;
  const std::string postal = digits_of(r.str(9));
  d.addressee = notice::Addressee{postal.size() == 7 ? postal : std::string(), r.str(10), r.str(5), r.str(6)};
  d.insured_no = r.str(11);
  if (d.insured_no.empty())
    return fail(ErrorKind::conflict, "the person has no insured number: the card cannot be issued", "insured_no");
  d.name = r.str(5);
  d.name_kana = r.str(6);
  auto birth = date_of(r.str(7), "birth date");
  if (!birth) return std::unexpected(birth.error());
  d.birth_date = *birth;
  d.sex = r.str(8) == "1" ? notice::Sex::male : notice::Sex::female;
  d.address = r.str(10);
  d.rate = static_cast<int>(r.i64(2));
  auto from = date_of(r.str(3), "valid_from");
  if (!from) return std::unexpected(from.error());
  auto to = date_of(r.str(4), "valid_to");
  if (!to) return std::unexpected(to.error());
  d.validity = notice::DatePeriod{*from, *to};
  return d;
}

Result<std::string> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::internal, "the rendered card cannot be read back");
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

notice::PdfMetadata meta() { return {"介護保険負担割合証", "負担割合証"}; }

}  // namespace

Result<CopaymentCardsPrinted> print_copayment_cards(store::Database& db, const Clock& clock,
                                                    const notice::BenefitIssuer& issuer, std::int64_t batch_run_id,
                                                    const std::filesystem::path& dir) {
  // The run's rows still current (a later redetermination in the same period supersedes them: its
  // card is issued at the counter) and without a card.
  const std::string selected =
      "r.batch_run_id = $1 AND r.status = 'current' AND NOT EXISTS (SELECT 1 FROM benefit_document x WHERE "
      "x.once_key = 'copayment_card:' || CAST(r.rate_id AS TEXT))";
  const auto path = dir / fmt::format("copayment-cards-{}.pdf", batch_run_id);
  const Date today = clock.today();
  auto printed = print_rows(db, path, meta(),
                            fmt::format("SELECT {} WHERE {} ORDER BY p.postal_code, r.person_id", kCardColumns, selected),
                            {batch_run_id}, [&](const store::Row& r) -> Result<notice::Document> {
                              auto data = data_of(r, issuer, today);
                              if (!data) return std::unexpected(data.error());
                              return notice::copayment_card_document(*data);
                            });
  if (!printed) return std::unexpected(printed.error());
  const std::int64_t rendered = *printed;
  CopaymentCardsPrinted out;
  if (rendered == 0) return out;
  // Recorded once the file is complete: the same set, set-based, in one transaction with the run's
  // output path.
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto n = c.exec(fmt::format("INSERT INTO benefit_document (person_id, kind, ref_id, issued_on, issued_by, batch_run_id, "
                                "once_key) SELECT r.person_id, 'copayment_card', r.rate_id, CAST($2 AS TEXT), "
                                "'batch:copayment_rates', r.batch_run_id, 'copayment_card:' || CAST(r.rate_id AS TEXT) "
                                "FROM copayment_rate r WHERE {}",
                                selected),
                    {batch_run_id, today.iso()});
    if (!n) return std::unexpected(n.error());
    if (*n != rendered)
      return fail(ErrorKind::conflict, "the rates of the run changed while printing; ask for the run again to print them");
    auto u = c.exec("UPDATE batch_run SET output_path = $1 WHERE batch_run_id = $2", {path.string(), batch_run_id});
    if (!u) return std::unexpected(u.error());
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  out.cards = rendered;
  out.path = path.string();
  return out;
}

Result<CopaymentCardPdf> copayment_card_pdf(store::Database& db, const Clock& clock, const notice::BenefitIssuer& issuer,
                                            const std::string& person_id, const std::string& actor) {
  CopaymentCardPdf out;
  const Date today = clock.today();
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto person = c.query_one("SELECT 1 FROM person WHERE person_id = $1", {person_id});
    if (!person) return std::unexpected(person.error());
    if (!*person) return fail(ErrorKind::not_found, fmt::format("no person {}", person_id), "person_id");
    // The rate in force today, else the next one (a rate that starts later, e.g. from 1 August).
    auto row = c.query_one(fmt::format("SELECT {} WHERE r.person_id = $1 AND r.status = 'current' AND r.valid_to >= $2 "
                                       "ORDER BY r.valid_from LIMIT 1",
                                       kCardColumns),
                           {person_id, today.iso()});
    if (!row) return std::unexpected(row.error());
    if (!*row)
      return fail(ErrorKind::not_found, "the person has no co-payment rate in force today or later", "person_id");
    auto d = data_of(**row, issuer, today);
    if (!d) return std::unexpected(d.error());
    out.rate_id = (*row)->i64(0);
    const std::string once_key = fmt::format("copayment_card:{}", out.rate_id);
    auto issued = c.query_one("SELECT document_id FROM benefit_document WHERE once_key = $1", {once_key});
    if (!issued) return std::unexpected(issued.error());
    out.reprint = issued->has_value();
    auto n = c.exec(
        "INSERT INTO benefit_document (person_id, kind, ref_id, issued_on, issued_by, batch_run_id, once_key) "
        "VALUES ($1, 'copayment_card', $2, $3, $4, NULL, $5)",
        {person_id, out.rate_id, today.iso(), actor, out.reprint ? store::null() : store::Value(once_key)});
    if (!n) return std::unexpected(n.error());
    // Rendered inside the transaction: a card that cannot be drawn is not recorded as issued.
    auto doc = notice::copayment_card_document(*d);
    if (!doc) return std::unexpected(doc.error());
    const auto path =
        std::filesystem::temp_directory_path() / fmt::format("kaigo-copayment-card-{}.pdf", to_hex(random_bytes(8)));
    auto writer = notice::PdfWriter::open(path, meta());
    if (!writer) return std::unexpected(writer.error());
    auto added = writer->add(*doc);
    auto finished = writer->finish();
    auto bytes = read_bytes(path);
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (!added) return std::unexpected(added.error());
    if (!finished) return std::unexpected(finished.error());
    if (!bytes) return std::unexpected(bytes.error());
    out.pdf = std::move(*bytes);
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

}  // namespace kaigo::benefit

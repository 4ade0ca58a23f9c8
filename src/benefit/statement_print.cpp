// KY-24 給付費通知: the statement's data from the current benefit records (statement.hpp), the run's
// print file streamed person by person, and one person's statement at the counter.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "benefit/statement.hpp"
#include "benefit/statement_internal.hpp"
#include "core/hash.hpp"
#include "notice/pdf_writer.hpp"

namespace kaigo::benefit {

namespace {

// One printed row per person × month × office × service kind: several claims of the same office
// and kind in a month (e.g. a 月遅れ claim) are added up. Columns: 0 person_id, 1 month, 2 office,
// 3 kind, 4 days, 5 total_cost, 6 insurance_paid, 7 copayment, 8 insured_no, 9 name_kanji,
// 10 name_kana, 11 postal_code, 12 address, 13 document_id.
constexpr const char* kRowColumns =
    "r.person_id, r.service_month, r.office_no, r.service_kind, SUM(r.days), SUM(r.total_cost), SUM(r.insurance_paid), "
    "SUM(r.copayment), MAX(r.insured_no), p.name_kanji, p.name_kana, p.postal_code, p.address";
constexpr const char* kRowGroup =
    "GROUP BY r.person_id, r.service_month, r.office_no, r.service_kind, p.name_kanji, p.name_kana, p.postal_code, p.address";
constexpr const char* kRowOrder = "ORDER BY r.person_id, r.service_month, r.office_no, r.service_kind";

notice::BenefitStatementRow row_of(const store::Row& r, const BenefitConfig& config) {
  notice::BenefitStatementRow row;
  row.service_month = r.str(1);
  const CareOffice* office = config.office(r.str(2));
  row.office_name = office ? office->name : "事業所番号 " + r.str(2);
  const ServiceKind* kind = config.service_kind(r.str(3));
  row.service_name = kind ? kind->name : "サービス種類 " + r.str(3);
  row.days = static_cast<int>(r.i64(4));
  row.total_cost = r.i64(5);
  row.insurance_paid = r.i64(6);
  row.copayment = r.i64(7);
  return row;
}

notice::BenefitStatementData head_of(const store::Row& r, const notice::BenefitIssuer& issuer, const StatementPeriod& period,
                                     Date issued_on) {
  notice::BenefitStatementData d;
  d.issuer = issuer;
  d.issued_on = issued_on;
  d.addressee = notice::Addressee{r.str(11), r.str(12), r.str(9), r.str(10)};
  d.insured_no = r.str(8);
  d.from_month = period.from;
  d.to_month = period.to;
  return d;
}

}  // namespace

namespace detail {

Result<PrintedStatements> print_statements(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                           const notice::BenefitIssuer& issuer, std::int64_t batch_run_id,
                                           const StatementPeriod& period, const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  auto writer = notice::PdfWriter::open(path, {"介護保険給付費支払のお知らせ", "KY-24"});
  if (!writer) return std::unexpected(writer.error());
  const Date today = clock.today();
  PrintedStatements out;
  std::optional<notice::BenefitStatementData> current;  // the person being read (one at a time)
  std::string current_person;
  Result<void> drawn;
  auto flush = [&]() -> Result<void> {
    if (!current) return {};
    auto doc = notice::benefit_statement_document(*current);
    if (!doc) return std::unexpected(doc.error());
    ++out.statements;
    current.reset();
    return writer->add(*doc);
  };
  auto streamed = db.with_connection([&](store::Connection& c) -> Result<void> {
    return c.query_each(
        fmt::format("SELECT {}, d.document_id FROM benefit_document d JOIN benefit_record r ON r.person_id = d.person_id "
                    "AND r.status = 'current' AND r.service_month >= $2 AND r.service_month <= $3 JOIN person p ON "
                    "p.person_id = d.person_id WHERE d.batch_run_id = $1 AND d.kind = 'benefit_statement' {}, d.document_id {}",
                    kRowColumns, kRowGroup, kRowOrder),
        {batch_run_id, period.from, period.to}, [&](const store::Row& r) {
          if (r.str(0) != current_person) {
            drawn = flush();
            if (!drawn) return false;
            current_person = r.str(0);
            current = head_of(r, issuer, period, today);
            current->document_no = fmt::format("KY24-{:010}", r.i64(13));
          }
          current->rows.push_back(row_of(r, config));
          ++out.rows;
          out.total_cost += r.i64(5);
          out.insurance_paid += r.i64(6);
          out.copayment += r.i64(7);
          return true;
        });
  });
  if (!streamed) return std::unexpected(streamed.error());
  if (!drawn) return std::unexpected(drawn.error());
  if (auto last = flush(); !last) return std::unexpected(last.error());
  auto summary = writer->finish();
  if (!summary) return std::unexpected(summary.error());
  return out;
}

}  // namespace detail

Result<notice::BenefitStatementData> statement_data(store::Connection& c, const BenefitConfig& config,
                                                    const notice::BenefitIssuer& issuer, const std::string& person_id,
                                                    const StatementPeriod& period, Date issued_on) {
  std::optional<notice::BenefitStatementData> d;
  auto read = c.query_each(
      fmt::format("SELECT {} FROM benefit_record r JOIN person p ON p.person_id = r.person_id WHERE r.person_id = $1 AND "
                  "r.status = 'current' AND r.service_month >= $2 AND r.service_month <= $3 {} {}",
                  kRowColumns, kRowGroup, kRowOrder),
      {person_id, period.from, period.to}, [&](const store::Row& r) {
        if (!d) d = head_of(r, issuer, period, issued_on);
        d->rows.push_back(row_of(r, config));
        return true;
      });
  if (!read) return std::unexpected(read.error());
  if (!d) return fail(ErrorKind::not_found, "the person has no benefit records in the period", "person_id");
  return *d;
}

Result<std::string> statement_pdf(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                  const notice::BenefitIssuer& issuer, const std::string& person_id,
                                  const StatementPeriod& period, const std::string& actor) {
  std::string bytes;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto d = statement_data(c, config, issuer, person_id, period, clock.today());
    if (!d) return std::unexpected(d.error());
    // A reprint at the counter: recorded, but without the once_key (the period's mailing stays owed
    // to a run when it has not gone out yet).
    auto id = c.query_one(
        "INSERT INTO benefit_document (person_id, kind, ref_id, issued_on, issued_by, batch_run_id, once_key) "
        "VALUES ($1, 'benefit_statement', NULL, $2, $3, NULL, NULL) RETURNING document_id",
        {person_id, clock.today().iso(), actor});
    if (!id) return std::unexpected(id.error());
    d->document_no = fmt::format("KY24-{:010}", (*id)->i64(0));
    // Rendered inside the transaction: a statement that cannot be drawn is not recorded as issued.
    auto doc = notice::benefit_statement_document(*d);
    if (!doc) return std::unexpected(doc.error());
    const auto path = std::filesystem::temp_directory_path() / fmt::format("kaigo-statement-{}.pdf", to_hex(random_bytes(8)));
    auto writer = notice::PdfWriter::open(path, {"介護保険給付費支払のお知らせ", "KY-24"});
    if (!writer) return std::unexpected(writer.error());
    auto added = writer->add(*doc);
    auto finished = writer->finish();
    std::ifstream in(path, std::ios::binary);
    std::stringstream read;
    read << in.rdbuf();
    in.close();
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (!added) return std::unexpected(added.error());
    if (!finished) return std::unexpected(finished.error());
    bytes = read.str();
    if (bytes.empty()) return fail(ErrorKind::internal, "the rendered statement cannot be read back");
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return bytes;
}

}  // namespace kaigo::benefit

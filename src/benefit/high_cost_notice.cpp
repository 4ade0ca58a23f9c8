// KY-16 高額介護サービス費 支給(不支給)決定通知書 (法51条; high_cost.hpp): in a run's print file, and
// one at the counter. The renderer is notice/benefit_documents; this file fills its data from the
// decision, the person, the insured number and the application's account.
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "benefit/high_cost.hpp"
#include "benefit/benefit_print.hpp"
#include "benefit/high_cost_internal.hpp"
#include "core/hash.hpp"
#include "notice/pdf_writer.hpp"

namespace kaigo::benefit {

namespace {

constexpr const char* kNoticeColumns =
    "d.decision_id, d.person_id, d.service_month, d.category, d.household_copayment, d.own_copayment, d.cap, d.amount, "
    "d.explanation, d.decided_at, p.name_kanji, p.name_kana, p.postal_code, p.address, COALESCE(i.insured_no, ''), "
    "a.bank_code, a.branch_code, a.account_kind, a.account_no, a.account_holder_kana, d.application_id "
    "FROM high_cost_decision d JOIN person p ON p.person_id = d.person_id "
    "LEFT JOIN insured_number i ON i.person_id = d.person_id "
    "LEFT JOIN high_cost_application a ON a.application_id = d.application_id";

Result<notice::HighCostDecisionNoticeData> data_of(const store::Row& r, const notice::BenefitIssuer& issuer, Date today) {
  notice::HighCostDecisionNoticeData d;
  d.issuer = issuer;
  d.document_no = fmt::format("KY16-{:010}", r.i64(0));
  d.issued_on = today;
  d.addressee = notice::Addressee{r.str(12), r.str(13), r.str(10), r.str(11)};
  d.insured_no = r.str(14);
  d.service_month = r.str(2);
  d.household_total = r.i64(4);
  auto category = income_category_from_code(r.str(3));
  d.category_label = category ? std::string(label(*category)) : r.str(3);
  d.household_cap = r.i64(6);
  d.own_copayment = r.i64(5);
  d.amount = r.i64(7);
  d.paid = d.amount > 0;
  auto e = nlohmann::json::parse(r.str(8), nullptr, false);
  if (e.is_discarded()) return fail(ErrorKind::internal, fmt::format("decision {}: the explanation is not JSON", r.i64(0)));
  if (e.contains("cap") && e["cap"].contains("individual") && e["cap"]["individual"].is_number_integer())
    d.individual_cap = e["cap"]["individual"].get<std::int64_t>();
  if (e.contains("lines") && e["lines"].is_array())
    for (const auto& line : e["lines"]) d.explanation.push_back(line.get<std::string>());
  if (d.paid) {
    if (r.is_null(20))
      return fail(ErrorKind::conflict,
                  "the decision is held: the person has no 高額 application (account) yet; register one (KY-05) to pay it",
                  "decision_id");
    // The city's bank code list is not kept; the codes are printed as the 全銀 codes.
    d.account = notice::PaymentAccount{fmt::format("金融機関コード {}", r.str(15)), fmt::format("支店コード {}", r.str(16)),
                                       r.str(17) == "current" ? "当座" : "普通", r.str(18), r.str(19)};
    // 支払予定日: the end of the month after the decision (the accounting office's payment schedule
    // for benefits decided in a month).
    auto decided = Date::parse(r.str(9).substr(0, 10));
    d.payment_on = (decided ? *decided : today).first_of_month().add_months(1).last_of_month();
  } else {
    d.not_paid_reason = "世帯の利用者負担額の合計が上限額を超えていないため (個人の上限額がある方はその額も超えていないため)";
  }
  return d;
}

Result<std::string> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::internal, "the rendered notice cannot be read back");
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

notice::BenefitIssuer high_cost_issuer(const people::CityProfile& city) {
  notice::BenefitIssuer issuer;
  issuer.insurer_no = city.insurer_no;
  issuer.insurer_name = city.insurer_name;
  issuer.department = city.insurer_name + " 健康福祉局 介護保険課 給付係";
  issuer.address = city.insurer_name + "役所";
  issuer.phone = "";
  return issuer;
}

namespace detail {

Result<PrintedNotices> print_run_notices(store::Database& db, const Clock& clock, const BenefitConfig&,
                                         const notice::BenefitIssuer& issuer, std::int64_t batch_run_id,
                                         const std::filesystem::path& dir) {
  const std::string selected =
      "d.batch_run_id = $1 AND d.amount > 0 AND d.application_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
      "benefit_document x WHERE x.once_key = 'high_cost_notice:' || CAST(d.decision_id AS TEXT))";
  const auto path = dir / fmt::format("high-cost-notices-{}.pdf", batch_run_id);
  const Date today = clock.today();
  auto printed = print_rows(db, path, {"高額介護サービス費支給決定通知書", "KY-16"},
                            fmt::format("SELECT {} WHERE {} ORDER BY d.household_key, d.person_id", kNoticeColumns, selected),
                            {batch_run_id}, [&](const store::Row& r) -> Result<notice::Document> {
                              auto data = data_of(r, issuer, today);
                              if (!data) return std::unexpected(data.error());
                              return notice::high_cost_decision_notice_document(*data);
                            });
  if (!printed) return std::unexpected(printed.error());
  const std::int64_t rendered = *printed;
  PrintedNotices out;
  if (rendered == 0) return out;
  // Recorded once the file is complete: the same set, set-based.
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto n = c.exec(fmt::format("INSERT INTO benefit_document (person_id, kind, ref_id, issued_on, issued_by, batch_run_id, "
                                "once_key) SELECT d.person_id, 'high_cost_notice', d.decision_id, CAST($2 AS TEXT), "
                                "'batch:high_cost', d.batch_run_id, 'high_cost_notice:' || CAST(d.decision_id AS TEXT) "
                                "FROM high_cost_decision d WHERE {}",
                                selected),
                    {batch_run_id, today.iso()});
    if (!n) return std::unexpected(n.error());
    if (*n != rendered)
      return fail(ErrorKind::conflict, "the notices of the run changed while printing; run it again to print them");
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  out.notices = rendered;
  out.path = path.string();
  return out;
}

}  // namespace detail

Result<HighCostNoticePdf> high_cost_notice_pdf(store::Database& db, const Clock& clock, const BenefitConfig&,
                                               const notice::BenefitIssuer& issuer, std::int64_t decision_id,
                                               const std::string& actor) {
  HighCostNoticePdf out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto row = c.query_one(fmt::format("SELECT {} WHERE d.decision_id = $1", kNoticeColumns), {decision_id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail(ErrorKind::not_found, "no such decision", "decision_id");
    auto d = data_of(**row, issuer, clock.today());
    if (!d) return std::unexpected(d.error());
    const std::string once_key = fmt::format("high_cost_notice:{}", decision_id);
    auto issued = c.query_one("SELECT document_id FROM benefit_document WHERE once_key = $1", {once_key});
    if (!issued) return std::unexpected(issued.error());
    out.reprint = issued->has_value();
    auto n = c.exec(
        "INSERT INTO benefit_document (person_id, kind, ref_id, issued_on, issued_by, batch_run_id, once_key) "
        "VALUES ($1, 'high_cost_notice', $2, $3, $4, NULL, $5)",
        {(*row)->str(1), decision_id, clock.today().iso(), actor, out.reprint ? store::null() : store::Value(once_key)});
    if (!n) return std::unexpected(n.error());
    // Rendered inside the transaction: a notice that cannot be drawn is not recorded as issued.
    auto doc = notice::high_cost_decision_notice_document(*d);
    if (!doc) return std::unexpected(doc.error());
    const auto path =
        std::filesystem::temp_directory_path() / fmt::format("kaigo-high-cost-{}.pdf", to_hex(random_bytes(8)));
    auto writer = notice::PdfWriter::open(path, {"高額介護サービス費支給決定通知書", "KY-16"});
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

// 介護保険 認定延期通知書: when the decision cannot be made within the period of 介護保険法27条11項
// (the rule file's deadline_days), the city tells the person, before that period ends, the
// expected date and the reason (同項ただし書: 処理見込期間及びその理由を通知). Not a 処分: no 教示.
#include <fmt/format.h>

#include "notice/certification_documents_internal.hpp"
#include "notice/table.hpp"

namespace kaigo::notice {

using namespace certification_docs;

Result<void> validate(const CertificationPostponementNoticeData& d) {
  if (auto ok = check_issuer(d.issuer); !ok) return ok;
  if (auto ok = check_addressee(d.addressee); !ok) return ok;
  if (auto ok = check_digits(d.insured_no, 10, "insured_no", "被保険者番号"); !ok) return ok;
  if (auto ok = check_text(d.application_kind, "application_kind", "申請区分"); !ok) return ok;
  if (d.expected_on <= d.applied_on)
    return fail(ErrorKind::invalid_input, "処理見込期日 must be after the application date", "expected_on");
  if (auto ok = check_text(d.reason, "reason", "延期の理由"); !ok) return ok;
  return {};
}

Result<Document> certification_postponement_notice_document(const CertificationPostponementNoticeData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  Page page = a4_portrait();
  letterhead(page, d.issuer, d.document_no, d.issued_on);
  addressee_block(page, d.addressee, d.insured_no);

  double y = title(page, 66, "介護保険 認定延期通知書");
  y = paragraph(page, y,
                fmt::format("{}に申請のあった要介護認定等（{}）については、下記の理由により、介護保険法第27条第11項に"
                            "定める期間内に処分をすることができませんので、同項ただし書の規定により、処理見込期日及び"
                            "その理由を通知します。",
                            to_wareki(d.applied_on), d.application_kind));

  constexpr double kLabel = 40, kValue = kWidth - kLabel;
  const std::vector<Row> rows = {
      {8, {label_cell(kLabel, "被保険者番号"), value_cell(45, d.insured_no), label_cell(35, "申請番号"),
           value_cell(kValue - 80, d.application_no)}},
      {8, {label_cell(kLabel, "申請年月日"), value_cell(45, to_wareki(d.applied_on)), label_cell(35, "申請区分"),
           value_cell(kValue - 80, d.application_kind)}},
      {11, {label_cell(kLabel, "処理見込期日"), Cell{kValue, to_wareki(d.expected_on), false, Align::left, 12}}},
      {row_height(d.reason, kValue, 9, 20), {label_cell(kLabel, "延期の理由"), value_cell(kValue, d.reason)}},
  };
  y = draw_table(page, kLeft, y + 2, rows) + 5;
  y = paragraph(page, y,
                "認定の結果が出るまでの間も、介護保険のサービスを利用することができます。その場合は、担当の"
                "介護支援専門員（ケアマネジャー）又は下記の担当課にご相談ください。認定の効力は申請の日に遡ります"
                "（介護保険法第27条第8項）。",
                9);
  contact_block(page, y + 2, d.issuer);

  Document doc;
  doc.pages.push_back(std::move(page));
  return doc;
}

Result<void> render_certification_postponement_notice(PdfWriter& writer, const CertificationPostponementNoticeData& d) {
  auto doc = certification_postponement_notice_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

}  // namespace kaigo::notice

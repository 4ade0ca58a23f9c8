// 要介護認定等結果通知書 (NT-13): the decision on an application, to the person. A certified level
// is notified with its 認定年月日, 有効期間, 区分支給限度基準額 and the committee's remarks
// (介護保険法27条7項, the card follows in the same envelope); 非該当 with the reason and the card
// returned (27条9項: 理由を付して通知). Both carry the 教示: the decision is a 処分.
#include <fmt/format.h>

#include "notice/certification_documents_internal.hpp"
#include "notice/table.hpp"

namespace kaigo::notice {

using namespace certification_docs;

Result<void> validate(const CertificationResultNoticeData& d) {
  if (auto ok = check_issuer(d.issuer); !ok) return ok;
  if (auto ok = check_addressee(d.addressee); !ok) return ok;
  if (auto ok = check_digits(d.insured_no, 10, "insured_no", "被保険者番号"); !ok) return ok;
  if (auto ok = check_text(d.application_kind, "application_kind", "申請区分"); !ok) return ok;
  if (auto ok = check_text(d.care_level, "care_level", "要介護状態区分"); !ok) return ok;
  if (d.certified) {
    if (!d.certified_on) return fail(ErrorKind::invalid_input, "認定年月日 is required for a certified level", "certified_on");
    if (!d.validity) return fail(ErrorKind::invalid_input, "認定の有効期間 is required for a certified level", "validity");
    if (d.validity->to < d.validity->from)
      return fail(ErrorKind::invalid_input, "認定の有効期間 ends before it starts", "validity");
    if (!d.monthly_cap_units || *d.monthly_cap_units <= 0)
      return fail(ErrorKind::invalid_input, "区分支給限度基準額 is required for a certified level", "monthly_cap_units");
  } else if (d.not_certified_reason.empty()) {
    return fail(ErrorKind::invalid_input, "非該当 is notified with its reason (介護保険法27条9項)", "not_certified_reason");
  }
  return {};
}

Result<Document> certification_result_notice_document(const CertificationResultNoticeData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  Page page = a4_portrait();
  letterhead(page, d.issuer, d.document_no, d.issued_on);
  addressee_block(page, d.addressee, d.insured_no);

  double y = title(page, 66, "要介護認定等結果通知書");
  const std::string applied = fmt::format("{}に申請のあった要介護認定等（{}）", to_wareki(d.applied_on), d.application_kind);
  y = paragraph(page, y,
                d.certified
                    ? applied + "について、介護認定審査会の審査及び判定の結果に基づき、次のとおり認定しましたので、"
                                "介護保険法第27条第7項（要支援認定にあっては同法第32条）の規定により通知します。"
                    : applied + "について、介護認定審査会の審査及び判定の結果に基づき、要介護状態又は要支援状態に"
                                "該当しないと認めましたので、介護保険法第27条第9項（要支援認定の申請にあっては同法第32条）"
                                "の規定により、理由を付して通知します。");

  constexpr double kLabel = 40, kValue = kWidth - kLabel;
  std::vector<Row> rows = {
      {8, {label_cell(kLabel, "被保険者番号"), value_cell(45, d.insured_no), label_cell(35, "申請番号"),
           value_cell(kValue - 80, d.application_no)}},
      {8, {label_cell(kLabel, "申請年月日"), value_cell(45, to_wareki(d.applied_on)), label_cell(35, "申請区分"),
           value_cell(kValue - 80, d.application_kind)}},
  };
  if (d.certified) {
    rows.push_back({12, {label_cell(kLabel, "要介護状態区分等"), Cell{kValue, d.care_level, false, Align::left, 14}}});
    rows.push_back({8, {label_cell(kLabel, "認定年月日"), value_cell(kValue, to_wareki(*d.certified_on))}});
    rows.push_back({8, {label_cell(kLabel, "認定の有効期間"), value_cell(kValue, period_text(*d.validity))}});
    rows.push_back({8, {label_cell(kLabel, "区分支給限度基準額"),
                        value_cell(kValue, "1月当たり　" + grouped(*d.monthly_cap_units) + "単位")}});
    const std::string remarks = d.committee_remarks.empty() ? "なし" : d.committee_remarks;
    rows.push_back({row_height(remarks, kValue, 9, 12),
                    {label_cell(kLabel, "介護認定審査会の意見\n及びサービスの\n種類の指定"), value_cell(kValue, remarks)}});
  } else {
    rows.push_back({12, {label_cell(kLabel, "審査判定の結果"), Cell{kValue, d.care_level, false, Align::left, 14}}});
    rows.push_back({row_height(d.not_certified_reason, kValue, 9, 16),
                    {label_cell(kLabel, "理由"), value_cell(kValue, d.not_certified_reason)}});
    if (!d.committee_remarks.empty())
      rows.push_back({row_height(d.committee_remarks, kValue, 9, 10),
                      {label_cell(kLabel, "介護認定審査会の意見"), value_cell(kValue, d.committee_remarks)}});
  }
  y = draw_table(page, kLeft, y + 2, rows) + 5;

  y = paragraph(page, y,
                d.certified
                    ? "認定の内容を記載した介護保険被保険者証を同封します。介護保険のサービスを利用するときは、"
                      "被保険者証を事業者又は施設に提示してください。引き続きサービスを利用するときは、"
                      "有効期間が満了する前に更新の申請をしてください（更新申請のお知らせをお送りします）。"
                    : "介護保険被保険者証を同封してお返しします。心身の状態が変わったときは、改めて申請をすることができます。",
                9);
  y = contact_block(page, y + 2, d.issuer);
  appeal_block(page, y, d.issuer);

  Document doc;
  doc.pages.push_back(std::move(page));
  return doc;
}

Result<void> render_certification_result_notice(PdfWriter& writer, const CertificationResultNoticeData& d) {
  auto doc = certification_result_notice_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

}  // namespace kaigo::notice

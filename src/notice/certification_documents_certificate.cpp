// 介護保険受給資格証明書 (NT-06): given to a certified person who moves out of the city. Handed to
// the new city with an application within the period of 介護保険法36条 (the rule file's
// transfer_certificate_days), it lets that city certify on these terms without a new assessment
// and committee (法36条). The period is printed as a note, from the data.
#include <fmt/format.h>

#include "notice/certification_documents_internal.hpp"
#include "notice/table.hpp"

namespace kaigo::notice {

using namespace certification_docs;

Result<void> validate(const EntitlementCertificateData& d) {
  if (auto ok = check_issuer(d.issuer); !ok) return ok;
  if (auto ok = check_person(d.person); !ok) return ok;
  if (auto ok = check_text(d.care_level, "care_level", "要介護状態区分"); !ok) return ok;
  if (d.validity.to < d.validity.from)
    return fail(ErrorKind::invalid_input, "認定の有効期間 ends before it starts", "validity");
  if (d.transfer_certificate_days <= 0)
    return fail(ErrorKind::invalid_input, "the period of 法36条 (days) is required", "transfer_certificate_days");
  return {};
}

Result<Document> entitlement_certificate_document(const EntitlementCertificateData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  Page page = a4_portrait();
  letterhead(page, d.issuer, d.document_no, d.issued_on);

  double y = title(page, 36, "介護保険受給資格証明書");
  y = paragraph(page, y,
                fmt::format("下記の者は、{}の介護保険の被保険者であった者で、次のとおり要介護認定等を受けていたことを証明します。",
                            d.issuer.insurer_name));

  constexpr double kLabel = 42, kValue = kWidth - kLabel;
  const std::string remarks = d.committee_remarks.empty() ? "なし" : d.committee_remarks;
  const std::vector<Row> rows = {
      {8, {label_cell(kLabel, "被保険者番号"), value_cell(kValue, d.person.insured_no)}},
      {6, {label_cell(kLabel, "フリガナ"), Cell{kValue, d.person.name_kana, false, Align::left, 7.5}}},
      {10, {label_cell(kLabel, "氏名"), Cell{kValue, d.person.name, false, Align::left, 12}}},
      {8, {label_cell(kLabel, "生年月日"), value_cell(70, to_wareki(d.person.birth_date)), label_cell(25, "性別"),
           value_cell(kValue - 95, sex_text(d.person.sex), Align::center)}},
      {row_height(d.person.address, kValue, 9, 9), {label_cell(kLabel, "転出前の住所"), value_cell(kValue, d.person.address)}},
      {row_height(d.new_address, kValue, 9, 9), {label_cell(kLabel, "転出先の住所"), value_cell(kValue, d.new_address)}},
      {8, {label_cell(kLabel, "転出年月日"), value_cell(kValue, to_wareki(d.moved_out_on))}},
      {9, {label_cell(kLabel, "保険者番号及び\n保険者の名称"),
           value_cell(kValue, d.issuer.insurer_no + "　" + d.issuer.insurer_name)}},
      {11, {label_cell(kLabel, "要介護状態区分等"), Cell{kValue, d.care_level, false, Align::left, 13}}},
      {8, {label_cell(kLabel, "認定年月日"), value_cell(kValue, to_wareki(d.certified_on))}},
      {8, {label_cell(kLabel, "認定の有効期間"), value_cell(kValue, period_text(d.validity))}},
      {row_height(remarks, kValue, 9, 14),
       {label_cell(kLabel, "介護認定審査会の意見\n及びサービスの\n種類の指定"), value_cell(kValue, remarks)}},
  };
  y = draw_table(page, kLeft, y + 2, rows) + 6;

  page.text(kLeft, y, "注意", 9, FontFamily::gothic).bold = true;
  y = paragraph(page, y + 5,
                fmt::format("1　転入先の市町村で被保険者となった日から{}日以内に、この証明書を添えて要介護認定等の申請を"
                            "してください。この期間内に申請したときは、転入先の市町村は、この証明書に記載された内容により、"
                            "改めて認定調査及び介護認定審査会の審査判定を行わずに認定をすることができます（介護保険法第36条）。\n"
                            "2　この期間を過ぎて申請したときは、新たな申請として認定調査等が行われます。\n"
                            "3　転入先の市町村に提出するまで、大切に保管してください。",
                            d.transfer_certificate_days),
                9);
  contact_block(page, y + 2, d.issuer, "発行");

  Document doc;
  doc.pages.push_back(std::move(page));
  return doc;
}

Result<void> render_entitlement_certificate(PdfWriter& writer, const EntitlementCertificateData& d) {
  auto doc = entitlement_certificate_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

}  // namespace kaigo::notice

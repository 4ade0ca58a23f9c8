// 返還金 決定通知書 and 納付書 (KY-18, 介護保険法22条): the decision (debtor, reason, principal, the
// 加算金 of 22条3項 for a provider's 偽りその他不正の行為, total, 納期限) with the 教示, then the
// 納付書: one A4 page whose lower part is the usual three-part slip cut along the dashed lines —
// 領収済通知書 (the bank returns it to the city: the KY-19 receipt), 納付書 (kept by the bank),
// 領収証書 (the payer's receipt) — each with the slip number, amount, due date and the city's
// collection account, so it can be paid at any of the city's banks.
#include <algorithm>

#include <fmt/format.h>

#include "notice/benefit_documents_internal.hpp"

namespace kaigo::notice {

using namespace benefit_docs;

Result<void> validate(const RepaymentNoticeData& d) {
  if (auto ok = check_issuer(d.issuer); !ok) return ok;
  if (auto ok = check_addressee(d.addressee); !ok) return ok;
  if (auto ok = check_text(d.debtor_label, "debtor_label", "債務者の番号の種類"); !ok) return ok;
  if (auto ok = check_digits(d.debtor_no, 10, "debtor_no", "被保険者番号又は事業所番号"); !ok) return ok;
  if (auto ok = check_text(d.reason_label, "reason_label", "返還の理由"); !ok) return ok;
  if (auto ok = check_text(d.legal_basis, "legal_basis", "根拠法令"); !ok) return ok;
  if (d.principal <= 0) return fail(ErrorKind::invalid_input, "返還金額 must be positive", "principal");
  if (auto ok = check_amount(d.surcharge, "surcharge", "加算金"); !ok) return ok;
  if (d.surcharge > 0 && (d.surcharge_numerator <= 0 || d.surcharge_denominator <= 0))
    return fail(ErrorKind::invalid_input, "the ratio of the 加算金 is printed with it", "surcharge_numerator");
  if (d.total != d.principal + d.surcharge)
    return fail(ErrorKind::invalid_input, "合計 must be 返還金額 + 加算金", "total");
  if (d.due_on < d.issued_on) return fail(ErrorKind::invalid_input, "納期限 is before the decision", "due_on");
  if (auto ok = check_text(d.slip_no, "slip_no", "納付書番号"); !ok) return ok;
  if (auto ok = check_text(d.fiscal_year_label, "fiscal_year_label", "年度"); !ok) return ok;
  if (auto ok = check_text(d.collection.payee, "collection.payee", "収納者"); !ok) return ok;
  if (auto ok = check_text(d.collection.bank_name, "collection.bank_name", "指定金融機関"); !ok) return ok;
  if (auto ok = check_text(d.collection.account_no, "collection.account_no", "収納口座"); !ok) return ok;
  return {};
}

namespace {

std::string surcharge_text(const RepaymentNoticeData& d) {
  return fmt::format("{}（返還金額の{}分の{}、介護保険法第22条第3項）", yen(d.surcharge), d.surcharge_denominator,
                     d.surcharge_numerator);
}

Page notice_page(const RepaymentNoticeData& d) {
  Page page = a4_portrait();
  letterhead(page, d.issuer, d.document_no, d.issued_on);
  addressee_block(page, d.addressee, {});
  double y = title(page, 66, "介護保険 返還金決定通知書");
  y = paragraph(page, y,
                fmt::format("{}の規定により、次のとおり返還金の額を決定しましたので通知します。同封の納付書により、"
                            "納期限までに納付してください。",
                            d.legal_basis),
                9.5);
  constexpr double kLabel = 40, kValue = kWidth - kLabel;
  std::vector<Row> rows = {
      {8, {label_cell(kLabel, d.debtor_label), value_cell(kValue, d.debtor_no)}},
      {8, {label_cell(kLabel, "納付者"), value_cell(kValue, d.addressee.name)}},
      {row_height(d.reason_label, kValue, 9, 8), {label_cell(kLabel, "返還の理由"), value_cell(kValue, d.reason_label)}},
  };
  if (!d.reason_detail.empty())
    rows.push_back({row_height(d.reason_detail, kValue, 9, 10), {label_cell(kLabel, "内容"), value_cell(kValue, d.reason_detail)}});
  rows.push_back({8, {label_cell(kLabel, "返還金額"), value_cell(kValue, yen(d.principal), Align::right)}});
  if (d.surcharge > 0) rows.push_back({8, {label_cell(kLabel, "加算金"), value_cell(kValue, surcharge_text(d), Align::right)}});
  rows.push_back({10, {label_cell(kLabel, "合計（納付額）"), Cell{kValue, yen(d.total), false, Align::right, 13}}});
  rows.push_back({8, {label_cell(kLabel, "納期限"), value_cell(kValue, to_wareki(d.due_on))}});
  rows.push_back({8, {label_cell(kLabel, "納付書番号"), value_cell(kValue, d.slip_no)}});
  rows.push_back({row_height(d.collection.where_to_pay, kValue, 9, 8),
                  {label_cell(kLabel, "納付場所"), value_cell(kValue, d.collection.where_to_pay.empty()
                                                                          ? d.collection.bank_name + "の本店・支店"
                                                                          : d.collection.where_to_pay)}});
  y = draw_table(page, kLeft, y + 2, rows) + 4;
  y = paragraph(page, y,
                "納期限までに納付がない場合は、督促状を送付します。分割での納付を希望される場合や、"
                "内容に心当たりがない場合は、お問い合わせください。",
                8.5);
  y = contact_block(page, y + 1, d.issuer);
  appeal_block(page, y, d.issuer);
  return page;
}

// One part of the slip, `w` mm wide at x.
void slip_part(Page& page, double x, double y, double w, const RepaymentNoticeData& d, const std::string& part_title,
               const std::string& keeper, bool receipt_stamp) {
  TextBlock& t = page.text(x, y, part_title, 11, FontFamily::gothic);
  t.width_mm = w;
  t.align = Align::center;
  t.bold = true;
  TextBlock& k = page.text(x, y + 6, keeper, 6.5);
  k.width_mm = w;
  k.align = Align::center;
  const double lw = 17, vw = w - lw;
  std::vector<Row> rows = {
      {7, {label_cell(lw, "年度"), value_cell(vw, d.fiscal_year_label)}},
      {7, {label_cell(lw, "科目"), value_cell(vw, "介護保険 返還金")}},
      {7, {label_cell(lw, "納付書番号"), Cell{vw, d.slip_no, false, Align::left, 8}}},
      {7, {label_cell(lw, d.debtor_label), Cell{vw, d.debtor_no, false, Align::left, 8}}},
      {row_height(d.addressee.name, vw, 8, 8), {label_cell(lw, "納付者"), Cell{vw, d.addressee.name + "　様", false, Align::left, 8}}},
      {7, {label_cell(lw, "返還金"), Cell{vw, yen(d.principal), false, Align::right, 8}}},
      {7, {label_cell(lw, "加算金"), Cell{vw, yen(d.surcharge), false, Align::right, 8}}},
      {10, {label_cell(lw, "合計金額"), Cell{vw, yen(d.total), false, Align::right, 11}}},
      {7, {label_cell(lw, "納期限"), Cell{vw, to_wareki(d.due_on), false, Align::left, 8}}},
      {16, {label_cell(lw, "収納先"),
            Cell{vw, fmt::format("{}\n{}　{}\n{}　{}", d.collection.payee, d.collection.bank_name, d.collection.branch_name,
                                 d.collection.kind, d.collection.account_no),
                 false, Align::left, 7}}},
  };
  double yy = draw_table(page, x, y + 11, rows, TableStyle{6, 8, 1.0, 0.5});
  if (receipt_stamp) {
    page.text(x, yy + 2, "上記の金額を領収しました。", 7).width_mm = w;
    page.box(x + w - 24, yy + 7, 22, 22, 0.4);
    TextBlock& s = page.text(x + w - 24, yy + 8, "領収日付印", 6.5);
    s.width_mm = 22;
    s.align = Align::center;
  } else {
    page.text(x, yy + 2, "上記の金額を納付します。", 7).width_mm = w;
  }
}

Page slip_page(const RepaymentNoticeData& d) {
  Page page = a4_portrait();
  double y = title(page, 16, "介護保険 返還金 納付書");
  y = paragraph(page, y,
                fmt::format("この納付書により、納期限（{}）までに納付してください。納付できる場所：{}。"
                            "3枚を切り離さずに金融機関等の窓口にお持ちください。「領収証書」が領収書になります。",
                            to_wareki(d.due_on),
                            d.collection.where_to_pay.empty() ? d.collection.bank_name + "の本店・支店" : d.collection.where_to_pay),
                9);
  TextBlock& issuer = page.text(kLeft, y, fmt::format("{}（保険者番号 {}）　{}", d.issuer.insurer_name, d.issuer.insurer_no,
                                                      d.issuer.department),
                                8);
  issuer.width_mm = kWidth;
  // The three parts side by side below, separated by the cut lines.
  constexpr double kTop = 120, kGap = 6;
  const double w = (210 - 2 * 10 - 2 * kGap) / 3;
  const double x1 = 10, x2 = x1 + w + kGap, x3 = x2 + w + kGap;
  page.line(5, kTop - 8, 205, kTop - 8, 0.4, true);
  TextBlock& cut = page.text(5, kTop - 13, "--- きりとり線 ---", 7);
  cut.width_mm = 200;
  cut.align = Align::center;
  page.line(x2 - kGap / 2, kTop - 8, x2 - kGap / 2, 290, 0.4, true);
  page.line(x3 - kGap / 2, kTop - 8, x3 - kGap / 2, 290, 0.4, true);
  slip_part(page, x1, kTop, w, d, "領収済通知書", fmt::format("（金融機関 → {}）", d.issuer.insurer_name), true);
  slip_part(page, x2, kTop, w, d, "納付書", "（金融機関保管）", false);
  slip_part(page, x3, kTop, w, d, "領収証書", "（納付者保管）", true);
  return page;
}

}  // namespace

Result<Document> repayment_notice_document(const RepaymentNoticeData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  Document doc;
  doc.pages.push_back(notice_page(d));
  doc.pages.push_back(slip_page(d));
  return doc;
}

Result<Document> repayment_slip_document(const RepaymentNoticeData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  Document doc;
  doc.pages.push_back(slip_page(d));
  return doc;
}

Result<void> render_repayment_notice(PdfWriter& writer, const RepaymentNoticeData& d) {
  auto doc = repayment_notice_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

Result<void> render_repayment_slip(PdfWriter& writer, const RepaymentNoticeData& d) {
  auto doc = repayment_slip_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

}  // namespace kaigo::notice

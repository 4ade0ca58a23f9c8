// 介護保険負担割合証 (施行規則28条の2, 様式第4号の2 to that effect): the certificate of the person's
// co-payment rate and the period it applies, mailed with a covering note (window envelope). The
// card is drawn in a cut-out frame at the card size of the 様式, printed with the rate large.
#include <algorithm>

#include <fmt/format.h>

#include "notice/benefit_documents_internal.hpp"

namespace kaigo::notice {

using namespace benefit_docs;

Result<void> validate(const CopaymentCardData& d) {
  if (auto ok = check_issuer(d.issuer); !ok) return ok;
  if (auto ok = check_addressee(d.addressee); !ok) return ok;
  if (auto ok = check_digits(d.insured_no, 10, "insured_no", "被保険者番号"); !ok) return ok;
  if (auto ok = check_text(d.name, "name", "氏名"); !ok) return ok;
  if (auto ok = check_text(d.address, "address", "住所"); !ok) return ok;
  if (d.rate < 1 || d.rate > 3) return fail(ErrorKind::invalid_input, "利用者負担の割合 is 1, 2 or 3", "rate");
  if (d.validity.to < d.validity.from) return fail(ErrorKind::invalid_input, "適用期間 ends before it starts", "validity");
  return {};
}

Result<Document> copayment_card_document(const CopaymentCardData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  Page page = a4_portrait();
  // The covering note: addressee in the window, the issuer top right.
  TextBlock& date = page.text(110, 17, to_wareki(d.issued_on), 9);
  date.width_mm = 80;
  date.align = Align::right;
  TextBlock& mayor = page.text(110, 22, d.issuer.insurer_name + "長", 10);
  mayor.width_mm = 80;
  mayor.align = Align::right;
  addressee_block(page, d.addressee, d.insured_no);
  double y = paragraph(page, 66,
                       "介護保険負担割合証をお送りします。介護サービスを利用するときは、介護保険被保険者証と一緒に"
                       "事業者又は施設に提示してください。適用期間が過ぎたものは使えません（介護保険法施行規則第28条の2）。",
                       9);

  // The card, in a dashed cut frame.
  constexpr double kCardW = 128, kLabel = 34, kValue = kCardW - kLabel;
  const double x = kLeft + (kWidth - kCardW) / 2;
  y += 6;
  const double top = y;
  TextBlock& t = page.text(x, y + 3, "介護保険負担割合証", 14, FontFamily::gothic);
  t.width_mm = kCardW;
  t.align = Align::center;
  t.bold = true;
  y += 13;
  const std::vector<Row> rows = {
      {8, {label_cell(kLabel, "交付年月日"), value_cell(kValue, to_wareki(d.issued_on))}},
      {8, {label_cell(kLabel, "被保険者番号"), value_cell(kValue, d.insured_no)}},
      {row_height(d.address, kValue, 9, 10), {label_cell(kLabel, "住所"), value_cell(kValue, d.address)}},
      {6, {label_cell(kLabel, "フリガナ"), Cell{kValue, d.name_kana, false, Align::left, 7.5}}},
      {10, {label_cell(kLabel, "氏名"), Cell{kValue, d.name, false, Align::left, 12}}},
      {8, {label_cell(kLabel, "生年月日"), value_cell(kValue - 30, to_wareki(d.birth_date)), label_cell(12, "性別"),
           value_cell(18, certification_docs::sex_text(d.sex), Align::center)}},
      {16, {label_cell(kLabel, "利用者負担の割合"), Cell{30, fmt::format("{}割", d.rate), false, Align::center, 20},
            label_cell(12, "適用\n期間"),
            Cell{kValue - 42, fmt::format("開始年月日　{}\n終了年月日　{}", to_wareki(d.validity.from), to_wareki(d.validity.to)),
                 false, Align::left, 8}}},
      {16, {label_cell(kLabel, "保険者番号\n並びに保険者の\n名称及び印"),
            value_cell(kValue, fmt::format("{}\n{}", d.issuer.insurer_no, d.issuer.insurer_name))}},
  };
  y = draw_table(page, x, y, rows) + 4;
  TextBlock& note = page.text(x, y, "注意　適用期間の終了後は、この証を使用せず、新しい証を提示してください。", 7);
  note.width_mm = kCardW;
  y += 8;
  // Cut lines around the card.
  page.line(x - 4, top - 4, x + kCardW + 4, top - 4, 0.4, true);
  page.line(x - 4, y, x + kCardW + 4, y, 0.4, true);
  page.line(x - 4, top - 4, x - 4, y, 0.4, true);
  page.line(x + kCardW + 4, top - 4, x + kCardW + 4, y, 0.4, true);
  contact_block(page, std::max(y + 8, 250.0), d.issuer);

  Document doc;
  doc.pages.push_back(std::move(page));
  return doc;
}

Result<void> render_copayment_card(PdfWriter& writer, const CopaymentCardData& d) {
  auto doc = copayment_card_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

}  // namespace kaigo::notice

// 高額医療合算介護サービス費 支給決定通知書 / 不支給決定通知書 (KY-23, 介護保険法51条の2・61条の2,
// 施行令22条の3): the year (1 August – 31 July), the medical and care totals, the annual limit of
// the income class, the excess and the care share the city pays (the medical insurer pays the
// rest), or why nothing is paid (the excess not above 500 yen, no care or no medical co-payment);
// the 教示.
#include <tuple>

#include <fmt/format.h>

#include "notice/benefit_documents_internal.hpp"

namespace kaigo::notice {

using namespace benefit_docs;

Result<void> validate(const CombinedDecisionNoticeData& d) {
  if (auto ok = check_issuer(d.issuer); !ok) return ok;
  if (auto ok = check_addressee(d.addressee); !ok) return ok;
  if (auto ok = check_digits(d.insured_no, 10, "insured_no", "被保険者番号"); !ok) return ok;
  if (d.period.to < d.period.from) return fail(ErrorKind::invalid_input, "計算期間 ends before it starts", "period");
  if (auto ok = check_text(d.income_class_label, "income_class_label", "所得区分"); !ok) return ok;
  for (auto [v, field, what] : {std::tuple{d.medical_total, "medical_total", "医療保険の自己負担額"},
                                std::tuple{d.care_total, "care_total", "介護保険の利用者負担額"},
                                std::tuple{d.excess, "excess", "支給総額"}, std::tuple{d.care_share, "care_share", "介護保険分"},
                                std::tuple{d.amount, "amount", "支給額"}})
    if (auto ok = check_amount(v, field, what); !ok) return ok;
  if (d.limit <= 0) return fail(ErrorKind::invalid_input, "自己負担限度額 is required", "limit");
  if (d.excess > d.medical_total + d.care_total)
    return fail(ErrorKind::invalid_input, "支給総額 cannot exceed the two totals", "excess");
  if (d.care_share > d.excess) return fail(ErrorKind::invalid_input, "介護保険分 cannot exceed 支給総額", "care_share");
  if (d.paid) {
    if (d.amount <= 0 || d.amount != d.care_share)
      return fail(ErrorKind::invalid_input, "a 支給決定 pays the care share", "amount");
    if (!d.account) return fail(ErrorKind::invalid_input, "振込先 is required for a 支給決定", "account");
    if (auto ok = check_payment_account(*d.account, "account"); !ok) return ok;
    if (!d.payment_on) return fail(ErrorKind::invalid_input, "支払予定日 is required for a 支給決定", "payment_on");
  } else {
    if (d.amount != 0) return fail(ErrorKind::invalid_input, "a 不支給決定 pays nothing", "amount");
    if (d.not_paid_reason.empty())
      return fail(ErrorKind::invalid_input, "a 不支給決定 is notified with its reason", "not_paid_reason");
  }
  return {};
}

Result<Document> combined_decision_notice_document(const CombinedDecisionNoticeData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  Page page = a4_portrait();
  letterhead(page, d.issuer, d.document_no, d.issued_on);
  addressee_block(page, d.addressee, d.insured_no);

  double y = title(page, 66, d.paid ? "高額医療合算介護サービス費 支給決定通知書" : "高額医療合算介護サービス費 不支給決定通知書");
  y = paragraph(page, y,
                fmt::format("{}の高額医療合算介護サービス費について、次のとおり{}ことに決定しましたので通知します"
                            "（介護保険法第51条の2・第61条の2、同法施行令第22条の3）。",
                            period_text(d.period), d.paid ? "支給する" : "支給しない"),
                9.5);
  constexpr double kLabel = 48, kValue = kWidth - kLabel;
  std::vector<Row> rows = {
      {8, {label_cell(kLabel, "被保険者番号"), value_cell(kValue, d.insured_no)}},
      {8, {label_cell(kLabel, "計算期間"), value_cell(kValue, period_text(d.period))}},
  };
  if (!d.medical_insurer_name.empty())
    rows.push_back({8, {label_cell(kLabel, "医療保険者"), value_cell(kValue, d.medical_insurer_name)}});
  rows.push_back({row_height(d.income_class_label, kValue, 9, 8), {label_cell(kLabel, "所得区分"), value_cell(kValue, d.income_class_label)}});
  rows.push_back({8, {label_cell(kLabel, "①医療保険の自己負担額"), value_cell(kValue, yen(d.medical_total), Align::right)}});
  rows.push_back({8, {label_cell(kLabel, "②介護保険の利用者負担額"), value_cell(kValue, yen(d.care_total), Align::right)}});
  rows.push_back({8, {label_cell(kLabel, "③合計（①＋②）"), value_cell(kValue, yen(d.medical_total + d.care_total), Align::right)}});
  rows.push_back({8, {label_cell(kLabel, "④自己負担限度額（年額）"), value_cell(kValue, yen(d.limit), Align::right)}});
  rows.push_back({8, {label_cell(kLabel, "⑤支給総額（③－④）"), value_cell(kValue, yen(d.excess), Align::right)}});
  rows.push_back({8, {label_cell(kLabel, "⑥うち介護保険分"), value_cell(kValue, yen(d.care_share), Align::right)}});
  rows.push_back({10, {label_cell(kLabel, "支給額"), Cell{kValue, yen(d.amount), false, Align::right, 13}}});
  if (d.paid)
    account_rows(rows, kLabel, kValue, *d.account, *d.payment_on);
  else
    rows.push_back({row_height(d.not_paid_reason, kValue, 9, 12), {label_cell(kLabel, "不支給の理由"), value_cell(kValue, d.not_paid_reason)}});
  explanation_row(rows, kLabel, kValue, d.explanation);
  y = draw_table(page, kLeft, y + 2, rows) + 4;
  y = paragraph(page, y,
                "⑥介護保険分は⑤を①と②の割合で按分した額です（円未満切捨て）。医療保険分は医療保険者から支給されます。",
                8.5);
  y = contact_block(page, y + 1, d.issuer);
  appeal_block(page, y, d.issuer);

  Document doc;
  doc.pages.push_back(std::move(page));
  return doc;
}

Result<void> render_combined_decision_notice(PdfWriter& writer, const CombinedDecisionNoticeData& d) {
  auto doc = combined_decision_notice_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

}  // namespace kaigo::notice

// 高額介護サービス費 支給決定通知書 / 不支給決定通知書 (KY-16, 介護保険法51条・61条, 施行令22条の2の2):
// the month, the household's counted co-payments, the income category and its caps, the person's
// own co-payment, the amount and where and when it is paid (the account masked), or why nothing is
// paid; the explanation lines of the decision; the 教示 (a decision is a 処分, 法183条).
#include <fmt/format.h>

#include "notice/benefit_documents_internal.hpp"

namespace kaigo::notice {

using namespace benefit_docs;

Result<void> validate(const HighCostDecisionNoticeData& d) {
  if (auto ok = check_issuer(d.issuer); !ok) return ok;
  if (auto ok = check_addressee(d.addressee); !ok) return ok;
  if (auto ok = check_digits(d.insured_no, 10, "insured_no", "被保険者番号"); !ok) return ok;
  if (auto m = service_month_text(d.service_month, "service_month"); !m) return std::unexpected(m.error());
  if (auto ok = check_text(d.category_label, "category_label", "所得区分"); !ok) return ok;
  if (auto ok = check_amount(d.household_total, "household_total", "世帯の利用者負担額"); !ok) return ok;
  if (auto ok = check_amount(d.own_copayment, "own_copayment", "本人の利用者負担額"); !ok) return ok;
  if (auto ok = check_amount(d.amount, "amount", "支給額"); !ok) return ok;
  if (d.household_cap <= 0) return fail(ErrorKind::invalid_input, "世帯の上限額 is required", "household_cap");
  if (d.individual_cap && *d.individual_cap <= 0)
    return fail(ErrorKind::invalid_input, "個人の上限額 must be positive", "individual_cap");
  if (d.paid) {
    if (d.amount <= 0) return fail(ErrorKind::invalid_input, "a 支給決定 pays an amount", "amount");
    if (d.amount > d.own_copayment)
      return fail(ErrorKind::invalid_input, "支給額 cannot exceed the person's own co-payment", "amount");
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

Result<Document> high_cost_decision_notice_document(const HighCostDecisionNoticeData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  const std::string month = *service_month_text(d.service_month, "service_month");
  Page page = a4_portrait();
  letterhead(page, d.issuer, d.document_no, d.issued_on);
  addressee_block(page, d.addressee, d.insured_no);

  double y = title(page, 66, d.paid ? "高額介護サービス費 支給決定通知書" : "高額介護サービス費 不支給決定通知書");
  y = paragraph(page, y,
                fmt::format("{}サービス提供分の高額介護サービス費について、次のとおり{}ことに決定しましたので通知します"
                            "（介護保険法第51条・第61条、同法施行令第22条の2の2）。",
                            month, d.paid ? "支給する" : "支給しない"),
                9.5);

  constexpr double kLabel = 42, kValue = kWidth - kLabel;
  std::string caps = "世帯　" + yen(d.household_cap);
  if (d.individual_cap) caps += "　／　個人　" + yen(*d.individual_cap);
  std::vector<Row> rows = {
      {8, {label_cell(kLabel, "被保険者番号"), value_cell(45, d.insured_no), label_cell(35, "サービス提供年月"),
           value_cell(kValue - 80, month)}},
      {row_height(d.category_label, kValue, 9, 8), {label_cell(kLabel, "所得区分"), value_cell(kValue, d.category_label)}},
      {8, {label_cell(kLabel, "利用者負担の上限額"), value_cell(kValue, caps)}},
      {8, {label_cell(kLabel, "世帯の利用者負担額の合計"), value_cell(kValue, yen(d.household_total), Align::right)}},
      {8, {label_cell(kLabel, "あなたの利用者負担額"), value_cell(kValue, yen(d.own_copayment), Align::right)}},
  };
  if (d.paid) {
    rows.push_back({10, {label_cell(kLabel, "支給額"), Cell{kValue, yen(d.amount), false, Align::right, 13}}});
    account_rows(rows, kLabel, kValue, *d.account, *d.payment_on);
  } else {
    rows.push_back({10, {label_cell(kLabel, "支給額"), Cell{kValue, yen(0), false, Align::right, 13}}});
    rows.push_back({row_height(d.not_paid_reason, kValue, 9, 12), {label_cell(kLabel, "不支給の理由"), value_cell(kValue, d.not_paid_reason)}});
  }
  explanation_row(rows, kLabel, kValue, d.explanation);
  y = draw_table(page, kLeft, y + 2, rows) + 4;
  y = paragraph(page, y,
                d.paid ? "食費・居住費（滞在費）、福祉用具購入費、住宅改修費及び支給限度額を超えた利用者負担は対象になりません。"
                         "翌月以降に上限額を超えた分は、登録された口座に自動的に振り込みます。"
                       : "食費・居住費（滞在費）、福祉用具購入費、住宅改修費及び支給限度額を超えた利用者負担は対象になりません。",
                8.5);
  y = contact_block(page, y + 1, d.issuer);
  appeal_block(page, y, d.issuer);

  Document doc;
  doc.pages.push_back(std::move(page));
  return doc;
}

Result<void> render_high_cost_decision_notice(PdfWriter& writer, const HighCostDecisionNoticeData& d) {
  auto doc = high_cost_decision_notice_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

}  // namespace kaigo::notice

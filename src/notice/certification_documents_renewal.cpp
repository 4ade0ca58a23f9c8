// 要介護認定 更新申請のお知らせ: sent when the renewal window opens (介護保険法28条, 施行規則35条:
// 更新申請は有効期間満了の日の…日前から満了の日まで; the days are the rule file's
// renewal_window_days). It says until when the certification is valid, from when to apply and
// where. A letter, not a 処分: no 教示.
#include <fmt/format.h>

#include "notice/certification_documents_internal.hpp"
#include "notice/table.hpp"

namespace kaigo::notice {

using namespace certification_docs;

Result<void> validate(const RenewalReminderData& d) {
  if (auto ok = check_issuer(d.issuer); !ok) return ok;
  if (auto ok = check_addressee(d.addressee); !ok) return ok;
  if (auto ok = check_digits(d.insured_no, 10, "insured_no", "被保険者番号"); !ok) return ok;
  if (auto ok = check_text(d.care_level, "care_level", "要介護状態区分"); !ok) return ok;
  if (d.validity.to < d.validity.from)
    return fail(ErrorKind::invalid_input, "認定の有効期間 ends before it starts", "validity");
  if (d.window_opens > d.validity.to)
    return fail(ErrorKind::invalid_input, "the renewal window opens after the validity ends", "window_opens");
  if (d.renewal_window_days <= 0)
    return fail(ErrorKind::invalid_input, "the renewal window (days) is required", "renewal_window_days");
  return {};
}

Result<Document> renewal_reminder_document(const RenewalReminderData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  Page page = a4_portrait();
  letterhead(page, d.issuer, d.document_no, d.issued_on);
  addressee_block(page, d.addressee, d.insured_no);

  double y = title(page, 66, "要介護認定 更新申請のお知らせ");
  y = paragraph(page, y,
                fmt::format("あなたの要介護認定等の有効期間は、{}までです。有効期間が満了した後も引き続き介護保険の"
                            "サービスを利用するときは、更新の申請をしてください。更新の申請は、有効期間満了の日の{}日前から"
                            "することができます（介護保険法第28条、同法施行規則第35条）。",
                            to_wareki(d.validity.to), d.renewal_window_days));

  constexpr double kLabel = 40, kValue = kWidth - kLabel;
  const std::string where = d.where_to_apply.empty() ? d.issuer.department : d.where_to_apply;
  const std::vector<Row> rows = {
      {8, {label_cell(kLabel, "被保険者番号"), value_cell(kValue, d.insured_no)}},
      {11, {label_cell(kLabel, "要介護状態区分等"), Cell{kValue, d.care_level, false, Align::left, 13}}},
      {8, {label_cell(kLabel, "認定の有効期間"), value_cell(kValue, period_text(d.validity))}},
      {11, {label_cell(kLabel, "更新の申請ができる期間"),
            Cell{kValue, to_wareki(d.window_opens) + "から" + to_wareki(d.validity.to) + "まで", false, Align::left, 11}}},
      {row_height(where, kValue, 9, 9), {label_cell(kLabel, "申請先"), value_cell(kValue, where)}},
      {12, {label_cell(kLabel, "申請に必要なもの"),
            value_cell(kValue, "要介護認定・要支援認定申請書（更新）、介護保険被保険者証、主治医の氏名・医療機関名の分かるもの")}},
  };
  y = draw_table(page, kLeft, y + 2, rows) + 5;
  y = paragraph(page, y,
                "・有効期間が満了するまでに申請がないと、認定の効力がなくなり、サービスの費用は全額自己負担となります。\n"
                "・申請の後、認定調査員が訪問し、主治医に意見書の作成を依頼します。結果が出るまで日数がかかりますので、"
                "早めに申請してください。\n"
                "・ご本人が申請できないときは、家族、地域包括支援センター、居宅介護支援事業者等が代わりに申請できます。\n"
                "・すでに更新の申請をされた方は、このお知らせと行き違いですのでご了承ください。",
                9);
  contact_block(page, y + 2, d.issuer);

  Document doc;
  doc.pages.push_back(std::move(page));
  return doc;
}

Result<void> render_renewal_reminder(PdfWriter& writer, const RenewalReminderData& d) {
  auto doc = renewal_reminder_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

}  // namespace kaigo::notice

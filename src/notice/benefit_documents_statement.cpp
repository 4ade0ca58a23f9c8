// 介護保険給付費支払のお知らせ (給付費通知, KY-24; 介護給付費通知 of the 介護給付適正化事業): for each
// month × office × service of the period, the days, the total cost, what the insurance paid and
// the person's co-payment, so the person can check what was claimed in their name. No decision:
// no 教示; the totals close the last page. Long statements run over several pages, each headed
// with the insured number and "n / N".
#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "notice/benefit_documents_internal.hpp"

namespace kaigo::notice {

using namespace benefit_docs;

Result<void> validate(const BenefitStatementData& d) {
  if (auto ok = check_issuer(d.issuer); !ok) return ok;
  if (auto ok = check_addressee(d.addressee); !ok) return ok;
  if (auto ok = check_digits(d.insured_no, 10, "insured_no", "被保険者番号"); !ok) return ok;
  if (auto m = service_month_text(d.from_month, "from_month"); !m) return std::unexpected(m.error());
  if (auto m = service_month_text(d.to_month, "to_month"); !m) return std::unexpected(m.error());
  if (d.to_month < d.from_month) return fail(ErrorKind::invalid_input, "the period ends before it starts", "to_month");
  if (d.rows.empty()) return fail(ErrorKind::invalid_input, "a statement lists at least one service", "rows");
  for (std::size_t i = 0; i < d.rows.size(); ++i) {
    const auto& r = d.rows[i];
    const std::string p = fmt::format("rows[{}]", i);
    if (auto m = service_month_text(r.service_month, p + ".service_month"); !m) return std::unexpected(m.error());
    if (r.service_month < d.from_month || r.service_month > d.to_month)
      return fail(ErrorKind::invalid_input, "a service month outside the period", p + ".service_month");
    if (auto ok = check_text(r.office_name, p + ".office_name", "事業所名"); !ok) return ok;
    if (auto ok = check_text(r.service_name, p + ".service_name", "サービスの種類"); !ok) return ok;
    if (r.days < 0) return fail(ErrorKind::invalid_input, "日数 must not be negative", p + ".days");
    for (auto [v, field, what] : {std::tuple{r.total_cost, ".total_cost", "費用の総額"},
                                  std::tuple{r.insurance_paid, ".insurance_paid", "保険給付額"},
                                  std::tuple{r.copayment, ".copayment", "利用者負担額"}})
      if (auto ok = check_amount(v, p + field, what); !ok) return ok;
  }
  return {};
}

namespace {

// Column widths (mm), summing to kWidth.
constexpr double kMonth = 22, kOffice = 44, kService = 36, kDays = 12, kCost = 19, kPaid = 19, kCopay = 18;
static_assert(kMonth + kOffice + kService + kDays + kCost + kPaid + kCopay == 170);

Row header_row() {
  return {10, {label_cell(kMonth, "サービス\n提供月"), label_cell(kOffice, "事業所名"), label_cell(kService, "サービスの種類"),
               label_cell(kDays, "日数\n回数"), label_cell(kCost, "費用の総額"), label_cell(kPaid, "保険給付額"),
               label_cell(kCopay, "利用者\n負担額")}};
}

Row data_row(const BenefitStatementRow& r) {
  const double h = std::max({row_height(r.office_name, kOffice, 8, 7), row_height(r.service_name, kService, 8, 7)});
  return {h,
          {Cell{kMonth, *service_month_text(r.service_month, "service_month"), false, Align::left, 8},
           Cell{kOffice, r.office_name, false, Align::left, 8}, Cell{kService, r.service_name, false, Align::left, 8},
           Cell{kDays, std::to_string(r.days), false, Align::right, 8}, Cell{kCost, grouped(r.total_cost), false, Align::right, 8},
           Cell{kPaid, grouped(r.insurance_paid), false, Align::right, 8},
           Cell{kCopay, grouped(r.copayment), false, Align::right, 8}}};
}

constexpr double kBottom = 275;  // rows stop here; the page number goes below

}  // namespace

Result<Document> benefit_statement_document(const BenefitStatementData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  const std::string from = *service_month_text(d.from_month, "from_month");
  const std::string to = *service_month_text(d.to_month, "to_month");
  Document doc;
  std::vector<double> table_y;  // where each page's table starts

  // First page: letterhead, addressee, title, the note.
  Page first = a4_portrait();
  letterhead(first, d.issuer, d.document_no, d.issued_on);
  addressee_block(first, d.addressee, d.insured_no);
  double y = title(first, 66, "介護保険給付費支払のお知らせ");
  y = paragraph(first, y,
                fmt::format("{}から{}までにご利用になった介護サービスについて、費用の総額と、介護保険から事業所に支払った額を"
                            "お知らせします。この通知による手続きは必要ありません。利用した覚えのないサービスや日数が記載"
                            "されている場合は、下記までお問い合わせください。（金額は円、利用者負担額は事業所からの請求に基づく額です）",
                            from, to),
                9);
  doc.pages.push_back(std::move(first));
  table_y.push_back(y + 2);

  std::int64_t cost = 0, paid = 0, copay = 0;
  std::vector<Row> rows{header_row()};
  double used = 10;  // the header row
  auto flush = [&](bool more) {
    draw_table(doc.pages.back(), kLeft, table_y.back(), rows);
    if (more) {
      Page next = a4_portrait();
      TextBlock& t = next.text(kLeft, 14, "介護保険給付費支払のお知らせ（続き）", 11, FontFamily::gothic);
      t.bold = true;
      next.text(kLeft + 110, 15, "被保険者番号　" + d.insured_no, 9, FontFamily::gothic).width_mm = 60;
      doc.pages.push_back(std::move(next));
      table_y.push_back(24);
      rows = {header_row()};
      used = 10;
    }
  };
  for (const auto& r : d.rows) {
    Row row = data_row(r);
    if (table_y.back() + used + row.height_mm > kBottom) flush(true);
    used += row.height_mm;
    rows.push_back(std::move(row));
    cost += r.total_cost;
    paid += r.insurance_paid;
    copay += r.copayment;
  }
  // The totals and the contact block close the last page (a new page when they do not fit).
  Row total{9, {label_cell(kMonth + kOffice + kService + kDays, "合計"), Cell{kCost, grouped(cost), false, Align::right, 8.5},
                Cell{kPaid, grouped(paid), false, Align::right, 8.5}, Cell{kCopay, grouped(copay), false, Align::right, 8.5}}};
  constexpr double kContact = 26;
  if (table_y.back() + used + total.height_mm + kContact > kBottom) flush(true);
  used += total.height_mm;
  rows.push_back(std::move(total));
  flush(false);
  contact_block(doc.pages.back(), table_y.back() + used + 6, d.issuer);

  const std::size_t n = doc.pages.size();
  for (std::size_t i = 0; i < n; ++i) {
    TextBlock& p = doc.pages[i].text(kLeft, 284, fmt::format("{} / {}", i + 1, n), 8);
    p.width_mm = kWidth;
    p.align = Align::center;
  }
  return doc;
}

Result<void> render_benefit_statement(PdfWriter& writer, const BenefitStatementData& d) {
  auto doc = benefit_statement_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

}  // namespace kaigo::notice

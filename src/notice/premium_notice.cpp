#include "notice/premium_notice.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "notice/table.hpp"

namespace kaigo::notice {
namespace {

constexpr double kLeft = 20;
constexpr double kWidth = 170;
constexpr double kExplanationPt = 8;
constexpr double kExplanationLineMm = 4.2;

std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string yen(std::int64_t n) { return grouped(n) + "円"; }

// Printed lines a text needs in `width_mm` at `size_pt`: a full-width character is about the
// point size wide, an ASCII one half of it. An estimate for laying out blocks one below another.
int lines_needed(const std::string& text, double width_mm, double size_pt) {
  double em = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    em += len == 1 ? 0.6 : 1.05;  // a little generous: an estimate that errs towards space
    i += len;
  }
  const double per_line = width_mm * points_per_mm() / size_pt;
  return std::max(1, static_cast<int>((em + per_line - 1) / per_line));
}

std::string postal(const std::string& code) {
  return code.size() == 7 ? fmt::format("〒{}-{}", code.substr(0, 3), code.substr(3)) : code;
}

std::string era_fiscal_year(int fy) { return to_wareki_year(Date(fy, 4, 1)) + "度"; }

}  // namespace

Result<Document> premium_notice(const PremiumNoticeData& d) {
  if (d.address.empty()) return fail(ErrorKind::invalid_input, "the notice needs the address", "address");
  if (d.name.empty()) return fail(ErrorKind::invalid_input, "the notice needs the name", "name");
  if (d.insured_no.empty()) return fail(ErrorKind::invalid_input, "the notice needs the 被保険者番号", "insured_no");
  if (d.insurer_name.empty()) return fail(ErrorKind::invalid_input, "the notice needs the insurer", "insurer_name");

  Document doc;
  Page page = a4_portrait();

  // Issuer, top right.
  TextBlock& no = page.text(110, 12, d.notice_no, 9);
  no.width_mm = 80;
  no.align = Align::right;
  TextBlock& date = page.text(110, 17, to_wareki(d.issued_on), 9);
  date.width_mm = 80;
  date.align = Align::right;
  TextBlock& mayor = page.text(110, 22, d.insurer_name + "長", 10);
  mayor.width_mm = 80;
  mayor.align = Align::right;

  // Addressee, in the window of a 長形3号 envelope.
  page.text(kLeft + 2, 22, postal(d.postal_code), 10);
  page.text(kLeft + 2, 28, d.address, 10).width_mm = 85;
  page.text(kLeft + 2, 42, d.name_kana, 8);
  page.text(kLeft + 2, 46, d.name + "　様", 13);
  page.text(kLeft + 2, 54, "被保険者番号　" + d.insured_no, 9, FontFamily::gothic);

  // Title and the decision in words.
  const std::string title = era_fiscal_year(d.fiscal_year) + (d.revision ? "　介護保険料額変更通知書" : "　介護保険料額決定通知書");
  TextBlock& t = page.text(kLeft, 68, title, 15, FontFamily::gothic);
  t.width_mm = kWidth;
  t.align = Align::center;
  t.bold = true;
  const std::string body =
      d.revision ? fmt::format("{}の介護保険料額を、{}により次のとおり変更しましたので通知します。",
                               era_fiscal_year(d.fiscal_year), d.cause.empty() ? "賦課の基礎となる事項の異動" : d.cause)
                 : fmt::format("{}の介護保険料額を次のとおり決定しましたので、介護保険法第129条及び{}介護保険条例の規定により通知します。",
                               era_fiscal_year(d.fiscal_year), d.insurer_name);
  TextBlock& b = page.text(kLeft, 80, body, 10);
  b.width_mm = kWidth;
  b.line_spacing_pt = 2;

  // The decision.
  std::vector<Row> rows = {
      {8, {label_cell(35, "賦課基準日"), value_cell(50, to_wareki(d.base_date)), label_cell(35, "所得段階"),
           value_cell(50, d.stage_label)}},
      {8, {label_cell(35, "基準額 (年額)"), value_cell(50, yen(d.base_amount), Align::right),
           label_cell(35, "基準額に対する割合"), value_cell(50, d.ratio, Align::right)}},
      {8, {label_cell(35, "年額保険料"), value_cell(50, yen(d.annual_amount), Align::right),
           label_cell(35, "賦課月数"), value_cell(50, fmt::format("{}か月", d.months), Align::right)}},
  };
  if (d.revision) {
    rows.push_back({9, {label_cell(35, "変更前の保険料額"), value_cell(50, yen(d.previous_amount), Align::right),
                        label_cell(35, "変更後の保険料額"), value_cell(50, yen(d.amount), Align::right)}});
    const std::int64_t diff = d.amount - d.previous_amount;
    rows.push_back({9, {label_cell(35, diff >= 0 ? "増額" : "減額 (還付又は充当)"),
                        value_cell(135, yen(diff < 0 ? -diff : diff), Align::right)}});
  } else {
    rows.push_back({10, {label_cell(35, fmt::format("{}\n保険料額", era_fiscal_year(d.fiscal_year))),
                         value_cell(135, yen(d.amount), Align::right)}});
    rows.back().cells.back().size_pt = 13;
  }
  double y = draw_table(page, kLeft, 92, rows);

  // Why this stage: the assessment's own explanation, line by line.
  y += 5;
  page.text(kLeft, y, "保険料段階の判定", 10, FontFamily::gothic).bold = true;
  y += 6;
  const double top = y - 1.5;
  constexpr double kLabelW = 58;  // the longest input label ("入力: 生活保護・中国残留邦人等受給") on one line
  for (const auto& line : d.explanation) {
    page.text(kLeft + 2, y, line.label, kExplanationPt, FontFamily::gothic).width_mm = kLabelW;
    TextBlock& text = page.text(kLeft + 4 + kLabelW, y, line.text, kExplanationPt);
    text.width_mm = kWidth - 6 - kLabelW;
    y += kExplanationLineMm * std::max(lines_needed(line.label, kLabelW, kExplanationPt),
                                       lines_needed(line.text, kWidth - 6 - kLabelW, kExplanationPt));
  }
  page.box(kLeft, top, kWidth, y - top + 1);
  y += 5;

  // How it is collected.
  page.text(kLeft, y, "納付の方法", 10, FontFamily::gothic).bold = true;
  y += 6;
  if (d.instalments.empty()) {
    page.text(kLeft + 2, y, "納付の方法と納期は、別にお送りする納入通知書又は特別徴収のお知らせでお知らせします。", 9)
        .width_mm = kWidth - 4;
    y += 8;
  } else {
    page.text(kLeft + 2, y, d.collection_method, 9);
    y += 6;
    const std::size_t per_row = 6;
    const double cell = kWidth / static_cast<double>(per_row + 1);
    for (std::size_t at = 0; at < d.instalments.size(); at += per_row) {
      Row labels{6, {label_cell(cell, "期別")}}, dues{6, {label_cell(cell, "納期")}}, amounts{7, {label_cell(cell, "金額")}};
      for (std::size_t i = at; i < std::min(at + per_row, d.instalments.size()); ++i) {
        labels.cells.push_back(label_cell(cell, d.instalments[i].label));
        dues.cells.push_back(value_cell(cell, d.instalments[i].due, Align::center));
        dues.cells.back().size_pt = 7;
        amounts.cells.push_back(value_cell(cell, yen(d.instalments[i].amount), Align::right));
      }
      y = draw_table(page, kLeft, y, {labels, dues, amounts}) + 2;
    }
  }

  // 教示 (行政不服審査法82条: the notice must say how to appeal).
  y = std::max(y + 4, 250.0);
  page.line(kLeft, y - 2, kLeft + kWidth, y - 2, 0.3);
  TextBlock& appeal = page.text(
      kLeft, y,
      "1　この処分に不服がある場合は、この通知を受け取った日の翌日から起算して3か月以内に、都道府県の介護保険審査会に"
      "審査請求をすることができます（介護保険法第183条）。\n"
      "2　この処分の取消しの訴えは、上記の審査請求に対する裁決の送達を受けた日の翌日から起算して6か月以内に、"
      + d.insurer_name + "を被告として（訴訟において" + d.insurer_name +
          "を代表する者は" + d.insurer_name + "長となります。）提起することができます（行政事件訴訟法第14条）。",
      7.5);
  appeal.width_mm = kWidth;
  appeal.line_spacing_pt = 1.5;

  doc.pages.push_back(std::move(page));
  return doc;
}

}  // namespace kaigo::notice

// The parts every 認定 document shares: validation of the issuer, addressee and person, the
// letterhead and addressee block, the contact block and the 教示. The documents themselves are in
// certification_documents_*.cpp, one file each.
#include <algorithm>

#include <fmt/format.h>

#include "notice/certification_documents_internal.hpp"
#include "notice/table.hpp"

namespace kaigo::notice::certification_docs {

Result<void> check_digits(std::string_view value, std::size_t n, const std::string& field, std::string_view what) {
  if (value.size() != n || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fail(ErrorKind::invalid_input, fmt::format("{} must be {} digits", what, n), field);
  return {};
}

Result<void> check_text(std::string_view value, const std::string& field, std::string_view what) {
  if (value.empty()) return fail(ErrorKind::invalid_input, fmt::format("{} is required", what), field);
  return {};
}

Result<void> check_issuer(const CertificationIssuer& i) {
  if (auto ok = check_digits(i.insurer_no, 6, "issuer.insurer_no", "保険者番号"); !ok) return ok;
  if (auto ok = check_text(i.insurer_name, "issuer.insurer_name", "保険者名"); !ok) return ok;
  if (auto ok = check_text(i.department, "issuer.department", "担当課"); !ok) return ok;
  return {};
}

Result<void> check_addressee(const Addressee& a) {
  if (!a.postal_code.empty())
    if (auto ok = check_digits(a.postal_code, 7, "addressee.postal_code", "郵便番号"); !ok) return ok;
  if (auto ok = check_text(a.address, "addressee.address", "宛先の住所"); !ok) return ok;
  if (auto ok = check_text(a.name, "addressee.name", "宛名"); !ok) return ok;
  return {};
}

Result<void> check_person(const CertificationPerson& p) {
  if (auto ok = check_digits(p.insured_no, 10, "person.insured_no", "被保険者番号"); !ok) return ok;
  if (auto ok = check_text(p.name, "person.name", "氏名"); !ok) return ok;
  if (auto ok = check_text(p.address, "person.address", "住所"); !ok) return ok;
  return {};
}

std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string period_text(const DatePeriod& p) { return to_wareki(p.from) + "～" + to_wareki(p.to); }

std::string sex_text(Sex s) { return s == Sex::male ? "男" : "女"; }

int lines_needed(const std::string& text, double width_mm, double size_pt) {
  const double per_line = width_mm * points_per_mm() / size_pt;
  int lines = 0;
  std::size_t start = 0;
  while (true) {  // each '\n' starts a line of its own
    const std::size_t end = text.find('\n', start);
    const std::string_view part(text.data() + start, (end == std::string::npos ? text.size() : end) - start);
    double em = 0;
    for (std::size_t i = 0; i < part.size();) {
      const auto lead = static_cast<unsigned char>(part[i]);
      const std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      em += len == 1 ? 0.6 : 1.05;
      i += len;
    }
    lines += std::max(1, static_cast<int>((em + per_line - 1) / per_line));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

double row_height(const std::string& text, double width_mm, double size_pt, double min_mm) {
  const double line_mm = size_pt / points_per_mm() * 1.45;
  return std::max(min_mm, lines_needed(text, width_mm - 2.4, size_pt) * line_mm + 3);
}

void letterhead(Page& page, const CertificationIssuer& issuer, const std::string& document_no, Date issued_on) {
  TextBlock& no = page.text(110, 12, document_no, 9);
  no.width_mm = 80;
  no.align = Align::right;
  TextBlock& date = page.text(110, 17, to_wareki(issued_on), 9);
  date.width_mm = 80;
  date.align = Align::right;
  TextBlock& mayor = page.text(110, 22, issuer.insurer_name + "長", 10);
  mayor.width_mm = 80;
  mayor.align = Align::right;
}

void addressee_block(Page& page, const Addressee& a, const std::string& insured_no) {
  if (a.postal_code.size() == 7)
    page.text(kLeft + 2, 22, fmt::format("〒{}-{}", a.postal_code.substr(0, 3), a.postal_code.substr(3)), 10);
  page.text(kLeft + 2, 28, a.address, 10).width_mm = 85;
  page.text(kLeft + 2, 42, a.name_kana, 8);
  page.text(kLeft + 2, 46, a.name + "　様", 13);
  if (!insured_no.empty()) page.text(kLeft + 2, 54, "被保険者番号　" + insured_no, 9, FontFamily::gothic);
}

double title(Page& page, double y, const std::string& text) {
  TextBlock& t = page.text(kLeft, y, text, 15, FontFamily::gothic);
  t.width_mm = kWidth;
  t.align = Align::center;
  t.bold = true;
  return y + 11;
}

double paragraph(Page& page, double y, const std::string& text, double size_pt) {
  TextBlock& b = page.text(kLeft, y, text, size_pt);
  b.width_mm = kWidth;
  b.line_spacing_pt = 2;
  const double line_mm = (size_pt + 2) / points_per_mm() * 1.25;
  return y + lines_needed(text, kWidth, size_pt) * line_mm + 3;
}

double contact_block(Page& page, double y, const CertificationIssuer& issuer, std::string_view heading) {
  std::string body = issuer.department;
  if (!issuer.address.empty()) body += "\n" + issuer.address;
  if (!issuer.phone.empty()) body += "\n電話　" + issuer.phone;
  const double h = row_height(body, kWidth - 30, 9, 10);
  return draw_table(page, kLeft, y, {{h, {label_cell(30, std::string(heading)), value_cell(kWidth - 30, body)}}});
}

void appeal_block(Page& page, double y, const CertificationIssuer& issuer) {
  const std::string board = issuer.review_board.empty() ? "都道府県の介護保険審査会" : issuer.review_board;
  const std::string& city = issuer.insurer_name;
  y = std::max(y + 4, 247.0);
  page.line(kLeft, y - 2, kLeft + kWidth, y - 2, 0.3);
  page.text(kLeft, y, "教示", 9, FontFamily::gothic).bold = true;
  TextBlock& appeal = page.text(
      kLeft, y + 5,
      "1　この処分に不服がある場合は、この処分があったことを知った日の翌日から起算して3か月以内に、" + board +
          "に対して審査請求をすることができます（介護保険法第183条・第192条）。\n"
          "2　この処分の取消しの訴えは、上記の審査請求に対する裁決を経た後でなければ提起することができません（介護保険法第196条）。"
          "取消しの訴えは、その裁決があったことを知った日の翌日から起算して6か月以内に、" +
          city + "を被告として（訴訟において" + city + "を代表する者は" + city +
          "長となります。）提起することができます（行政事件訴訟法第14条）。",
      7.5);
  appeal.width_mm = kWidth;
  appeal.line_spacing_pt = 1.5;
}

}  // namespace kaigo::notice::certification_docs

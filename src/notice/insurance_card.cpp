#include "notice/insurance_card.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "notice/table.hpp"

namespace kaigo::notice {

namespace {

// One panel of the card (様式第一号 is folded in three; each third is this size).
constexpr double kPanelW = 91;
constexpr double kPanelH = 128;
constexpr double kInset = 3;                      // printing margin inside a panel
constexpr double kInnerW = kPanelW - 2 * kInset;  // 85
// The panels on A4 portrait: (1) top left, (2) top right, (3) bottom left, notes bottom right.
constexpr double kGap = 8;  // between panels, room for the cut lines and the captions
constexpr double kLeft = (kA4WidthMm - 2 * kPanelW - kGap) / 2;
constexpr double kTop = 18;

bool all_digits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string wareki(const std::optional<Date>& d) { return d ? to_wareki(*d) : std::string(); }

std::string period_text(const std::optional<DatePeriod>& p) {
  if (!p) return "　　年　月　日　～　　年　月　日";
  return to_wareki(p->from) + "～" + to_wareki(p->to);
}

// Units with thousands separators ("19,705"); units are counts, not money.
std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// A label standing across several rows, written top to bottom (the form's 被保険者 column).
void side_label(Page& page, double x, double y, double w, double h, std::string_view text) {
  page.box(x, y, w, h);
  std::string vertical;
  for (std::size_t i = 0; i < text.size();) {
    // UTF-8: copy one whole character, then a line break.
    std::size_t len = 1;
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead >= 0xF0) len = 4;
    else if (lead >= 0xE0) len = 3;
    else if (lead >= 0xC0) len = 2;
    if (!vertical.empty()) vertical += '\n';
    vertical.append(text.substr(i, len));
    i += len;
  }
  TextBlock& t = page.text(x, y, vertical, 7.5, FontFamily::gothic);
  t.width_mm = w;
  t.height_mm = h;
  t.align = Align::center;
}

void panel_frame(Page& page, double x, double y, std::string_view caption) {
  page.box(x, y, kPanelW, kPanelH, 1.0);
  // Cut lines 2 mm outside the frame, as on forms printed several to a sheet.
  page.line(x - 2, y - 2, x + kPanelW + 2, y - 2, 0.3, true);
  page.line(x - 2, y + kPanelH + 2, x + kPanelW + 2, y + kPanelH + 2, 0.3, true);
  page.line(x - 2, y - 2, x - 2, y + kPanelH + 2, 0.3, true);
  page.line(x + kPanelW + 2, y - 2, x + kPanelW + 2, y + kPanelH + 2, 0.3, true);
  TextBlock& t = page.text(x, y - 6, std::string(caption), 6.5, FontFamily::gothic);
  t.width_mm = kPanelW;
  t.align = Align::left;
}

// Panel (1): the insured person, the issue date and the insurer.
void identity_panel(Page& page, const InsuranceCardData& c) {
  const double x = kLeft, y = kTop;
  panel_frame(page, x, y, "（一）");
  TextBlock& title = page.text(x + kInset, y + 4, "介護保険被保険者証", 13, FontFamily::mincho);
  title.width_mm = kInnerW;
  title.align = Align::center;
  title.bold = true;
  double top = y + 13;
  if (!c.reissue_reason.empty()) {
    // 再交付 stands out in a box at the top right; the reason is printed beside the title row.
    page.box(x + kPanelW - kInset - 14, y + 3, 14, 7, 0.8);
    TextBlock& mark = page.text(x + kPanelW - kInset - 14, y + 3, "再交付", 8, FontFamily::gothic);
    mark.width_mm = 14;
    mark.height_mm = 7;
    mark.align = Align::center;
    mark.bold = true;
    TextBlock& reason = page.text(x + kInset, y + 11.5, "再交付の理由：" + c.reissue_reason, 7,
                                  FontFamily::gothic);
    reason.width_mm = kInnerW;
    reason.align = Align::right;
    top = y + 16;
  }
  const double side = 7, label = 16, value = kInnerW - side - label;
  const std::vector<Row> person = {
      {10, {label_cell(label, "番号"), Cell{value, c.insured_no, false, Align::left, 11}}},
      {20, {label_cell(label, "住所"), value_cell(value, c.address)}},
      {6, {label_cell(label, "フリガナ"), Cell{value, c.name_kana, false, Align::left, 7}}},
      {13, {label_cell(label, "氏名"), Cell{value, c.name, false, Align::left, 13}}},
      {10,
       {label_cell(label, "生年月日"), value_cell(value - 22, to_wareki(c.birth_date)),
        label_cell(8, "性別"), value_cell(14, c.sex == Sex::male ? "男" : "女", Align::center)}},
  };
  double person_h = 0;
  for (const Row& r : person) person_h += r.height_mm;
  side_label(page, x + kInset, top, side, person_h, "被保険者");
  double below = draw_table(page, x + kInset + side, top, person);
  const double wide_label = side + label;
  draw_table(page, x + kInset, below,
                     {{9, {label_cell(wide_label, "交付年月日"), value_cell(value, to_wareki(c.issued_on))}},
                      {30,
                       {label_cell(wide_label, "保険者番号\n並びに保険者\nの名称及び印"),
                        Cell{value, c.insurer_no + "\n" + c.insurer_name, false, Align::left, 11}}}});
}

// Panel (2): the care-need certification.
void certification_panel(Page& page, const InsuranceCardData& c) {
  const double x = kLeft + kPanelW + kGap, y = kTop;
  panel_frame(page, x, y, "（二）");
  const double label = 24, value = kInnerW - label;
  const std::string cap =
      c.monthly_benefit_cap_units ? "1月当たり　" + grouped(*c.monthly_benefit_cap_units) + "単位" : "1月当たり";
  double below = draw_table(
      page, x + kInset, y + kInset,
      {{11, {label_cell(label, "要介護状態\n区分等"), Cell{value, c.care_level, false, Align::left, 12}}},
       {14,
        {Cell{label, "認定年月日\n（事業対象者の場合は、基本チェックリスト実施日）", true, Align::center, 5.5},
         value_cell(value, wareki(c.certified_on))}},
       {10, {label_cell(label, "認定の有効期間"), value_cell(value, period_text(c.validity_period))}}});
  // 居宅サービス等: the cap with its period, then the form's rows for caps by service kind.
  const double side = 7, inner_label = label - side;
  const std::vector<Row> services = {
      {9, {label_cell(inner_label, "期間"), value_cell(value, period_text(c.benefit_cap_period))}},
      {9, {label_cell(inner_label, "区分支給\n限度基準額"), value_cell(value, cap)}},
      {6, {label_cell(inner_label + 30, "（うち種類支給限度基準額）\nサービスの種類"),
           label_cell(value - 30, "種類支給限度基準額")}},
      {6, {value_cell(inner_label + 30, ""), value_cell(value - 30, "")}},
      {6, {value_cell(inner_label + 30, ""), value_cell(value - 30, "")}},
  };
  double services_h = 0;
  for (const Row& r : services) services_h += r.height_mm;
  side_label(page, x + kInset, below, side, services_h, "居宅サービス等");
  below = draw_table(page, x + kInset + side, below, services);
  const double remarks_h = y + kPanelH - kInset - below;
  draw_table(page, x + kInset, below,
             {{remarks_h,
               {label_cell(label, "認定審査会\nの意見及び\nサービスの\n種類の指定"),
                value_cell(value, c.committee_remarks)}}});
}

// Panel (3): benefit restrictions, the care-plan office, care facilities.
void benefits_panel(Page& page, const InsuranceCardData& c) {
  const double x = kLeft, y = kTop + kPanelH + kGap + 2;
  panel_frame(page, x, y, "（三）");
  const double side = 7;
  // 給付制限: three rows of content and period.
  std::vector<Row> restrictions = {
      {6, {label_cell(40, "内容"), label_cell(kInnerW - side - 40, "期間")}}};
  for (std::size_t i = 0; i < kCardBenefitRestrictionRows; ++i) {
    const BenefitRestriction* r = i < c.benefit_restrictions.size() ? &c.benefit_restrictions[i] : nullptr;
    restrictions.push_back(
        {10,
         {value_cell(40, r ? r->content : ""),
          Cell{kInnerW - side - 40, "開始　" + (r ? wareki(r->from) : "") + "\n終了　" + (r ? wareki(r->to) : ""),
               false, Align::left, 7.5}}});
  }
  double h = 6 + 10.0 * kCardBenefitRestrictionRows;
  side_label(page, x + kInset, y + kInset, side, h, "給付制限");
  double below = draw_table(page, x + kInset + side, y + kInset, restrictions);
  // The care-plan office and the notification date.
  std::vector<Row> offices = {
      {10,
       {label_cell(kInnerW - side - 24,
                   "居宅介護支援事業者若しくは介護予防支援事業者及びその事業所の名称又は地域包括支援センターの名称"),
        label_cell(24, "届出年月日")}}};
  for (std::size_t i = 0; i < kCardCarePlanOfficeRows; ++i) {
    const CarePlanOffice* o = i < c.care_plan_offices.size() ? &c.care_plan_offices[i] : nullptr;
    offices.push_back({8,
                       {value_cell(kInnerW - side - 24, o ? o->name : ""),
                        Cell{24, o ? to_wareki(o->notified_on) : "", false, Align::center, 7.5}}});
  }
  h = 10 + 8.0 * kCardCarePlanOfficeRows;
  side_label(page, x + kInset, below, side, h, "支援事業者");
  below = draw_table(page, x + kInset + side, below, offices);
  // 介護保険施設等: kind, name, entry and exit.
  const double kind_w = 16, dates_w = 30, name_w = kInnerW - side - kind_w - dates_w;
  std::vector<Row> facilities = {
      {6, {label_cell(kind_w, "種類"), label_cell(name_w, "名称"), label_cell(dates_w, "入所等・退所等年月日")}}};
  const double rest = y + kPanelH - kInset - below - 6;
  const double row_h = rest / static_cast<double>(kCardFacilityRows);
  for (std::size_t i = 0; i < kCardFacilityRows; ++i) {
    const FacilityStay* f = i < c.facilities.size() ? &c.facilities[i] : nullptr;
    facilities.push_back(
        {row_h,
         {Cell{kind_w, f ? f->kind : "", false, Align::left, 7.5}, value_cell(name_w, f ? f->name : ""),
          Cell{dates_w, "入所等　" + (f ? wareki(f->entered_on) : "") + "\n退所等　" + (f ? wareki(f->left_on) : ""),
               false, Align::left, 7}}});
  }
  side_label(page, x + kInset, below, side, 6 + rest, "介護保険施設等");
  draw_table(page, x + kInset + side, below, facilities);
}

// The fourth quarter: the notes printed on the back of the card (注意事項), in this city's words.
void notes_panel(Page& page, const InsuranceCardData& c) {
  const double x = kLeft + kPanelW + kGap, y = kTop + kPanelH + kGap + 2;
  panel_frame(page, x, y, "（注意事項）");
  TextBlock& head = page.text(x + kInset, y + 4, "注意事項", 10, FontFamily::gothic);
  head.width_mm = kInnerW;
  head.align = Align::center;
  head.bold = true;
  const std::string& city = c.insurer_name;
  TextBlock& body = page.text(
      x + kInset + 1, y + 12,
      "一　介護保険のサービスを受けようとするときは、あらかじめ" + city +
          "の窓口で要介護認定又は要支援認定を受けてください。\n"
          "二　サービスを受けるときは、この証を事業者又は施設の窓口に提示してください。\n"
          "三　住所、氏名など記載事項に変更があったときは、十四日以内に、この証を添えて" + city +
          "に届け出てください。\n"
          "四　被保険者の資格がなくなったときは、遅滞なくこの証を" + city + "に返してください。\n"
          "五　この証を他人に譲り渡し、又は貸してはいけません。\n"
          "六　この証を紛失し、又は汚したときは、" + city + "の窓口で再交付を受けてください。",
      8, FontFamily::mincho);
  body.width_mm = kInnerW - 2;
  body.line_spacing_pt = 2.5;
}

}  // namespace

Result<void> validate(const InsuranceCardData& c) {
  if (!all_digits(c.insured_no, 10))
    return fail(ErrorKind::invalid_input, "被保険者番号 must be 10 digits", "insured_no");
  if (!all_digits(c.insurer_no, 6))
    return fail(ErrorKind::invalid_input, "保険者番号 must be 6 digits", "insurer_no");
  if (c.name.empty()) return fail(ErrorKind::invalid_input, "氏名 is required", "name");
  if (c.insurer_name.empty()) return fail(ErrorKind::invalid_input, "保険者名 is required", "insurer_name");
  if (c.benefit_restrictions.size() > kCardBenefitRestrictionRows)
    return fail(ErrorKind::invalid_input, "more 給付制限 than the card has rows for", "benefit_restrictions");
  if (c.care_plan_offices.size() > kCardCarePlanOfficeRows)
    return fail(ErrorKind::invalid_input, "more 居宅介護支援事業者 than the card has rows for", "care_plan_offices");
  if (c.facilities.size() > kCardFacilityRows)
    return fail(ErrorKind::invalid_input, "more 介護保険施設等 than the card has rows for", "facilities");
  if (c.validity_period && c.validity_period->to < c.validity_period->from)
    return fail(ErrorKind::invalid_input, "認定の有効期間 ends before it starts", "validity_period");
  return {};
}

Result<Document> insurance_card_document(const InsuranceCardData& card) {
  if (auto ok = validate(card); !ok) return std::unexpected(ok.error());
  Page page = a4_portrait();
  identity_panel(page, card);
  certification_panel(page, card);
  benefits_panel(page, card);
  notes_panel(page, card);
  Document doc;
  doc.pages.push_back(std::move(page));
  return doc;
}

Result<void> render_insurance_card(PdfWriter& writer, const InsuranceCardData& card) {
  auto doc = insurance_card_document(card);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

Result<PrintFileSummary> write_insurance_cards(const std::filesystem::path& file,
                                               std::span<const InsuranceCardData> cards) {
  for (std::size_t i = 0; i < cards.size(); ++i) {
    if (auto ok = validate(cards[i]); !ok) {
      Error e = ok.error();
      e.field = "cards[" + std::to_string(i) + "]." + e.field;
      return std::unexpected(std::move(e));
    }
  }
  auto writer = PdfWriter::open(file, PdfMetadata{"介護保険被保険者証", ""});
  if (!writer) return std::unexpected(writer.error());
  for (const InsuranceCardData& card : cards) {
    if (auto ok = render_insurance_card(*writer, card); !ok) return std::unexpected(ok.error());
  }
  return writer->finish();
}

}  // namespace kaigo::notice

// The requests that go with NT-07 and NT-09 as paper: 認定調査依頼書 to the contractor (or the
// city's own assessors) — 介護保険法27条2項 (the 調査, which the city may entrust) — and
// 主治医意見書作成依頼書 to the doctor — 法27条3項 (主治の医師の意見). Each names the request number
// the result comes back with through shinsa (docs/shinsa-layout.md), the person, the due date and
// the city's contact. The person's data are given for that work only, and the page says so.
#include <fmt/format.h>

#include "notice/certification_documents_internal.hpp"
#include "notice/table.hpp"

namespace kaigo::notice {

using namespace certification_docs;

namespace {

// The person block both requests print.
std::vector<Row> person_rows(const CertificationPerson& p, double label, double value) {
  return {
      {8, {label_cell(label, "被保険者番号"), value_cell(value, p.insured_no)}},
      {6, {label_cell(label, "フリガナ"), Cell{value, p.name_kana, false, Align::left, 7.5}}},
      {10, {label_cell(label, "氏名"), Cell{value, p.name, false, Align::left, 12}}},
      {8, {label_cell(label, "生年月日"), value_cell(70, to_wareki(p.birth_date)), label_cell(25, "性別"),
           value_cell(value - 95, sex_text(p.sex), Align::center)}},
      {row_height(p.address, value, 9, 9), {label_cell(label, "住所"), value_cell(value, p.address)}},
      {8, {label_cell(label, "電話番号"), value_cell(value, p.phone)}},
  };
}

Result<void> check_request(const CertificationIssuer& issuer, const std::string& request_no,
                           const std::string& application_kind, const CertificationPerson& person, Date issued_on,
                           Date due_on) {
  if (auto ok = check_issuer(issuer); !ok) return ok;
  if (auto ok = check_text(request_no, "request_no", "依頼番号"); !ok) return ok;
  if (auto ok = check_text(application_kind, "application_kind", "申請区分"); !ok) return ok;
  if (auto ok = check_person(person); !ok) return ok;
  if (due_on < issued_on) return fail(ErrorKind::invalid_input, "提出期限 is before the request date", "due_on");
  return {};
}

Document one_page(Page page) {
  Document doc;
  doc.pages.push_back(std::move(page));
  return doc;
}

// The addressee of a request: an organisation (and a person there), top left.
void recipient_block(Page& page, const std::string& organisation, const std::string& person_line) {
  page.text(kLeft + 2, 24, organisation, 12).width_mm = 95;
  if (!person_line.empty()) page.text(kLeft + 2, 32, person_line, 12).width_mm = 95;
}

// The rows both request forms open with: the request and the application, then the person.
constexpr double kLabel = 40, kValue = kWidth - kLabel;
template <typename RequestData>
std::vector<Row> request_rows(const RequestData& d) {
  std::vector<Row> rows = {
      {8, {label_cell(kLabel, "依頼番号"), value_cell(45, d.request_no), label_cell(35, "申請番号"),
           value_cell(kValue - 80, d.application_no)}},
      {8, {label_cell(kLabel, "申請年月日"), value_cell(45, to_wareki(d.applied_on)), label_cell(35, "申請区分"),
           value_cell(kValue - 80, d.application_kind)}},
  };
  for (Row& r : person_rows(d.person, kLabel, kValue)) rows.push_back(std::move(r));
  return rows;
}

}  // namespace

Result<void> validate(const AssessmentRequestData& d) {
  if (auto ok = check_request(d.issuer, d.request_no, d.application_kind, d.person, d.issued_on, d.due_on); !ok)
    return ok;
  if (auto ok = check_text(d.contractor_name, "contractor_name", "委託先"); !ok) return ok;
  if (auto ok = check_text(d.place, "place", "調査場所の区分"); !ok) return ok;
  return {};
}

Result<Document> assessment_request_document(const AssessmentRequestData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  Page page = a4_portrait();
  letterhead(page, d.issuer, d.document_no, d.issued_on);
  recipient_block(page, d.contractor_name + "　御中", d.assessor_name.empty() ? "" : "（調査員　" + d.assessor_name + "　様）");

  double y = title(page, 50, "認定調査依頼書");
  y = paragraph(page, y,
                "下記の者から要介護認定等の申請がありましたので、介護保険法第27条第2項（更新及び区分変更の申請に"
                "係るものを含む。）の規定による調査（認定調査）を依頼します。調査の結果（概況調査、基本調査及び特記事項）は、"
                "提出期限までに、依頼番号を付して提出してください。");

  std::vector<Row> rows = request_rows(d);
  const std::string place = d.place_detail.empty() ? d.place : d.place + "（" + d.place_detail + "）";
  rows.push_back({8, {label_cell(kLabel, "調査場所"), value_cell(kValue, place)}});
  rows.push_back({8, {label_cell(kLabel, "調査員"), value_cell(kValue, d.assessor_name.empty() ? "（事業者で選任）" : d.assessor_name)}});
  rows.push_back({11, {label_cell(kLabel, "提出期限"), Cell{kValue, to_wareki(d.due_on), false, Align::left, 12}}});
  y = draw_table(page, kLeft, y + 2, rows) + 5;
  y = paragraph(page, y,
                "・調査の日時は、本人又は家族と調整のうえ決めてください。期限までに調査ができないときは、速やかに下記の担当課に"
                "連絡してください。\n"
                "・この依頼書に記載された個人情報は、認定調査の目的以外に使用しないでください。調査に従事する者には秘密を"
                "守る義務があります（介護保険法第24条の2第2項ほか）。",
                9);
  contact_block(page, y + 2, d.issuer, "依頼元");
  return one_page(std::move(page));
}

Result<void> render_assessment_request(PdfWriter& writer, const AssessmentRequestData& d) {
  auto doc = assessment_request_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

Result<void> validate(const OpinionRequestData& d) {
  if (auto ok = check_request(d.issuer, d.request_no, d.application_kind, d.person, d.issued_on, d.due_on); !ok)
    return ok;
  if (auto ok = check_text(d.institution_name, "institution_name", "医療機関名"); !ok) return ok;
  if (auto ok = check_text(d.doctor_name, "doctor_name", "主治医の氏名"); !ok) return ok;
  return {};
}

Result<Document> opinion_request_document(const OpinionRequestData& d) {
  if (auto ok = validate(d); !ok) return std::unexpected(ok.error());
  Page page = a4_portrait();
  letterhead(page, d.issuer, d.document_no, d.issued_on);
  recipient_block(page, d.institution_name, d.doctor_name + "　先生");

  double y = title(page, 50, "主治医意見書作成依頼書");
  y = paragraph(page, y,
                "下記の者から要介護認定等の申請があり、あなたが主治医として届け出られていますので、介護保険法第27条第3項"
                "（更新及び区分変更の申請に係るものを含む。）の規定により、主治医意見書の作成を依頼します。作成した意見書は、"
                "提出期限までに、依頼番号を付して提出してください。");

  std::vector<Row> rows = request_rows(d);
  rows.push_back({8, {label_cell(kLabel, "意見書の区分"),
                      value_cell(kValue, d.first_visit ? "新規（この方について初めての意見書）" : "継続（2回目以降の意見書）")}});
  rows.push_back({11, {label_cell(kLabel, "提出期限"), Cell{kValue, to_wareki(d.due_on), false, Align::left, 12}}});
  y = draw_table(page, kLeft, y + 2, rows) + 5;
  y = paragraph(page, y,
                "・意見書の作成料は、意見書の区分と在宅・施設の別に応じて市が定める額をお支払いします。\n"
                "・申請者の診察がない場合や、期限までに作成できない場合は、速やかに下記の担当課に連絡してください。\n"
                "・この依頼書に記載された個人情報は、意見書の作成の目的以外に使用しないでください。",
                9);
  contact_block(page, y + 2, d.issuer, "依頼元");
  return one_page(std::move(page));
}

Result<void> render_opinion_request(PdfWriter& writer, const OpinionRequestData& d) {
  auto doc = opinion_request_document(d);
  if (!doc) return std::unexpected(doc.error());
  return writer.add(*doc);
}

}  // namespace kaigo::notice

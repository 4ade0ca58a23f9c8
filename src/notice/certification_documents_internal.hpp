#pragma once
// What the 認定 documents share (certification_documents.cpp): validation of the common parts,
// the letterhead, the addressee block, the contact block, the 教示, and layout estimates.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "notice/certification_documents.hpp"
#include "notice/document.hpp"

namespace kaigo::notice::certification_docs {

constexpr double kLeft = 20;    // left margin (mm)
constexpr double kWidth = 170;  // text width (mm)

Result<void> check_digits(std::string_view value, std::size_t n, const std::string& field, std::string_view what);
Result<void> check_text(std::string_view value, const std::string& field, std::string_view what);
Result<void> check_issuer(const CertificationIssuer& issuer);
Result<void> check_addressee(const Addressee& addressee);
Result<void> check_person(const CertificationPerson& person);

std::string grouped(std::int64_t n);  // 19,705
std::string period_text(const DatePeriod& p);  // 令和7年5月15日～令和7年11月30日
std::string sex_text(Sex s);
// Lines a text needs in `width_mm` at `size_pt` (an estimate that errs towards space).
int lines_needed(const std::string& text, double width_mm, double size_pt);
// A row height for a value cell holding `text` (at least `min_mm`).
double row_height(const std::string& text, double width_mm, double size_pt, double min_mm);

// Top right: 文書番号, the date in 和暦, "<insurer>長". Returns nothing: fixed place.
void letterhead(Page& page, const CertificationIssuer& issuer, const std::string& document_no, Date issued_on);
// Top left, in the window of a 長形3号 envelope: 〒, address, kana, name 様, 被保険者番号.
void addressee_block(Page& page, const Addressee& a, const std::string& insured_no);
// A centred bold title at `y`; returns the y below it.
double title(Page& page, double y, const std::string& text);
// A paragraph across the text width at `y`; returns the y below it.
double paragraph(Page& page, double y, const std::string& text, double size_pt = 10);
// お問い合わせ先 / the office: department, address, phone. Returns the y below it.
double contact_block(Page& page, double y, const CertificationIssuer& issuer, std::string_view heading = "お問い合わせ先");
// 教示 (行政不服審査法82条, 行政事件訴訟法46条): 審査請求 to the 介護保険審査会 within 3 months of
// knowing (介護保険法183条・192条, 行政不服審査法18条); the action for annulment within 6 months
// of the ruling, only after it (行政事件訴訟法14条, 介護保険法196条 審査請求前置). At the page's
// foot, or below `y` when the content runs lower.
void appeal_block(Page& page, double y, const CertificationIssuer& issuer);

}  // namespace kaigo::notice::certification_docs

// The parts every 給付 document shares: validation of the issuer, addressee, accounts, months and
// amounts; the letterhead, addressee block, contact block and 教示 (those of the 認定 documents,
// with the benefit office as issuer); the account and explanation rows. The documents themselves
// are in benefit_documents_*.cpp, one file each.
#include <algorithm>

#include <fmt/format.h>

#include "notice/benefit_documents_internal.hpp"

namespace kaigo::notice {

Result<std::string> service_month_text(const std::string& month, const std::string& field) {
  const bool shape = month.size() == 7 && month[4] == '-' &&
                     std::all_of(month.begin(), month.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
                     std::all_of(month.begin() + 5, month.end(), [](char c) { return c >= '0' && c <= '9'; });
  const int m = shape ? std::stoi(month.substr(5)) : 0;
  if (!shape || m < 1 || m > 12) return fail(ErrorKind::invalid_input, "a service month is YYYY-MM", field);
  const Date first(std::stoi(month.substr(0, 4)), static_cast<unsigned>(m), 1);
  return to_wareki_year(first) + fmt::format("{}月", m);
}

namespace benefit_docs {

CertificationIssuer as_issuer(const BenefitIssuer& i) {
  return {i.insurer_no, i.insurer_name, i.department, i.address, i.phone, i.review_board};
}

Result<void> check_issuer(const BenefitIssuer& i) { return certification_docs::check_issuer(as_issuer(i)); }

Result<void> check_addressee(const Addressee& a) { return certification_docs::check_addressee(a); }

Result<void> check_amount(std::int64_t v, const std::string& field, const char* what) {
  if (v < 0) return fail(ErrorKind::invalid_input, fmt::format("{} must not be negative", what), field);
  return {};
}

Result<void> check_payment_account(const PaymentAccount& a, const std::string& field) {
  if (auto ok = check_text(a.bank_name, field + ".bank_name", "金融機関名"); !ok) return ok;
  if (auto ok = check_text(a.branch_name, field + ".branch_name", "支店名"); !ok) return ok;
  if (auto ok = check_text(a.kind, field + ".kind", "預金種別"); !ok) return ok;
  if (a.account_no.empty() || a.account_no.size() > 8 ||
      !std::all_of(a.account_no.begin(), a.account_no.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fail(ErrorKind::invalid_input, "口座番号 must be 1 to 8 digits", field + ".account_no");
  if (auto ok = check_text(a.holder_kana, field + ".holder_kana", "口座名義"); !ok) return ok;
  return {};
}

std::string yen(std::int64_t n) { return grouped(n) + "円"; }

std::string masked(const std::string& account_no) {
  if (account_no.size() <= 3) return std::string(account_no.size(), '*');
  return std::string(account_no.size() - 3, '*') + account_no.substr(account_no.size() - 3);
}

void letterhead(Page& page, const BenefitIssuer& issuer, const std::string& document_no, Date issued_on) {
  certification_docs::letterhead(page, as_issuer(issuer), document_no, issued_on);
}

void addressee_block(Page& page, const Addressee& a, const std::string& insured_no) {
  certification_docs::addressee_block(page, a, insured_no);
}

double contact_block(Page& page, double y, const BenefitIssuer& issuer) {
  return certification_docs::contact_block(page, y, as_issuer(issuer));
}

void appeal_block(Page& page, double y, const BenefitIssuer& issuer) {
  certification_docs::appeal_block(page, y, as_issuer(issuer));
}

void account_rows(std::vector<Row>& rows, double label_w, double value_w, const PaymentAccount& a, Date payment_on) {
  rows.push_back({8, {label_cell(label_w, "振込先"), value_cell(value_w, fmt::format("{}　{}　{}　口座番号 {}", a.bank_name,
                                                                                    a.branch_name, a.kind, masked(a.account_no)))}});
  rows.push_back({8, {label_cell(label_w, "口座名義"), value_cell(value_w, a.holder_kana)}});
  rows.push_back({8, {label_cell(label_w, "支払予定日"), value_cell(value_w, to_wareki(payment_on))}});
}

void explanation_row(std::vector<Row>& rows, double label_w, double value_w, const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  std::string text;
  for (const auto& l : lines) text += (text.empty() ? "" : "\n") + l;
  rows.push_back({row_height(text, value_w, 8, 10), {label_cell(label_w, "算定の内訳"), Cell{value_w, text, false, Align::left, 8}}});
}

}  // namespace benefit_docs
}  // namespace kaigo::notice

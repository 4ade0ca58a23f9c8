#pragma once
// What the 給付 documents share (benefit_documents.cpp): validation of the issuer, addressee,
// accounts and months; the letterhead, addressee, contact and 教示 blocks (those of the 認定
// documents, certification_documents_internal.hpp, with the benefit office as issuer); the
// account and explanation rows.
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "notice/benefit_documents.hpp"
#include "notice/certification_documents_internal.hpp"
#include "notice/table.hpp"

namespace kaigo::notice::benefit_docs {

using certification_docs::check_digits;
using certification_docs::check_text;
using certification_docs::grouped;
using certification_docs::kLeft;
using certification_docs::kWidth;
using certification_docs::paragraph;
using certification_docs::period_text;
using certification_docs::row_height;
using certification_docs::title;

CertificationIssuer as_issuer(const BenefitIssuer& i);
Result<void> check_issuer(const BenefitIssuer& issuer);
Result<void> check_addressee(const Addressee& a);
Result<void> check_amount(std::int64_t v, const std::string& field, const char* what);
Result<void> check_payment_account(const PaymentAccount& a, const std::string& field);

std::string yen(std::int64_t n);                     // "12,345円"
std::string masked(const std::string& account_no);   // "*****567": only the last 3 digits

void letterhead(Page& page, const BenefitIssuer& issuer, const std::string& document_no, Date issued_on);
void addressee_block(Page& page, const Addressee& a, const std::string& insured_no);
double contact_block(Page& page, double y, const BenefitIssuer& issuer);
void appeal_block(Page& page, double y, const BenefitIssuer& issuer);

// 振込先 (bank, branch, kind, masked number, holder) and 支払予定日 as table rows.
void account_rows(std::vector<Row>& rows, double label_w, double value_w, const PaymentAccount& a, Date payment_on);
// 算定の内訳: the explanation lines, one per line, as one row (nothing when empty).
void explanation_row(std::vector<Row>& rows, double label_w, double value_w, const std::vector<std::string>& lines);

}  // namespace kaigo::notice::benefit_docs

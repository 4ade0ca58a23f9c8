#pragma once
// The 返還金 決定通知書 + 納付書 (KY-18) as a PDF: the data from the repayment, its debtor (the
// person, or the provider's office from config/codes/care_offices.tsv) and the office profile
// (config/benefit_payments.json: the sender block and the city's collection account). The first
// print writes benefit_document once_key "repayment_notice:<repayment_id>"; a later one is a
// reprint (once_key NULL). docs/benefit.md §KY-18.
#include <cstdint>
#include <filesystem>
#include <string>

#include "benefit/codes.hpp"
#include "core/clock.hpp"
#include "notice/benefit_documents.hpp"
#include "people/city_profile.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

struct PaymentsOffice {
  notice::BenefitIssuer issuer;
  notice::CollectionAccount collection;
  int payment_days = 30;  // 支払予定日 = decision day + this (KY-23)
};

// config/benefit_payments.json with the city profile; invalid_input naming the JSON path.
Result<PaymentsOffice> load_payments_office(const std::filesystem::path& config_dir, const people::CityProfile& city);

Result<notice::RepaymentNoticeData> repayment_notice_data(store::Connection& c, const BenefitConfig& config,
                                                          const PaymentsOffice& office, std::int64_t repayment_id,
                                                          Date issued_on);

// Renders the notice (2 pages) and records its issue; returns the PDF bytes.
Result<std::string> repayment_notice_pdf(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                         const PaymentsOffice& office, std::int64_t repayment_id, const std::string& actor);

// A rendered document as PDF bytes (shared with the KY-23 notice).
Result<std::string> benefit_pdf_bytes(const notice::Document& doc, const std::string& title, const std::string& subject);

}  // namespace kaigo::benefit

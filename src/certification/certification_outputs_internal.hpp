#pragma once
// Shared by the certification_outputs*.cpp and renewal*.cpp files: reading a document row, building
// each document's data from the stored rows, and turning pages into PDF bytes.
#include <cstdint>
#include <optional>
#include <string>

#include "certification/certification_outputs.hpp"
#include "notice/certification_documents.hpp"
#include "notice/insurance_card.hpp"

namespace kaigo::certification::detail {

// The columns of certification_document read by document_from, in order.
extern const char* const kDocumentColumns;
Result<CertificationDocument> document_from(const store::Row& r);

// The addressee block of a person as the register holds them.
struct PersonRecord {
  std::string person_id, name, name_kana, postal_code, address, insured_no;
  Date birth_date;
  notice::Sex sex = notice::Sex::female;
  notice::Addressee addressee() const;
};
// not_found: no such person. insured_no is "" when none was issued.
Result<PersonRecord> person_record(store::Connection& c, const std::string& person_id);

// NT-13: the notice of a decided application and, for a certified level, the card with its
// certification panel (none when the person has no card in force on or after the day).
struct ResultNotice {
  std::string person_id, insured_no;
  std::optional<std::int64_t> certification_id;  // none for 非該当
  notice::CertificationResultNoticeData notice;
  std::optional<notice::InsuranceCardData> card;
};
// conflict when the application is not decided or notified; not_found for no such application.
// Validated (notice and card) before it is returned.
Result<ResultNotice> result_notice_of(store::Connection& c, const OutputContext& out, std::int64_t application_id,
                                      Date issued_on);
// The pages: the notice, then the card.
Result<notice::Document> result_notice_pages(const ResultNotice& n);

// NT-06: the certificate's items, as sent to the medical insurer (kaigo.iryo.entitlement_certificate/1)
// and as printed. The exchange's payload is the record of what was certified: a reprint reads it.
std::string certificate_payload(const notice::EntitlementCertificateData& d, const std::string& person_id,
                                std::int64_t certification_id, const std::string& care_level_code);
Result<notice::EntitlementCertificateData> certificate_from_payload(const std::string& payload, const OutputContext& out);

// The 更新申請のお知らせ of a certification as of `issued_on`.
Result<notice::RenewalReminderData> renewal_reminder_of(store::Connection& c, const OutputContext& out,
                                                        std::int64_t certification_id, std::int64_t document_id,
                                                        Date issued_on);

// The pages of any stored document.
Result<notice::Document> document_pages(store::Connection& c, const OutputContext& out, const CertificationDocument& d);

// A document's PDF as bytes (rendered to a private temporary file and read back).
Result<std::string> pdf_bytes(const notice::Document& doc, const std::string& title, const std::string& subject);

// Opens (or finds the unfinished) print run of `job`: the id of the running run, or a new one
// with run_key "<today>-<n>". 0 when `open_new` is false and none is running.
Result<std::int64_t> running_print_run(store::Connection& c, const Clock& clock, const std::string& job,
                                       const std::string& actor, bool open_new);

// 文書番号 of the documents: "<insurer>介認第<n>号".
std::string document_no(const OutputContext& out, const std::string& n);

}  // namespace kaigo::certification::detail

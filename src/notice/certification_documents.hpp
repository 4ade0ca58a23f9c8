#pragma once
// The 認定 (care-need certification) documents, pure renderers like premium_notice and
// insurance_card: each is one data struct, `X_document(data)` → the page(s), and
// `render_X(writer, data)` appending them to a print file (one document at the counter, or one of
// a batch). Data come filled in by the service (labels as printed, dates as dates; the figures —
// caps, the 14 days, the 60 days — from the rule file, never from here). docs/notices.md.
//
//   要介護認定等結果通知書        NT-13, to the person     certification_result_notice_*
//   介護保険 認定延期通知書        法27条11項ただし書         certification_postponement_notice_*
//   介護保険受給資格証明書        NT-06, 法36条              entitlement_certificate_*
//   要介護認定 更新申請のお知らせ  施行規則35条               renewal_reminder_*
//   認定調査依頼書               NT-07, to the contractor   assessment_request_*
//   主治医意見書作成依頼書         NT-09, to the doctor       opinion_request_*
//
// Validation before anything is drawn: the shape of insured_no (10 digits) and insurer_no (6),
// non-empty names, dates in order — invalid_input naming the field ("person.name",
// "validity", "issuer.insurer_no").
#include <cstdint>
#include <optional>
#include <string>

#include "core/date.hpp"
#include "core/error.hpp"
#include "notice/document.hpp"
#include "notice/insurance_card.hpp"  // DatePeriod, Sex
#include "notice/pdf_writer.hpp"

namespace kaigo::notice {

// The city as insurer and its certification office: printed as the sender, as the place to ask
// or apply, and in the 教示. Filled from the city profile (config/city.json).
struct CertificationIssuer {
  std::string insurer_no;    // 保険者番号, 6 digits
  std::string insurer_name;  // みどり市 (the notices are issued by 市長: insurer_name + "長")
  std::string department;    // e.g. "みどり市 健康福祉局 介護保険課 認定係"
  std::string address;       // the office's address
  std::string phone;         // the office's telephone
  // 審査請求先, e.g. "○○県介護保険審査会"; empty prints "都道府県の介護保険審査会".
  std::string review_board;
};

// The addressee block of a letter to the person (window envelope).
struct Addressee {
  std::string postal_code;  // 7 digits or empty
  std::string address;
  std::string name;
  std::string name_kana;
};

// The person a request to a contractor or doctor is about.
struct CertificationPerson {
  std::string insured_no;  // 10 digits
  std::string name;
  std::string name_kana;
  Date birth_date;
  Sex sex = Sex::female;
  std::string address;
  std::string phone;  // may be empty
};

// ---- 要介護認定等結果通知書 (NT-13) ------------------------------------------------------------

struct CertificationResultNoticeData {
  CertificationIssuer issuer;
  std::string document_no;  // 文書番号, top right
  Date issued_on;
  Addressee addressee;
  std::string insured_no;
  std::string application_no;
  std::string application_kind;  // as printed: 新規, 更新, 区分変更, 職権, 転入
  Date applied_on;
  // A certified level (要支援１ … 要介護５): level, 認定日, 有効期間, cap and the remarks are printed.
  // Not certified (非該当): the reason is printed instead.
  bool certified = true;
  std::string care_level;                          // as printed, "要介護２" / "非該当"
  std::optional<Date> certified_on;                // 認定年月日 (certified only)
  std::optional<DatePeriod> validity;              // 認定の有効期間 (certified only)
  std::optional<std::int64_t> monthly_cap_units;   // 区分支給限度基準額, units a month (certified only)
  std::string committee_remarks;                   // 介護認定審査会の意見 (may be empty)
  std::string not_certified_reason;                // 非該当の理由 (required when not certified)
};

Result<void> validate(const CertificationResultNoticeData& data);
Result<Document> certification_result_notice_document(const CertificationResultNoticeData& data);
Result<void> render_certification_result_notice(PdfWriter& writer, const CertificationResultNoticeData& data);

// ---- 介護保険 認定延期通知書 (法27条11項ただし書) ----------------------------------------------

struct CertificationPostponementNoticeData {
  CertificationIssuer issuer;
  std::string document_no;
  Date issued_on;
  Addressee addressee;
  std::string insured_no;
  std::string application_no;
  std::string application_kind;  // as printed
  Date applied_on;
  Date expected_on;    // 処分をするためになお要する期間 → 処理見込期日 (after applied_on)
  std::string reason;  // 延期の理由 (e.g. 主治医意見書の提出が遅れているため)
};

Result<void> validate(const CertificationPostponementNoticeData& data);
Result<Document> certification_postponement_notice_document(const CertificationPostponementNoticeData& data);
Result<void> render_certification_postponement_notice(PdfWriter& writer,
                                                      const CertificationPostponementNoticeData& data);

// ---- 介護保険受給資格証明書 (NT-06, 法36条) ----------------------------------------------------

struct EntitlementCertificateData {
  CertificationIssuer issuer;
  std::string document_no;
  Date issued_on;
  CertificationPerson person;     // address = the address in this city (before the move)
  std::string new_address;        // 転出先 (may be empty when not known)
  Date moved_out_on;              // 転出年月日 (the day the address here ended)
  std::string care_level;         // as printed
  Date certified_on;              // 認定年月日
  DatePeriod validity;            // 認定の有効期間
  std::string committee_remarks;  // 介護認定審査会の意見及びサービスの種類の指定
  // 法36条: the new city certifies on these terms when applied for within this many days of
  // becoming insured there (the rule file's transfer_certificate_days).
  int transfer_certificate_days = 0;
};

Result<void> validate(const EntitlementCertificateData& data);
Result<Document> entitlement_certificate_document(const EntitlementCertificateData& data);
Result<void> render_entitlement_certificate(PdfWriter& writer, const EntitlementCertificateData& data);

// ---- 要介護認定 更新申請のお知らせ (施行規則35条) --------------------------------------------

struct RenewalReminderData {
  CertificationIssuer issuer;
  std::string document_no;
  Date issued_on;
  Addressee addressee;
  std::string insured_no;
  std::string care_level;      // as printed
  DatePeriod validity;         // the current certification's period
  Date window_opens;           // renewal_opens(validity.to): applications from this day
  int renewal_window_days = 0; // the rule file's renewal_window_days (printed: "60日前から")
  std::string where_to_apply;  // e.g. "各区役所 保健福祉課 高齢介護係 又は 郵送"; empty: the issuer's office
};

Result<void> validate(const RenewalReminderData& data);
Result<Document> renewal_reminder_document(const RenewalReminderData& data);
Result<void> render_renewal_reminder(PdfWriter& writer, const RenewalReminderData& data);

// ---- 認定調査依頼書 (NT-07) and 主治医意見書作成依頼書 (NT-09) ---------------------------------

struct AssessmentRequestData {
  CertificationIssuer issuer;
  std::string document_no;
  Date issued_on;              // 依頼日
  std::string request_no;      // C2026000123-1
  std::string application_no;
  std::string application_kind;  // as printed
  Date applied_on;
  std::string contractor_name;   // 委託先 (or the city's own assessors: "みどり市 介護保険課")
  std::string assessor_name;     // may be empty (the contractor assigns one)
  std::string place;             // 調査場所の区分 as printed: 在宅 / 施設
  std::string place_detail;      // the facility's name or "自宅" (may be empty)
  CertificationPerson person;
  Date due_on;                   // 調査結果の提出期限 (on or after issued_on)
};

Result<void> validate(const AssessmentRequestData& data);
Result<Document> assessment_request_document(const AssessmentRequestData& data);
Result<void> render_assessment_request(PdfWriter& writer, const AssessmentRequestData& data);

struct OpinionRequestData {
  CertificationIssuer issuer;
  std::string document_no;
  Date issued_on;
  std::string request_no;      // D2026000123-1
  std::string application_no;
  std::string application_kind;  // as printed
  Date applied_on;
  std::string institution_name;
  std::string doctor_name;
  bool first_visit = true;       // 意見書: 初回 / 2回目以降 (the fee's first / continued)
  CertificationPerson person;
  Date due_on;                   // 提出期限 (on or after issued_on)
};

Result<void> validate(const OpinionRequestData& data);
Result<Document> opinion_request_document(const OpinionRequestData& data);
Result<void> render_opinion_request(PdfWriter& writer, const OpinionRequestData& data);

}  // namespace kaigo::notice

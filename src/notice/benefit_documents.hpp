#pragma once
// The 給付 (benefit) documents, pure renderers like certification_documents and premium_notice:
// each is one data struct, `X_document(data)` → the page(s), and `render_X(writer, data)`
// appending them to a print file (one document at the counter, or one of a batch). The service
// fills the data (labels as printed, dates as dates, service months as "YYYY-MM", figures — caps,
// limits, the surcharge ratio — from the rule file and the decision, never from here); the
// renderer only lays them out and sums the rows it prints. docs/benefit.md, docs/notices.md.
//
//   介護保険負担割合証                        施行規則28条の2 様式, to the person  copayment_card_*
//   高額介護サービス費 支給(不支給)決定通知書  KY-16, 法51条                       high_cost_decision_notice_*
//   返還金 決定通知書 + 納付書                KY-18, 法22条 (加算金 22条3項)         repayment_notice_*, repayment_slip_*
//   高額医療合算介護サービス費 支給(不支給)決定通知書  KY-23, 法51条の2           combined_decision_notice_*
//   介護保険給付費支払のお知らせ (給付費通知)   KY-24, several pages when long       benefit_statement_*
//
// Validation before anything is drawn: the shape of insured_no (10 digits), insurer_no (6),
// service months (YYYY-MM), non-empty names, periods in order, amounts not negative and adding up
// (amount paid = 0 for 不支給, total = principal + surcharge) — invalid_input naming the field
// ("addressee.name", "service_month", "account.account_no", "rows[3].days").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "notice/certification_documents.hpp"  // Addressee (the window-envelope block)
#include "notice/document.hpp"
#include "notice/insurance_card.hpp"  // DatePeriod, Sex
#include "notice/pdf_writer.hpp"

namespace kaigo::notice {

// The city as insurer and its benefit office (config/city.json): the sender, where to ask, the 教示.
struct BenefitIssuer {
  std::string insurer_no;    // 保険者番号, 6 digits
  std::string insurer_name;  // みどり市 (decisions are issued by 市長: insurer_name + "長")
  std::string department;    // e.g. "みどり市 健康福祉局 介護保険課 給付係"
  std::string address;
  std::string phone;
  std::string review_board;  // 審査請求先; empty prints "都道府県の介護保険審査会"
};

// The account a benefit is paid into (registered with the first 高額 application). The renderer
// prints the account number masked (only its last 3 digits), never whole.
struct PaymentAccount {
  std::string bank_name;    // ○○銀行
  std::string branch_name;  // ○○支店
  std::string kind;         // 普通 | 当座 | 貯蓄
  std::string account_no;   // digits (up to 8)
  std::string holder_kana;  // 口座名義 (カナ)
};

// The city's collection account printed on a 納付書 (the bank where it may be paid, the account
// the money goes to). Filled from the city profile.
struct CollectionAccount {
  std::string payee;         // 収納者, e.g. "みどり市会計管理者"
  std::string bank_name;     // 指定金融機関
  std::string branch_name;
  std::string kind;          // 普通 | 当座
  std::string account_no;    // printed in full: it is the city's
  std::string where_to_pay;  // e.g. "みどり市指定金融機関・収納代理金融機関、市役所会計課窓口"
};

// ---- 介護保険負担割合証 (施行規則28条の2 様式) -----------------------------------------------

struct CopaymentCardData {
  BenefitIssuer issuer;
  Date issued_on;         // 交付年月日
  Addressee addressee;    // the letter it is mailed with (window envelope)
  std::string insured_no;
  std::string name;
  std::string name_kana;
  Date birth_date;
  Sex sex = Sex::female;
  std::string address;
  int rate = 1;           // 1, 2, 3 (割); printed "1割"
  DatePeriod validity;    // 適用期間 (1 August – 31 July, or from the day it changed)
};

Result<void> validate(const CopaymentCardData& data);
Result<Document> copayment_card_document(const CopaymentCardData& data);
Result<void> render_copayment_card(PdfWriter& writer, const CopaymentCardData& data);

// ---- 高額介護サービス費 支給(不支給)決定通知書 (KY-16) ----------------------------------------

struct HighCostDecisionNoticeData {
  BenefitIssuer issuer;
  std::string document_no;
  Date issued_on;
  Addressee addressee;
  std::string insured_no;
  std::string service_month;              // "YYYY-MM" (サービス提供月)
  bool paid = true;                       // false: 不支給決定
  std::int64_t household_total = 0;       // 世帯の利用者負担額合計 (counted co-payments)
  std::string category_label;             // 所得区分 as printed (rules label)
  std::int64_t household_cap = 0;         // 世帯の上限額
  std::optional<std::int64_t> individual_cap;  // 個人の上限額, when the category has one
  std::int64_t own_copayment = 0;         // the person's counted co-payment
  std::int64_t amount = 0;                // 支給額 (0 when not paid)
  std::optional<PaymentAccount> account;  // required when paid
  std::optional<Date> payment_on;         // 支払予定日, required when paid
  std::vector<std::string> explanation;   // the decision's explanation lines (rules.hpp)
  std::string not_paid_reason;            // required when not paid
};

Result<void> validate(const HighCostDecisionNoticeData& data);
Result<Document> high_cost_decision_notice_document(const HighCostDecisionNoticeData& data);
Result<void> render_high_cost_decision_notice(PdfWriter& writer, const HighCostDecisionNoticeData& data);

// ---- 返還金 決定通知書 and 納付書 (KY-18) ------------------------------------------------------

struct RepaymentNoticeData {
  BenefitIssuer issuer;
  std::string document_no;
  Date issued_on;
  Addressee addressee;            // the debtor as addressed (a person, or a provider's office)
  std::string debtor_label;       // "被保険者番号" | "事業所番号"
  std::string debtor_no;          // insured_no (10 digits) or office_no (10 digits)
  std::string reason_label;       // rules label(RepaymentReason), as printed
  std::string reason_detail;      // what was paid wrongly, for which months (no other person's data)
  std::string legal_basis;        // e.g. "介護保険法第22条第1項"; printed as the basis of the decision
  std::int64_t principal = 0;     // 返還金額
  std::int64_t surcharge = 0;     // 加算金 (法22条3項), 0 for other reasons
  // The ratio applied, printed as "100分の40" beside the surcharge (rule file figures).
  std::int64_t surcharge_numerator = 0;
  std::int64_t surcharge_denominator = 1;
  std::int64_t total = 0;         // principal + surcharge
  Date due_on;                    // 納期限
  std::string slip_no;            // 納付書番号 (printed on all three parts)
  std::string fiscal_year_label;  // 年度 as printed on the slip, e.g. "令和7年度"
  CollectionAccount collection;
};

Result<void> validate(const RepaymentNoticeData& data);
// Two pages: the decision notice, then the 納付書.
Result<Document> repayment_notice_document(const RepaymentNoticeData& data);
// The 納付書 page alone (reissue of a lost slip): three parts side by side, cut along the dashed
// lines — 領収済通知書 (bank → city), 納付書 (kept by the bank), 領収証書 (to the payer) — each
// with slip_no, amount, due date and the city's collection account.
Result<Document> repayment_slip_document(const RepaymentNoticeData& data);
Result<void> render_repayment_notice(PdfWriter& writer, const RepaymentNoticeData& data);
Result<void> render_repayment_slip(PdfWriter& writer, const RepaymentNoticeData& data);

// ---- 高額医療合算介護サービス費 支給(不支給)決定通知書 (KY-23) --------------------------------

struct CombinedDecisionNoticeData {
  BenefitIssuer issuer;
  std::string document_no;
  Date issued_on;
  Addressee addressee;
  std::string insured_no;
  DatePeriod period;                   // 計算期間 (1 August – 31 July)
  std::string medical_insurer_name;    // the medical insurer that computed the split
  std::string income_class_label;      // 所得区分 as printed
  std::int64_t medical_total = 0;      // 医療保険の自己負担額
  std::int64_t care_total = 0;         // 介護保険の利用者負担額
  std::int64_t limit = 0;              // 自己負担限度額 (年額)
  std::int64_t excess = 0;             // 支給総額 (medical + care − limit, ≥ 0)
  std::int64_t care_share = 0;         // 介護保険分 (excess × care / (medical + care))
  bool paid = true;
  std::int64_t amount = 0;             // 支給額 (= care_share when paid, 0 when not)
  std::string not_paid_reason;         // required when not paid (e.g. 支給基準額500円以下)
  std::optional<PaymentAccount> account;
  std::optional<Date> payment_on;
  std::vector<std::string> explanation;
};

Result<void> validate(const CombinedDecisionNoticeData& data);
Result<Document> combined_decision_notice_document(const CombinedDecisionNoticeData& data);
Result<void> render_combined_decision_notice(PdfWriter& writer, const CombinedDecisionNoticeData& data);

// ---- 介護保険給付費支払のお知らせ (給付費通知, KY-24) -----------------------------------------

struct BenefitStatementRow {
  std::string service_month;      // "YYYY-MM"
  std::string office_name;        // 事業所名
  std::string service_name;       // サービスの種類
  int days = 0;                   // 日数・回数
  std::int64_t total_cost = 0;    // 費用の総額
  std::int64_t insurance_paid = 0;  // 保険給付額
  std::int64_t copayment = 0;       // 利用者負担額
};

struct BenefitStatementData {
  BenefitIssuer issuer;
  std::string document_no;
  Date issued_on;
  Addressee addressee;
  std::string insured_no;
  std::string from_month;  // "YYYY-MM", the period's first service month
  std::string to_month;    // its last
  std::vector<BenefitStatementRow> rows;  // in print order (month, office, service)
};

Result<void> validate(const BenefitStatementData& data);
// As many pages as the rows need; the totals (sums of the rows) close the last page; every page
// carries the addressee's insured_no and "n / N".
Result<Document> benefit_statement_document(const BenefitStatementData& data);
Result<void> render_benefit_statement(PdfWriter& writer, const BenefitStatementData& data);

// "2025-05" → "令和7年5月"; invalid_input naming `field` when not YYYY-MM.
Result<std::string> service_month_text(const std::string& month, const std::string& field);

}  // namespace kaigo::notice

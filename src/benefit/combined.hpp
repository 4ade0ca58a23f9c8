#pragma once
// 高額医療合算介護サービス費 (法51条の2, 施行令22条の3) with the city's 国保 system (counterpart
// kokuho), docs/benefit.md §KY-21…23 — JSON documents (UTF-8):
//  KY-21 in  kaigo.kokuho.combined_application/1: applications (kokuho_ref, the person by insured_no
//            or person_id, period 1 August – 31 July, medical insurer, age band, income class, the
//            account). Validated whole; each stored once (kokuho_ref); in the same transaction the
//            city answers each with
//  KY-22 out kaigo.kokuho.care_copayment/1 (自己負担額証明書): the period's care co-payments by
//            month — the current benefit_record co-payments minus the 高額介護サービス費 decided
//            for the month (the current high_cost_decision's paid_before + amount) — and the total.
//  KY-23 in  kaigo.kokuho.combined_result/1: the split computed by the 国保 (medical total, care
//            total, excess, care share), checked against combined_care_share of the rules (a
//            disagreement refuses the document naming the field) and decided: paid only when the
//            excess is more than the rule's 支給基準額 (500 yen) and both totals are non-zero — a
//            benefit_payment kind combined (KY-17) to the KY-21 account.
// A refused document is recorded (benefit_inbound_file 'rejected' + errors) by
// record_rejected_combined_files(). The 支給決定通知書 is printed on demand (combined_notice_pdf).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "benefit/codes.hpp"
#include "benefit/repayment_inbound.hpp"
#include "benefit/repayment_notice.hpp"
#include "core/clock.hpp"
#include "linkage/dispatcher.hpp"

namespace kaigo::benefit {

struct CombinedMonth {
  std::string month;          // YYYY-MM
  std::int64_t copayment = 0; // Σ current benefit_record.copayment
  std::int64_t high_cost = 0; // 高額介護サービス費 decided for the month
  std::int64_t counted = 0;   // copayment − high_cost (≥ 0)
};

struct CombinedApplication {
  std::int64_t combined_id = 0;
  std::string person_id;
  std::string kokuho_ref;
  std::string period_from, period_to;
  std::string medical_insurer_no;
  std::string age_band, income_class;
  std::string status;  // received | certified | decided | not_payable
  std::optional<std::int64_t> care_copayment, medical_copayment, excess_total, care_share, decided_amount;
  std::optional<std::string> decided_on;
  std::vector<CombinedMonth> months;
  std::string explanation;
  std::optional<std::int64_t> certificate_exchange_id;
  std::string recorded_at;
};

// The period's care co-payments by month (August … July), set-based over the two tables.
Result<std::vector<CombinedMonth>> care_copayment_months(store::Connection& c, const std::string& person_id,
                                                         Date period_from);

// Faults of a KY-21 / KY-23 document (empty: it can be applied).
Result<std::vector<InboundFault>> combined_application_faults(store::Connection& c, const BenefitRules& rules,
                                                              const std::string& payload);
Result<std::vector<InboundFault>> combined_result_faults(store::Connection& c, const BenefitRules& rules,
                                                         const std::string& payload);

// Inbox handlers of KY-21 and KY-23. `rules` must outlive them.
linkage::InboundHandlers combined_inbound_handlers(const Clock& clock, const BenefitRules& rules);

Result<int> record_rejected_combined_files(store::Database& db, const Clock& clock, const BenefitRules& rules);

Result<CombinedApplication> load_combined(store::Connection& c, std::int64_t combined_id);
Result<std::vector<CombinedApplication>> list_combined(store::Connection& c, const std::optional<std::string>& status,
                                                       const std::optional<std::string>& person_id);

// The 支給(不支給)決定通知書 of a decided application; the first print writes benefit_document
// once_key "combined_notice:<combined_id>". conflict until KY-23 decided it.
Result<std::string> combined_notice_pdf(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                        const PaymentsOffice& office, std::int64_t combined_id, const std::string& actor);

}  // namespace kaigo::benefit

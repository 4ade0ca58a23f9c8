#pragma once
// The benefit's inquiries to other institutions over the 番号連携 gateway (KY-08 … KY-15),
// docs/benefit-income.md:
//
//   KY-08/09 city_local_tax          地方税情報 of the income year from the 1 January municipality
//                                    (a household member who moved in: income.hpp ask_flow KY-08)
//   KY-10/11 city_household          the 住民税 status of household members living elsewhere
//   KY-12/13 nenkin_old_age_welfare  老齢福祉年金 (the 低所得 category of 高額)
//   KY-14/15 pref_public_assistance  生活保護・中国残留邦人等 (the 生活保護 category, 1割)
//
// Asking: for one person by staff, or in bulk for the persons a service month misses
// (missing_for_month). Each is a gateway inquiry (procedure JT0000009304) linked by a
// benefit_inquiry row (purpose high_cost | copayment_rate). Applying: an answered inquiry is checked
// and its facts written into tax_income / household_member_tax_status / pension /
// public_assistance with source 'exchange' by the premium's apply (premium_inputs_internal.hpp —
// the same facts, the same checks), once: the outcome is set by compare-and-set, so applying twice
// changes nothing; the premium's recalc queue learns of the change too.
//
// Thread-safety: holds references only; the apply job may run on several instances at once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "gateway/inquiry_service.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

struct BenefitInputKind {
  std::string_view inquiry_kind;  // config/codes/inquiry_kinds.tsv
  std::string_view request_flow;  // KY-08 …
  std::string_view answer_flow;   // KY-09 …
  std::string_view label;
};
const std::vector<BenefitInputKind>& benefit_input_kinds();
const BenefitInputKind* benefit_input_kind(std::string_view inquiry_kind);

struct BenefitInquiry {
  std::int64_t inquiry_id = 0;
  std::string person_id, purpose, kind, request_flow, answer_flow, base_date;
  std::string created_at, created_by;
  std::string status;  // the gateway's
  std::optional<std::string> processing_no, answered_at, error_code;
  std::optional<std::string> outcome, summary, reject_reason, applied_at, applied_by;
  std::optional<std::int64_t> answer_exchange_id;
};

struct BenefitApplyReport {
  std::int64_t applied = 0, unchanged = 0, not_found = 0, failed = 0, rejected = 0;
  std::int64_t total() const { return applied + unchanged + not_found + failed + rejected; }
};

struct BulkInquiry {
  std::int64_t asked = 0, already_asked = 0, submitted = 0, refused = 0, queued = 0;
  std::optional<std::int64_t> bulk_id;
};

class IncomeInquiryService {
 public:
  // inquiries may be null: asking then answers unavailable; applying and reading work.
  IncomeInquiryService(store::Database& db, const Clock& clock, gateway::InquiryService* inquiries);

  // Staff: one inquiry of `kind` about the facts on `base_date` (tax kinds: its income year,
  // income.hpp). purpose: high_cost | copayment_rate. invalid_input naming the field; not_found:
  // no such person; conflict: an inquiry of the kind and income year is still waiting.
  Result<BenefitInquiry> inquire(const std::string& person_id, const std::string& kind, const std::string& purpose,
                                 Date base_date, const std::string& actor);

  // KY-08 in bulk for the household members a service month misses who lived elsewhere on
  // 1 January (one gateway bulk); persons with a waiting or answered inquiry of the year are not
  // asked again.
  Result<BulkInquiry> inquire_missing(std::string_view month, const std::string& actor);

  // Applies up to `limit` answered, not yet applied benefit inquiries, each in its own transaction.
  Result<BenefitApplyReport> apply_due(const std::string& actor, int limit = 1000);
  // One inquiry now. not_found: not a benefit inquiry; conflict: no final answer yet.
  Result<BenefitInquiry> apply(std::int64_t inquiry_id, const std::string& actor);

  Result<std::vector<BenefitInquiry>> for_person(const std::string& person_id);
  Result<std::optional<BenefitInquiry>> find(std::int64_t inquiry_id);

 private:
  store::Database& db_;
  const Clock& clock_;
  gateway::InquiryService* inquiries_;
};

}  // namespace kaigo::benefit

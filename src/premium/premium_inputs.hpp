#pragma once
// 賦課の入力 from other institutions over the 番号連携 gateway (FK-03 … FK-10),
// docs/premium-inputs.md:
//
//   FK-03/04 city_local_tax          地方税情報 of income year FY−1 from the municipality of
//                                    1 January of FY (地方税法 39条・318条: the tax is levied where
//                                    the person lived on 1 January), for category-1 insured of FY
//                                    who did not live here then (movers; 住所地特例 living elsewhere)
//   FK-05/06 city_household          the household members' 住民税 status from that municipality
//   FK-07/08 nenkin_old_age_welfare  老齢福祉年金 for the birth cohorts of the config and for those
//                                    kaigo already knows to receive it
//   FK-09/10 pref_public_assistance  生活保護・中国残留邦人等 for movers from a 町村 whose welfare the
//                                    prefecture runs, and for insured living in another city's facility
//
// Asking: in bulk for the yearly run (one gateway bulk per kind) or for one person by staff.
// Applying: an answered inquiry is checked (the person, the kind, every field) and applied in one
// transaction into tax_income / household_member_tax_status / pension / public_assistance with
// source 'exchange' and the answer's exchange; when it changed kaigo's knowledge and the person
// has a current assessment, premium_recalc_queue gets the person (and the household members
// whose household status it touches). A rejected answer writes nothing but its reason; applying
// twice changes nothing.
//
// Thread-safety: PremiumInputsService holds references only; the apply job may run on several
// instances at once (each answer is applied by a compare-and-set).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "gateway/inquiry_service.hpp"
#include "store/database.hpp"

namespace kaigo::premium {

// ---- configuration (config/premium_inputs.json) ---------------------------------------------

struct OldAgeWelfareCohort {
  std::optional<Date> born_from;  // none: no lower bound
  Date born_on_or_before;
  std::string source;             // the article it comes from
};

struct PremiumInputsConfig {
  std::vector<OldAgeWelfareCohort> old_age_welfare_cohorts;
  // 全国地方公共団体コード: the 3-digit municipal part from which a code is a 町村 (市 201–299,
  // 政令市 100 and its wards 101–199, 特別区 13101–13123).
  int town_village_code_from = 300;
  std::set<std::string> towns_with_own_welfare_office;  // 6-digit codes of 町村 with a 福祉事務所

  // Reads <config_dir>/premium_inputs.json. invalid_input naming the file and field.
  static Result<PremiumInputsConfig> load(const std::string& config_dir);
  static Result<PremiumInputsConfig> parse(const std::string& json_text, const std::string& file_name);

  // The latest birth date of any cohort (the selection reads person.birth_date up to it).
  std::optional<Date> latest_cohort_birth() const;
  bool in_old_age_welfare_cohort(Date birth) const;
  // True when the municipality's 生活保護 is run by the prefecture (a 町村 without its own office).
  bool welfare_run_by_prefecture(std::string_view municipality_code) const;
};

// ---- the four inquiry kinds ----------------------------------------------------------------

struct PremiumInputKind {
  std::string_view inquiry_kind;  // config/codes/inquiry_kinds.tsv
  std::string_view request_flow;  // FK-03 …
  std::string_view answer_flow;   // FK-04 …
  std::string_view label;         // for staff
};
const std::vector<PremiumInputKind>& premium_input_kinds();
const PremiumInputKind* premium_input_kind(std::string_view inquiry_kind);

// The period an inquiry of the kind asks about for fiscal year FY: the income year FY−1 for the
// tax kinds (1 January – 31 December), the fiscal year (1 April – 31 March) for the others.
std::pair<Date, Date> inquiry_period(std::string_view inquiry_kind, int fiscal_year);
// The purpose recorded on the inquiry (情報提供等記録), e.g. "介護保険料 2026年度 賦課 (FK-03)".
std::string inquiry_purpose(int fiscal_year, std::string_view request_flow);

// ---- who needs what ------------------------------------------------------------------------

// Why a person is asked about (stored on premium_inquiry.reason).
inline constexpr const char* kReasonMovedIn = "moved_in_after_january_1";       // FK-03/05
inline constexpr const char* kReasonLivingElsewhere = "former_address_rule";    // FK-03/05, FK-09
inline constexpr const char* kReasonCohort = "old_age_welfare_cohort";          // FK-07
inline constexpr const char* kReasonKnownRecipient = "old_age_welfare_known";   // FK-07
inline constexpr const char* kReasonPrefectureWelfare = "prefecture_welfare";   // FK-09
inline constexpr const char* kReasonStaff = "staff";                            // asked by staff outside the rules

struct InputTarget {
  std::string person_id;
  std::string inquiry_kind;
  std::string reason;
  std::string municipality_code;  // may be empty (FK-07)
  Date base_date;                 // 1 April of FY or the first category-1 acquisition in FY
};

// Every (person, kind) the premium must ask about for FY, in (kind, person_id) order; with
// `person_id`, that person's only. Category-1 insured of FY only (eligibility_period).
Result<std::vector<InputTarget>> select_targets(store::Connection& c, const PremiumInputsConfig& config, int fiscal_year,
                                                const std::optional<std::string>& person_id = std::nullopt);

// ---- the service ---------------------------------------------------------------------------

// One premium inquiry with what its answer did.
struct PremiumInquiry {
  std::int64_t inquiry_id = 0;
  std::string person_id;
  int fiscal_year = 0;
  std::string kind, request_flow, answer_flow;
  std::string reason;
  std::optional<std::string> municipality_code;
  std::string base_date;
  std::optional<std::int64_t> run_id;
  std::string created_at, created_by;
  // The gateway's side.
  std::string status;  // gateway::InquiryStatus
  std::optional<std::string> processing_no, answered_at, error_code;
  // The apply side; outcome none: not applied yet.
  std::optional<std::string> outcome, summary, reject_reason, applied_at, applied_by;
  std::optional<std::int64_t> answer_exchange_id;
  bool recalc_queued = false;
};

struct KindCounts {
  std::string kind, request_flow;
  std::int64_t selected = 0;       // persons the rules select
  std::int64_t already_asked = 0;  // asked before for FY and not failed: not asked again
  std::int64_t asked = 0;          // new inquiries
  std::int64_t submitted = 0, refused = 0, queued = 0;  // the gateway's receipt
  std::optional<std::int64_t> bulk_id;                  // the gateway's inquiry_bulk
};

struct InquiryRun {
  std::int64_t run_id = 0;
  int fiscal_year = 0;
  std::vector<KindCounts> kinds;
  std::string created_at, created_by;
};

struct ApplyReport {
  std::int64_t applied = 0, unchanged = 0, not_found = 0, failed = 0, rejected = 0;
  std::int64_t recalc_queued = 0;  // answers that queued a re-assessment
  std::int64_t total() const { return applied + unchanged + not_found + failed + rejected; }
};

class PremiumInputsService {
 public:
  // inquiries may be null: asking then answers unavailable; applying and reading work.
  PremiumInputsService(store::Database& db, const Clock& clock, const PremiumInputsConfig& config,
                       gateway::InquiryService* inquiries);

  // Staff, one person: sends one inquiry of `kind` for FY. invalid_input: not a premium kind, bad
  // year; not_found: no such person; conflict: not category-1 insured in FY, no municipality known
  // for a city kind, or an inquiry of the kind for FY is still waiting; unavailable: no gateway.
  Result<PremiumInquiry> inquire(const std::string& person_id, const std::string& kind, int fiscal_year,
                                 const std::string& actor);

  // The yearly run: every target of select_targets not asked already, one gateway bulk per kind.
  Result<InquiryRun> inquire_bulk(int fiscal_year, const std::string& actor);

  // Applies up to `limit` answered, not yet applied premium inquiries (oldest first), each in its
  // own transaction. Rejected answers are counted, not errors.
  Result<ApplyReport> apply_due(const std::string& actor, int limit = 1000);

  // Applies one inquiry's answer now. not_found: not a premium inquiry (unknown); conflict: the
  // inquiry has no final answer yet. Applied before: returned as it is, nothing changes.
  Result<PremiumInquiry> apply(std::int64_t inquiry_id, const std::string& actor);

  // A person's premium inquiries, newest first.
  Result<std::vector<PremiumInquiry>> for_person(const std::string& person_id);
  Result<std::optional<PremiumInquiry>> find(std::int64_t inquiry_id);
  Result<std::vector<InquiryRun>> runs(int limit);

 private:
  store::Database& db_;
  const Clock& clock_;
  const PremiumInputsConfig& config_;
  gateway::InquiryService* inquiries_;
};

}  // namespace kaigo::premium

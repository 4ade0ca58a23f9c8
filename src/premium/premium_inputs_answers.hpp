#pragma once
// The answers of FK-04, FK-06, FK-08 and FK-10 read from the gateway's answer JSON
// {"items":{…},"null_reasons":{…}} into typed values and checked whole before anything is
// applied. Pure: no I/O. A bad answer is invalid_input naming the item ("answer.items.tax_year");
// the messages carry no values (they are stored beside the inquiry and shown to staff).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::premium {

// FK-04 地方税情報 (one income year) — the columns of tax_income (migration 002).
struct LocalTaxAnswer {
  int tax_year = 0;
  std::int64_t total_income = 0;  // 合計所得金額, may be negative (損失)
  std::int64_t public_pension_income = 0, taxable_pension_income = 0, pension_misc_income = 0, salary_income = 0,
               land_sale_special_deduction = 0, taxable_income = 0;
  bool resident_tax_taxed = false;
  bool operator==(const LocalTaxAnswer&) const = default;
};
// `person_id`: the person asked; an answer naming another (items.person_id) is a mismatch.
// `income_year`: FY−1; an answer for another year is refused.
Result<LocalTaxAnswer> parse_local_tax_answer(const std::string& answer_json, const std::string& person_id, int income_year);

// FK-06 世帯員情報.
struct HouseholdMember {
  std::string key;                       // person_id, or "ext:" + member_no for one kaigo does not know by number
  std::optional<std::string> person_id;  // 統合宛名番号 when the answer gives it
  std::optional<std::string> relation;
  std::optional<bool> resident_tax_taxed;  // none: 保有なし
};
struct HouseholdAnswer {
  std::optional<std::string> household_id;  // the answering city's 世帯番号
  std::optional<bool> household_taxed;      // the answer's own flag, when given
  std::vector<HouseholdMember> members;
};
// The person asked must be among the members when the members carry person_ids (a mismatch
// otherwise); keys unique; member_count, when given, equals the members; a household flag of
// "untaxed" with a taxed member is a contradiction.
Result<HouseholdAnswer> parse_household_answer(const std::string& answer_json, const std::string& person_id);

// FK-08 老齢福祉年金受給情報.
struct OldAgeWelfareAnswer {
  std::int64_t annual_amount = 0;
  std::string pension_insurer_code;  // 3 digits; 001 (厚生労働大臣, 日本年金機構) when not given
  Date started_on;
  std::optional<Date> ended_on;
};
Result<OldAgeWelfareAnswer> parse_old_age_welfare_answer(const std::string& answer_json, const std::string& person_id);

// FK-10 生活保護・中国残留邦人等 (the SK-15 reader, plus the person check).
struct AssistanceAnswer {
  std::string assistance_kind;  // welfare | repatriate
  Date started_on;
  std::optional<Date> ended_on;
};
Result<AssistanceAnswer> parse_assistance_answer(const std::string& answer_json, const std::string& person_id);

}  // namespace kaigo::premium

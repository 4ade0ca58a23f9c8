#pragma once
// 認定 (care-need certification) rules, pure: no database, no clock. Every figure — the minutes of
// the first stage, the validity ranges, the deadline, the monthly caps, the fees — comes from the
// rule file config/rules/certification/*.json (format in docs/certification-rules.md), effective-
// dated; the code holds none. rules.md §3.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::certification {

// 要介護状態区分等. Codes are the API/database strings.
enum class CareLevel { none, support_1, support_2, care_1, care_2, care_3, care_4, care_5 };
std::string_view to_code(CareLevel l);             // "none", "support_1", … "care_5"
Result<CareLevel> care_level_from_code(std::string_view code);  // invalid_input for an unknown code
std::string_view label(CareLevel l);               // "非該当", "要支援１", … "要介護５" (as printed on the card)
bool is_certified(CareLevel l);                    // false only for none

// 申請の種類.
enum class ApplicationKind { new_application, renewal, change, ex_officio, transfer };
std::string_view to_code(ApplicationKind k);       // "new", "renewal", "change", "ex_officio", "transfer"
Result<ApplicationKind> application_kind_from_code(std::string_view code);
std::string_view label(ApplicationKind k);         // 新規, 更新, 区分変更, 職権, 転入 (受給資格証明書)

// ---- the rule file ---------------------------------------------------------------------------

// One interval of the 要介護認定等基準時間 (tenths of a minute): [from, to), to none = no bound.
struct MinutesBand {
  std::int64_t from_tenths = 0;
  std::optional<std::int64_t> to_tenths;
  CareLevel level = CareLevel::none;
  // The 32–<50 band: support_2 unless cognitive decline or an unstable condition, then care_1
  // (認定審査会の判定: 認知機能の低下・状態の不安定性). When set, `level` is the level without them.
  std::optional<CareLevel> level_if_cognitive_or_unstable;
};

struct ValidityRange {
  int default_months = 0;
  int min_months = 0;
  int max_months = 0;
};

// Fee amounts in yen (config): keys name a kind of work, e.g. "assessment.new.home",
// "opinion.first.facility", "committee.chair", "committee.member".
struct FeeAmount {
  std::string key;
  std::int64_t yen = 0;
  std::string label;  // 認定調査委託料 (新規・在宅) …
};

struct CertificationRulesVersion {
  Date effective_from;
  int deadline_days = 30;          // 法27条11項: 申請のあった日から30日以内
  int warn_days_before = 5;        // the list warns from deadline − this
  int renewal_window_days = 60;    // 施行規則: 更新申請は有効期間満了の60日前から
  int transfer_certificate_days = 14;  // 法36条: 受給資格証明書は14日以内の申請で
  std::vector<MinutesBand> bands;  // partition [0, ∞): validated
  ValidityRange new_or_change;     // 新規・区分変更 (and 職権)
  ValidityRange renewal_same_level;
  ValidityRange renewal_other_level;
  std::vector<std::pair<CareLevel, std::int64_t>> monthly_cap_units;  // 区分支給限度基準額, each certified level once
  std::vector<FeeAmount> fees;
  std::string source;              // the notice or article the figures come from
};

struct CertificationRules {
  std::string file_name;
  std::vector<CertificationRulesVersion> versions;  // ascending effective_from

  // The version in force on `d`; not_found before the first.
  Result<const CertificationRulesVersion*> on(Date d) const;
};

// Loads every *.json in `dir` (one file per rule set; versions of all files merged, two versions
// on the same day are an error). invalid_input naming the file and JSON path ("bands[2].to").
Result<CertificationRules> load_certification_rules(const std::filesystem::path& dir);
Result<CertificationRules> parse_certification_rules(const std::string& json_text, const std::string& file_name);

// ---- the computations ------------------------------------------------------------------------

// 一次判定 from the minutes and the two flags. The explanation is Japanese, e.g.
// "要介護認定等基準時間 45.3分: 32分以上50分未満、認知機能の低下あり → 要介護１".
struct FirstStage {
  CareLevel level = CareLevel::none;
  std::string explanation;
};
FirstStage first_stage(const CertificationRulesVersion& rules, std::int64_t standard_tenths, bool cognitive_decline,
                       bool unstable_condition);

// The validity range allowed for a decision: by kind, and for a renewal whether the level is the
// same as the previous certification's.
ValidityRange validity_range(const CertificationRulesVersion& rules, ApplicationKind kind, bool same_level_as_before);

// The validity period of a decision of `months` (rules.md §3):
//  new / change / ex_officio: from the application date to the last day of the month `months`
//    months after (申請 2025-05-15, 6 → 2025-05-15 … 2025-11-30); an application on the 1st counts
//    the month itself (2025-05-01, 6 → 2025-05-01 … 2025-10-31) — 施行規則38条;
//  renewal: from the day after the previous end, `months` months to a month's last day
//    (previous end 2025-11-30, 12 → 2025-12-01 … 2026-11-30).
// invalid_input (field "validity_months") when months is outside the allowed range.
struct Validity {
  Date from, to;
};
Result<Validity> validity_period(const CertificationRulesVersion& rules, ApplicationKind kind, Date applied_on,
                                 std::optional<Date> previous_valid_to, bool same_level_as_before, int months);

// The decision's due day (applied_on + deadline_days) and the first day the list warns.
Date deadline(const CertificationRulesVersion& rules, Date applied_on);
Date warn_from(const CertificationRulesVersion& rules, Date applied_on);
// The first day a renewal may be applied for (valid_to − renewal_window_days + 1 … valid_to).
Date renewal_opens(const CertificationRulesVersion& rules, Date valid_to);

// 区分支給限度基準額 of a certified level; not_found for none.
Result<std::int64_t> monthly_cap_units(const CertificationRulesVersion& rules, CareLevel level);

// A fee amount by key; not_found naming the key.
Result<FeeAmount> fee(const CertificationRulesVersion& rules, std::string_view key);

// ---- 特定疾病 (介護保険法施行令2条), config/codes/specified_diseases.tsv ----------------------

struct SpecifiedDisease {
  std::string code;  // "01" … "16"
  std::string name;
};
// Reads the TSV (code, name; # comments); invalid_input with line and column.
Result<std::vector<SpecifiedDisease>> load_specified_diseases(const std::filesystem::path& file);

}  // namespace kaigo::certification

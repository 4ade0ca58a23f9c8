// The 認定 computations of rules.hpp: codes and labels, the first stage, the validity period,
// the deadline, the caps and the fees. Every figure comes from the rule file (rules_file.cpp);
// where the law leaves a reading open the choice is said here and in docs/certification-rules.md.
#include "certification/rules.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace kaigo::certification {

namespace {

struct LevelText {
  CareLevel level;
  std::string_view code;
  std::string_view label;
};

// Labels with full-width digits, as 被保険者証 and the 結果通知書 print them.
constexpr std::array<LevelText, 8> kLevels{{
    {CareLevel::none, "none", "非該当"},
    {CareLevel::support_1, "support_1", "要支援１"},
    {CareLevel::support_2, "support_2", "要支援２"},
    {CareLevel::care_1, "care_1", "要介護１"},
    {CareLevel::care_2, "care_2", "要介護２"},
    {CareLevel::care_3, "care_3", "要介護３"},
    {CareLevel::care_4, "care_4", "要介護４"},
    {CareLevel::care_5, "care_5", "要介護５"},
}};

struct KindText {
  ApplicationKind kind;
  std::string_view code;
  std::string_view label;
};

constexpr std::array<KindText, 5> kKinds{{
    {ApplicationKind::new_application, "new", "新規"},
    {ApplicationKind::renewal, "renewal", "更新"},
    {ApplicationKind::change, "change", "区分変更"},
    {ApplicationKind::ex_officio, "ex_officio", "職権"},
    {ApplicationKind::transfer, "transfer", "転入"},
}};

// 45.3分, 32分: tenths of a minute as printed (no trailing .0 for whole minutes).
std::string minutes_text(std::int64_t tenths) {
  const bool negative = tenths < 0;
  const std::int64_t a = negative ? -tenths : tenths;
  const std::string sign = negative ? "-" : "";
  if (a % 10 == 0) return fmt::format("{}{}分", sign, a / 10);
  return fmt::format("{}{}.{}分", sign, a / 10, a % 10);
}

std::string band_text(const MinutesBand& b) {
  if (b.from_tenths == 0 && b.to_tenths) return fmt::format("{}未満", minutes_text(*b.to_tenths));
  if (!b.to_tenths) return fmt::format("{}以上", minutes_text(b.from_tenths));
  return fmt::format("{}以上{}未満", minutes_text(b.from_tenths), minutes_text(*b.to_tenths));
}

}  // namespace

std::string_view to_code(CareLevel l) {
  for (const auto& t : kLevels)
    if (t.level == l) return t.code;
  return "none";  // unreachable while kLevels lists every enumerator (tested)
}

Result<CareLevel> care_level_from_code(std::string_view code) {
  for (const auto& t : kLevels)
    if (t.code == code) return t.level;
  return fail(ErrorKind::invalid_input,
              fmt::format("unknown care level '{}' (none, support_1, support_2, care_1 … care_5)", code), "level");
}

std::string_view label(CareLevel l) {
  for (const auto& t : kLevels)
    if (t.level == l) return t.label;
  return "非該当";
}

bool is_certified(CareLevel l) { return l != CareLevel::none; }

std::string_view to_code(ApplicationKind k) {
  for (const auto& t : kKinds)
    if (t.kind == k) return t.code;
  return "new";
}

Result<ApplicationKind> application_kind_from_code(std::string_view code) {
  for (const auto& t : kKinds)
    if (t.code == code) return t.kind;
  return fail(ErrorKind::invalid_input,
              fmt::format("unknown application kind '{}' (new, renewal, change, ex_officio, transfer)", code), "kind");
}

std::string_view label(ApplicationKind k) {
  for (const auto& t : kKinds)
    if (t.kind == k) return t.label;
  return "新規";
}

Result<const CertificationRulesVersion*> CertificationRules::on(Date d) const {
  const CertificationRulesVersion* found = nullptr;
  for (const auto& v : versions)
    if (v.effective_from <= d) found = &v;
  if (!found)
    return fail(ErrorKind::not_found, fmt::format("no certification rules in force on {} ({})", d.iso(), file_name),
                "date");
  return found;
}

// 要介護認定等基準時間 → 一次判定 (要介護認定等に係る介護認定審査会による審査及び判定の基準等に関する
// 省令 (平成11年厚生省令58号) 1条). The band 32–<50分 is 要支援２ or 要介護１: the national software
// proposes 要介護１ when 認知機能の低下 or 状態の不安定性 is judged (省令2条, 介護予防給付の対象外).
// The minutes are ≥ 0 (validated where they are entered or imported); a negative value falls in
// the first band rather than nowhere.
FirstStage first_stage(const CertificationRulesVersion& rules, std::int64_t standard_tenths, bool cognitive_decline,
                       bool unstable_condition) {
  const MinutesBand* band = rules.bands.empty() ? nullptr : &rules.bands.front();
  for (const auto& b : rules.bands)
    if (standard_tenths >= b.from_tenths && (!b.to_tenths || standard_tenths < *b.to_tenths)) band = &b;
  FirstStage out;
  if (!band) {  // a loaded version always has bands (validated); a hand-built one may not
    out.explanation = fmt::format("要介護認定等基準時間 {}: 判定の区分がありません", minutes_text(standard_tenths));
    return out;
  }
  std::string condition;
  out.level = band->level;
  if (band->level_if_cognitive_or_unstable) {
    if (cognitive_decline && unstable_condition) condition = "、認知機能の低下・状態の不安定性あり";
    else if (cognitive_decline) condition = "、認知機能の低下あり";
    else if (unstable_condition) condition = "、状態の不安定性あり";
    else condition = "、認知機能の低下・状態の不安定性なし";
    if (cognitive_decline || unstable_condition) out.level = *band->level_if_cognitive_or_unstable;
  }
  out.explanation = fmt::format("要介護認定等基準時間 {}: {}{} → {}", minutes_text(standard_tenths), band_text(*band),
                                condition, label(out.level));
  return out;
}

// 施行規則38条 (新規), 40条・41条 (更新), 44条・46条 (区分変更); a decision by 職権 (法30条) takes
// the 区分変更 terms. A transfer (法36条) keeps the certificate's period (DecisionInput::
// fixed_validity); its range here is the 新規 one, used only when staff decide it afresh.
ValidityRange validity_range(const CertificationRulesVersion& rules, ApplicationKind kind, bool same_level_as_before) {
  if (kind == ApplicationKind::renewal) return same_level_as_before ? rules.renewal_same_level : rules.renewal_other_level;
  return rules.new_or_change;
}

// 施行規則38条1項: the period is 認定の効力が生じた日 (the application date, 法27条8項) to the end of
// that month, plus N months; when that day is a month's 1st the month itself is the first of the
// N. 41条: a renewal takes effect the day after the previous period ends (法28条10項) and runs the
// same way. Both reduce to: a start on the 1st ends N−1 months later at a month's end, any other
// start ends N months later at a month's end.
Result<Validity> validity_period(const CertificationRulesVersion& rules, ApplicationKind kind, Date applied_on,
                                 std::optional<Date> previous_valid_to, bool same_level_as_before, int months) {
  const ValidityRange range = validity_range(rules, kind, same_level_as_before);
  if (months < range.min_months || months > range.max_months)
    return fail(ErrorKind::invalid_input,
                fmt::format("validity of {} months is outside {}–{} months for this {} application", months,
                            range.min_months, range.max_months, to_code(kind)),
                "validity_months");
  Date from = applied_on;
  if (kind == ApplicationKind::renewal) {
    if (!previous_valid_to)
      return fail(ErrorKind::invalid_input, "a renewal needs the previous certification's end date", "previous_valid_to");
    from = previous_valid_to->add_days(1);
  }
  const Date to = (from.day() == 1 ? from.add_months(months - 1) : from.first_of_month().add_months(months)).last_of_month();
  return Validity{from, to};
}

// 法27条11項: 申請のあった日から30日以内. The day of application is not counted (民法140条), so the
// 30th day after it is the last day in time.
Date deadline(const CertificationRulesVersion& rules, Date applied_on) { return applied_on.add_days(rules.deadline_days); }

Date warn_from(const CertificationRulesVersion& rules, Date applied_on) {
  return deadline(rules, applied_on).add_days(-rules.warn_days_before);
}

// 施行規則35条 (更新申請は有効期間満了の日の60日前から): read as a window of 60 days that ends
// with the expiry day itself (valid_to 2025-11-30 → from 2025-10-02).
Date renewal_opens(const CertificationRulesVersion& rules, Date valid_to) {
  return valid_to.add_days(-rules.renewal_window_days + 1);
}

Result<std::int64_t> monthly_cap_units(const CertificationRulesVersion& rules, CareLevel level) {
  for (const auto& [l, units] : rules.monthly_cap_units)
    if (l == level) return units;
  return fail(ErrorKind::not_found, fmt::format("no monthly benefit cap for {}", to_code(level)), "level");
}

Result<FeeAmount> fee(const CertificationRulesVersion& rules, std::string_view key) {
  for (const auto& f : rules.fees)
    if (f.key == key) return f;
  return fail(ErrorKind::not_found, fmt::format("no fee '{}' in the certification rules", key), "fee");
}

}  // namespace kaigo::certification

#include "eligibility/movement_case_kinds.hpp"

#include <array>

#include <fmt/format.h>

namespace kaigo::eligibility {

namespace {

struct KindRow {
  MovementKind kind;
  std::string_view code;
  std::string_view label;
  bool newcomer;
  std::optional<AddressFactKind> fact;
  bool future;
  std::string_view no_fact_reason;
};

constexpr std::string_view kNoFactFacility =
    "住所の異動ではないため資格期間は変わりません (施設・医療保険の変更は照会結果の適用または資格画面で記録)";

const std::array<KindRow, 14>& rows() {
  static const std::array<KindRow, 14> table{{
      {MovementKind::move_in, "move_in", "転入", true, AddressFactKind::move_in, false, ""},
      {MovementKind::certificate_move_in, "certificate_move_in", "転入 (受給資格証明書あり)", true, AddressFactKind::move_in,
       false, ""},
      {MovementKind::move_out, "move_out", "転出", false, AddressFactKind::move_out, true, ""},
      {MovementKind::emigration, "emigration", "国外転出", false, AddressFactKind::emigration, true, ""},
      {MovementKind::death, "death", "死亡", false, AddressFactKind::death, false, ""},
      // 法9条: nobody under 40 is insured, so a birth never changes eligibility.
      {MovementKind::birth, "birth", "出生", true, std::nullopt, false, "出生: 40歳未満のため資格は生じません (法9条)"},
      {MovementKind::relocation, "relocation", "転居", false, std::nullopt, false,
       "転居: 市内の住所変更のため資格期間は変わりません"},
      {MovementKind::name_change, "name_change", "氏名変更", false, std::nullopt, false, "氏名変更: 資格期間は変わりません"},
      {MovementKind::household_change, "household_change", "世帯変更", false, std::nullopt, false,
       "世帯変更: 資格期間は変わりません (保険料の世帯判定は賦課で再計算)"},
      {MovementKind::former_address_rule_start, "former_address_rule_start", "住所地特例 開始", false, std::nullopt, false,
       kNoFactFacility},
      {MovementKind::former_address_rule_end, "former_address_rule_end", "住所地特例 終了", false, std::nullopt, false,
       kNoFactFacility},
      {MovementKind::exemption_start, "exemption_start", "適用除外 開始", false, std::nullopt, false, kNoFactFacility},
      {MovementKind::exemption_end, "exemption_end", "適用除外 終了", false, std::nullopt, false, kNoFactFacility},
      {MovementKind::medical_insurance_change, "medical_insurance_change", "医療保険の異動", false, std::nullopt, false,
       kNoFactFacility},
  }};
  return table;
}

const KindRow& row(MovementKind kind) {
  for (const auto& r : rows())
    if (r.kind == kind) return r;
  throw std::logic_error("movement kind missing from the table");
}

}  // namespace

const std::vector<MovementKind>& all_movement_kinds() {
  static const std::vector<MovementKind> all = [] {
    std::vector<MovementKind> v;
    for (const auto& r : rows()) v.push_back(r.kind);
    return v;
  }();
  return all;
}

std::string_view to_code(MovementKind kind) { return row(kind).code; }

Result<MovementKind> parse_movement_kind(std::string_view code) {
  for (const auto& r : rows())
    if (r.code == code) return r.kind;
  return fail(ErrorKind::invalid_input, fmt::format("unknown movement kind '{}'", code), "movement_kind");
}

std::string_view label(MovementKind kind) { return row(kind).label; }
bool allows_newcomer(MovementKind kind) { return row(kind).newcomer; }
std::optional<AddressFactKind> address_fact_for(MovementKind kind) { return row(kind).fact; }
std::string_view no_fact_reason(MovementKind kind) { return row(kind).no_fact_reason; }
bool may_be_in_future(MovementKind kind) { return row(kind).future; }

Result<std::string> parse_notifier(std::string_view text) {
  for (std::string_view n : {"本人", "世帯員", "代理人"})
    if (text == n) return std::string(n);
  return fail(ErrorKind::invalid_input, "notifier must be 本人, 世帯員 or 代理人", "notifier");
}

}  // namespace kaigo::eligibility

#pragma once
// The kinds of 住民異動届 and other notices a counter case (SK-01) handles, with their labels and
// what completing each one does to the insured register. Pure: no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "eligibility/register.hpp"

namespace kaigo::eligibility {

enum class MovementKind {
  move_in,                    // 転入
  certificate_move_in,        // 転入 (受給資格証明書あり)
  move_out,                   // 転出
  emigration,                 // 国外転出
  death,                      // 死亡
  birth,                      // 出生
  relocation,                 // 転居 (within the city)
  name_change,                // 氏名変更
  household_change,           // 世帯変更
  former_address_rule_start,  // 住所地特例 開始
  former_address_rule_end,    // 住所地特例 終了
  exemption_start,            // 適用除外 開始 (施設入所)
  exemption_end,              // 適用除外 終了 (施設退所)
  medical_insurance_change,   // 医療保険 資格取得・喪失 (第2号)
};

const std::vector<MovementKind>& all_movement_kinds();
std::string_view to_code(MovementKind kind);
// invalid_input naming "movement_kind" for anything else.
Result<MovementKind> parse_movement_kind(std::string_view code);
std::string_view label(MovementKind kind);  // 転入, 転出, …

// A case of this kind may be opened before the person is in the registry copy (person_id NULL):
// the newcomer is attached when the registry has them.
bool allows_newcomer(MovementKind kind);

// The address fact that completing the case records (法10条2号 / 11条1項), or none: a relocation,
// a name or household change, a birth (under 40: never insured) and the facility / insurance kinds
// change no address fact here — their register change is applied by the inquiry answers (SK-11,
// SK-13) or by the 資格 screen.
std::optional<AddressFactKind> address_fact_for(MovementKind kind);
// Why completing a kind without an address fact changes nothing in eligibility (shown as the outcome).
std::string_view no_fact_reason(MovementKind kind);

// A movement date may lie ahead only for notices given in advance (転出予定日, 国外転出予定日).
bool may_be_in_future(MovementKind kind);

// 届出人: 本人, 世帯員, 代理人 (invalid_input naming "notifier" otherwise).
Result<std::string> parse_notifier(std::string_view text);

}  // namespace kaigo::eligibility

#pragma once
// The Japanese labels of the eligibility codes, for screens (the UI keeps no code tables of its
// own: GET /api/v1/code-lists/eligibility and every register response carry the labels).
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "eligibility/register.hpp"

namespace kaigo::server {

std::string_view label(eligibility::AcquisitionReason r);
std::string_view label(eligibility::LossReason r);
std::string_view label(eligibility::AddressFactKind k);
std::string_view label(eligibility::FacilityKind k);
std::string_view label(eligibility::FormerAddressDirection d);
// 被保険者証 交付理由: new, turning_65, reissue_lost, reissue_damaged, reissue_change, certification; "" if unknown.
std::string_view card_reason_label(std::string_view code);
bool is_card_reason(std::string_view code);
std::string_view insurer_kind_label(std::string_view code);

// config/codes/exempt_facility_kinds.tsv: code → label, validated at load.
Result<std::map<std::string, std::string>> load_exempt_facility_kinds(const std::string& config_dir);

// {"code","label"} lists of every vocabulary, for the forms.
nlohmann::json eligibility_code_lists(const std::map<std::string, std::string>& exempt_facility_kinds);

}  // namespace kaigo::server

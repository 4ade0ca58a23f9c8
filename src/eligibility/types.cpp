#include "eligibility/types.hpp"

#include <array>
#include <string>
#include <utility>

namespace kaigo::eligibility {

namespace {

constexpr std::array<std::pair<AcquisitionReason, std::string_view>, 7> kAcquisitionCodes{{
    {AcquisitionReason::reaching_65, "reaching_65"},
    {AcquisitionReason::reaching_40_with_medical_insurance, "reaching_40_with_medical_insurance"},
    {AcquisitionReason::move_in, "move_in"},
    {AcquisitionReason::medical_insurance_gained, "medical_insurance_gained"},
    {AcquisitionReason::left_exempt_facility, "left_exempt_facility"},
    {AcquisitionReason::former_address_rule_ended, "former_address_rule_ended"},
    {AcquisitionReason::category_change, "category_change"},
}};

constexpr std::array<std::pair<LossReason, std::string_view>, 8> kLossCodes{{
    {LossReason::move_out_domestic, "move_out_domestic"},
    {LossReason::emigration, "emigration"},
    {LossReason::death, "death"},
    {LossReason::medical_insurance_lost, "medical_insurance_lost"},
    {LossReason::entered_exempt_facility, "entered_exempt_facility"},
    {LossReason::former_address_rule_elsewhere, "former_address_rule_elsewhere"},
    {LossReason::former_address_rule_ended, "former_address_rule_ended"},
    {LossReason::category_change, "category_change"},
}};

template <typename Enum, std::size_t N>
std::string_view code_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [v, code] : table)
    if (v == value) return code;
  return "unknown";  // unreachable while the tables list every enumerator (tests check both ways)
}

template <typename Enum, std::size_t N>
Result<Enum> parse_code(const std::array<std::pair<Enum, std::string_view>, N>& table, std::string_view code,
                        const char* field) {
  for (const auto& [v, c] : table)
    if (c == code) return v;
  return fail(ErrorKind::invalid_input, std::string("unknown ") + field + " code", field);
}

}  // namespace

std::string_view to_code(InsuredCategory category) {
  return category == InsuredCategory::category_1 ? "1" : "2";
}

std::string_view to_code(AcquisitionReason reason) { return code_of(kAcquisitionCodes, reason); }
std::string_view to_code(LossReason reason) { return code_of(kLossCodes, reason); }

Result<InsuredCategory> parse_insured_category(std::string_view code) {
  if (code == "1") return InsuredCategory::category_1;
  if (code == "2") return InsuredCategory::category_2;
  return fail(ErrorKind::invalid_input, "unknown insured_category code", "insured_category");
}

Result<AcquisitionReason> parse_acquisition_reason(std::string_view code) {
  return parse_code(kAcquisitionCodes, code, "acquisition_reason");
}

Result<LossReason> parse_loss_reason(std::string_view code) { return parse_code(kLossCodes, code, "loss_reason"); }

}  // namespace kaigo::eligibility

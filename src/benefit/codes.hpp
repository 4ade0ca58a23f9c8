#pragma once
// Everything the benefit business reads from config at start, validated at load:
//   config/rules/benefit/*.json          the rules (rules.hpp)
//   config/codes/service_kinds.tsv       サービス種類コード: label, whether its co-payment counts for
//                                        高額 (facility food and housing, equipment purchase and home
//                                        alteration do not — rules.md §4) and whether it is a
//                                        care-plan service (KY-03 checks)
//   config/codes/care_offices.tsv        介護サービス事業所 (事業所番号 10 digits, name, the service
//                                        kinds it provides, whether it makes care plans)
//   config/layouts/kokuhoren/*.tsv       the 国保連 CSV layouts (kokuhoren_csv.hpp)
// A bad line is invalid_input "FILE:LINE: COLUMN: what" with Error::field = the column.
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "benefit/kokuhoren_csv.hpp"
#include "benefit/rules.hpp"
#include "core/error.hpp"

namespace kaigo::benefit {

struct ServiceKind {
  std::string code;         // "11" 訪問介護 …
  std::string name;
  bool counts_for_high_cost = true;
  bool needs_care_plan = false;  // 居宅サービス: the recipient needs a care plan notification
};

struct CareOffice {
  std::string office_no;    // 10 digits
  std::string name;
  std::string address;
  std::set<std::string> service_kinds;
  bool makes_care_plans = false;  // 居宅介護支援事業所 / 地域包括支援センター
};

struct BenefitConfig {
  BenefitRules rules;
  std::vector<ServiceKind> service_kinds;
  std::vector<CareOffice> offices;
  csv::LayoutSet layouts;

  static Result<BenefitConfig> load(const std::filesystem::path& config_dir);

  const ServiceKind* service_kind(std::string_view code) const;
  const CareOffice* office(std::string_view office_no) const;
};

Result<std::vector<ServiceKind>> load_service_kinds(const std::filesystem::path& file);
Result<std::vector<CareOffice>> load_care_offices(const std::filesystem::path& file);

}  // namespace kaigo::benefit

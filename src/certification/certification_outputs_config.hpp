#pragma once
// What the 認定 outputs print and send that is the city's own, from config/certification_outputs.json
// (validated whole at load; an error names the file and the JSON path, e.g. "office.department"):
// the office printed on the notices, the 審査請求先 of the 教示, where to apply for a renewal, and
// the 予算科目 each payment file (NT-15 … NT-17) is charged to. docs/certification.md "Config".
#include <filesystem>
#include <map>
#include <string>

#include "core/error.hpp"
#include "notice/certification_documents.hpp"
#include "people/city_profile.hpp"

namespace kaigo::certification {

struct BudgetAccount {
  std::string code;
  std::string name;
};

struct OutputsConfig {
  std::string department, address, phone;  // the certification office
  std::string review_board;                // 審査請求先 (介護保険法183条)
  std::string where_to_apply;              // printed on the renewal reminder
  std::map<std::string, BudgetAccount> budget_accounts;  // "NT-15", "NT-16", "NT-17" → account

  static Result<OutputsConfig> load(const std::filesystem::path& config_dir);
  static Result<OutputsConfig> parse(const std::string& json_text, const std::string& file_name);

  // The sender block of every notice: the city as insurer and this office.
  notice::CertificationIssuer issuer(const people::CityProfile& city) const;
};

}  // namespace kaigo::certification

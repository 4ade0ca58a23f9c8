#pragma once
// The city this installation serves: insurer number and name, and its wards (区), from
// config/city.json (validated at load). Notices, cards and screens take these from here.
#include <map>
#include <string>

#include "core/error.hpp"

namespace kaigo::people {

struct CityProfile {
  std::string insurer_no;    // 保険者番号, 6 digits
  std::string insurer_name;  // e.g. みどり市
  std::map<std::string, std::string> wards;  // ward_code → 区 name

  std::string ward_name(const std::string& ward_code) const;  // "" when unknown
};

Result<CityProfile> load_city_profile(const std::string& config_dir);

}  // namespace kaigo::people

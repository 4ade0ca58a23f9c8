#include "people/city_profile.hpp"

#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kaigo::people {

std::string CityProfile::ward_name(const std::string& ward_code) const {
  auto it = wards.find(ward_code);
  return it == wards.end() ? std::string() : it->second;
}

Result<CityProfile> load_city_profile(const std::string& config_dir) {
  const std::string path = config_dir + "/city.json";
  std::ifstream in(path);
  if (!in) return fail(ErrorKind::unavailable, fmt::format("cannot read {}", path), "city.json");
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(ErrorKind::invalid_input, fmt::format("{} is not a JSON object", path), "city.json");
  CityProfile p;
  auto str = [&](const char* key, std::string& out) -> Result<void> {
    if (!j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty())
      return fail(ErrorKind::invalid_input, fmt::format("{}: '{}' is required", path, key), key);
    out = j[key].get<std::string>();
    return {};
  };
  if (auto r = str("insurer_no", p.insurer_no); !r) return std::unexpected(r.error());
  if (auto r = str("insurer_name", p.insurer_name); !r) return std::unexpected(r.error());
  if (p.insurer_no.size() != 6 || p.insurer_no.find_first_not_of("0123456789") != std::string::npos)
    return fail(ErrorKind::invalid_input, fmt::format("{}: insurer_no must be 6 digits", path), "insurer_no");
  if (!j.contains("wards") || !j["wards"].is_object() || j["wards"].empty())
    return fail(ErrorKind::invalid_input, fmt::format("{}: 'wards' must map ward codes to names", path), "wards");
  for (auto& [code, name] : j["wards"].items()) {
    if (!name.is_string()) return fail(ErrorKind::invalid_input, fmt::format("{}: ward {} needs a name", path, code), "wards");
    p.wards[code] = name.get<std::string>();
  }
  return p;
}

}  // namespace kaigo::people

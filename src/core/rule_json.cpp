#include "core/rule_json.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace kaigo::rule_json {

using nlohmann::json;

std::unexpected<Error> rule_error(const std::string& file, const std::string& path, const std::string& what) {
  return fail(ErrorKind::invalid_input, fmt::format("{}: {}: {}", file, path, what), path);
}

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

Result<void> keys(const json& j, const std::string& file, const std::string& path,
                  std::initializer_list<std::string_view> required, std::initializer_list<std::string_view> optional) {
  if (!j.is_object()) return rule_error(file, path.empty() ? "(top)" : path, "expected an object");
  for (const auto& [key, value] : j.items()) {
    if (key == "_comment") {
      if (!value.is_string()) return rule_error(file, join(path, key), "expected a string");
      continue;
    }
    if (std::find(required.begin(), required.end(), key) == required.end() &&
        std::find(optional.begin(), optional.end(), key) == optional.end())
      return rule_error(file, join(path, key), "unknown key");
  }
  for (std::string_view k : required)
    if (!j.contains(std::string(k))) return rule_error(file, join(path, k), "missing");
  return {};
}

Result<std::int64_t> integer(const json& j, const std::string& file, const std::string& path, std::int64_t lo,
                             std::int64_t hi) {
  if (!j.is_number_integer()) return rule_error(file, path, "expected an integer");
  const auto v = j.get<std::int64_t>();
  if (v < lo || v > hi) return rule_error(file, path, fmt::format("must be from {} to {}", lo, hi));
  return v;
}

Result<std::string> text(const json& j, const std::string& file, const std::string& path) {
  if (!j.is_string() || j.get<std::string>().empty()) return rule_error(file, path, "expected a non-empty string");
  return j.get<std::string>();
}

}  // namespace kaigo::rule_json

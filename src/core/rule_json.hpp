#pragma once
// Strict reading of a JSON rule file (config/rules/*/…json): every key known ("_comment" allowed
// anywhere, for the city's notes), the required ones present, every value typed and within its
// range. A fault is invalid_input "FILE: PATH: WHAT" with Error::field = the JSON path
// ("versions[1].caps[2].household"), so staff see which figure of which file is wrong.
// Used by the certification and benefit rule loaders.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace kaigo::rule_json {

std::unexpected<Error> rule_error(const std::string& file, const std::string& path, const std::string& what);
// "a.b" from "a" and "b"; "b" from "" and "b".
std::string join(const std::string& path, std::string_view key);
// Every key of the object `j` at `path` is required or optional; every required key is present.
Result<void> keys(const nlohmann::json& j, const std::string& file, const std::string& path,
                  std::initializer_list<std::string_view> required, std::initializer_list<std::string_view> optional = {});
// An integer from lo to hi.
Result<std::int64_t> integer(const nlohmann::json& j, const std::string& file, const std::string& path, std::int64_t lo,
                             std::int64_t hi);
// A non-empty string.
Result<std::string> text(const nlohmann::json& j, const std::string& file, const std::string& path);

}  // namespace kaigo::rule_json

#pragma once
// Reading fields of a JSON request body with errors that name the field (400 invalid_input).
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::server {

// A string field; absent or null → invalid_input when required, "" otherwise.
Result<std::string> string_field(const nlohmann::json& body, const char* name, bool required = true);
// A YYYY-MM-DD date field; absent or null → invalid_input when required, nullopt otherwise.
Result<std::optional<Date>> date_field(const nlohmann::json& body, const char* name, bool required = true);
// A positive integer id from a path segment.
Result<std::int64_t> id_param(const std::string& text, const char* name);
// limit and offset query parameters (limit 1..max, default `fallback`; offset ≥ 0, default 0).
Result<int> limit_param(const std::optional<std::string>& text, int fallback, int max);
Result<int> offset_param(const std::optional<std::string>& text);

}  // namespace kaigo::server

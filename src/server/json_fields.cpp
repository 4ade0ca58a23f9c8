#include "server/json_fields.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace kaigo::server {

namespace {

std::optional<std::int64_t> small_number(const std::string& text) {
  if (text.empty() || text.size() > 12 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoll(text);
}

}  // namespace

Result<std::string> string_field(const nlohmann::json& body, const char* name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return fail(ErrorKind::invalid_input, fmt::format("{} is required", name), name);
    return std::string();
  }
  if (!it->is_string()) return fail(ErrorKind::invalid_input, fmt::format("{} must be a string", name), name);
  return it->get<std::string>();
}

Result<std::optional<Date>> date_field(const nlohmann::json& body, const char* name, bool required) {
  auto text = string_field(body, name, required);
  if (!text) return std::unexpected(text.error());
  if (text->empty()) {
    if (required) return fail(ErrorKind::invalid_input, fmt::format("{} is required", name), name);
    return std::optional<Date>{};
  }
  auto d = Date::parse(*text);
  if (!d) return fail(ErrorKind::invalid_input, fmt::format("{}: {}", name, d.error().message), name);
  return std::optional<Date>{*d};
}

Result<std::int64_t> id_param(const std::string& text, const char* name) {
  auto n = small_number(text);
  if (!n || *n < 1) return fail(ErrorKind::invalid_input, fmt::format("{} must be a positive number", name), name);
  return *n;
}

Result<int> limit_param(const std::optional<std::string>& text, int fallback, int max) {
  if (!text) return fallback;
  auto n = small_number(*text);
  if (!n || *n < 1 || *n > max) return fail(ErrorKind::invalid_input, fmt::format("limit must be a number from 1 to {}", max), "limit");
  return static_cast<int>(*n);
}

Result<int> offset_param(const std::optional<std::string>& text) {
  if (!text) return 0;
  auto n = small_number(*text);
  if (!n || *n > 100000000) return fail(ErrorKind::invalid_input, "offset must be a number ≥ 0", "offset");
  return static_cast<int>(*n);
}

}  // namespace kaigo::server

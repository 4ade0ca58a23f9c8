// config/certification_outputs.json (certification_outputs_config.hpp).
#include "certification/certification_outputs_config.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kaigo::certification {

namespace {

using nlohmann::json;

Result<std::string> text_at(const json& obj, const std::string& key, const std::string& path, const std::string& file) {
  const std::string field = path.empty() ? key : path + "." + key;
  if (!obj.contains(key) || !obj[key].is_string() || obj[key].get<std::string>().empty())
    return fail(ErrorKind::invalid_input, fmt::format("{}: {}: required, a non-empty string", file, field), field);
  return obj[key].get<std::string>();
}

}  // namespace

Result<OutputsConfig> OutputsConfig::parse(const std::string& json_text, const std::string& file) {
  const json j = json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail(ErrorKind::invalid_input, fmt::format("{}: not a JSON object", file), "certification_outputs.json");
  OutputsConfig c;
  if (!j.contains("office") || !j["office"].is_object())
    return fail(ErrorKind::invalid_input, fmt::format("{}: office: required, an object", file), "office");
  const json& office = j["office"];
  auto department = text_at(office, "department", "office", file);
  if (!department) return std::unexpected(department.error());
  auto address = text_at(office, "address", "office", file);
  if (!address) return std::unexpected(address.error());
  auto phone = text_at(office, "phone", "office", file);
  if (!phone) return std::unexpected(phone.error());
  auto board = text_at(j, "review_board", "", file);
  if (!board) return std::unexpected(board.error());
  auto where = text_at(j, "where_to_apply", "", file);
  if (!where) return std::unexpected(where.error());
  c.department = *department;
  c.address = *address;
  c.phone = *phone;
  c.review_board = *board;
  c.where_to_apply = *where;
  if (!j.contains("budget_accounts") || !j["budget_accounts"].is_object())
    return fail(ErrorKind::invalid_input, fmt::format("{}: budget_accounts: required, an object", file), "budget_accounts");
  for (const auto& [flow, account] : j["budget_accounts"].items()) {
    const std::string path = "budget_accounts." + flow;
    if (flow != "NT-15" && flow != "NT-16" && flow != "NT-17")
      return fail(ErrorKind::invalid_input, fmt::format("{}: {}: not a fee flow (NT-15, NT-16, NT-17)", file, path), path);
    if (!account.is_object())
      return fail(ErrorKind::invalid_input, fmt::format("{}: {}: must be an object {{code, name}}", file, path), path);
    auto code = text_at(account, "code", path, file);
    if (!code) return std::unexpected(code.error());
    auto name = text_at(account, "name", path, file);
    if (!name) return std::unexpected(name.error());
    c.budget_accounts[flow] = BudgetAccount{*code, *name};
  }
  for (const char* flow : {"NT-15", "NT-16", "NT-17"})
    if (!c.budget_accounts.contains(flow))
      return fail(ErrorKind::invalid_input, fmt::format("{}: budget_accounts.{}: required", file, flow),
                  fmt::format("budget_accounts.{}", flow));
  return c;
}

Result<OutputsConfig> OutputsConfig::load(const std::filesystem::path& config_dir) {
  const auto path = config_dir / "certification_outputs.json";
  std::ifstream in(path);
  if (!in) return fail(ErrorKind::invalid_input, fmt::format("{}: cannot be read", path.string()), "certification_outputs.json");
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

notice::CertificationIssuer OutputsConfig::issuer(const people::CityProfile& city) const {
  return notice::CertificationIssuer{city.insurer_no, city.insurer_name, department, address, phone, review_board};
}

}  // namespace kaigo::certification

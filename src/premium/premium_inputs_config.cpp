// config/premium_inputs.json: the 老齢福祉年金 cohorts and the rule of prefecture-run welfare,
// validated at load (docs/premium-inputs.md).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "premium/premium_inputs.hpp"

namespace kaigo::premium {

namespace {

using nlohmann::json;

Result<Date> date_field(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return fail(ErrorKind::invalid_input, fmt::format("{}: {} is required (YYYY-MM-DD)", where, key), key);
  auto d = Date::parse(it->get<std::string>());
  if (!d) return fail(ErrorKind::invalid_input, fmt::format("{}: {} is not a date (YYYY-MM-DD)", where, key), key);
  return *d;
}

}  // namespace

Result<PremiumInputsConfig> PremiumInputsConfig::parse(const std::string& text, const std::string& file) {
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return fail(ErrorKind::invalid_input, fmt::format("{} is not a JSON object", file), file);
  PremiumInputsConfig cfg;
  auto cohorts = doc.find("old_age_welfare_cohorts");
  if (cohorts == doc.end() || !cohorts->is_array() || cohorts->empty())
    return fail(ErrorKind::invalid_input, fmt::format("{}: old_age_welfare_cohorts must list at least one cohort", file),
                "old_age_welfare_cohorts");
  for (std::size_t i = 0; i < cohorts->size(); ++i) {
    const json& c = (*cohorts)[i];
    const std::string where = fmt::format("{}: old_age_welfare_cohorts[{}]", file, i);
    if (!c.is_object()) return fail(ErrorKind::invalid_input, where + " must be an object", "old_age_welfare_cohorts");
    OldAgeWelfareCohort cohort;
    auto last = date_field(c, "born_on_or_before", where);
    if (!last) return std::unexpected(last.error());
    cohort.born_on_or_before = *last;
    if (c.contains("born_from")) {
      auto first = date_field(c, "born_from", where);
      if (!first) return std::unexpected(first.error());
      if (*last < *first) return fail(ErrorKind::invalid_input, where + ": born_from is after born_on_or_before", "born_from");
      cohort.born_from = *first;
    }
    auto source = c.find("source");
    if (source == c.end() || !source->is_string() || source->get<std::string>().empty())
      return fail(ErrorKind::invalid_input, where + ": source (the article) is required", "source");
    cohort.source = source->get<std::string>();
    cfg.old_age_welfare_cohorts.push_back(std::move(cohort));
  }
  auto pw = doc.find("prefecture_welfare");
  if (pw == doc.end() || !pw->is_object())
    return fail(ErrorKind::invalid_input, fmt::format("{}: prefecture_welfare is required", file), "prefecture_welfare");
  auto from = pw->find("town_village_code_from");
  if (from == pw->end() || !from->is_number_integer() || from->get<int>() < 101 || from->get<int>() > 999)
    return fail(ErrorKind::invalid_input, fmt::format("{}: prefecture_welfare.town_village_code_from must be 101…999", file),
                "town_village_code_from");
  cfg.town_village_code_from = from->get<int>();
  if (auto towns = pw->find("towns_with_own_welfare_office"); towns != pw->end()) {
    if (!towns->is_array())
      return fail(ErrorKind::invalid_input, fmt::format("{}: towns_with_own_welfare_office must be a list", file),
                  "towns_with_own_welfare_office");
    for (std::size_t i = 0; i < towns->size(); ++i) {
      const json& t = (*towns)[i];
      if (!t.is_string() || t.get<std::string>().size() != 6 ||
          t.get<std::string>().find_first_not_of("0123456789") != std::string::npos)
        return fail(ErrorKind::invalid_input,
                    fmt::format("{}: towns_with_own_welfare_office[{}] must be a 6-digit 全国地方公共団体コード", file, i),
                    "towns_with_own_welfare_office");
      cfg.towns_with_own_welfare_office.insert(t.get<std::string>());
    }
  }
  return cfg;
}

Result<PremiumInputsConfig> PremiumInputsConfig::load(const std::string& config_dir) {
  const auto path = std::filesystem::path(config_dir) / "premium_inputs.json";
  std::ifstream in(path);
  if (!in) return fail(ErrorKind::invalid_input, fmt::format("cannot read {}", path.string()), "premium_inputs.json");
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.filename().string());
}

std::optional<Date> PremiumInputsConfig::latest_cohort_birth() const {
  std::optional<Date> latest;
  for (const auto& c : old_age_welfare_cohorts)
    if (!latest || *latest < c.born_on_or_before) latest = c.born_on_or_before;
  return latest;
}

bool PremiumInputsConfig::in_old_age_welfare_cohort(Date birth) const {
  for (const auto& c : old_age_welfare_cohorts)
    if (birth <= c.born_on_or_before && (!c.born_from || *c.born_from <= birth)) return true;
  return false;
}

bool PremiumInputsConfig::welfare_run_by_prefecture(std::string_view code) const {
  // 6 digits: 2 prefecture, 3 municipal part, 1 check digit.
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string_view::npos) return false;
  const int municipal = (code[2] - '0') * 100 + (code[3] - '0') * 10 + (code[4] - '0');
  if (municipal < town_village_code_from) return false;
  return !towns_with_own_welfare_office.contains(std::string(code));
}

}  // namespace kaigo::premium

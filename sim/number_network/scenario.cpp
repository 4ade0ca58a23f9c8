#include "sim/number_network/scenario.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "sim/number_network/kinds.hpp"

namespace kaigo::sim::network {

namespace {

constexpr std::array<std::pair<Effect, const char*>, 8> kEffects{{
    {Effect::answer, "answer"},
    {Effect::not_found, "not_found"},
    {Effect::manual_pending, "manual_pending"},
    {Effect::error, "error"},
    {Effect::duplicate, "duplicate"},
    {Effect::late, "late"},
    {Effect::malformed, "malformed"},
    {Effect::no_link_code, "no_link_code"},
}};

Result<std::string> text_field(const nlohmann::json& rule, const char* name, const std::string& path, std::string fallback) {
  if (!rule.contains(name)) return fallback;
  const auto& v = rule.at(name);
  if (!v.is_string() || v.get<std::string>().empty())
    return fail(ErrorKind::invalid_input, "must be a non-empty string", fmt::format("{}.{}", path, name));
  return v.get<std::string>();
}

Result<std::int64_t> int_field(const nlohmann::json& rule, const char* name, const std::string& path, std::int64_t max) {
  if (!rule.contains(name)) return 0;
  const auto& v = rule.at(name);
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > max)
    return fail(ErrorKind::invalid_input, fmt::format("must be an integer from 0 to {}", max), fmt::format("{}.{}", path, name));
  return v.get<std::int64_t>();
}

Result<ScenarioRule> parse_rule(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return fail(ErrorKind::invalid_input, "a rule must be an object", path);
  static constexpr std::array<const char*, 9> kFields{"person_id", "kind", "latency_seconds", "effect", "manual_seconds",
                                                      "error_code", "error_message", "malformation", "malformed_polls"};
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (const char* f : kFields) known = known || key == f;
    if (!known) return fail(ErrorKind::invalid_input, "unknown field", fmt::format("{}.{}", path, key));
  }
  ScenarioRule r;
  auto person = text_field(j, "person_id", path, "*");
  if (!person) return std::unexpected(person.error());
  r.person_id = *person;
  auto kind = text_field(j, "kind", path, "*");
  if (!kind) return std::unexpected(kind.error());
  if (*kind != "*" && !is_known_kind(*kind)) return fail(ErrorKind::invalid_input, "unknown kind", path + ".kind");
  r.kind = *kind;
  auto latency = int_field(j, "latency_seconds", path, kMaxLatencySeconds);
  if (!latency) return std::unexpected(latency.error());
  r.latency_seconds = *latency;
  auto effect = text_field(j, "effect", path, "answer");
  if (!effect) return std::unexpected(effect.error());
  bool found = false;
  for (const auto& [e, name] : kEffects)
    if (*effect == name) {
      r.effect = e;
      found = true;
    }
  if (!found) return fail(ErrorKind::invalid_input, "unknown effect", path + ".effect");
  auto manual = int_field(j, "manual_seconds", path, kMaxManualSeconds);
  if (!manual) return std::unexpected(manual.error());
  r.manual_seconds = *manual;
  auto code = text_field(j, "error_code", path, r.error_code);
  if (!code) return std::unexpected(code.error());
  r.error_code = *code;
  auto message = text_field(j, "error_message", path, r.error_message);
  if (!message) return std::unexpected(message.error());
  r.error_message = *message;
  auto malformation = text_field(j, "malformation", path, "broken_json");
  if (!malformation) return std::unexpected(malformation.error());
  if (*malformation == "broken_json") r.malformation = Malformation::broken_json;
  else if (*malformation == "missing_field") r.malformation = Malformation::missing_field;
  else return fail(ErrorKind::invalid_input, "unknown malformation", path + ".malformation");
  if (j.contains("malformed_polls")) {
    auto polls = int_field(j, "malformed_polls", path, 100);
    if (!polls) return std::unexpected(polls.error());
    if (*polls < 1) return fail(ErrorKind::invalid_input, "must be at least 1", path + ".malformed_polls");
    r.malformed_polls = static_cast<int>(*polls);
  }
  return r;
}

}  // namespace

bool ScenarioRule::matches(std::string_view person, std::string_view k) const {
  return (person_id == "*" || person_id == person) && (kind == "*" || kind == k);
}

const char* to_string(Effect e) {
  for (const auto& [effect, name] : kEffects)
    if (effect == e) return name;
  return "answer";
}

const char* to_string(Malformation m) { return m == Malformation::broken_json ? "broken_json" : "missing_field"; }

Result<Scenario> Scenario::from_json(const nlohmann::json& doc) {
  if (!doc.is_object() || !doc.contains("rules") || !doc.at("rules").is_array())
    return fail(ErrorKind::invalid_input, "expected {\"rules\":[…]}", "rules");
  std::vector<ScenarioRule> rules;
  for (std::size_t i = 0; i < doc.at("rules").size(); ++i) {
    auto rule = parse_rule(doc.at("rules").at(i), fmt::format("rules[{}]", i));
    if (!rule) return std::unexpected(rule.error());
    rules.push_back(std::move(*rule));
  }
  return Scenario(std::move(rules));
}

nlohmann::json Scenario::to_json() const {
  nlohmann::json out{{"rules", nlohmann::json::array()}};
  for (const auto& r : rules_) {
    out["rules"].push_back({{"person_id", r.person_id},
                            {"kind", r.kind},
                            {"latency_seconds", r.latency_seconds},
                            {"effect", to_string(r.effect)},
                            {"manual_seconds", r.manual_seconds},
                            {"error_code", r.error_code},
                            {"error_message", r.error_message},
                            {"malformation", to_string(r.malformation)},
                            {"malformed_polls", r.malformed_polls}});
  }
  return out;
}

ScenarioRule Scenario::rule_for(std::string_view person_id, std::string_view kind) const {
  for (const auto& r : rules_)
    if (r.matches(person_id, kind)) return r;
  return ScenarioRule{};
}

}  // namespace kaigo::sim::network

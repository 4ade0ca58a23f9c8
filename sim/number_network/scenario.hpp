#pragma once
// Fault injection: rules that make the simulated counterparts slow, silent, manual, wrong or
// broken for chosen people and kinds. A rule is taken at submit time (the first rule matching the
// person and kind, in order) and stays with the inquiry, so replacing the rules later does not
// change inquiries already made.
//
// JSON form (POST /sim/v1/scenarios, docs/simulator.md):
//   {"rules":[{"person_id":"1000000042","kind":"iryo_insurance","latency_seconds":600,
//              "effect":"manual_pending","manual_seconds":3600}, …]}
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace kaigo::sim::network {

enum class Effect {
  answer,          // the body's real answer (after the latency)
  not_found,       // 該当なし whatever the data says
  manual_pending,  // 自動応答不可: manual_pending for manual_seconds, then the real answer
  error,           // status error with error_code / error_message
  duplicate,       // the final answer's entry is sent twice in the poll reply that first carries it
  late,            // cancel is accepted, yet the answer still comes (poll returns it)
  malformed,       // the first malformed_polls replies carrying the final answer are broken
  no_link_code,    // 符号未取得: submit refuses the request with E_LINK_CODE
};

enum class Malformation {
  broken_json,    // the reply text is cut short: not JSON at all
  missing_field,  // valid JSON, but the answer entry lacks "status"
};

inline constexpr std::int64_t kMaxLatencySeconds = 86'400;         // up to a day
inline constexpr std::int64_t kMaxManualSeconds = 30LL * 86'400;   // a manual answer may take weeks

struct ScenarioRule {
  std::string person_id = "*";  // a person_id or "*"
  std::string kind = "*";       // a kind name or "*"
  std::int64_t latency_seconds = 0;
  Effect effect = Effect::answer;
  std::int64_t manual_seconds = 0;
  std::string error_code = "E_TARGET";
  std::string error_message = "照会先エラー";
  Malformation malformation = Malformation::broken_json;
  int malformed_polls = 1;

  bool matches(std::string_view person_id, std::string_view kind) const;
};

const char* to_string(Effect e);
const char* to_string(Malformation m);

class Scenario {
 public:
  Scenario() = default;
  explicit Scenario(std::vector<ScenarioRule> rules) : rules_(std::move(rules)) {}
  // Parses {"rules":[…]}; unknown effects, kinds or fields out of range → invalid_input naming
  // the field ("rules[2].latency_seconds").
  static Result<Scenario> from_json(const nlohmann::json& doc);
  nlohmann::json to_json() const;

  // The first rule matching, or the default (answer at once).
  ScenarioRule rule_for(std::string_view person_id, std::string_view kind) const;
  const std::vector<ScenarioRule>& rules() const { return rules_; }

 private:
  std::vector<ScenarioRule> rules_;
};

}  // namespace kaigo::sim::network

#pragma once
// The city's 中間サーバー as the counterpart sees it: the four operations of
// docs/number-network-protocol.md (submit, poll, cancel, register) on JSON text, answering
// inquiries from the simulated bodies (bodies.hpp) and bending the answers by the fault-injection
// rules (scenario.hpp). handle() has the signature of gateway::InProcessHandler.
//
// State (inquiries, 符号, registered 副本) is kept in memory: this is the counterpart, not kaigo,
// and a restart of the simulator is a fresh 中間サーバー. Thread-safe: one mutex around all state
// (the bodies' reads happen under it, so answers are computed once, in poll order).
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "gateway/transport.hpp"
#include "sim/number_network/bodies.hpp"
#include "sim/number_network/kinds.hpp"
#include "sim/number_network/scenario.hpp"
#include "store/database.hpp"

namespace kaigo::sim::network {

inline constexpr const char* kProtocol = "kaigo-chukan/1";
inline constexpr std::size_t kMaxBatch = 10'000;  // requests / numbers / copies per document

struct SimStats {
  std::int64_t inquiries = 0;          // distinct inquiries accepted (processing_nos issued)
  std::int64_t resubmitted = 0;        // requests recognised by their request_key
  std::int64_t refused = 0;            // requests refused at submit (符号未取得, unknown item)
  std::int64_t link_codes = 0;         // 符号 issued
  std::int64_t polls = 0;              // poll documents answered
  std::int64_t provided = 0;           // final answers first delivered, by status
  std::int64_t not_found = 0;
  std::int64_t errors = 0;
  std::int64_t cancelled = 0;          // cancels accepted
  std::int64_t cancel_refused = 0;     // cancels of final or unknown inquiries
  std::int64_t late_answers = 0;       // answers delivered after a cancel (rule late)
  std::int64_t duplicate_entries = 0;  // extra entries sent (rule duplicate)
  std::int64_t malformed_replies = 0;  // poll replies broken on purpose (rule malformed)
  std::int64_t copies = 0;             // distinct 副本 (data_set, person_id, version) registered
  nlohmann::json to_json() const;
};

class IntermediateServerSim {
 public:
  IntermediateServerSim(store::Database& db, const Clock& clock, KindTable kinds = KindTable::built_in());

  // One protocol operation: "submit", "poll", "cancel" or "register". Errors: invalid_input for a
  // malformed request or an unknown operation (field names the fault, e.g. "requests[3].period_to");
  // unavailable when the city database cannot be read (try again later).
  Result<std::string> handle(const std::string& operation, const std::string& request_json);
  // handle() bound to this simulator, for make_in_process_transport.
  gateway::InProcessHandler handler();

  void set_scenario(Scenario s);
  Scenario scenario() const;
  SimStats stats() const;
  // The 符号 issued for a person so far (none before the first accepted inquiry).
  std::optional<std::string> link_code(const std::string& person_id) const;

 private:
  struct Final {
    std::string status;  // provided | not_found | error
    std::chrono::sys_seconds at;
    nlohmann::json items, null_reasons;
    std::string error_code, error_message;
  };
  struct Inquiry {
    std::string processing_no, request_key, kind, person_id;
    Date period_from, period_to;
    std::chrono::sys_seconds submitted_at;
    ScenarioRule rule;
    std::optional<std::chrono::sys_seconds> cancelled_at;
    std::optional<Final> final;
    bool delivered = false;  // the final answer has been sent at least once
    int malformed_left = 0;
  };

  Result<std::string> submit(const nlohmann::json& doc);
  Result<std::string> poll(const nlohmann::json& doc);
  Result<std::string> cancel(const nlohmann::json& doc);
  Result<std::string> register_copies(const nlohmann::json& doc);
  // The inquiry's answer entry now; computes and keeps the final answer when it is due.
  Result<nlohmann::json> answer_entry(Inquiry& q, bool& malformed, bool& duplicate);
  // When the inquiry's answer is final (after latency and any manual time).
  std::chrono::sys_seconds final_at(const Inquiry& q) const;
  std::string next_processing_no();

  store::Database& db_;
  const Clock& clock_;
  KindTable kinds_;
  mutable std::mutex mutex_;
  Scenario scenario_;
  SimStats stats_;
  std::map<std::string, Inquiry> inquiries_;           // by processing_no
  std::map<std::string, std::string> by_request_key_;  // request_key → processing_no
  std::map<std::string, std::string> link_codes_;      // person_id → 符号
  std::set<std::tuple<std::string, std::string, std::string>> copies_;
  std::int64_t sequence_ = 0;
};

}  // namespace kaigo::sim::network

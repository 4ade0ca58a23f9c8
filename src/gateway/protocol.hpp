#pragma once
// The documents of docs/number-network-protocol.md ("kaigo-chukan/1"): built by kaigo, and parsed
// strictly on both sides. A parse error is invalid_input whose `field` names the offending field
// (e.g. "answers[3].status"), and whose message carries no personal data. A reply is checked
// against what was asked: a submit reply must answer every request key in order, a poll reply
// may only answer the processing numbers asked for, each once.
//
// Thread-safety: free functions without shared state.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::gateway {

inline constexpr const char* kProtocol = "kaigo-chukan/1";

struct SubmitEntry {
  std::string request_key;
  std::string person_id;  // 統合宛名番号, never the My Number
  std::string jimu_code;
  std::string procedure_code;
  std::string item_code;
  std::string institution_code;
  Date period_from;
  Date period_to;
};

// One entry of a submit reply: accepted (processing_no) or refused at once (error_code).
struct SubmitAck {
  std::string request_key;
  std::string processing_no;
  std::string error_code;
  std::string error_message;
  bool accepted() const { return !processing_no.empty(); }
};

enum class AnswerStatus { pending, manual_pending, provided, not_found, error };
const char* to_string(AnswerStatus s);
bool is_final(AnswerStatus s);

struct Answer {
  std::string processing_no;
  AnswerStatus status = AnswerStatus::pending;
  std::string answered_at;  // final answers
  nlohmann::json items = nlohmann::json::object();         // provided
  nlohmann::json null_reasons = nlohmann::json::object();  // provided: item → reason
  std::string error_code;
  std::string error_message;
};

struct Copy {  // 副本
  std::string data_set;
  std::string person_id;
  std::string version;
  nlohmann::json items = nlohmann::json::object();
  nlohmann::json null_reasons = nlohmann::json::object();
};

// kaigo → 中間サーバー
std::string build_submit(const std::vector<SubmitEntry>& requests);
std::string build_poll(const std::vector<std::string>& processing_nos);
std::string build_cancel(const std::string& processing_no, const std::string& reason);
std::string build_register(const std::vector<Copy>& copies);

Result<std::vector<SubmitAck>> parse_submit_reply(const std::string& text, const std::vector<SubmitEntry>& sent);
Result<std::vector<Answer>> parse_poll_reply(const std::string& text, const std::vector<std::string>& asked);
Result<bool> parse_cancel_reply(const std::string& text);
Result<std::int64_t> parse_register_reply(const std::string& text);

// The 中間サーバー's side (simulators and test fakes): requests parsed, replies built.
Result<std::vector<SubmitEntry>> parse_submit_request(const std::string& text);
Result<std::vector<std::string>> parse_poll_request(const std::string& text);
struct CancelRequest {
  std::string processing_no;
  std::string reason;
};
Result<CancelRequest> parse_cancel_request(const std::string& text);
Result<std::vector<Copy>> parse_register_request(const std::string& text);

std::string build_submit_reply(const std::vector<SubmitAck>& acks);
std::string build_poll_reply(const std::vector<Answer>& answers);
std::string build_cancel_reply(bool cancelled);
std::string build_register_reply(std::int64_t registered);

}  // namespace kaigo::gateway

#pragma once
// A scripted 中間サーバー for the gateway tests (the real simulator lives in sim/number_network and
// is wired in by the lead): it parses every request with the protocol codec, answers as scripted,
// and keeps every request document so a test can inspect what left kaigo.
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "gateway/protocol.hpp"
#include "gateway/transport.hpp"

namespace kaigo::gateway::testing {

class FakeChukan {
 public:
  // Script: the answers a processing number gives on successive polls (the last one repeats).
  // Unscripted numbers answer `default_answer`.
  std::map<std::string, std::vector<AnswerStatus>> script;  // by person_id
  AnswerStatus default_answer = AnswerStatus::provided;
  std::set<std::string> refuse_at_submit;                   // person_ids → E_LINK_CODE 符号未取得
  std::set<std::string> error_at_poll;                      // person_ids → error E_LINK_CODE
  bool unavailable = false;
  std::string malformed_reply;                              // when set, every reply is this text
  bool cancel_refused = false;

  InProcessHandler handler() {
    return [this](const std::string& op, const std::string& body) { return handle(op, body); };
  }

  Result<std::string> handle(const std::string& op, const std::string& body) {
    std::lock_guard lock(mu_);
    documents.emplace_back(op, body);
    if (unavailable) return fail(ErrorKind::unavailable, "fake 中間サーバー down");
    calls[op]++;
    if (!malformed_reply.empty()) return malformed_reply;
    if (op == kOpSubmit) {
      auto reqs = parse_submit_request(body);
      if (!reqs) return std::unexpected(reqs.error());
      std::vector<SubmitAck> acks;
      for (const auto& r : *reqs) {
        if (refuse_at_submit.contains(r.person_id)) {
          acks.push_back({r.request_key, "", "E_LINK_CODE", "符号未取得"});
          continue;
        }
        auto [it, fresh] = by_key_.emplace(r.request_key, fmt::format("CH20261124{:08}", by_key_.size() + 1));
        if (fresh) person_of[it->second] = r.person_id;
        acks.push_back({r.request_key, it->second, "", ""});
      }
      return build_submit_reply(acks);
    }
    if (op == kOpPoll) {
      auto nos = parse_poll_request(body);
      if (!nos) return std::unexpected(nos.error());
      std::vector<Answer> answers;
      for (const auto& no : *nos) {
        polls[no]++;
        Answer a;
        a.processing_no = no;
        const std::string person = person_of[no];
        auto s = script.find(person);
        if (error_at_poll.contains(person)) a.status = AnswerStatus::error;
        else if (s != script.end()) a.status = s->second[std::min<std::size_t>(polls[no] - 1, s->second.size() - 1)];
        else a.status = default_answer;
        if (is_final(a.status)) a.answered_at = "2026-11-24T10:00:00+09:00";
        if (a.status == AnswerStatus::provided) {
          a.items = {{"total_income", 1200000}};
          a.null_reasons = {{"pension_income", "該当なし"}};
        }
        if (a.status == AnswerStatus::error) {
          a.error_code = "E_LINK_CODE";
          a.error_message = "符号未取得";
        }
        answers.push_back(std::move(a));
      }
      return build_poll_reply(answers);
    }
    if (op == kOpCancel) {
      auto c = parse_cancel_request(body);
      if (!c) return std::unexpected(c.error());
      if (cancel_refused) return build_cancel_reply(false);
      cancelled_.insert(c->processing_no);
      return build_cancel_reply(true);
    }
    if (op == kOpRegister) {
      auto copies = parse_register_request(body);
      if (!copies) return std::unexpected(copies.error());
      for (const auto& c : *copies) registered.insert(c.data_set + "|" + c.person_id + "|" + c.version);
      return build_register_reply(static_cast<std::int64_t>(copies->size()));
    }
    return fail(ErrorKind::invalid_input, "unknown operation");
  }

  std::vector<std::pair<std::string, std::string>> documents;  // (operation, request body)
  std::map<std::string, int> calls;
  std::map<std::string, int> polls;  // by processing number
  std::map<std::string, std::string> person_of;
  std::set<std::string> registered;

 private:
  std::mutex mu_;
  std::map<std::string, std::string> by_key_;
  std::set<std::string> cancelled_;
};

}  // namespace kaigo::gateway::testing

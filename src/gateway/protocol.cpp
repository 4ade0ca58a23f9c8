#include "gateway/protocol.hpp"

#include <set>

#include <fmt/format.h>

namespace kaigo::gateway {

namespace {

using nlohmann::json;

std::unexpected<Error> bad(const std::string& field, const std::string& what) {
  return fail(ErrorKind::invalid_input, fmt::format("malformed 中間サーバー document: {} {}", field, what), field);
}

std::string at(const std::string& parent, size_t i, const char* key) { return fmt::format("{}[{}].{}", parent, i, key); }

// Parses the text as a JSON object of this protocol.
Result<json> document(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return bad("document", "is not valid JSON");
  if (!j.is_object()) return bad("document", "is not a JSON object");
  auto p = j.find("protocol");
  if (p == j.end() || !p->is_string()) return bad("protocol", "is missing");
  if (p->get<std::string>() != kProtocol) return bad("protocol", fmt::format("is not {}", kProtocol));
  return j;
}

Result<const json*> array_of(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return bad(key, "is missing or not an array");
  return &*it;
}

// A required non-empty string member.
Result<std::string> text(const json& o, const char* key, const std::string& field) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string()) return bad(field, "is missing or not a string");
  auto s = it->get<std::string>();
  if (s.empty()) return bad(field, "is empty");
  return s;
}

// An optional string member ("" when absent).
Result<std::string> optional_text(const json& o, const char* key, const std::string& field) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::string{};
  if (!it->is_string()) return bad(field, "is not a string");
  return it->get<std::string>();
}

Result<json> optional_object(const json& o, const char* key, const std::string& field) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return json::object();
  if (!it->is_object()) return bad(field, "is not an object");
  return *it;
}

Result<Date> date(const json& o, const char* key, const std::string& field) {
  auto s = text(o, key, field);
  if (!s) return std::unexpected(s.error());
  auto d = Date::parse(*s);
  if (!d) return bad(field, "is not an ISO date");
  return *d;
}

Result<AnswerStatus> parse_status(const std::string& s, const std::string& field) {
  if (s == "pending") return AnswerStatus::pending;
  if (s == "manual_pending") return AnswerStatus::manual_pending;
  if (s == "provided") return AnswerStatus::provided;
  if (s == "not_found") return AnswerStatus::not_found;
  if (s == "error") return AnswerStatus::error;
  return bad(field, "is not a known status");
}

json envelope() { return json{{"protocol", kProtocol}}; }

}  // namespace

const char* to_string(AnswerStatus s) {
  switch (s) {
    case AnswerStatus::pending: return "pending";
    case AnswerStatus::manual_pending: return "manual_pending";
    case AnswerStatus::provided: return "provided";
    case AnswerStatus::not_found: return "not_found";
    case AnswerStatus::error: return "error";
  }
  return "error";
}

bool is_final(AnswerStatus s) {
  return s == AnswerStatus::provided || s == AnswerStatus::not_found || s == AnswerStatus::error;
}

std::string build_submit(const std::vector<SubmitEntry>& requests) {
  json j = envelope();
  json& a = j["requests"] = json::array();
  for (const auto& r : requests)
    a.push_back({{"request_key", r.request_key},
                 {"person_id", r.person_id},
                 {"jimu_code", r.jimu_code},
                 {"procedure_code", r.procedure_code},
                 {"item_code", r.item_code},
                 {"institution_code", r.institution_code},
                 {"period_from", r.period_from.iso()},
                 {"period_to", r.period_to.iso()}});
  return j.dump();
}

std::string build_poll(const std::vector<std::string>& processing_nos) {
  json j = envelope();
  j["processing_nos"] = processing_nos;
  return j.dump();
}

std::string build_cancel(const std::string& processing_no, const std::string& reason) {
  json j = envelope();
  j["processing_no"] = processing_no;
  j["reason"] = reason;
  return j.dump();
}

std::string build_register(const std::vector<Copy>& copies) {
  json j = envelope();
  json& a = j["copies"] = json::array();
  for (const auto& c : copies)
    a.push_back({{"data_set", c.data_set},
                 {"person_id", c.person_id},
                 {"version", c.version},
                 {"items", c.items},
                 {"null_reasons", c.null_reasons}});
  return j.dump();
}

Result<std::vector<SubmitAck>> parse_submit_reply(const std::string& body, const std::vector<SubmitEntry>& sent) {
  auto j = document(body);
  if (!j) return std::unexpected(j.error());
  auto a = array_of(*j, "accepted");
  if (!a) return std::unexpected(a.error());
  if ((*a)->size() != sent.size())
    return bad("accepted", fmt::format("has {} entries for {} requests", (*a)->size(), sent.size()));
  std::vector<SubmitAck> out;
  out.reserve(sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    const json& e = (**a)[i];
    if (!e.is_object()) return bad(fmt::format("accepted[{}]", i), "is not an object");
    SubmitAck ack;
    auto key = text(e, "request_key", at("accepted", i, "request_key"));
    if (!key) return std::unexpected(key.error());
    if (*key != sent[i].request_key) return bad(at("accepted", i, "request_key"), "does not answer the request in its place");
    ack.request_key = *key;
    auto no = optional_text(e, "processing_no", at("accepted", i, "processing_no"));
    if (!no) return std::unexpected(no.error());
    auto code = optional_text(e, "error_code", at("accepted", i, "error_code"));
    if (!code) return std::unexpected(code.error());
    auto msg = optional_text(e, "error_message", at("accepted", i, "error_message"));
    if (!msg) return std::unexpected(msg.error());
    if (no->empty() == code->empty())
      return bad(at("accepted", i, "processing_no"), "must be given, or else error_code (exactly one of them)");
    ack.processing_no = *no;
    ack.error_code = *code;
    ack.error_message = *msg;
    out.push_back(std::move(ack));
  }
  return out;
}

Result<std::vector<Answer>> parse_poll_reply(const std::string& body, const std::vector<std::string>& asked) {
  auto j = document(body);
  if (!j) return std::unexpected(j.error());
  auto a = array_of(*j, "answers");
  if (!a) return std::unexpected(a.error());
  std::set<std::string> open(asked.begin(), asked.end());
  std::vector<Answer> out;
  out.reserve((*a)->size());
  for (size_t i = 0; i < (*a)->size(); ++i) {
    const json& e = (**a)[i];
    if (!e.is_object()) return bad(fmt::format("answers[{}]", i), "is not an object");
    Answer ans;
    auto no = text(e, "processing_no", at("answers", i, "processing_no"));
    if (!no) return std::unexpected(no.error());
    if (open.erase(*no) == 0) return bad(at("answers", i, "processing_no"), "was not asked for (or is answered twice)");
    ans.processing_no = *no;
    auto st = text(e, "status", at("answers", i, "status"));
    if (!st) return std::unexpected(st.error());
    auto status = parse_status(*st, at("answers", i, "status"));
    if (!status) return std::unexpected(status.error());
    ans.status = *status;
    auto when = is_final(ans.status) ? text(e, "answered_at", at("answers", i, "answered_at"))
                                     : optional_text(e, "answered_at", at("answers", i, "answered_at"));
    if (!when) return std::unexpected(when.error());
    ans.answered_at = *when;
    auto items = optional_object(e, "items", at("answers", i, "items"));
    if (!items) return std::unexpected(items.error());
    auto reasons = optional_object(e, "null_reasons", at("answers", i, "null_reasons"));
    if (!reasons) return std::unexpected(reasons.error());
    for (const auto& [k, v] : reasons->items())
      if (!v.is_string()) return bad(at("answers", i, "null_reasons") + "." + k, "is not a string");
    if (ans.status == AnswerStatus::provided && !e.contains("items"))
      return bad(at("answers", i, "items"), "is missing from a provided answer");
    ans.items = std::move(*items);
    ans.null_reasons = std::move(*reasons);
    auto code = ans.status == AnswerStatus::error ? text(e, "error_code", at("answers", i, "error_code"))
                                                  : optional_text(e, "error_code", at("answers", i, "error_code"));
    if (!code) return std::unexpected(code.error());
    ans.error_code = *code;
    auto msg = optional_text(e, "error_message", at("answers", i, "error_message"));
    if (!msg) return std::unexpected(msg.error());
    ans.error_message = *msg;
    out.push_back(std::move(ans));
  }
  if (!open.empty()) return bad("answers", fmt::format("leaves {} processing numbers unanswered", open.size()));
  return out;
}

Result<bool> parse_cancel_reply(const std::string& body) {
  auto j = document(body);
  if (!j) return std::unexpected(j.error());
  auto it = j->find("cancelled");
  if (it == j->end() || !it->is_boolean()) return bad("cancelled", "is missing or not a boolean");
  return it->get<bool>();
}

Result<std::int64_t> parse_register_reply(const std::string& body) {
  auto j = document(body);
  if (!j) return std::unexpected(j.error());
  auto it = j->find("registered");
  if (it == j->end() || !it->is_number_integer() || it->get<std::int64_t>() < 0)
    return bad("registered", "is missing or not a count");
  return it->get<std::int64_t>();
}

Result<std::vector<SubmitEntry>> parse_submit_request(const std::string& body) {
  auto j = document(body);
  if (!j) return std::unexpected(j.error());
  auto a = array_of(*j, "requests");
  if (!a) return std::unexpected(a.error());
  std::vector<SubmitEntry> out;
  out.reserve((*a)->size());
  for (size_t i = 0; i < (*a)->size(); ++i) {
    const json& e = (**a)[i];
    if (!e.is_object()) return bad(fmt::format("requests[{}]", i), "is not an object");
    SubmitEntry r;
    for (auto [key, dest] : {std::pair{"request_key", &r.request_key}, std::pair{"person_id", &r.person_id},
                             std::pair{"jimu_code", &r.jimu_code}, std::pair{"procedure_code", &r.procedure_code},
                             std::pair{"item_code", &r.item_code}, std::pair{"institution_code", &r.institution_code}}) {
      auto v = text(e, key, at("requests", i, key));
      if (!v) return std::unexpected(v.error());
      *dest = std::move(*v);
    }
    auto from = date(e, "period_from", at("requests", i, "period_from"));
    if (!from) return std::unexpected(from.error());
    auto to = date(e, "period_to", at("requests", i, "period_to"));
    if (!to) return std::unexpected(to.error());
    if (*to < *from) return bad(at("requests", i, "period_to"), "is before period_from");
    r.period_from = *from;
    r.period_to = *to;
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<std::string>> parse_poll_request(const std::string& body) {
  auto j = document(body);
  if (!j) return std::unexpected(j.error());
  auto a = array_of(*j, "processing_nos");
  if (!a) return std::unexpected(a.error());
  std::vector<std::string> out;
  for (size_t i = 0; i < (*a)->size(); ++i) {
    const json& e = (**a)[i];
    if (!e.is_string() || e.get<std::string>().empty()) return bad(fmt::format("processing_nos[{}]", i), "is not a processing number");
    out.push_back(e.get<std::string>());
  }
  return out;
}

Result<CancelRequest> parse_cancel_request(const std::string& body) {
  auto j = document(body);
  if (!j) return std::unexpected(j.error());
  auto no = text(*j, "processing_no", "processing_no");
  if (!no) return std::unexpected(no.error());
  auto reason = optional_text(*j, "reason", "reason");
  if (!reason) return std::unexpected(reason.error());
  return CancelRequest{*no, *reason};
}

Result<std::vector<Copy>> parse_register_request(const std::string& body) {
  auto j = document(body);
  if (!j) return std::unexpected(j.error());
  auto a = array_of(*j, "copies");
  if (!a) return std::unexpected(a.error());
  std::vector<Copy> out;
  for (size_t i = 0; i < (*a)->size(); ++i) {
    const json& e = (**a)[i];
    if (!e.is_object()) return bad(fmt::format("copies[{}]", i), "is not an object");
    Copy c;
    for (auto [key, dest] : {std::pair{"data_set", &c.data_set}, std::pair{"person_id", &c.person_id},
                             std::pair{"version", &c.version}}) {
      auto v = text(e, key, at("copies", i, key));
      if (!v) return std::unexpected(v.error());
      *dest = std::move(*v);
    }
    auto items = optional_object(e, "items", at("copies", i, "items"));
    if (!items) return std::unexpected(items.error());
    auto reasons = optional_object(e, "null_reasons", at("copies", i, "null_reasons"));
    if (!reasons) return std::unexpected(reasons.error());
    c.items = std::move(*items);
    c.null_reasons = std::move(*reasons);
    out.push_back(std::move(c));
  }
  return out;
}

std::string build_submit_reply(const std::vector<SubmitAck>& acks) {
  json j = envelope();
  json& a = j["accepted"] = json::array();
  for (const auto& k : acks) {
    if (k.accepted()) a.push_back({{"request_key", k.request_key}, {"processing_no", k.processing_no}});
    else a.push_back({{"request_key", k.request_key}, {"error_code", k.error_code}, {"error_message", k.error_message}});
  }
  return j.dump();
}

std::string build_poll_reply(const std::vector<Answer>& answers) {
  json j = envelope();
  json& a = j["answers"] = json::array();
  for (const auto& x : answers) {
    json e{{"processing_no", x.processing_no}, {"status", to_string(x.status)}};
    if (!x.answered_at.empty()) e["answered_at"] = x.answered_at;
    if (x.status == AnswerStatus::provided) {
      e["items"] = x.items;
      e["null_reasons"] = x.null_reasons;
    }
    e["error_code"] = x.error_code;
    e["error_message"] = x.error_message;
    a.push_back(std::move(e));
  }
  return j.dump();
}

std::string build_cancel_reply(bool cancelled) {
  json j = envelope();
  j["cancelled"] = cancelled;
  return j.dump();
}

std::string build_register_reply(std::int64_t registered) {
  json j = envelope();
  j["registered"] = registered;
  return j.dump();
}

}  // namespace kaigo::gateway

#include "sim/number_network/intermediate_server.hpp"

#include <fmt/format.h>

#include "sim/number_network/settable_clock.hpp"

namespace kaigo::sim::network {

using json = nlohmann::json;
using namespace std::chrono;

namespace {

Result<void> check_protocol(const json& doc) {
  if (!doc.is_object()) return fail(ErrorKind::invalid_input, "the request must be a JSON object", "protocol");
  if (!doc.contains("protocol") || doc.at("protocol") != kProtocol)
    return fail(ErrorKind::invalid_input, fmt::format("protocol must be \"{}\"", kProtocol), "protocol");
  return {};
}

Result<std::string> text(const json& obj, const char* name, const std::string& path) {
  const std::string field = path.empty() ? name : fmt::format("{}.{}", path, name);
  if (!obj.contains(name)) return fail(ErrorKind::invalid_input, "missing", field);
  const auto& v = obj.at(name);
  if (!v.is_string() || v.get<std::string>().empty())
    return fail(ErrorKind::invalid_input, "must be a non-empty string", field);
  return v.get<std::string>();
}

Result<const json*> array(const json& doc, const char* name) {
  if (!doc.contains(name) || !doc.at(name).is_array() || doc.at(name).empty())
    return fail(ErrorKind::invalid_input, "must be a non-empty array", name);
  if (doc.at(name).size() > kMaxBatch)
    return fail(ErrorKind::invalid_input, fmt::format("at most {} per document", kMaxBatch), name);
  return &doc.at(name);
}

bool all_digits(const std::string& s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

struct SubmitRequest {
  std::string request_key, person_id, item_code;
  Date period_from, period_to;
};

Result<SubmitRequest> parse_request(const json& r, const std::string& path) {
  if (!r.is_object()) return fail(ErrorKind::invalid_input, "must be an object", path);
  SubmitRequest out;
  auto key = text(r, "request_key", path);
  if (!key) return std::unexpected(key.error());
  out.request_key = *key;
  auto person = text(r, "person_id", path);
  if (!person) return std::unexpected(person.error());
  if (!all_digits(*person) || person->size() > 20)
    return fail(ErrorKind::invalid_input, "must be digits (統合宛名番号)", path + ".person_id");
  out.person_id = *person;
  for (const char* code : {"jimu_code", "procedure_code", "institution_code"}) {
    if (auto c = text(r, code, path); !c) return std::unexpected(c.error());
  }
  auto item = text(r, "item_code", path);
  if (!item) return std::unexpected(item.error());
  out.item_code = *item;
  auto from_text = text(r, "period_from", path);
  if (!from_text) return std::unexpected(from_text.error());
  auto from = Date::parse(*from_text);
  if (!from) return fail(ErrorKind::invalid_input, "must be a date YYYY-MM-DD", path + ".period_from");
  auto to_text = text(r, "period_to", path);
  if (!to_text) return std::unexpected(to_text.error());
  auto to = Date::parse(*to_text);
  if (!to) return fail(ErrorKind::invalid_input, "must be a date YYYY-MM-DD", path + ".period_to");
  if (*to < *from) return fail(ErrorKind::invalid_input, "ends before period_from", path + ".period_to");
  out.period_from = *from;
  out.period_to = *to;
  return out;
}

json refused(const std::string& request_key, const char* code, const char* message) {
  return {{"request_key", request_key}, {"error_code", code}, {"error_message", message}};
}

}  // namespace

json SimStats::to_json() const {
  return {{"inquiries", inquiries}, {"resubmitted", resubmitted},   {"refused", refused},
          {"link_codes", link_codes}, {"polls", polls},             {"provided", provided},
          {"not_found", not_found},   {"errors", errors},           {"cancelled", cancelled},
          {"cancel_refused", cancel_refused}, {"late_answers", late_answers},
          {"duplicate_entries", duplicate_entries}, {"malformed_replies", malformed_replies}, {"copies", copies}};
}

IntermediateServerSim::IntermediateServerSim(store::Database& db, const Clock& clock, KindTable kinds)
    : db_(db), clock_(clock), kinds_(std::move(kinds)) {}

gateway::InProcessHandler IntermediateServerSim::handler() {
  return [this](const std::string& operation, const std::string& request_json) { return handle(operation, request_json); };
}

void IntermediateServerSim::set_scenario(Scenario s) {
  std::lock_guard lock(mutex_);
  scenario_ = std::move(s);
}

Scenario IntermediateServerSim::scenario() const {
  std::lock_guard lock(mutex_);
  return scenario_;
}

SimStats IntermediateServerSim::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::optional<std::string> IntermediateServerSim::link_code(const std::string& person_id) const {
  std::lock_guard lock(mutex_);
  auto it = link_codes_.find(person_id);
  if (it == link_codes_.end()) return std::nullopt;
  return it->second;
}

Result<std::string> IntermediateServerSim::handle(const std::string& operation, const std::string& request_json) {
  json doc = json::parse(request_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail(ErrorKind::invalid_input, "the request is not valid JSON", "request");
  if (auto p = check_protocol(doc); !p) return std::unexpected(p.error());
  std::lock_guard lock(mutex_);
  if (operation == "submit") return submit(doc);
  if (operation == "poll") return poll(doc);
  if (operation == "cancel") return cancel(doc);
  if (operation == "register") return register_copies(doc);
  return fail(ErrorKind::invalid_input, "unknown operation", "operation");
}

std::string IntermediateServerSim::next_processing_no() {
  return fmt::format("CH{}{:08}", clock_.today().compact(), ++sequence_);
}

Result<std::string> IntermediateServerSim::submit(const json& doc) {
  auto list = array(doc, "requests");
  if (!list) return std::unexpected(list.error());
  // Validate every request before changing anything: a malformed document is refused whole.
  std::vector<SubmitRequest> requests;
  for (std::size_t i = 0; i < (*list)->size(); ++i) {
    auto r = parse_request((*list)->at(i), fmt::format("requests[{}]", i));
    if (!r) return std::unexpected(r.error());
    requests.push_back(std::move(*r));
  }
  json accepted = json::array();
  const auto now = clock_.now();
  for (const auto& r : requests) {
    if (auto known = by_request_key_.find(r.request_key); known != by_request_key_.end()) {
      ++stats_.resubmitted;
      accepted.push_back({{"request_key", r.request_key}, {"processing_no", known->second}});
      continue;
    }
    const auto kind = kinds_.kind_for_item(r.item_code);
    if (!kind) {
      ++stats_.refused;
      accepted.push_back(refused(r.request_key, "E_ITEM", "特定個人情報名コード不明"));
      continue;
    }
    ScenarioRule rule = scenario_.rule_for(r.person_id, *kind);
    if (rule.effect == Effect::no_link_code) {
      // Nothing is recorded: a re-send is refused again until the 符号 exists.
      ++stats_.refused;
      accepted.push_back(refused(r.request_key, "E_LINK_CODE", "符号未取得"));
      continue;
    }
    if (!link_codes_.contains(r.person_id)) {
      ++stats_.link_codes;
      link_codes_[r.person_id] = fmt::format("LC{:016}", stats_.link_codes);
    }
    Inquiry q;
    q.processing_no = next_processing_no();
    q.request_key = r.request_key;
    q.kind = *kind;
    q.person_id = r.person_id;
    q.period_from = r.period_from;
    q.period_to = r.period_to;
    q.submitted_at = now;
    q.malformed_left = rule.effect == Effect::malformed ? rule.malformed_polls : 0;
    q.rule = std::move(rule);
    ++stats_.inquiries;
    by_request_key_[q.request_key] = q.processing_no;
    accepted.push_back({{"request_key", q.request_key}, {"processing_no", q.processing_no}});
    inquiries_.emplace(q.processing_no, std::move(q));
  }
  return json{{"protocol", kProtocol}, {"accepted", std::move(accepted)}}.dump();
}

sys_seconds IntermediateServerSim::final_at(const Inquiry& q) const {
  auto at = q.submitted_at + seconds{q.rule.latency_seconds};
  if (q.rule.effect == Effect::manual_pending) at += seconds{q.rule.manual_seconds};
  return at;
}

Result<json> IntermediateServerSim::answer_entry(Inquiry& q, bool& malformed, bool& duplicate) {
  json entry{{"processing_no", q.processing_no}};
  const auto now = clock_.now();
  if (q.cancelled_at && q.rule.effect != Effect::late) {
    entry["status"] = "error";
    entry["answered_at"] = jst_timestamp(*q.cancelled_at);
    entry["error_code"] = "E_CANCELLED";
    entry["error_message"] = "照会取消済";
    return entry;
  }
  const auto ready = q.submitted_at + seconds{q.rule.latency_seconds};
  if (now < ready) {
    entry["status"] = "pending";
    return entry;
  }
  if (now < final_at(q)) {
    entry["status"] = "manual_pending";
    return entry;
  }
  if (!q.final) {
    Final f;
    f.at = final_at(q);
    f.items = json::object();
    f.null_reasons = json::object();
    if (q.rule.effect == Effect::not_found) {
      f.status = "not_found";
    } else if (q.rule.effect == Effect::error) {
      f.status = "error";
      f.error_code = q.rule.error_code;
      f.error_message = q.rule.error_message;
    } else {
      auto a = answer_from_bodies(db_, BodyQuery{q.kind, q.person_id, q.period_from, q.period_to});
      if (!a) {
        // Never the person's data in the message: the store's error text is about SQL only.
        if (a.error().kind == ErrorKind::invalid_input) return std::unexpected(a.error());
        return fail(ErrorKind::unavailable, "the city database cannot be read: " + a.error().message);
      }
      f.status = a->found ? "provided" : "not_found";
      if (a->found) {
        f.items = std::move(a->items);
        f.null_reasons = std::move(a->null_reasons);
      }
    }
    q.final = std::move(f);
  }
  const Final& f = *q.final;
  entry["status"] = f.status;
  entry["answered_at"] = jst_timestamp(f.at);
  if (f.status == "provided") {
    entry["items"] = f.items;
    entry["null_reasons"] = f.null_reasons;
  }
  if (f.status == "error") {
    entry["error_code"] = f.error_code;
    entry["error_message"] = f.error_message;
  }
  if (q.malformed_left > 0) {
    // Broken replies do not count as delivered: the client rejects them and polls again.
    --q.malformed_left;
    malformed = true;
    if (q.rule.malformation == Malformation::missing_field) entry.erase("status");
    return entry;
  }
  if (!q.delivered) {
    q.delivered = true;
    if (f.status == "provided") ++stats_.provided;
    else if (f.status == "not_found") ++stats_.not_found;
    else ++stats_.errors;
    if (q.cancelled_at) ++stats_.late_answers;
    duplicate = q.rule.effect == Effect::duplicate;
  }
  return entry;
}

Result<std::string> IntermediateServerSim::poll(const json& doc) {
  auto list = array(doc, "processing_nos");
  if (!list) return std::unexpected(list.error());
  for (std::size_t i = 0; i < (*list)->size(); ++i)
    if (!(*list)->at(i).is_string() || (*list)->at(i).get<std::string>().empty())
      return fail(ErrorKind::invalid_input, "must be a non-empty string", fmt::format("processing_nos[{}]", i));
  ++stats_.polls;
  json answers = json::array();
  bool broken_json = false, missing_field = false;
  for (const auto& number : **list) {
    const std::string no = number.get<std::string>();
    auto it = inquiries_.find(no);
    if (it == inquiries_.end()) {
      answers.push_back({{"processing_no", no},
                         {"status", "error"},
                         {"answered_at", clock_.timestamp()},
                         {"error_code", "E_UNKNOWN"},
                         {"error_message", "処理通番不明"}});
      continue;
    }
    bool malformed = false, duplicate = false;
    auto entry = answer_entry(it->second, malformed, duplicate);
    if (!entry) return std::unexpected(entry.error());
    if (malformed) {
      if (it->second.rule.malformation == Malformation::broken_json) broken_json = true;
      else missing_field = true;
    }
    if (duplicate) {
      ++stats_.duplicate_entries;
      answers.push_back(*entry);
    }
    answers.push_back(std::move(*entry));
  }
  std::string reply = json{{"protocol", kProtocol}, {"answers", std::move(answers)}}.dump();
  if (broken_json || missing_field) ++stats_.malformed_replies;
  // Cut before the closing "]}": a prefix of an object is never valid JSON, and the cut falls on
  // ASCII so the text stays valid UTF-8 (the fault is in the structure, not the encoding).
  if (broken_json) reply.resize(reply.size() - 2);
  return reply;
}

Result<std::string> IntermediateServerSim::cancel(const json& doc) {
  auto no = text(doc, "processing_no", "");
  if (!no) return std::unexpected(no.error());
  if (doc.contains("reason") && !doc.at("reason").is_string())
    return fail(ErrorKind::invalid_input, "must be a string", "reason");
  bool cancelled = false;
  if (auto it = inquiries_.find(*no); it != inquiries_.end()) {
    Inquiry& q = it->second;
    const bool final_now = q.final.has_value() || clock_.now() >= final_at(q);
    if (q.cancelled_at) cancelled = true;  // a second cancel of the same inquiry: same answer
    else if (!final_now) {
      q.cancelled_at = clock_.now();
      cancelled = true;
      ++stats_.cancelled;
    }
  }
  if (!cancelled) ++stats_.cancel_refused;
  return json{{"protocol", kProtocol}, {"cancelled", cancelled}}.dump();
}

Result<std::string> IntermediateServerSim::register_copies(const json& doc) {
  auto list = array(doc, "copies");
  if (!list) return std::unexpected(list.error());
  std::vector<std::tuple<std::string, std::string, std::string>> keys;
  for (std::size_t i = 0; i < (*list)->size(); ++i) {
    const auto& c = (*list)->at(i);
    const std::string path = fmt::format("copies[{}]", i);
    if (!c.is_object()) return fail(ErrorKind::invalid_input, "must be an object", path);
    auto data_set = text(c, "data_set", path);
    if (!data_set) return std::unexpected(data_set.error());
    auto person = text(c, "person_id", path);
    if (!person) return std::unexpected(person.error());
    auto version = text(c, "version", path);
    if (!version) return std::unexpected(version.error());
    if (!c.contains("items") || !c.at("items").is_object())
      return fail(ErrorKind::invalid_input, "must be an object", path + ".items");
    if (c.contains("null_reasons") && !c.at("null_reasons").is_object())
      return fail(ErrorKind::invalid_input, "must be an object", path + ".null_reasons");
    keys.emplace_back(*data_set, *person, *version);
  }
  for (auto& k : keys)
    if (copies_.insert(std::move(k)).second) ++stats_.copies;
  // Every copy of the document is acknowledged, also one already held: a client re-sending a
  // batch whose reply it lost learns that all of it is registered.
  return json{{"protocol", kProtocol}, {"registered", static_cast<std::int64_t>(keys.size())}}.dump();
}

}  // namespace kaigo::sim::network

// The 中間サーバー simulator's protocol behaviour and every fault-injection rule, the same
// scenarios in process (handle()) and over HTTP (`/chukan/v1/*` through httplib::Client, the clock
// and the rules moved through the control endpoints), on SQLite and PostgreSQL: idempotent submit
// by request_key, 符号未取得, latency on the injected clock, manual answers, forced not_found and
// error, duplicate, late after cancel, malformed replies, cancel of a final answer refused, 副本
// registered twice counted once.
#include <gtest/gtest.h>

#include <httplib.h>

#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "people/my_number_vault.hpp"
#include "sim/city_generator.hpp"
#include "sim/number_network/http_service.hpp"
#include "sim/number_network/intermediate_server.hpp"
#include "test_db.hpp"

namespace kaigo {
namespace {

using json = nlohmann::json;
using std::chrono::seconds;
namespace net = sim::network;

store::Database& city(const std::string& backend) {
  static std::map<std::string, std::unique_ptr<store::Database>> cities;
  auto& db = cities[backend];
  if (!db) {
    db = testing::fresh_database(backend);
    people::MyNumberVault vault(random_bytes(32));
    auto built = sim::generate_city(*db, vault, sim::CityOptions{1'500, 7, Date{2026, 4, 1}, "test"});
    EXPECT_TRUE(built) << (built ? "" : built.error().message);
  }
  return *db;
}

// A reply is valid when it is JSON with the protocol, an answers array, and every entry has a
// processing_no and a known status (what a client checks before trusting it).
bool valid_poll_reply(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("protocol", "") != net::kProtocol || !j.contains("answers") ||
      !j["answers"].is_array())
    return false;
  static const std::set<std::string> kStatuses{"pending", "provided", "not_found", "manual_pending", "error"};
  for (const auto& e : j["answers"])
    if (!e.contains("processing_no") || !e.contains("status") || !kStatuses.contains(e["status"].get<std::string>()))
      return false;
  return true;
}

enum class Via { in_process, http };
using Param = std::tuple<std::string, Via>;
void PrintTo(Via v, std::ostream* os) { *os << (v == Via::http ? "http" : "in_process"); }

class SimNetworkScenarioTest : public ::testing::TestWithParam<Param> {
 protected:
  SimNetworkScenarioTest() : db(city(std::get<0>(GetParam()))), clock(base), sim(db, clock) {}

  void SetUp() override {
    if (via() == Via::http) {
      service = std::make_unique<net::HttpService>(sim, clock);
      auto port = service->start();
      ASSERT_TRUE(port) << port.error().message;
      client = std::make_unique<httplib::Client>("127.0.0.1", *port);
      client->set_tcp_nodelay(true);
    }
  }

  Via via() const { return std::get<1>(GetParam()); }

  // One protocol call through the transport under test.
  Result<std::string> call(const std::string& op, const json& doc) {
    if (via() == Via::in_process) return sim.handle(op, doc.dump());
    auto res = client->Post(fmt::format("/chukan/v1/{}", op), doc.dump(), "application/json");
    if (!res) return fail(ErrorKind::unavailable, "no HTTP reply");
    if (res->status == 200) return res->body;
    json e = json::parse(res->body, nullptr, false);
    const std::string field = e.is_discarded() ? "" : e["error"].value("field", "");
    return fail(res->status == 400 ? ErrorKind::invalid_input : ErrorKind::unavailable, res->body, field);
  }
  void advance(int s) {
    if (via() == Via::in_process) return clock.advance(seconds{s});
    auto res = client->Post("/sim/v1/clock", json{{"advance_seconds", s}}.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  void rules(const json& rules) {
    if (via() == Via::in_process) {
      auto s = net::Scenario::from_json(json{{"rules", rules}});
      ASSERT_TRUE(s) << s.error().message;
      return sim.set_scenario(*s);
    }
    auto res = client->Post("/sim/v1/scenarios", json{{"rules", rules}}.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }

  json request(const std::string& key, const std::string& person_id, const std::string& kind = "iryo_insurance") {
    return {{"request_key", key},
            {"person_id", person_id},
            {"jimu_code", "JM0000000093"},
            {"procedure_code", "JT0000009301"},
            {"item_code", net::KindTable::built_in().item_for_kind(kind).value_or("")},
            {"institution_code", "2000000000001"},
            {"period_from", "2026-04-01"},
            {"period_to", "2027-03-31"}};
  }
  json submit(const json& requests) {
    auto r = call("submit", json{{"protocol", net::kProtocol}, {"requests", requests}});
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? json::parse(*r) : json{};
  }
  std::string submit_one(const std::string& key, const std::string& person_id) {
    auto reply = submit(json::array({request(key, person_id)}));
    EXPECT_TRUE(reply["accepted"][0].contains("processing_no")) << reply.dump();
    return reply["accepted"][0].value("processing_no", "");
  }
  std::string poll_text(const std::string& no) {
    auto r = call("poll", json{{"protocol", net::kProtocol}, {"processing_nos", {no}}});
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : "";
  }
  json poll(const std::string& no) {
    const auto text = poll_text(no);
    EXPECT_TRUE(valid_poll_reply(text)) << text;
    return json::parse(text, nullptr, false)["answers"][0];
  }
  bool cancel(const std::string& no) {
    auto r = call("cancel", json{{"protocol", net::kProtocol}, {"processing_no", no}, {"reason", "取下げ"}});
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r && json::parse(*r)["cancelled"].get<bool>();
  }

  // A 40–64 year-old with medical insurance (iryo_insurance answers provided for them).
  std::string insured(int nth = 0) {
    auto rows = db.query("SELECT person_id FROM medical_insurance ORDER BY person_id");
    EXPECT_TRUE(rows && static_cast<int>(rows->size()) > nth);
    return (*rows)[static_cast<std::size_t>(nth)].str(0);
  }

  store::Database& db;
  FixedClock base = FixedClock::at(Date{2026, 5, 1});
  net::SettableClock clock;
  net::IntermediateServerSim sim;
  std::unique_ptr<net::HttpService> service;
  std::unique_ptr<httplib::Client> client;
};

TEST_P(SimNetworkScenarioTest, SubmitIsIdempotentByRequestKey) {
  const auto person = insured();
  const auto no = submit_one("INQ-0000000001", person);
  EXPECT_TRUE(no.starts_with("CH20260501")) << no;
  EXPECT_EQ(no.size(), 18u);
  EXPECT_EQ(submit_one("INQ-0000000001", person), no);
  EXPECT_NE(submit_one("INQ-0000000002", person), no);
  const auto stats = sim.stats();
  EXPECT_EQ(stats.inquiries, 2);
  EXPECT_EQ(stats.resubmitted, 1);
  EXPECT_EQ(stats.link_codes, 1);  // one 符号 per person, issued on first use
  EXPECT_TRUE(sim.link_code(person));
}

TEST_P(SimNetworkScenarioTest, LinkCodeMissingIsRefusedAtSubmit) {
  const auto without = insured(0), with = insured(1);
  rules(json::array({{{"person_id", without}, {"effect", "no_link_code"}}}));
  auto reply = submit(json::array({request("INQ-1", without), request("INQ-2", with)}));
  ASSERT_EQ(reply["accepted"].size(), 2u);
  EXPECT_EQ(reply["accepted"][0]["request_key"], "INQ-1");
  EXPECT_EQ(reply["accepted"][0]["error_code"], "E_LINK_CODE");
  EXPECT_EQ(reply["accepted"][0]["error_message"], "符号未取得");
  EXPECT_FALSE(reply["accepted"][0].contains("processing_no"));
  EXPECT_TRUE(reply["accepted"][1].contains("processing_no"));
  EXPECT_FALSE(sim.link_code(without));
  EXPECT_TRUE(sim.link_code(with));
}

TEST_P(SimNetworkScenarioTest, LatencyIsHonouredOnTheInjectedClock) {
  rules(json::array({{{"kind", "iryo_insurance"}, {"latency_seconds", 86400}}}));
  const auto no = submit_one("INQ-1", insured());
  EXPECT_EQ(poll(no)["status"], "pending");
  advance(86399);
  EXPECT_EQ(poll(no)["status"], "pending");
  advance(1);
  auto a = poll(no);
  EXPECT_EQ(a["status"], "provided");
  EXPECT_EQ(a["answered_at"], "2026-05-02T09:00:00+09:00");
}

TEST_P(SimNetworkScenarioTest, ManualPendingThenTheRealAnswer) {
  rules(json::array({{{"latency_seconds", 60}, {"effect", "manual_pending"}, {"manual_seconds", 3 * 86400}}}));
  const auto no = submit_one("INQ-1", insured());
  EXPECT_EQ(poll(no)["status"], "pending");
  advance(60);
  EXPECT_EQ(poll(no)["status"], "manual_pending");
  advance(3 * 86400 - 1);
  EXPECT_EQ(poll(no)["status"], "manual_pending");
  advance(1);
  auto a = poll(no);
  EXPECT_EQ(a["status"], "provided");
  EXPECT_TRUE(a["items"].contains("insurer_no"));
}

TEST_P(SimNetworkScenarioTest, ForcedNotFoundAndErrorWhateverTheData) {
  const auto a = insured(0), b = insured(1);
  rules(json::array({{{"person_id", a}, {"effect", "not_found"}},
                     {{"person_id", b}, {"effect", "error"}, {"error_code", "E_TARGET"}, {"error_message", "照会先エラー"}}}));
  auto nf = poll(submit_one("INQ-1", a));
  EXPECT_EQ(nf["status"], "not_found");
  EXPECT_FALSE(nf.contains("items"));
  auto err = poll(submit_one("INQ-2", b));
  EXPECT_EQ(err["status"], "error");
  EXPECT_EQ(err["error_code"], "E_TARGET");
  EXPECT_EQ(err["error_message"], "照会先エラー");
  EXPECT_EQ(poll(submit_one("INQ-3", insured(2)))["status"], "provided");  // no rule: the real answer
}

TEST_P(SimNetworkScenarioTest, DuplicateOffersTheSameFinalAnswerAgain) {
  rules(json::array({{{"effect", "duplicate"}, {"latency_seconds", 30}}}));
  const auto no = submit_one("INQ-1", insured());
  EXPECT_EQ(poll(no)["status"], "pending");
  advance(30);
  const auto text = poll_text(no);
  auto answers = json::parse(text)["answers"];
  ASSERT_EQ(answers.size(), 2u) << text;  // delivered twice in the reply that first carries it
  EXPECT_EQ(answers[0], answers[1]);
  EXPECT_EQ(answers[0]["status"], "provided");
  auto again = json::parse(poll_text(no))["answers"];
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0], answers[0]);  // and the same answer on the next poll
  EXPECT_EQ(sim.stats().duplicate_entries, 1);
  EXPECT_EQ(sim.stats().provided, 1);
}

TEST_P(SimNetworkScenarioTest, LateAnswerArrivesAfterCancel) {
  const auto late_person = insured(0), normal_person = insured(1);
  rules(json::array({{{"person_id", late_person}, {"effect", "late"}, {"latency_seconds", 600}},
                     {{"person_id", normal_person}, {"latency_seconds", 600}}}));
  const auto late = submit_one("INQ-1", late_person);
  const auto normal = submit_one("INQ-2", normal_person);
  EXPECT_TRUE(cancel(late));
  EXPECT_TRUE(cancel(normal));
  advance(600);
  auto a = poll(late);
  EXPECT_EQ(a["status"], "provided");  // the counterpart answered anyway
  auto b = poll(normal);
  EXPECT_EQ(b["status"], "error");
  EXPECT_EQ(b["error_code"], "E_CANCELLED");
  EXPECT_EQ(sim.stats().late_answers, 1);
}

TEST_P(SimNetworkScenarioTest, MalformedRepliesFailToParseThenTheAnswerComes) {
  const auto broken = insured(0), missing = insured(1);
  rules(json::array({{{"person_id", broken}, {"effect", "malformed"}, {"malformation", "broken_json"}},
                     {{"person_id", missing}, {"effect", "malformed"}, {"malformation", "missing_field"}, {"malformed_polls", 2}}}));
  const auto b = submit_one("INQ-1", broken);
  const auto m = submit_one("INQ-2", missing);
  const auto first = poll_text(b);
  EXPECT_FALSE(valid_poll_reply(first));
  EXPECT_TRUE(json::parse(first, nullptr, false).is_discarded());  // not JSON at all
  EXPECT_EQ(poll(b)["status"], "provided");  // polled again: the inquiry was still open
  for (int i = 0; i < 2; ++i) {
    const auto text = poll_text(m);
    EXPECT_FALSE(valid_poll_reply(text)) << text;
    EXPECT_FALSE(json::parse(text)["answers"][0].contains("status"));
  }
  EXPECT_EQ(poll(m)["status"], "provided");
  EXPECT_EQ(sim.stats().malformed_replies, 3);
}

TEST_P(SimNetworkScenarioTest, CancelOfAFinalAnswerIsRefused) {
  const auto no = submit_one("INQ-1", insured());
  EXPECT_EQ(poll(no)["status"], "provided");
  EXPECT_FALSE(cancel(no));
  EXPECT_FALSE(cancel("CH2026050199999999"));  // unknown number: nothing to cancel
  EXPECT_EQ(poll(no)["status"], "provided");
  auto unknown = poll("CH2026050199999999");
  EXPECT_EQ(unknown["error_code"], "E_UNKNOWN");
}

TEST_P(SimNetworkScenarioTest, CopyRegisteredTwiceCountsOnce) {
  json copy{{"data_set", "eligibility"},
            {"person_id", "1000000123"},
            {"version", "2026-05-01T09:00:00+09:00#17"},
            {"items", {{"insured_no", "0100000017"}, {"acquired_on", "2025-06-01"}}},
            {"null_reasons", {{"lost_on", "該当なし"}}}};
  for (int i = 0; i < 2; ++i) {
    auto r = call("register", json{{"protocol", net::kProtocol}, {"copies", {copy}}});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(json::parse(*r)["registered"], 1);  // acknowledged both times
  }
  EXPECT_EQ(sim.stats().copies, 1);
  copy["version"] = "2026-05-02T09:00:00+09:00#18";
  ASSERT_TRUE(call("register", json{{"protocol", net::kProtocol}, {"copies", {copy}}}));
  EXPECT_EQ(sim.stats().copies, 2);
}

TEST_P(SimNetworkScenarioTest, MalformedRequestsAreRefusedNamingTheField) {
  auto no_protocol = call("submit", json{{"requests", json::array({request("K", insured())})}});
  ASSERT_FALSE(no_protocol);
  EXPECT_EQ(no_protocol.error().kind, ErrorKind::invalid_input);  // HTTP 400
  EXPECT_EQ(no_protocol.error().field, "protocol");
  auto bad = request("K2", insured());
  bad["period_to"] = "2026-02-30";
  auto bad_date = call("submit", json{{"protocol", net::kProtocol}, {"requests", {request("K1", insured()), bad}}});
  ASSERT_FALSE(bad_date);
  EXPECT_EQ(bad_date.error().field, "requests[1].period_to");
  EXPECT_EQ(sim.stats().inquiries, 0);  // refused whole: the valid first request was not taken
  auto empty_poll = call("poll", json{{"protocol", net::kProtocol}, {"processing_nos", json::array()}});
  ASSERT_FALSE(empty_poll);
  EXPECT_EQ(empty_poll.error().field, "processing_nos");
  auto no_items = call("register", json{{"protocol", net::kProtocol},
                                        {"copies", {{{"data_set", "eligibility"}, {"person_id", "1"}, {"version", "v"}}}}});
  ASSERT_FALSE(no_items);
  EXPECT_EQ(no_items.error().field, "copies[0].items");
  auto unknown_item = submit(json::array({[&] {
    auto r = request("K3", insured());
    r["item_code"] = "TK9999999999";
    return r;
  }()}));
  EXPECT_EQ(unknown_item["accepted"][0]["error_code"], "E_ITEM");
}

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  return std::get<0>(info.param) + (std::get<1>(info.param) == Via::http ? "_http" : "_in_process");
}

INSTANTIATE_TEST_SUITE_P(Db, SimNetworkScenarioTest,
                         ::testing::Combine(::testing::ValuesIn(testing::backends()),
                                            ::testing::Values(Via::in_process, Via::http)),
                         param_name);

}  // namespace
}  // namespace kaigo

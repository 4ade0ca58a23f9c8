// The kaigo-chukan/1 codec: valid documents round-trip; every malformed shape is rejected with
// invalid_input naming the field.
#include <gtest/gtest.h>

#include "gateway/protocol.hpp"

namespace kaigo::gateway {
namespace {

SubmitEntry entry(const std::string& key) {
  return SubmitEntry{key, "1000000123", "JM0000000093", "JT0000009302", "TK0000000201", "1000000000001",
                     Date(2025, 1, 1), Date(2025, 12, 31)};
}

TEST(GatewayProtocol, SubmitRoundTrip) {
  const std::vector<SubmitEntry> sent{entry("INQ-1"), entry("INQ-2")};
  auto parsed = parse_submit_request(build_submit(sent));
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[1].request_key, "INQ-2");
  EXPECT_EQ((*parsed)[0].period_to, Date(2025, 12, 31));
  auto acks = parse_submit_reply(build_submit_reply({{"INQ-1", "CH1", "", ""}, {"INQ-2", "", "E_LINK_CODE", "符号未取得"}}), sent);
  ASSERT_TRUE(acks) << acks.error().message;
  EXPECT_TRUE((*acks)[0].accepted());
  EXPECT_FALSE((*acks)[1].accepted());
  EXPECT_EQ((*acks)[1].error_code, "E_LINK_CODE");
}

TEST(GatewayProtocol, PollRoundTrip) {
  Answer a{"CH1", AnswerStatus::provided, "2026-11-24T10:00:00+09:00", {{"total_income", 1}}, {{"x", "該当なし"}}, "", ""};
  Answer b{"CH2", AnswerStatus::manual_pending, "", nlohmann::json::object(), nlohmann::json::object(), "", ""};
  auto parsed = parse_poll_reply(build_poll_reply({a, b}), {"CH1", "CH2"});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ((*parsed)[0].items["total_income"], 1);
  EXPECT_EQ((*parsed)[1].status, AnswerStatus::manual_pending);
  auto nos = parse_poll_request(build_poll({"CH1", "CH2"}));
  ASSERT_TRUE(nos);
  EXPECT_EQ(nos->size(), 2u);
}

TEST(GatewayProtocol, CancelAndRegisterRoundTrip) {
  auto c = parse_cancel_request(build_cancel("CH1", "取下げ"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->reason, "取下げ");
  EXPECT_EQ(parse_cancel_reply(build_cancel_reply(false)).value(), false);
  Copy copy{"eligibility", "1000000123", "v1", {{"insured_no", "0100000017"}}, {{"lost_on", "該当なし"}}};
  auto copies = parse_register_request(build_register({copy}));
  ASSERT_TRUE(copies);
  EXPECT_EQ((*copies)[0].null_reasons["lost_on"], "該当なし");
  EXPECT_EQ(parse_register_reply(build_register_reply(3)).value(), 3);
}

struct Malformed {
  const char* text;
  const char* field;
};

TEST(GatewayProtocol, MalformedPollRepliesNameTheField) {
  const std::vector<std::string> asked{"CH1"};
  const Malformed cases[] = {
      {"not json", "document"},
      {"[]", "document"},
      {R"({"answers":[]})", "protocol"},
      {R"({"protocol":"kaigo-chukan/2","answers":[]})", "protocol"},
      {R"({"protocol":"kaigo-chukan/1"})", "answers"},
      {R"({"protocol":"kaigo-chukan/1","answers":[1]})", "answers[0]"},
      {R"({"protocol":"kaigo-chukan/1","answers":[{"status":"pending"}]})", "answers[0].processing_no"},
      {R"({"protocol":"kaigo-chukan/1","answers":[{"processing_no":"CH9","status":"pending"}]})", "answers[0].processing_no"},
      {R"({"protocol":"kaigo-chukan/1","answers":[{"processing_no":"CH1","status":"maybe"}]})", "answers[0].status"},
      {R"({"protocol":"kaigo-chukan/1","answers":[{"processing_no":"CH1","status":"provided","items":{}}]})", "answers[0].answered_at"},
      {R"({"protocol":"kaigo-chukan/1","answers":[{"processing_no":"CH1","status":"provided","answered_at":"t"}]})", "answers[0].items"},
      {R"({"protocol":"kaigo-chukan/1","answers":[{"processing_no":"CH1","status":"provided","answered_at":"t","items":[]}]})", "answers[0].items"},
      {R"({"protocol":"kaigo-chukan/1","answers":[{"processing_no":"CH1","status":"provided","answered_at":"t","items":{},"null_reasons":{"a":1}}]})", "answers[0].null_reasons.a"},
      {R"({"protocol":"kaigo-chukan/1","answers":[{"processing_no":"CH1","status":"error","answered_at":"t"}]})", "answers[0].error_code"},
      {R"({"protocol":"kaigo-chukan/1","answers":[]})", "answers"},
      {R"({"protocol":"kaigo-chukan/1","answers":[{"processing_no":"CH1","status":"pending"},{"processing_no":"CH1","status":"pending"}]})", "answers[1].processing_no"},
  };
  for (const auto& c : cases) {
    auto r = parse_poll_reply(c.text, asked);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << c.text;
    EXPECT_EQ(r.error().field, c.field) << c.text;
  }
}

TEST(GatewayProtocol, MalformedSubmitRepliesAndRequestsNameTheField) {
  const std::vector<SubmitEntry> sent{entry("INQ-1")};
  const Malformed replies[] = {
      {R"({"protocol":"kaigo-chukan/1","accepted":[]})", "accepted"},
      {R"({"protocol":"kaigo-chukan/1","accepted":[{"processing_no":"CH1"}]})", "accepted[0].request_key"},
      {R"({"protocol":"kaigo-chukan/1","accepted":[{"request_key":"INQ-9","processing_no":"CH1"}]})", "accepted[0].request_key"},
      {R"({"protocol":"kaigo-chukan/1","accepted":[{"request_key":"INQ-1"}]})", "accepted[0].processing_no"},
      {R"({"protocol":"kaigo-chukan/1","accepted":[{"request_key":"INQ-1","processing_no":7}]})", "accepted[0].processing_no"},
  };
  for (const auto& c : replies) {
    auto r = parse_submit_reply(c.text, sent);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().field, c.field) << c.text;
  }
  const Malformed requests[] = {
      {R"({"protocol":"kaigo-chukan/1","requests":[{"request_key":"k"}]})", "requests[0].person_id"},
      {R"({"protocol":"kaigo-chukan/1","requests":[{"request_key":"k","person_id":"p","jimu_code":"j","procedure_code":"p","item_code":"i","institution_code":"x","period_from":"2025-13-01","period_to":"2025-12-31"}]})", "requests[0].period_from"},
      {R"({"protocol":"kaigo-chukan/1","requests":[{"request_key":"k","person_id":"p","jimu_code":"j","procedure_code":"p","item_code":"i","institution_code":"x","period_from":"2025-02-01","period_to":"2025-01-31"}]})", "requests[0].period_to"},
  };
  for (const auto& c : requests) {
    auto r = parse_submit_request(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().field, c.field) << c.text;
  }
  EXPECT_EQ(parse_cancel_reply(R"({"protocol":"kaigo-chukan/1"})").error().field, "cancelled");
  EXPECT_EQ(parse_register_reply(R"({"protocol":"kaigo-chukan/1","registered":-1})").error().field, "registered");
  EXPECT_EQ(parse_register_request(R"({"protocol":"kaigo-chukan/1","copies":[{"data_set":"eligibility","person_id":"p"}]})").error().field,
            "copies[0].version");
}

}  // namespace
}  // namespace kaigo::gateway

// The inbox applies each message once, in one transaction with the business handler; a message
// the handler refuses is kept as rejected with its reason and nothing of it is applied.
#include <gtest/gtest.h>

#include "linkage/exchange_store.hpp"
#include "linkage/payload_pack.hpp"
#include "test_db.hpp"

namespace kaigo::linkage {
namespace {

class LinkageInboxTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE linkage_test_case (case_id TEXT PRIMARY KEY, note TEXT NOT NULL)"));
  }
  InboundMessage movement(std::string payload = R"({"person":"P0000001","movement":"move_in"})") {
    InboundMessage m;
    m.flow_id = "SK-16";
    m.counterpart = "juki";
    m.payload = std::move(payload);
    m.person_ids = {"P0000001"};
    m.purpose = "住基異動の受付";
    m.actor = "test";
    return m;
  }
  // A business handler that records the payload as a case.
  ApplyFn record_case() {
    return [](store::Connection& c, const Exchange& e) -> Result<void> {
      auto r = c.exec("INSERT INTO linkage_test_case (case_id, note) VALUES ($1, $2)",
                      {"X" + std::to_string(e.exchange_id), e.payload});
      if (!r) return std::unexpected(r.error());
      return {};
    };
  }
  std::int64_t count(const std::string& sql) {
    auto rows = db->query(sql);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? (*rows)[0].i64(0) : -1;
  }
  std::vector<std::string> events() {
    std::vector<std::string> out;
    auto rows = db->query("SELECT event FROM exchange_log ORDER BY seq");
    EXPECT_TRUE(rows);
    if (rows)
      for (const auto& r : *rows) out.push_back(r.str(0));
    return out;
  }
  std::int64_t enqueue_and_send(const std::string& flow, const std::string& counterpart, std::string* correlation) {
    std::int64_t id = 0;
    EXPECT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
      OutboundMessage m{flow, counterpart, R"({"ask":1})", "application/json", {"P0000001"}, "照会", "staff1", {}};
      auto r = enqueue_outbound(c, clock, m);
      if (!r) return std::unexpected(r.error());
      id = r->exchange_id;
      *correlation = r->correlation_id;
      return set_status(c, clock, id, ExchangeStatus::sent, "test");
    }));
    return id;
  }
  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 11, 24));
};

TEST_P(LinkageInboxTest, SameInboundMessageTwiceChangesNothing) {
  auto first = receive_inbound(*db, clock, movement(), record_case());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->outcome, InboundOutcome::applied);
  const auto log_rows = count("SELECT COUNT(*) FROM exchange_log");

  auto second = receive_inbound(*db, clock, movement(), record_case());
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->outcome, InboundOutcome::already_applied);
  EXPECT_EQ(second->exchange_id, first->exchange_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM linkage_test_case"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_log"), log_rows);
  EXPECT_EQ(events(), (std::vector<std::string>{"received", "applied"}));
  auto status = db->query("SELECT status, direction FROM exchange");
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)[0].str(0), "applied");
  EXPECT_EQ((*status)[0].str(1), "inbound");
}

TEST_P(LinkageInboxTest, MessageIdKeysIdempotencyWhenGiven) {
  auto m = movement();
  m.message_id = "JUKI-20261124-0001";
  ASSERT_TRUE(receive_inbound(*db, clock, m, record_case()));
  m.payload += " ";  // a re-send whose bytes differ but whose id is the same
  auto again = receive_inbound(*db, clock, m, record_case());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, InboundOutcome::already_applied);
  EXPECT_EQ(count("SELECT COUNT(*) FROM linkage_test_case"), 1);
}

TEST_P(LinkageInboxTest, RefusedMessageIsQuarantinedAndNothingIsApplied) {
  ApplyFn half_then_refuse = [](store::Connection& c, const Exchange&) -> Result<void> {
    if (auto r = c.exec("INSERT INTO linkage_test_case (case_id, note) VALUES ('half', 'written before the refusal')"); !r)
      return std::unexpected(r.error());
    return fail(ErrorKind::not_found, "unknown person", "person");
  };
  auto r = receive_inbound(*db, clock, movement(), half_then_refuse);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->outcome, InboundOutcome::rejected);
  EXPECT_EQ(r->reason, "unknown person (field person)");
  EXPECT_EQ(count("SELECT COUNT(*) FROM linkage_test_case"), 0);
  auto row = db->query("SELECT status, reason, payload FROM exchange");
  ASSERT_TRUE(row);
  ASSERT_EQ(row->size(), 1u);
  EXPECT_EQ((*row)[0].str(0), "rejected");
  EXPECT_EQ((*row)[0].str(1), "unknown person (field person)");
  EXPECT_EQ((*row)[0].str(2), movement().payload);  // the message itself is kept
  EXPECT_EQ(events(), (std::vector<std::string>{"rejected"}));

  auto again = receive_inbound(*db, clock, movement(), record_case());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, InboundOutcome::already_rejected);
  EXPECT_EQ(count("SELECT COUNT(*) FROM linkage_test_case"), 0);
}

TEST_P(LinkageInboxTest, UnavailableHandlerRecordsNothing) {
  ApplyFn down = [](store::Connection&, const Exchange&) -> Result<void> {
    return fail(ErrorKind::unavailable, "tax system lookup is down");
  };
  auto r = receive_inbound(*db, clock, movement(), down);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange"), 0);
  auto later = receive_inbound(*db, clock, movement(), record_case());
  ASSERT_TRUE(later);
  EXPECT_EQ(later->outcome, InboundOutcome::applied);
}

TEST_P(LinkageInboxTest, AnswerAppliesAndClosesItsRequest) {
  std::string correlation;
  const auto request = enqueue_and_send("SK-02", "juki", &correlation);
  auto answer = movement(R"({"household":"H1"})");
  answer.flow_id = "SK-03";
  answer.in_reply_to = correlation;
  auto r = receive_inbound(*db, clock, answer, record_case());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->outcome, InboundOutcome::applied);
  auto rows = db->query("SELECT exchange_id, status, in_reply_to FROM exchange ORDER BY exchange_id");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].i64(0), request);
  EXPECT_EQ((*rows)[0].str(1), "applied");
  EXPECT_EQ((*rows)[1].str(1), "applied");
  EXPECT_EQ((*rows)[1].str(2), correlation);
}

TEST_P(LinkageInboxTest, RefusedAnswerLeavesItsRequestAnswered) {
  std::string correlation;
  enqueue_and_send("SK-02", "juki", &correlation);
  auto answer = movement("not json");
  answer.flow_id = "SK-03";
  answer.in_reply_to = correlation;
  auto r = receive_inbound(*db, clock, answer, [](store::Connection&, const Exchange&) -> Result<void> {
    return fail(ErrorKind::invalid_input, "malformed answer", "payload");
  });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, InboundOutcome::rejected);
  auto rows = db->query("SELECT status FROM exchange ORDER BY exchange_id");
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0].str(0), "answered");
  EXPECT_EQ((*rows)[1].str(0), "rejected");
}

TEST_P(LinkageInboxTest, AnswerToAnUnknownRequestIsRejected) {
  auto answer = movement();
  answer.flow_id = "SK-03";
  answer.in_reply_to = "KG20261124-0000009999";
  auto r = receive_inbound(*db, clock, answer, record_case());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, InboundOutcome::rejected);
  EXPECT_NE(r->reason.find("never sent"), std::string::npos) << r->reason;
  EXPECT_EQ(count("SELECT COUNT(*) FROM linkage_test_case"), 0);
}

// A payload over 1 MiB (a month's 国保連 file) is stored packed (linkage/payload_pack.hpp); the
// handler, a later load and the quarantine of a refused one all see the same text.
TEST_P(LinkageInboxTest, LargePayloadIsStoredPackedAndReadsBackTheSame) {
  std::string big;
  for (int i = 0; big.size() <= kPackAbove; ++i) big += "\"2\",\"K" + std::to_string(1000000 + i) + "\",\"介護\"\r\n";
  auto applied = receive_inbound(*db, clock, movement(big), record_case());
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_EQ(applied->outcome, InboundOutcome::applied);
  auto row = db->query("SELECT payload, payload_packed IS NULL, LENGTH(payload_packed) FROM exchange WHERE exchange_id = $1",
                       {applied->exchange_id});
  ASSERT_TRUE(row && row->size() == 1);
  EXPECT_EQ((*row)[0].str(0), "");
  EXPECT_EQ((*row)[0].i64(1), 0);
  EXPECT_LT((*row)[0].i64(2), static_cast<std::int64_t>(big.size() / 4));
  EXPECT_EQ(count("SELECT COUNT(*) FROM linkage_test_case WHERE note = '" + big + "'"), 1);  // the handler saw the text
  ASSERT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
    auto e = load_exchange(c, applied->exchange_id);
    EXPECT_TRUE(e && *e && (*e)->payload == big);
    auto p = load_payload(c, applied->exchange_id);
    EXPECT_TRUE(p && *p && **p == big);
    return {};
  }));

  std::string other = big;
  other[1] = '3';
  auto refused = receive_inbound(*db, clock, movement(other),
                                 [](store::Connection&, const Exchange&) -> Result<void> { return fail(ErrorKind::invalid_input, "no"); });
  ASSERT_TRUE(refused) << refused.error().message;
  ASSERT_EQ(refused->outcome, InboundOutcome::rejected);
  ASSERT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
    auto p = load_payload(c, refused->exchange_id);
    EXPECT_TRUE(p && *p && **p == other);
    return {};
  }));
}

TEST_P(LinkageInboxTest, LargeOutboundPayloadIsStoredPackedAndReadsBackTheSame) {
  const std::string big(kPackAbove + 10, 'x');
  std::int64_t id = 0;
  ASSERT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
    OutboundMessage m{"KY-03", "kokuhoren", big, "text/csv", {"P0000001"}, "受給者異動連絡票", "staff1", {}};
    auto r = enqueue_outbound(c, clock, m);
    if (!r) return std::unexpected(r.error());
    id = r->exchange_id;
    return {};
  }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange WHERE payload = '' AND payload_packed IS NOT NULL"), 1);
  ASSERT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
    auto e = load_exchange(c, id);
    EXPECT_TRUE(e && *e && (*e)->payload == big);
    return {};
  }));
}

INSTANTIATE_TEST_SUITE_P(Db, LinkageInboxTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::linkage

// The outbox is transactional: an outbound exchange commits with the business change that caused
// it and vanishes with its rollback; its status only moves forward.
#include <regex>

#include <gtest/gtest.h>

#include "linkage/exchange_store.hpp"
#include "test_db.hpp"

namespace kaigo::linkage {
namespace {

class LinkageOutboxTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE linkage_test_case (case_id TEXT PRIMARY KEY, note TEXT NOT NULL)"));
  }
  OutboundMessage message(std::string payload = R"({"query":"household"})") {
    OutboundMessage m;
    m.flow_id = "SK-02";
    m.counterpart = "juki";
    m.payload = std::move(payload);
    m.person_ids = {"P0000001", "P0000002"};
    m.purpose = "資格取得の確認";
    m.actor = "staff1";
    return m;
  }
  std::int64_t count(const std::string& sql) {
    auto rows = db->query(sql);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? (*rows)[0].i64(0) : -1;
  }
  std::unique_ptr<store::Database> db;
  FixedClock clock = FixedClock::at(Date(2026, 11, 24));
};

TEST_P(LinkageOutboxTest, OutboxCommitsWithTheBusinessChange) {
  EnqueueReceipt receipt;
  auto tx = db->transaction([&](store::Connection& c) -> Result<void> {
    if (auto e = c.exec("INSERT INTO linkage_test_case (case_id, note) VALUES ('C1', 'move-in')"); !e)
      return std::unexpected(e.error());
    auto r = enqueue_outbound(c, clock, message());
    if (!r) return std::unexpected(r.error());
    receipt = *r;
    return {};
  });
  ASSERT_TRUE(tx) << tx.error().message;
  EXPECT_TRUE(receipt.created);
  EXPECT_TRUE(std::regex_match(receipt.correlation_id, std::regex("KG20261124-[0-9]{10}"))) << receipt.correlation_id;
  EXPECT_EQ(count("SELECT COUNT(*) FROM linkage_test_case"), 1);

  auto loaded = db->query("SELECT status, flow_id, counterpart, direction, correlation_id, payload_sha256, created_by, "
                          "purpose FROM exchange");
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 1u);
  const auto& row = (*loaded)[0];
  EXPECT_EQ(row.str(0), "queued");
  EXPECT_EQ(row.str(1), "SK-02");
  EXPECT_EQ(row.str(2), "juki");
  EXPECT_EQ(row.str(3), "outbound");
  EXPECT_EQ(row.str(4), receipt.correlation_id);
  EXPECT_EQ(row.str(5).size(), 64u);
  EXPECT_EQ(row.str(6), "staff1");
  EXPECT_EQ(row.str(7), "資格取得の確認");
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person"), 2);
  auto log = db->query("SELECT event, flow_id, actor, detail FROM exchange_log ORDER BY seq");
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].str(0), "queued");
  EXPECT_NE((*log)[0].str(3).find("P0000001"), std::string::npos);
}

TEST_P(LinkageOutboxTest, OutboxDisappearsWithTheRollback) {
  auto tx = db->transaction([&](store::Connection& c) -> Result<void> {
    if (auto e = c.exec("INSERT INTO linkage_test_case (case_id, note) VALUES ('C1', 'move-in')"); !e)
      return std::unexpected(e.error());
    if (auto r = enqueue_outbound(c, clock, message()); !r) return std::unexpected(r.error());
    return fail(ErrorKind::conflict, "the business rule refused the change");
  });
  ASSERT_FALSE(tx);
  EXPECT_EQ(count("SELECT COUNT(*) FROM linkage_test_case"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_person"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_log"), 0);
  EXPECT_EQ(count("SELECT last_seq FROM log_chain WHERE log_name = 'exchange_log'"), 0);
}

TEST_P(LinkageOutboxTest, SameIdempotencyKeyEnqueuesOnce) {
  auto m = message();
  m.idempotency_key = "SK-02:move-in:P0000001:2026-11-24";
  std::vector<EnqueueReceipt> receipts;
  for (int i = 0; i < 2; ++i) {
    auto tx = db->transaction([&](store::Connection& c) -> Result<void> {
      auto r = enqueue_outbound(c, clock, m);
      if (!r) return std::unexpected(r.error());
      receipts.push_back(*r);
      return {};
    });
    ASSERT_TRUE(tx) << tx.error().message;
  }
  EXPECT_TRUE(receipts[0].created);
  EXPECT_FALSE(receipts[1].created);
  EXPECT_EQ(receipts[0].exchange_id, receipts[1].exchange_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange"), 1);

  m.payload = R"({"query":"something else"})";
  auto clash = db->transaction([&](store::Connection& c) -> Result<void> {
    auto r = enqueue_outbound(c, clock, m);
    if (!r) return std::unexpected(r.error());
    return {};
  });
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().kind, ErrorKind::conflict);
}

TEST_P(LinkageOutboxTest, WithoutAKeyEveryCallIsANewExchange) {
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
      auto r = enqueue_outbound(c, clock, message());
      if (!r) return std::unexpected(r.error());
      return {};
    }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange"), 2);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT correlation_id) FROM exchange"), 2);
}

TEST_P(LinkageOutboxTest, IllegalStatusTransitionIsRefused) {
  std::int64_t id = 0;
  ASSERT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
    auto r = enqueue_outbound(c, clock, message());
    if (!r) return std::unexpected(r.error());
    id = r->exchange_id;
    return {};
  }));
  auto move = [&](ExchangeStatus to) {
    return db->transaction([&](store::Connection& c) { return set_status(c, clock, id, to, "test"); });
  };
  auto skip = move(ExchangeStatus::applied);  // queued → applied skips sending
  ASSERT_FALSE(skip);
  EXPECT_EQ(skip.error().kind, ErrorKind::conflict);
  ASSERT_TRUE(move(ExchangeStatus::sent));
  ASSERT_TRUE(move(ExchangeStatus::answered));
  ASSERT_TRUE(move(ExchangeStatus::applied));
  auto back = move(ExchangeStatus::sent);  // applied → sent
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().kind, ErrorKind::conflict);
  EXPECT_NE(back.error().message.find("applied to sent"), std::string::npos) << back.error().message;
  auto status = db->query("SELECT status FROM exchange");
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)[0].str(0), "applied");
  // queued, sent, answered, applied: four rows of record; the refused moves left none.
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchange_log"), 4);
}

TEST_P(LinkageOutboxTest, PersonsCaseListsItsExchanges) {
  ASSERT_TRUE(db->transaction([&](store::Connection& c) -> Result<void> {
    auto r = enqueue_outbound(c, clock, message());
    if (!r) return std::unexpected(r.error());
    return {};
  }));
  std::vector<Exchange> found;
  ASSERT_TRUE(db->with_connection([&](store::Connection& c) -> Result<void> {
    auto r = exchanges_for_person(c, "P0000002", 50);
    if (!r) return std::unexpected(r.error());
    found = *r;
    return {};
  }));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].flow_id, "SK-02");
  EXPECT_EQ(found[0].person_ids, (std::vector<std::string>{"P0000001", "P0000002"}));
}

INSTANTIATE_TEST_SUITE_P(Db, LinkageOutboxTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo::linkage

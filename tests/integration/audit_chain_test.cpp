// The logs of record are tamper-evident: editing, deleting or inserting a row behind the
// system's back is found by verify, which names the first broken row.
#include <gtest/gtest.h>

#include "audit/chained_log.hpp"
#include "test_db.hpp"

namespace kaigo {
namespace {

class AuditChainTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam());
    ASSERT_TRUE(db);
    for (int i = 0; i < 5; ++i) {
      auto r = db->transaction([&](store::Connection& c) -> Result<void> {
        auto seq = audit::append(c, audit::access_log_spec(),
                                 {std::string("2026-11-24T09:00:00+09:00"), std::string("staff1"),
                                  std::string("P" + std::to_string(i)), std::string("read"),
                                  std::string("GET /api/v1/persons/{id}"), std::int64_t{0}});
        if (!seq) return std::unexpected(seq.error());
        return {};
      });
      ASSERT_TRUE(r) << r.error().message;
    }
  }
  std::unique_ptr<store::Database> db;
};

TEST_P(AuditChainTest, IntactChainVerifies) {
  auto report = audit::verify(*db, audit::access_log_spec());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->rows_checked, 5);
  EXPECT_FALSE(report->first_broken_seq);
}

TEST_P(AuditChainTest, EditedRowIsNamed) {
  ASSERT_TRUE(db->exec("UPDATE access_log SET person_id = 'P9' WHERE seq = 3"));
  auto report = audit::verify(*db, audit::access_log_spec());
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->first_broken_seq);
  EXPECT_EQ(*report->first_broken_seq, 3);
  EXPECT_NE(report->reason.find("changed"), std::string::npos);
}

TEST_P(AuditChainTest, DeletedRowIsNamed) {
  ASSERT_TRUE(db->exec("DELETE FROM access_log WHERE seq = 2"));
  auto report = audit::verify(*db, audit::access_log_spec());
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->first_broken_seq);
  EXPECT_EQ(*report->first_broken_seq, 3);
}

TEST_P(AuditChainTest, TruncatedTailIsFound) {
  ASSERT_TRUE(db->exec("DELETE FROM access_log WHERE seq = 5"));
  auto report = audit::verify(*db, audit::access_log_spec());
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->first_broken_seq);
  EXPECT_EQ(*report->first_broken_seq, 5);
}

TEST_P(AuditChainTest, ManyRowsAppendedAtOnceChainLikeSingleOnes) {
  std::vector<store::Params> rows;
  for (int i = 0; i < 250; ++i)  // more than one multi-row statement
    rows.push_back({std::string("2026-11-24T09:00:01+09:00"), std::string("staff2"), std::string("Q" + std::to_string(i)),
                    std::string("read"), std::string("GET /api/v1/persons"), std::int64_t{0}});
  auto r = db->transaction([&](store::Connection& c) -> Result<void> {
    auto last = audit::append_many(c, audit::access_log_spec(), rows);
    if (!last) return std::unexpected(last.error());
    EXPECT_EQ(*last, 255);
    auto one_more = audit::append(c, audit::access_log_spec(), rows.front());
    if (!one_more) return std::unexpected(one_more.error());
    EXPECT_EQ(*one_more, 256);
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  auto report = audit::verify(*db, audit::access_log_spec());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->rows_checked, 256);
  EXPECT_FALSE(report->first_broken_seq) << report->reason;
  ASSERT_TRUE(db->exec("UPDATE access_log SET person_id = 'X' WHERE seq = 120"));
  EXPECT_EQ(*audit::verify(*db, audit::access_log_spec())->first_broken_seq, 120);
}

INSTANTIATE_TEST_SUITE_P(Db, AuditChainTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

}  // namespace
}  // namespace kaigo

// The store behaves the same on SQLite and PostgreSQL: migrations, value round trips (Japanese
// text outside the BMP, NULL, int64 limits), streaming, transactions, error kinds, bulk load,
// RETURNING / ON CONFLICT, and a database that is down.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "audit/chained_log.hpp"
#include "store/migrations.hpp"
#include "test_db.hpp"

namespace kaigo {
namespace {

using store::Connection;
using store::Params;
using store::Row;
using store::Value;

// A TCP port on loopback where nothing listens (bound, read, released).
int unused_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// Text that a careless escaper or a non-UTF-8 path would damage: 髙 (IBM extension kanji),
// 𠮷 (outside the BMP: 4 bytes in UTF-8), and the characters COPY's text format escapes.
std::string tricky_text(int i) {
  switch (i % 6) {
    case 0: return fmt::format("髙橋 𠮷男 {}", i);
    case 1: return fmt::format("tab\there {}", i);
    case 2: return fmt::format("back\\slash\\N {}", i);
    case 3: return fmt::format("line\nbreak\r\nend {}", i);
    case 4: return "";
    default: return fmt::format("\\.\t\\t{}", i);
  }
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db = testing::fresh_database(GetParam(), 4, &url);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT, qty BIGINT)"));
  }

  std::int64_t count(const std::string& table) {
    auto rows = db->query("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(rows);
    return rows ? (*rows)[0].i64(0) : -1;
  }

  std::unique_ptr<store::Database> db;
  std::string url;
};

TEST_P(StoreTest, MigrateAppliesEveryMigrationOnceAndIsIdempotent) {
  auto applied = db->query("SELECT name FROM schema_migrations ORDER BY name");
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_EQ(applied->size(), store::embedded_migrations().size());
  EXPECT_EQ((*applied)[0].str(0), "001_foundation");
  EXPECT_EQ(count("log_chain"), 2);

  auto again = store::migrate(*db);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(count("schema_migrations"), static_cast<std::int64_t>(store::embedded_migrations().size()));
}

TEST_P(StoreTest, IntTextAndNullRoundTrip) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const std::int64_t small = std::numeric_limits<std::int64_t>::min();
  ASSERT_TRUE(db->exec("INSERT INTO item (id, name, qty) VALUES ($1, $2, $3)", {std::int64_t{1}, std::string("髙橋 𠮷"), big}));
  ASSERT_TRUE(db->exec("INSERT INTO item (id, name, qty) VALUES ($1, $2, $3)", {std::int64_t{2}, store::null(), small}));
  ASSERT_TRUE(db->exec("INSERT INTO item (id, name, qty) VALUES ($1, $2, $3)", {std::int64_t{3}, std::string(""), store::null()}));

  auto rows = db->query("SELECT id, name, qty FROM item WHERE id >= $1 ORDER BY id", {std::int64_t{1}});
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>((*rows)[0].at(0)), 1);
  EXPECT_EQ(std::get<std::string>((*rows)[0].at(1)), "髙橋 𠮷");
  EXPECT_EQ(std::get<std::int64_t>((*rows)[0].at(2)), big);
  EXPECT_TRUE((*rows)[1].is_null(1));
  EXPECT_EQ(std::get<std::int64_t>((*rows)[1].at(2)), small);
  EXPECT_EQ(std::get<std::string>((*rows)[2].at(1)), "");  // empty text is not NULL
  EXPECT_TRUE((*rows)[2].is_null(2));

  // query_each sees the same values as query.
  std::vector<Row> streamed;
  auto r = db->with_connection([&](Connection& c) {
    return c.query_each("SELECT id, name, qty FROM item ORDER BY id", {}, [&](const Row& row) {
      streamed.push_back(row);
      return true;
    });
  });
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(streamed.size(), 3u);
  for (size_t i = 0; i < 3; ++i)
    for (size_t col = 0; col < 3; ++col) EXPECT_EQ(streamed[i].at(col), (*rows)[i].at(col)) << i << "," << col;

  // A text parameter matched against text, and the exec row count.
  auto changed = db->exec("UPDATE item SET qty = $1 WHERE name = $2", {std::int64_t{7}, std::string("髙橋 𠮷")});
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, 1);
}

// "$2" before "$1" in the text: each number binds its own parameter on both databases (SQLite
// names "$N" parameters in order of appearance, so binding by position alone would swap them).
TEST_P(StoreTest, NumberedParametersBindByNumberWhateverTheirOrderInTheText) {
  ASSERT_TRUE(db->exec("INSERT INTO item (id, name, qty) VALUES ($1, $2, $3)", {std::int64_t{1}, std::string("a"), std::int64_t{0}}));
  auto changed = db->exec("UPDATE item SET qty = $2, name = $3 WHERE id = $1",
                          {std::int64_t{1}, std::int64_t{42}, std::string("b")});
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(*changed, 1);
  auto rows = db->query("SELECT name, qty FROM item WHERE qty = $2 AND id = $1", {std::int64_t{1}, std::int64_t{42}});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].str(0), "b");
}

TEST_P(StoreTest, QueryEachStopsWhenTheCallbackSaysSoAndTheConnectionStaysUsable) {
  auto r = db->transaction([&](Connection& c) -> Result<void> {
    for (std::int64_t i = 1; i <= 100; ++i)
      if (auto e = c.exec("INSERT INTO item (id, name) VALUES ($1, $2)", {i, std::string("x")}); !e)
        return std::unexpected(e.error());
    int seen = 0;
    auto q = c.query_each("SELECT id FROM item ORDER BY id", {}, [&](const Row&) { return ++seen < 3; });
    if (!q) return q;
    EXPECT_EQ(seen, 3);
    // The same connection, still inside the transaction, takes the next statement.
    auto e = c.exec("INSERT INTO item (id, name) VALUES ($1, $2)", {std::int64_t{101}, std::string("after")});
    if (!e) return std::unexpected(e.error());
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(count("item"), 101);
}

TEST_P(StoreTest, TransactionCommitsWhenTheFunctionSucceeds) {
  auto r = db->transaction([](Connection& c) -> Result<void> {
    if (auto e = c.exec("INSERT INTO item (id) VALUES (1)"); !e) return std::unexpected(e.error());
    if (auto e = c.exec("INSERT INTO item (id) VALUES (2)"); !e) return std::unexpected(e.error());
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(count("item"), 2);
}

TEST_P(StoreTest, TransactionRollsBackOnAnErrorResult) {
  auto r = db->transaction([](Connection& c) -> Result<void> {
    if (auto e = c.exec("INSERT INTO item (id) VALUES (1)"); !e) return std::unexpected(e.error());
    return fail(ErrorKind::invalid_input, "business rule refused");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(count("item"), 0);
}

TEST_P(StoreTest, TransactionRollsBackWhenAStatementFailsHalfWay) {
  ASSERT_TRUE(db->exec("INSERT INTO item (id) VALUES (1)"));
  auto r = db->transaction([](Connection& c) -> Result<void> {
    if (auto e = c.exec("INSERT INTO item (id) VALUES (2)"); !e) return std::unexpected(e.error());
    if (auto e = c.exec("INSERT INTO item (id) VALUES (1)"); !e) return std::unexpected(e.error());
    return {};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::conflict);
  EXPECT_EQ(count("item"), 1);
}

TEST_P(StoreTest, TransactionRollsBackOnAnException) {
  EXPECT_THROW((void)db->transaction([](Connection& c) -> Result<void> {
    if (auto e = c.exec("INSERT INTO item (id) VALUES (1)"); !e) return std::unexpected(e.error());
    throw std::runtime_error("a bug");
  }),
               std::runtime_error);
  EXPECT_EQ(count("item"), 0);
  // The pool still serves connections afterwards.
  EXPECT_TRUE(db->exec("INSERT INTO item (id) VALUES (1)"));
}

TEST_P(StoreTest, UniqueViolationIsAConflictThatDoesNotEchoTheValue) {
  const std::string secret = "山田太郎-秘密";
  ASSERT_TRUE(db->exec("CREATE TABLE person_key (k TEXT PRIMARY KEY)"));
  ASSERT_TRUE(db->exec("INSERT INTO person_key (k) VALUES ($1)", {secret}));
  auto dup = db->exec("INSERT INTO person_key (k) VALUES ($1)", {secret});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().kind, ErrorKind::conflict);
  EXPECT_EQ(dup.error().message.find(secret), std::string::npos) << dup.error().message;
}

TEST_P(StoreTest, MalformedInputOnPostgresqlIsInvalidInputThatDoesNotEchoTheValue) {
  if (db->dialect() != store::Dialect::postgresql) GTEST_SKIP() << "SQLite stores any text in an integer column";
  const std::string secret = "1980-02-30 山田";
  auto bad = db->exec("INSERT INTO item (id, qty) VALUES (1, $1)", {secret});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(bad.error().message.find("山田"), std::string::npos) << bad.error().message;
}

TEST_P(StoreTest, BulkInsertRoundTripsTenThousandRowsExactly) {
  constexpr int kRows = 10'000;
  auto expected_name = [](int i) -> Value { return i % 7 == 0 ? store::null() : Value(tricky_text(i)); };
  auto expected_qty = [](int i) -> Value { return i % 5 == 0 ? store::null() : Value(std::int64_t{i} * 1'000'003 - 4'000'000'000); };
  std::int64_t loaded = 0;
  auto r = db->transaction([&](Connection& c) -> Result<void> {
    int i = 0;
    auto n = c.bulk_insert("item", {"id", "name", "qty"}, [&](Params& row) {
      if (i == kRows) return false;
      row = {std::int64_t{i}, expected_name(i), expected_qty(i)};
      ++i;
      return true;
    });
    if (!n) return std::unexpected(n.error());
    loaded = *n;
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(loaded, kRows);

  int next = 0, mismatches = 0;
  auto q = db->with_connection([&](Connection& c) {
    return c.query_each("SELECT id, name, qty FROM item ORDER BY id", {}, [&](const Row& row) {
      if (row.i64(0) != next || row.at(1) != expected_name(next) || row.at(2) != expected_qty(next)) {
        ADD_FAILURE() << "row " << next << " differs";
        if (++mismatches > 5) return false;
      }
      ++next;
      return true;
    });
  });
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(next, kRows);
}

TEST_P(StoreTest, BulkInsertWithTheWrongNumberOfValuesLoadsNothing) {
  auto r = db->transaction([&](Connection& c) -> Result<void> {
    int i = 0;
    auto n = c.bulk_insert("item", {"id", "name"}, [&](Params& row) {
      if (i == 3) return false;
      row = {std::int64_t{i}};
      ++i;
      return true;
    });
    if (!n) return std::unexpected(n.error());
    return {};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(count("item"), 0);
  EXPECT_TRUE(db->exec("INSERT INTO item (id) VALUES (1)"));  // the connection is clean again
}

TEST_P(StoreTest, ReturningAndOnConflictDoUpdateWork) {
  ASSERT_TRUE(db->exec("CREATE TABLE counter (k TEXT PRIMARY KEY, n BIGINT NOT NULL)"));
  const std::string upsert =
      "INSERT INTO counter (k, n) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET n = counter.n + excluded.n RETURNING n";
  for (std::int64_t expected : {5, 10, 15}) {
    auto rows = db->query(upsert, {std::string("髙"), std::int64_t{5}});
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].i64(0), expected);
  }

  // {{id}} numbers rows on both databases, and RETURNING hands the number back.
  ASSERT_TRUE(db->exec(
      "INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, ward_code, "
      "household_id, relation, registry_status, updated_at) VALUES ('P1', '髙橋 𠮷男', 'タカハシ ヨシオ', '1950-04-01', '1', "
      "'1000001', '千代田1-1', '01', 'H1', '世帯主', 'resident', '2026-04-01T09:00:00+09:00')"));
  const std::string history =
      "INSERT INTO person_history (person_id, valid_from, name_kanji, name_kana, birth_date, sex, postal_code, address, "
      "ward_code, household_id, relation, registry_status, reason, recorded_at, recorded_by) SELECT person_id, $1, "
      "name_kanji, name_kana, birth_date, sex, postal_code, address, ward_code, household_id, relation, registry_status, "
      "'birth', updated_at, 'staff1' FROM person WHERE person_id = 'P1' RETURNING history_id";
  auto first = db->query(history, {std::string("1950-04-01")});
  auto second = db->query(history, {std::string("2026-04-01")});
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_EQ(first->size(), 1u);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_GT((*second)[0].i64(0), (*first)[0].i64(0));
}

TEST_P(StoreTest, ADatabaseThatIsDownIsUnavailable) {
  if (GetParam() == "postgresql") {
    const int port = unused_port();
    auto down = store::open_database(fmt::format("postgresql://postgres:pw-not-shown@127.0.0.1:{}/postgres", port), 1);
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().kind, ErrorKind::unavailable);
    EXPECT_NE(down.error().message.find(fmt::format("127.0.0.1:{}", port)), std::string::npos) << down.error().message;
    EXPECT_EQ(down.error().message.find("pw-not-shown"), std::string::npos) << down.error().message;
  } else {
    const std::string file = testing::scratch_dir("down") + "/regular-file";
    std::ofstream(file) << "not a directory";
    auto down = store::open_database("sqlite:" + file + "/sub/kaigo.db", 1);
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().kind, ErrorKind::unavailable);
  }
}

TEST_P(StoreTest, DescribeNeverShowsThePassword) {
  if (GetParam() != "postgresql") {
    EXPECT_TRUE(db->describe().starts_with("sqlite:"));
    return;
  }
  // The throw-away cluster trusts loopback, so a password in the URL is accepted and ignored.
  std::string with_password = url;
  with_password.replace(with_password.find("postgres@"), 9, "postgres:pw-not-shown@");
  auto other = store::open_database(with_password, 1);
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_TRUE((*other)->describe().starts_with("postgresql://postgres@127.0.0.1:")) << (*other)->describe();
  EXPECT_EQ((*other)->describe().find("pw-not-shown"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Db, StoreTest, ::testing::ValuesIn(testing::backends()), testing::backend_name);

// The access log stays one gap-free, verifiable chain when several threads (standing in for
// several server instances) append at once: appends serialise on the chain head, which is
// locked FOR UPDATE on PostgreSQL and by SQLite's single writer.
TEST(AuditChainConcurrency, FourThreadsAppendWithoutGapOnEveryBackend) {
  constexpr int kThreads = 4, kPerThread = 50;
  for (const auto& backend : testing::backends()) {
    SCOPED_TRACE(backend);
    auto db = testing::fresh_database(backend, kThreads);
    ASSERT_TRUE(db);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          auto r = db->transaction([&](Connection& c) -> Result<void> {
            auto seq = audit::append(c, audit::access_log_spec(),
                                     {std::string("2026-11-24T09:00:00+09:00"), fmt::format("staff{}", t),
                                      fmt::format("P{}", i), std::string("read"), std::string("GET /api/v1/persons/{id}"),
                                      std::int64_t{0}});
            if (!seq) return std::unexpected(seq.error());
            return {};
          });
          if (!r) ++failures;
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    auto report = audit::verify(*db, audit::access_log_spec());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->rows_checked, kThreads * kPerThread);
    EXPECT_FALSE(report->first_broken_seq) << report->reason;
    auto seqs = db->query("SELECT COUNT(*), MIN(seq), MAX(seq) FROM access_log");
    ASSERT_TRUE(seqs);
    EXPECT_EQ((*seqs)[0].i64(0), kThreads * kPerThread);
    EXPECT_EQ((*seqs)[0].i64(1), 1);
    EXPECT_EQ((*seqs)[0].i64(2), kThreads * kPerThread);
  }
}

}  // namespace
}  // namespace kaigo

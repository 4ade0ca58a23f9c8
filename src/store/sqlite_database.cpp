#include "store/sqlite_database.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <sqlite3.h>

#include "store/connection_pool.hpp"

namespace kaigo::store {

namespace {

Error sqlite_error(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  ErrorKind kind = ErrorKind::internal;
  if ((code & 0xff) == SQLITE_CONSTRAINT) kind = ErrorKind::conflict;
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED || (code & 0xff) == SQLITE_CANTOPEN ||
           (code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL)
    kind = ErrorKind::unavailable;
  return Error{kind, fmt::format("{}: {}", what, sqlite3_errmsg(db)), {}};
}

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return rc_ == SQLITE_OK && stmt_; }
  sqlite3_stmt* get() const { return stmt_; }

  Result<void> bind(const Params& params) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (slots_.size() < params.size()) map_slots(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const int idx = slots_[i];
      int rc = SQLITE_OK;
      if (auto p = std::get_if<std::int64_t>(&params[i])) rc = sqlite3_bind_int64(stmt_, idx, *p);
      else if (auto s = std::get_if<std::string>(&params[i]))
        rc = sqlite3_bind_text(stmt_, idx, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      else rc = sqlite3_bind_null(stmt_, idx);
      if (rc != SQLITE_OK) return std::unexpected(sqlite_error(db_, fmt::format("binding parameter ${}", idx)));
    }
    return {};
  }

  // SQLite treats "$1" as a NAMED parameter and numbers named parameters in order of first
  // appearance, so "… $2 … $1" would bind the wrong values by position. Parameter N therefore
  // goes to the slot named "$N" (or slot N for "?" placeholders), looked up once per statement.
  void map_slots(std::size_t count) {
    slots_.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      const std::string name = fmt::format("${}", i + 1);
      const int named = sqlite3_bind_parameter_index(stmt_, name.c_str());
      slots_[i] = named > 0 ? named : static_cast<int>(i + 1);
    }
  }

  Row row() const {
    const int n = sqlite3_column_count(stmt_);
    std::vector<Value> values;
    values.reserve(n);
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(stmt_, i)) {
        case SQLITE_INTEGER: values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt_, i))); break;
        case SQLITE_NULL: values.emplace_back(std::monostate{}); break;
        default: {
          auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
          values.emplace_back(std::string(p, sqlite3_column_bytes(stmt_, i)));
        }
      }
    }
    return Row(std::move(values));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::vector<int> slots_;  // parameter i → SQLite slot (see map_slots)
  int rc_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override { sqlite3_close_v2(db_); }

  Dialect dialect() const override { return Dialect::sqlite; }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    Statement st(db_, sql);
    if (!st.ok()) return std::unexpected(sqlite_error(db_, "preparing statement"));
    if (auto b = st.bind(params); !b) return std::unexpected(b.error());
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return std::unexpected(sqlite_error(db_, "running statement"));
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    Rows rows;
    auto r = query_each(sql, params, [&](const Row& row) {
      rows.push_back(row);
      return true;
    });
    if (!r) return std::unexpected(r.error());
    return rows;
  }

  Result<void> query_each(std::string_view sql, const Params& params,
                          const std::function<bool(const Row&)>& on_row) override {
    Statement st(db_, sql);
    if (!st.ok()) return std::unexpected(sqlite_error(db_, "preparing query"));
    if (auto b = st.bind(params); !b) return b;
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      if (!on_row(st.row())) return {};
    }
    if (rc != SQLITE_DONE) return std::unexpected(sqlite_error(db_, "running query"));
    return {};
  }

  Result<void> exec_script(std::string_view sql) override {
    std::string s(sql);
    char* msg = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      Error e = sqlite_error(db_, "running script");
      sqlite3_free(msg);
      return std::unexpected(e);
    }
    return {};
  }

  Result<std::int64_t> bulk_insert(std::string_view table, const std::vector<std::string>& columns,
                                   const std::function<bool(Params&)>& next) override {
    // Up to 64 rows a statement: a statement's own cost (reset, bind, the AUTOINCREMENT
    // bookkeeping, its end) spread over the rows.
    const std::size_t per = std::clamp<std::size_t>(32766 / std::max<std::size_t>(columns.size(), 1), 1, 64);
    std::string cols;
    for (size_t i = 0; i < columns.size(); ++i) cols += (i ? "," : "") + columns[i];
    std::string one = "(";
    for (size_t i = 0; i < columns.size(); ++i) one += i ? ",?" : "?";
    one += ")";
    auto insert_of = [&](std::size_t rows) {
      std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ", table, cols);
      for (std::size_t r = 0; r < rows; ++r) sql += (r ? "," : "") + one;
      return sql;
    };
    std::optional<Statement> full;
    Params batch, row;
    batch.reserve(per * columns.size());
    std::size_t in_batch = 0;
    std::int64_t n = 0;
    auto flush = [&](Statement& st) -> Result<void> {
      if (!st.ok()) return std::unexpected(sqlite_error(db_, "preparing bulk insert"));
      if (auto b = st.bind(batch); !b) return std::unexpected(b.error());
      if (sqlite3_step(st.get()) != SQLITE_DONE) return std::unexpected(sqlite_error(db_, "bulk insert"));
      batch.clear();
      in_batch = 0;
      return {};
    };
    while (true) {
      row.clear();
      if (!next(row)) break;
      if (row.size() != columns.size())
        return fail(ErrorKind::internal, fmt::format("bulk insert into {}: {} values for {} columns", table, row.size(), columns.size()));
      for (auto& v : row) batch.push_back(std::move(v));
      ++n;
      if (++in_batch == per) {
        if (!full) full.emplace(db_, insert_of(per));
        if (auto f = flush(*full); !f) return std::unexpected(f.error());
      }
    }
    if (in_batch > 0) {
      Statement tail(db_, insert_of(in_batch));
      if (auto f = flush(tail); !f) return std::unexpected(f.error());
    }
    return n;
  }

 private:
  sqlite3* db_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, int pool_size)
      : path_(std::move(path)), pool_([this] { return open(); }, pool_size) {}

  Dialect dialect() const override { return Dialect::sqlite; }
  std::string describe() const override { return "sqlite:" + path_; }
  Result<void> with_connection(const std::function<Result<void>(Connection&)>& fn) override { return pool_.with(fn); }

 protected:
  Result<void> begin(Connection& c) override {
    auto r = c.exec("BEGIN IMMEDIATE");
    if (!r) return std::unexpected(r.error());
    return {};
  }

 private:
  Result<std::unique_ptr<Connection>> open() {
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path_.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      Error e{ErrorKind::unavailable, fmt::format("cannot open database: {}", db ? sqlite3_errmsg(db) : "out of memory"), {}};
      sqlite3_close_v2(db);
      return std::unexpected(e);
    }
    auto conn = std::make_unique<SqliteConnection>(db);
    sqlite3_busy_timeout(db, 30000);
    // WAL lets readers run beside the writer; NORMAL sync is durable at checkpoints in WAL mode.
    // 8 KiB pages (set before a new file's first page; no effect on an existing one): an assessment
    // row with its inputs and explanation is ~2.5 KB, so 4 KiB pages hold one row and waste 40%.
    auto setup = conn->exec_script(
        "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;");
    if (!setup) return std::unexpected(setup.error());
    return std::unique_ptr<Connection>(std::move(conn));
  }

  std::string path_;
  ConnectionPool pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, int pool_size) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto db = std::make_unique<SqliteDatabase>(path, pool_size);
  // Open one connection now so a bad path fails at start, not at the first request.
  auto probe = db->with_connection([](Connection&) -> Result<void> { return {}; });
  if (!probe) return std::unexpected(probe.error());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace kaigo::store

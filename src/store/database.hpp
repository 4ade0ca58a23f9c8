#pragma once
// One Database interface over SQLite (embedded default) and PostgreSQL (production).
//
// SQL is written once for both: `$1` placeholders, ON CONFLICT … DO UPDATE and RETURNING work on
// SQLite 3.40 and PostgreSQL 15. Where the two differ (identity columns, bulk load, row locks)
// the difference lives here and in the migrations' dialect tokens, not in business code.
//
// Thread-safety: Database is thread-safe (a pool of connections). A Connection is used by one
// thread at a time: get one with Database::with_connection or Database::transaction.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace kaigo::store {

enum class Dialect { sqlite, postgresql };

// A parameter or a column value. Dates are ISO text; money is int64 yen; booleans are 0/1.
using Value = std::variant<std::monostate, std::int64_t, std::string>;
using Params = std::vector<Value>;

inline Value null() { return std::monostate{}; }
template <typename T>
Value opt(const std::optional<T>& v) { return v ? Value(*v) : Value(std::monostate{}); }

// One result row. Accessors convert between text and integer, so the same code reads both
// databases (PostgreSQL's integer columns arrive typed, SQLite's as stored).
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  std::int64_t i64(std::size_t i) const;          // 0 for NULL
  std::string str(std::size_t i) const;           // "" for NULL
  std::optional<std::int64_t> opt_i64(std::size_t i) const;
  std::optional<std::string> opt_str(std::size_t i) const;
  const Value& at(std::size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  // Runs a statement; returns the number of rows changed.
  virtual Result<std::int64_t> exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs a query and returns all rows (for small results).
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // Streams the rows of a query to `on_row` without holding them all; stop early by returning false.
  virtual Result<void> query_each(std::string_view sql, const Params& params,
                                  const std::function<bool(const Row&)>& on_row) = 0;
  // Runs several statements separated by ';' with no parameters (migrations).
  virtual Result<void> exec_script(std::string_view sql) = 0;

  // Bulk load: `next` fills one row's values and returns true, or returns false at the end.
  // SQLite: one prepared INSERT re-bound per row; PostgreSQL: COPY FROM STDIN. Must be called
  // inside a transaction. Returns the number of rows loaded.
  virtual Result<std::int64_t> bulk_insert(std::string_view table, const std::vector<std::string>& columns,
                                           const std::function<bool(Params&)>& next) = 0;

  // The first row's first column, when there is one.
  Result<std::optional<Row>> query_one(std::string_view sql, const Params& params = {});

  // " FOR UPDATE" on PostgreSQL, "" on SQLite (whose write transactions are already exclusive).
  std::string_view for_update() const { return dialect() == Dialect::postgresql ? " FOR UPDATE" : ""; }
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // A human description without secrets, e.g. "sqlite:var/kaigo.db" or "postgresql://host:port/db".
  virtual std::string describe() const = 0;

  // Borrows a connection for the duration of `fn`.
  virtual Result<void> with_connection(const std::function<Result<void>(Connection&)>& fn) = 0;

  // Runs `fn` in one transaction: committed if it returns a value, rolled back if it returns an
  // error or throws. SQLite transactions begin IMMEDIATE so two writers never deadlock.
  Result<void> transaction(const std::function<Result<void>(Connection&)>& fn);

  // Convenience: one statement or query on a borrowed connection, outside any transaction.
  Result<std::int64_t> exec(std::string_view sql, const Params& params = {});
  Result<Rows> query(std::string_view sql, const Params& params = {});

 protected:
  virtual Result<void> begin(Connection& c) = 0;
};

// "$first, $first+1, …" — `count` numbered parameters for an IN (…) list or a VALUES row.
std::string numbered_params(std::size_t count, std::size_t first = 1);

// Opens a database from a URL: "sqlite:PATH" (created if missing) or "postgresql://…".
// pool_size is the number of connections kept (the server's thread count is a good choice).
Result<std::unique_ptr<Database>> open_database(const std::string& url, int pool_size = 4);

// Applies every numbered migration not yet applied (table schema_migrations), each in its own
// transaction. Returns the names applied now.
Result<std::vector<std::string>> migrate(Database& db);

}  // namespace kaigo::store

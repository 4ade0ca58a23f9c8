#include "store/postgres_database.hpp"

#include <charconv>
#include <string_view>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "store/connection_pool.hpp"

namespace kaigo::store {

namespace {

// Type OIDs from PostgreSQL's catalog/pg_type.dat (stable since 7.x; the server headers that
// name them are not part of libpq-dev).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

// COPY sends rows to the server in chunks of about this size: big enough that the per-call cost
// vanishes, small enough not to matter for memory.
constexpr std::size_t kCopyChunkBytes = 1 << 20;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;
ResultPtr own(PGresult* r) { return ResultPtr(r, &PQclear); }

// The first line of a libpq message, without the trailing newline.
std::string first_line(const char* msg) {
  std::string_view s = msg ? msg : "";
  s = s.substr(0, s.find('\n'));
  return std::string(s);
}

// Data-exception messages (class 22) quote the offending input, e.g.
// `invalid input syntax for type bigint: "…"`; inputs may be personal data, so quoted parts are
// blanked. Other classes quote only identifiers (constraint, column, table names), which are kept.
std::string without_quoted(std::string_view msg) {
  std::string out;
  bool quoted = false;
  for (char ch : msg) {
    if (ch == '"') {
      out += quoted ? "…\"" : "\"";
      quoted = !quoted;
    } else if (!quoted) {
      out += ch;
    }
  }
  return out;
}

ErrorKind kind_of(std::string_view sqlstate) {
  if (sqlstate.starts_with("23")) return ErrorKind::conflict;  // integrity: unique, FK, not null, check
  if (sqlstate == "40001" || sqlstate == "40P01") return ErrorKind::conflict;  // serialization, deadlock
  // Connection lost; server shutting down or starting (57P01..57P03); out of resources (53).
  if (sqlstate.starts_with("08") || sqlstate.starts_with("57P") || sqlstate.starts_with("53"))
    return ErrorKind::unavailable;
  if (sqlstate.starts_with("22")) return ErrorKind::invalid_input;
  return ErrorKind::internal;
}

// An Error from a failed result (or from the connection when there is no result). Only the
// server's primary message is used: its DETAIL repeats row and key values.
Error pg_error(PGconn* conn, const PGresult* res, std::string_view what) {
  if (PQstatus(conn) != CONNECTION_OK)
    return Error{ErrorKind::unavailable, fmt::format("{}: connection to PostgreSQL lost: {}", what, first_line(PQerrorMessage(conn))), {}};
  if (!res) return Error{ErrorKind::internal, fmt::format("{}: {}", what, first_line(PQerrorMessage(conn))), {}};
  const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const std::string sqlstate = state ? state : "";
  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  std::string msg = primary ? primary : first_line(PQresultErrorMessage(res));
  if (sqlstate.starts_with("22")) msg = without_quoted(msg);
  std::string field;
  if (const char* c = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME)) field = c;
  else if (const char* c2 = PQresultErrorField(res, PG_DIAG_COLUMN_NAME)) field = c2;
  return Error{kind_of(sqlstate), fmt::format("{}: {} (SQLSTATE {})", what, msg, sqlstate), std::move(field)};
}

// Parameters as libpq wants them: text, NULL pointer for NULL, integers in decimal.
class TextParams {
 public:
  explicit TextParams(const Params& params) {
    storage_.reserve(params.size());
    for (const auto& p : params) {
      if (auto i = std::get_if<std::int64_t>(&p)) storage_.push_back(std::to_string(*i));
      else if (auto s = std::get_if<std::string>(&p)) storage_.push_back(*s);
      else storage_.emplace_back();
    }
    for (size_t i = 0; i < params.size(); ++i)
      values_.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr : storage_[i].c_str());
  }
  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }

 private:
  std::vector<std::string> storage_;
  std::vector<const char*> values_;
};

enum class ColumnKind { integer, boolean, text };

std::vector<ColumnKind> column_kinds(const PGresult* res) {
  std::vector<ColumnKind> kinds;
  const int n = PQnfields(res);
  kinds.reserve(n);
  for (int i = 0; i < n; ++i) {
    const Oid t = PQftype(res, i);
    kinds.push_back(t == kInt2Oid || t == kInt4Oid || t == kInt8Oid ? ColumnKind::integer
                    : t == kBoolOid                                   ? ColumnKind::boolean
                                                                      : ColumnKind::text);
  }
  return kinds;
}

Row row_at(const PGresult* res, int r, const std::vector<ColumnKind>& kinds) {
  std::vector<Value> values;
  values.reserve(kinds.size());
  for (int i = 0; i < static_cast<int>(kinds.size()); ++i) {
    if (PQgetisnull(res, r, i)) {
      values.emplace_back(std::monostate{});
      continue;
    }
    const char* p = PQgetvalue(res, r, i);
    const int len = PQgetlength(res, r, i);
    switch (kinds[i]) {
      case ColumnKind::integer: {
        std::int64_t v = 0;
        std::from_chars(p, p + len, v);
        values.emplace_back(v);
        break;
      }
      case ColumnKind::boolean: values.emplace_back(std::int64_t{p[0] == 't' ? 1 : 0}); break;
      case ColumnKind::text: values.emplace_back(std::string(p, len)); break;
    }
  }
  return Row(std::move(values));
}

// COPY text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
void append_copy_field(std::string& out, const Value& v) {
  if (auto i = std::get_if<std::int64_t>(&v)) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *i);
    out.append(buf, end);
  } else if (auto s = std::get_if<std::string>(&v)) {
    for (char ch : *s) {
      switch (ch) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += ch;
      }
    }
  } else {
    out += "\\N";
  }
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Dialect dialect() const override { return Dialect::postgresql; }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    auto res = run(sql, params);
    const auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return std::unexpected(pg_error(conn_, res.get(), "running statement"));
    std::int64_t n = 0;
    std::string_view count = PQcmdTuples(res.get());
    std::from_chars(count.data(), count.data() + count.size(), n);
    return n;
  }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    auto res = run(sql, params);
    if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) return std::unexpected(pg_error(conn_, res.get(), "running query"));
    const auto kinds = column_kinds(res.get());
    const int n = PQntuples(res.get());
    Rows rows;
    rows.reserve(n);
    for (int r = 0; r < n; ++r) rows.push_back(row_at(res.get(), r, kinds));
    return rows;
  }

  // Single-row mode: libpq hands over one row at a time, so a million rows never sit in memory.
  // Stopping early discards the rest as it arrives (the protocol has no way to stop a query
  // short of cancelling it, which would abort an enclosing transaction): add a LIMIT when only
  // the first rows are wanted from a large result.
  Result<void> query_each(std::string_view sql, const Params& params,
                          const std::function<bool(const Row&)>& on_row) override {
    const std::string text(sql);
    const TextParams p(params);
    if (!PQsendQueryParams(conn_, text.c_str(), p.size(), nullptr, p.values(), nullptr, nullptr, 0))
      return std::unexpected(pg_error(conn_, nullptr, "sending query"));
    PQsetSingleRowMode(conn_);
    PendingResults pending(conn_);
    std::vector<ColumnKind> kinds;
    bool wanted = true;
    std::optional<Error> error;
    while (auto res = own(PQgetResult(conn_))) {
      const auto st = PQresultStatus(res.get());
      if (st == PGRES_SINGLE_TUPLE) {
        if (!wanted) continue;
        if (kinds.empty()) kinds = column_kinds(res.get());
        wanted = on_row(row_at(res.get(), 0, kinds));
      } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && !error) {
        error = pg_error(conn_, res.get(), "running query");
      }
    }
    pending.done();
    if (error) return std::unexpected(*error);
    if (PQstatus(conn_) != CONNECTION_OK) return std::unexpected(pg_error(conn_, nullptr, "running query"));
    return {};
  }

  Result<void> exec_script(std::string_view sql) override {
    const std::string text(sql);
    auto res = own(PQexec(conn_, text.c_str()));
    const auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return std::unexpected(pg_error(conn_, res.get(), "running script"));
    return {};
  }

  Result<std::int64_t> bulk_insert(std::string_view table, const std::vector<std::string>& columns,
                                   const std::function<bool(Params&)>& next) override {
    std::string cols;
    for (size_t i = 0; i < columns.size(); ++i) cols += (i ? "," : "") + columns[i];
    {
      auto res = own(PQexec(conn_, fmt::format("COPY {} ({}) FROM STDIN", table, cols).c_str()));
      if (PQresultStatus(res.get()) != PGRES_COPY_IN) return std::unexpected(pg_error(conn_, res.get(), "starting COPY"));
    }
    CopyGuard guard(conn_);
    std::string buffer;
    buffer.reserve(kCopyChunkBytes + 4096);
    Params row;
    while (true) {
      row.clear();
      if (!next(row)) break;
      if (row.size() != columns.size())
        return fail(ErrorKind::internal, fmt::format("bulk insert into {}: {} values for {} columns", table, row.size(), columns.size()));
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) buffer += '\t';
        append_copy_field(buffer, row[i]);
      }
      buffer += '\n';
      if (buffer.size() >= kCopyChunkBytes) {
        if (auto s = guard.send(buffer); !s) return std::unexpected(s.error());
        buffer.clear();
      }
    }
    if (auto s = guard.send(buffer); !s) return std::unexpected(s.error());
    if (auto f = guard.finish(); !f) return std::unexpected(f.error());
    return guard.rows();  // the server's count of rows copied
  }

 private:
  ResultPtr run(std::string_view sql, const Params& params) {
    const std::string text(sql);
    const TextParams p(params);
    return own(PQexecParams(conn_, text.c_str(), p.size(), nullptr, p.values(), nullptr, nullptr, 0));
  }

  // Reads and drops whatever results are still due when a query_each is left by an exception,
  // so the connection can take the next command.
  class PendingResults {
   public:
    explicit PendingResults(PGconn* c) : conn_(c) {}
    ~PendingResults() {
      if (!done_)
        while (auto r = own(PQgetResult(conn_))) {
        }
    }
    void done() { done_ = true; }

   private:
    PGconn* conn_;
    bool done_ = false;
  };

  // Ends a COPY: finish() commits the rows to the statement; leaving any other way (an error or
  // an exception from the row source) aborts the COPY, so nothing half-loaded is kept.
  class CopyGuard {
   public:
    explicit CopyGuard(PGconn* c) : conn_(c) {}
    ~CopyGuard() {
      if (open_) {
        PQputCopyEnd(conn_, "bulk insert abandoned by the caller");
        while (auto r = own(PQgetResult(conn_))) {
        }
      }
    }
    Result<void> send(const std::string& data) {
      if (data.empty()) return {};
      if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1)
        return std::unexpected(pg_error(conn_, nullptr, "sending COPY data"));
      return {};
    }
    Result<void> finish() {
      open_ = false;
      if (PQputCopyEnd(conn_, nullptr) != 1) return std::unexpected(pg_error(conn_, nullptr, "ending COPY"));
      std::optional<Error> error;
      while (auto res = own(PQgetResult(conn_))) {
        if (PQresultStatus(res.get()) == PGRES_COMMAND_OK) {
          std::string_view count = PQcmdTuples(res.get());
          std::from_chars(count.data(), count.data() + count.size(), rows_);
        } else if (!error) {
          error = pg_error(conn_, res.get(), "COPY");
        }
      }
      if (error) return std::unexpected(*error);
      return {};
    }
    std::int64_t rows() const { return rows_; }

   private:
    PGconn* conn_;
    bool open_ = true;
    std::int64_t rows_ = 0;
  };

  PGconn* conn_;
};

void ignore_notice(void*, const char*) {}

// The parts of a conninfo worth naming in messages and describe(); never the password.
struct Target {
  std::string user, host, port, dbname;
  std::string text() const {
    return fmt::format("postgresql://{}{}{}:{}/{}", user, user.empty() ? "" : "@", host.empty() ? "localhost" : host,
                       port.empty() ? "5432" : port, dbname);
  }
  std::string host_port() const { return fmt::format("{}:{}", host.empty() ? "localhost" : host, port.empty() ? "5432" : port); }
};

Result<Target> parse_target(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (!opts) {
    // libpq's message quotes the faulty part of the string, which may hold the password.
    PQfreemem(err);
    return fail(ErrorKind::invalid_input, "the PostgreSQL connection URL cannot be parsed", "db");
  }
  Target t;
  for (auto* o = opts; o->keyword; ++o) {
    if (!o->val) continue;
    const std::string_view k = o->keyword;
    if (k == "user") t.user = o->val;
    else if (k == "host") t.host = o->val;
    else if (k == "hostaddr" && t.host.empty()) t.host = o->val;
    else if (k == "port") t.port = o->val;
    else if (k == "dbname") t.dbname = o->val;
  }
  PQconninfoFree(opts);
  return t;
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string conninfo, Target target, int pool_size)
      : conninfo_(std::move(conninfo)), target_(std::move(target)), pool_([this] { return open(); }, pool_size) {}

  Dialect dialect() const override { return Dialect::postgresql; }
  std::string describe() const override { return target_.text(); }
  Result<void> with_connection(const std::function<Result<void>(Connection&)>& fn) override { return pool_.with(fn); }

 protected:
  Result<void> begin(Connection& c) override {
    auto r = c.exec("BEGIN");
    if (!r) return std::unexpected(r.error());
    return {};
  }

 private:
  Result<std::unique_ptr<Connection>> open() {
    // Keywords after "dbname" override what the URL says: the code relies on UTF-8 text.
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding", nullptr};
    const char* vals[] = {"10", "kaigo", conninfo_.c_str(), "UTF8", nullptr};
    PGconn* conn = PQconnectdbParams(keys, vals, 1);
    if (!conn) return fail(ErrorKind::unavailable, "cannot connect to PostgreSQL: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
      Error e{ErrorKind::unavailable,
              fmt::format("cannot connect to PostgreSQL at {}: {}", target_.host_port(), first_line(PQerrorMessage(conn))), {}};
      PQfinish(conn);
      return std::unexpected(e);
    }
    PQsetNoticeProcessor(conn, ignore_notice, nullptr);
    return std::unique_ptr<Connection>(std::make_unique<PgConnection>(conn));
  }

  std::string conninfo_;
  Target target_;
  ConnectionPool pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgresql(const std::string& conninfo, int pool_size) {
  auto target = parse_target(conninfo);
  if (!target) return std::unexpected(target.error());
  auto db = std::make_unique<PostgresDatabase>(conninfo, std::move(*target), pool_size);
  // Open one connection now so a wrong URL or a server that is down fails at start.
  auto probe = db->with_connection([](Connection&) -> Result<void> { return {}; });
  if (!probe) return std::unexpected(probe.error());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace kaigo::store

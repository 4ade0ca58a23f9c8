#include "audit/chained_log.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/hash.hpp"

namespace kaigo::audit {

namespace {

// Length-prefixed fields, so "a|b" + "c" and "a" + "b|c" never hash alike.
std::string canonical(std::int64_t seq, const std::string& prev_hash, const std::vector<std::string>& fields) {
  std::string s = fmt::format("{}|{}:{}", seq, prev_hash.size(), prev_hash);
  for (const auto& f : fields) s += fmt::format("|{}:{}", f.size(), f);
  return s;
}

std::string as_text(const store::Value& v) {
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  return "\x01NULL";
}

}  // namespace

const ChainSpec& access_log_spec() {
  static const ChainSpec spec{"access_log", "access_log",
                              {"at", "user_id", "person_id", "action", "resource", "my_number_shown"}};
  return spec;
}

Result<std::int64_t> append(store::Connection& c, const ChainSpec& spec, const store::Params& values) {
  return append_many(c, spec, {values});
}

Result<std::int64_t> append_many(store::Connection& c, const ChainSpec& spec, const std::vector<store::Params>& rows) {
  auto head = c.query_one(fmt::format("SELECT last_seq, last_hash FROM log_chain WHERE log_name = $1{}", c.for_update()),
                          {spec.log_name});
  if (!head) return std::unexpected(head.error());
  if (!*head) return fail(ErrorKind::internal, fmt::format("log chain {} has no head row", spec.log_name));
  std::int64_t seq = (*head)->i64(0);
  std::string prev = (*head)->str(1);
  if (rows.empty()) return seq;

  const size_t width = spec.columns.size() + 3;  // seq, columns…, prev_hash, row_hash
  std::string cols = "seq";
  for (const auto& col : spec.columns) cols += "," + col;
  cols += ",prev_hash,row_hash";
  // At most 100 rows a statement keeps well under both databases' parameter limits.
  constexpr size_t kRowsPerStatement = 100;
  for (size_t first = 0; first < rows.size(); first += kRowsPerStatement) {
    const size_t last = std::min(rows.size(), first + kRowsPerStatement);
    std::string values;
    store::Params params;
    params.reserve((last - first) * width);
    for (size_t r = first; r < last; ++r) {
      const auto& row = rows[r];
      if (row.size() != spec.columns.size())
        return fail(ErrorKind::internal, fmt::format("{}: {} values for {} columns", spec.table, row.size(), spec.columns.size()));
      std::vector<std::string> fields;
      fields.reserve(row.size());
      for (const auto& v : row) fields.push_back(as_text(v));
      ++seq;
      const std::string hash = sha256_hex(canonical(seq, prev, fields));
      values += r == first ? "(" : ",(";
      params.emplace_back(seq);
      for (const auto& v : row) params.push_back(v);
      params.emplace_back(prev);
      params.emplace_back(hash);
      for (size_t k = 0; k < width; ++k) values += fmt::format("{}${}", k ? "," : "", params.size() - width + k + 1);
      values += ")";
      prev = hash;
    }
    if (auto ins = c.exec(fmt::format("INSERT INTO {} ({}) VALUES {}", spec.table, cols, values), params); !ins)
      return std::unexpected(ins.error());
  }
  if (auto r = c.exec("UPDATE log_chain SET last_seq = $1, last_hash = $2 WHERE log_name = $3", {seq, prev, spec.log_name}); !r)
    return std::unexpected(r.error());
  return seq;
}

Result<VerifyReport> verify(store::Database& db, const ChainSpec& spec) {
  VerifyReport report{spec.log_name, 0, std::nullopt, {}};
  std::string cols;
  for (const auto& col : spec.columns) cols += col + ",";
  std::string prev;
  std::int64_t expected_seq = 1;
  auto broken = [&](std::int64_t seq, std::string why) {
    if (!report.first_broken_seq) {
      report.first_broken_seq = seq;
      report.reason = std::move(why);
    }
  };
  auto r = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto q = c.query_each(fmt::format("SELECT seq,{}prev_hash,row_hash FROM {} ORDER BY seq", cols, spec.table), {},
                          [&](const store::Row& row) {
                            const std::int64_t seq = row.i64(0);
                            const size_t n = spec.columns.size();
                            std::vector<std::string> fields;
                            for (size_t i = 0; i < n; ++i) fields.push_back(row.is_null(i + 1) ? "\x01NULL" : row.str(i + 1));
                            ++report.rows_checked;
                            if (seq != expected_seq) {
                              broken(seq, fmt::format("row {} found where row {} was expected (a row was removed or inserted)", seq, expected_seq));
                              return false;
                            }
                            if (row.str(n + 1) != prev) {
                              broken(seq, fmt::format("row {} does not point at the hash of row {}", seq, seq - 1));
                              return false;
                            }
                            if (sha256_hex(canonical(seq, prev, fields)) != row.str(n + 2)) {
                              broken(seq, fmt::format("row {} was changed after it was written", seq));
                              return false;
                            }
                            prev = row.str(n + 2);
                            ++expected_seq;
                            return true;
                          });
    if (!q) return q;
    if (report.first_broken_seq) return {};
    auto head = c.query_one("SELECT last_seq, last_hash FROM log_chain WHERE log_name = $1", {spec.log_name});
    if (!head) return std::unexpected(head.error());
    if (!*head || (*head)->i64(0) != expected_seq - 1 || (*head)->str(1) != prev)
      broken(expected_seq, fmt::format("the chain head does not match the last row {} (rows were removed from the end)", expected_seq - 1));
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return report;
}

}  // namespace kaigo::audit

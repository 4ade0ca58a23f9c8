#include "store/database.hpp"

#include <charconv>
#include <fmt/format.h>

namespace kaigo::store {

std::int64_t Row::i64(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

std::string Row::str(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  return {};
}

std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

std::optional<std::string> Row::opt_str(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return str(i);
}

std::string numbered_params(std::size_t count, std::size_t first) {
  std::string s;
  for (std::size_t i = 0; i < count; ++i) {
    if (i) s += ", ";
    s += '$' + std::to_string(first + i);
  }
  return s;
}

Result<std::optional<Row>> Connection::query_one(std::string_view sql, const Params& params) {
  std::optional<Row> first;
  auto r = query_each(sql, params, [&](const Row& row) {
    first.emplace(row);
    return false;
  });
  if (!r) return std::unexpected(r.error());
  return first;
}

Result<void> Database::transaction(const std::function<Result<void>(Connection&)>& fn) {
  return with_connection([&](Connection& c) -> Result<void> {
    if (auto b = begin(c); !b) return b;
    Result<void> result;
    try {
      result = fn(c);
    } catch (...) {
      (void)c.exec("ROLLBACK");
      throw;
    }
    if (!result) {
      (void)c.exec("ROLLBACK");
      return result;
    }
    if (auto e = c.exec("COMMIT"); !e) {
      (void)c.exec("ROLLBACK");
      return std::unexpected(e.error());
    }
    return {};
  });
}

Result<std::int64_t> Database::exec(std::string_view sql, const Params& params) {
  std::int64_t n = 0;
  auto r = with_connection([&](Connection& c) -> Result<void> {
    auto e = c.exec(sql, params);
    if (!e) return std::unexpected(e.error());
    n = *e;
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return n;
}

Result<Rows> Database::query(std::string_view sql, const Params& params) {
  Rows rows;
  auto r = with_connection([&](Connection& c) -> Result<void> {
    auto q = c.query(sql, params);
    if (!q) return std::unexpected(q.error());
    rows = std::move(*q);
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return rows;
}

}  // namespace kaigo::store

#include "people/person_store.hpp"

#include <fmt/format.h>

#include "core/date.hpp"

namespace kaigo::people {

namespace {

constexpr const char* kPersonColumns =
    "p.person_id, p.name_kanji, p.name_kana, p.birth_date, p.sex, p.postal_code, p.address, p.ward_code, "
    "p.household_id, p.relation, p.registry_status, p.status_date, i.insured_no";
constexpr const char* kPersonFrom = " FROM person p LEFT JOIN insured_number i ON i.person_id = p.person_id";

Person person_from(const store::Row& r) {
  return Person{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.str(7), r.str(8),
                r.str(9), r.str(10), r.opt_str(11), r.opt_str(12)};
}

bool all_digits(const std::string& s) {
  for (char ch : s)
    if (ch < '0' || ch > '9') return false;
  return !s.empty();
}

// The smallest string greater than every string starting with `prefix` (for a prefix range scan
// that both databases answer from the index, unlike LIKE under a non-C collation).
std::string prefix_end(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last < 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return "\xff";
}

}  // namespace

Result<SearchResult> search_persons(store::Connection& c, const PersonQuery& q) {
  if (!q.kana && !q.kanji && !q.birth_date && !q.person_id && !q.insured_no)
    return fail(ErrorKind::invalid_input, "give at least one of kana, kanji, birth_date, person_id, insured_no", "q");
  if (q.limit < 1 || q.limit > 200) return fail(ErrorKind::invalid_input, "limit must be between 1 and 200", "limit");
  std::string where;
  store::Params params;
  auto add = [&](const std::string& clause, store::Value v) {
    params.push_back(std::move(v));
    where += (where.empty() ? " WHERE " : " AND ") + fmt::format(fmt::runtime(clause), params.size());
  };
  if (q.kana) {
    if (q.kana->empty()) return fail(ErrorKind::invalid_input, "kana must not be empty", "kana");
    add("p.name_kana >= ${}", *q.kana);
    add("p.name_kana < ${}", prefix_end(*q.kana));
  }
  if (q.kanji) {
    if (q.kanji->empty()) return fail(ErrorKind::invalid_input, "kanji must not be empty", "kanji");
    add("p.name_kanji >= ${}", *q.kanji);
    add("p.name_kanji < ${}", prefix_end(*q.kanji));
  }
  if (q.birth_date) {
    auto d = Date::parse(*q.birth_date);
    if (!d) return fail(ErrorKind::invalid_input, d.error().message, "birth_date");
    add("p.birth_date = ${}", d->iso());
  }
  if (q.person_id) {
    if (!all_digits(*q.person_id)) return fail(ErrorKind::invalid_input, "person_id is digits only", "person_id");
    add("p.person_id = ${}", *q.person_id);
  }
  if (q.insured_no) {
    if (q.insured_no->size() != 10 || !all_digits(*q.insured_no))
      return fail(ErrorKind::invalid_input, "insured_no is 10 digits", "insured_no");
    add("i.insured_no = ${}", *q.insured_no);
  }
  params.emplace_back(static_cast<std::int64_t>(q.limit + 1));
  auto sql = fmt::format("SELECT {}{}{} ORDER BY p.name_kana, p.birth_date, p.person_id LIMIT ${}", kPersonColumns,
                         kPersonFrom, where, params.size());
  SearchResult out;
  auto r = c.query_each(sql, params, [&](const store::Row& row) {
    if (static_cast<int>(out.items.size()) == q.limit) {
      out.truncated = true;
      return false;
    }
    out.items.push_back(person_from(row));
    return true;
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

Result<std::optional<Person>> find_person(store::Connection& c, const std::string& person_id) {
  auto row = c.query_one(fmt::format("SELECT {}{} WHERE p.person_id = $1", kPersonColumns, kPersonFrom), {person_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Person>{};
  return std::optional<Person>{person_from(**row)};
}

Result<std::vector<Person>> household_members(store::Connection& c, const std::string& household_id) {
  auto rows = c.query(fmt::format("SELECT {}{} WHERE p.household_id = $1 ORDER BY p.birth_date, p.person_id",
                                  kPersonColumns, kPersonFrom),
                      {household_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<Person> out;
  for (const auto& r : *rows) out.push_back(person_from(r));
  return out;
}

Result<std::vector<PersonHistoryRow>> person_history(store::Connection& c, const std::string& person_id) {
  auto rows = c.query(
      "SELECT valid_from, valid_to, name_kanji, name_kana, address, household_id, relation, registry_status, reason, "
      "recorded_at, recorded_by, source_exchange_id FROM person_history WHERE person_id = $1 "
      "ORDER BY valid_from DESC, history_id DESC",
      {person_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<PersonHistoryRow> out;
  for (const auto& r : *rows)
    out.push_back(PersonHistoryRow{r.str(0), r.opt_str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.str(7),
                                   r.str(8), r.str(9), r.str(10), r.opt_i64(11)});
  return out;
}

Result<std::optional<std::string>> my_number_ciphertext(store::Connection& c, const std::string& person_id) {
  auto row = c.query_one("SELECT ciphertext FROM my_number WHERE person_id = $1", {person_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{(*row)->str(0)};
}

}  // namespace kaigo::people

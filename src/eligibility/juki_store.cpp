// The person as the registry states it, load and quarantine rows, and the reads behind the
// registry-linkage screens.

#include <fmt/format.h>

#include "eligibility/juki_internal.hpp"
#include "eligibility/juki_service.hpp"

namespace kaigo::eligibility::juki {

namespace detail {

PersonRow person_row_from(const store::Row& r) {
  return PersonRow{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4),  r.str(5),
                   r.str(6), r.str(7), r.str(8), r.str(9), r.str(10), r.opt_str(11)};
}

PersonRow person_row_from(const RegistryPerson& p, std::string registry_status, std::optional<std::string> status_date) {
  return PersonRow{p.person_id, p.household_id, p.name_kanji, p.name_kana,  p.birth_date.iso(), p.sex,
                   p.relation,  p.postal_code,  p.address,    p.ward_code, std::move(registry_status),
                   std::move(status_date)};
}

bool same_registry_fields(const PersonRow& a, const PersonRow& b) {
  return a.household_id == b.household_id && a.name_kanji == b.name_kanji && a.name_kana == b.name_kana &&
         a.birth_date == b.birth_date && a.sex == b.sex && a.relation == b.relation && a.postal_code == b.postal_code &&
         a.address == b.address && a.ward_code == b.ward_code && a.registry_status == b.registry_status;
}

Result<std::optional<PersonRow>> load_person(store::Connection& c, const std::string& person_id) {
  auto r = c.query_one(fmt::format("SELECT {} FROM person WHERE person_id = $1{}", kPersonColumns, c.for_update()),
                       {person_id});
  if (!r) return std::unexpected(r.error());
  if (!*r) return std::optional<PersonRow>{};
  return std::optional<PersonRow>{person_row_from(**r)};
}

Result<void> write_person(store::Connection& c, const Clock& clock, const PersonRow& p, bool exists,
                          bool update_current, const std::string& valid_from, const std::string& reason,
                          std::int64_t exchange_id) {
  const std::string now = clock.timestamp();
  if (!exists) {
    auto ins = c.exec(
        "INSERT INTO person (person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, ward_code, "
        "household_id, relation, registry_status, status_date, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        {p.person_id, p.name_kanji, p.name_kana, p.birth_date, p.sex, p.postal_code, p.address, p.ward_code,
         p.household_id, p.relation, p.registry_status, store::opt(p.status_date), now});
    if (!ins) return std::unexpected(ins.error());
  } else if (update_current) {
    auto up = c.exec(
        "UPDATE person SET name_kanji = $1, name_kana = $2, birth_date = $3, sex = $4, postal_code = $5, address = $6, "
        "ward_code = $7, household_id = $8, relation = $9, registry_status = $10, "
        "status_date = COALESCE($11, status_date), updated_at = $12 WHERE person_id = $13",
        {p.name_kanji, p.name_kana, p.birth_date, p.sex, p.postal_code, p.address, p.ward_code, p.household_id,
         p.relation, p.registry_status, store::opt(p.status_date), now, p.person_id});
    if (!up) return std::unexpected(up.error());
  }
  // The history row that covered valid_from ends there; the new row runs to the next later row.
  auto closed = c.exec(
      "UPDATE person_history SET valid_to = CAST($1 AS TEXT) WHERE person_id = $2 AND valid_from <= CAST($1 AS TEXT) "
      "AND (valid_to IS NULL OR valid_to > CAST($1 AS TEXT))",
      {valid_from, p.person_id});
  if (!closed) return std::unexpected(closed.error());
  auto added = c.exec(
      "INSERT INTO person_history (person_id, valid_from, valid_to, name_kanji, name_kana, birth_date, sex, postal_code, "
      "address, ward_code, household_id, relation, registry_status, reason, recorded_at, recorded_by, source_exchange_id) "
      "VALUES ($1, CAST($2 AS TEXT), (SELECT MIN(h.valid_from) FROM person_history h WHERE h.person_id = $1 "
      "AND h.valid_from > CAST($2 AS TEXT)), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
      {p.person_id, valid_from, p.name_kanji, p.name_kana, p.birth_date, p.sex, p.postal_code, p.address, p.ward_code,
       p.household_id, p.relation, p.registry_status, reason, now, fmt::format("exchange:{}", exchange_id), exchange_id});
  if (!added) return std::unexpected(added.error());
  return {};
}

Result<void> add_quarantine(store::Connection& c, const Clock& clock, std::int64_t load_id,
                            const std::vector<QuarantineRow>& rows) {
  if (rows.empty()) return {};
  const std::string now = clock.timestamp();
  std::size_t i = 0;
  auto n = c.bulk_insert("juki_quarantine",
                         {"load_id", "line_no", "field", "message", "person_id", "movement_id", "status", "created_at"},
                         [&](store::Params& p) {
                           if (i == rows.size()) return false;
                           const auto& r = rows[i++];
                           p = {load_id, std::int64_t{r.line_no}, r.field, r.message, store::opt(r.person_id),
                                store::opt(r.movement_id), std::string("open"), now};
                           return true;
                         });
  if (!n) return std::unexpected(n.error());
  return {};
}

}  // namespace detail

namespace {

constexpr const char* kLoadColumns =
    "load_id, exchange_id, kind, file_name, received_at, lines, applied, unchanged, duplicates, out_of_order, "
    "quarantined, status, reason, finished_at";

Load load_from(const store::Row& r) {
  return Load{r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.i64(5), r.i64(6), r.i64(7), r.i64(8),
              r.i64(9), r.i64(10), r.str(11), r.opt_str(12), r.opt_str(13)};
}

constexpr const char* kQuarantineColumns =
    "quarantine_id, load_id, line_no, field, message, person_id, movement_id, status, created_at, resolved_by, "
    "resolved_at, resolution";

QuarantineItem quarantine_from(const store::Row& r) {
  return QuarantineItem{r.i64(0),     r.i64(1),     r.i64(2), r.str(3),     r.str(4),     r.opt_str(5),
                        r.opt_str(6), r.str(7),     r.str(8), r.opt_str(9), r.opt_str(10), r.opt_str(11)};
}

}  // namespace

Result<std::vector<Load>> list_loads(store::Connection& c, int limit) {
  auto rows = c.query(fmt::format("SELECT {} FROM juki_load ORDER BY load_id DESC LIMIT $1", kLoadColumns),
                      {std::int64_t{limit}});
  if (!rows) return std::unexpected(rows.error());
  std::vector<Load> out;
  for (const auto& r : *rows) out.push_back(load_from(r));
  return out;
}

Result<std::optional<Load>> find_load_by_exchange(store::Connection& c, std::int64_t exchange_id) {
  auto r = c.query_one(fmt::format("SELECT {} FROM juki_load WHERE exchange_id = $1", kLoadColumns), {exchange_id});
  if (!r) return std::unexpected(r.error());
  if (!*r) return std::optional<Load>{};
  return std::optional<Load>{load_from(**r)};
}

Result<std::vector<QuarantineItem>> list_quarantine(store::Connection& c, const std::string& status, int limit) {
  if (!status.empty() && status != "open" && status != "resolved")
    return fail(ErrorKind::invalid_input, "status must be open or resolved", "status");
  auto rows = status.empty()
                  ? c.query(fmt::format("SELECT {} FROM juki_quarantine ORDER BY quarantine_id DESC LIMIT $1",
                                        kQuarantineColumns),
                            {std::int64_t{limit}})
                  : c.query(fmt::format("SELECT {} FROM juki_quarantine WHERE status = $1 "
                                        "ORDER BY quarantine_id DESC LIMIT $2",
                                        kQuarantineColumns),
                            {status, std::int64_t{limit}});
  if (!rows) return std::unexpected(rows.error());
  std::vector<QuarantineItem> out;
  for (const auto& r : *rows) out.push_back(quarantine_from(r));
  return out;
}

Result<QuarantineItem> resolve_quarantine(store::Connection& c, const Clock& clock, std::int64_t quarantine_id,
                                          const std::string& user_id, const std::string& resolution) {
  if (resolution.empty() || resolution.size() > 2000)
    return fail(ErrorKind::invalid_input, "a resolution of 1–2000 bytes is required", "resolution");
  auto row = c.query_one(
      fmt::format("SELECT {} FROM juki_quarantine WHERE quarantine_id = $1{}", kQuarantineColumns, c.for_update()),
      {quarantine_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, fmt::format("no quarantined line {}", quarantine_id), "quarantine_id");
  if ((*row)->str(7) != "open") return fail(ErrorKind::conflict, "this line is already resolved", "status");
  auto up = c.exec(
      "UPDATE juki_quarantine SET status = 'resolved', resolved_by = $1, resolved_at = $2, resolution = $3 "
      "WHERE quarantine_id = $4",
      {user_id, clock.timestamp(), resolution, quarantine_id});
  if (!up) return std::unexpected(up.error());
  auto again = c.query_one(fmt::format("SELECT {} FROM juki_quarantine WHERE quarantine_id = $1", kQuarantineColumns),
                           {quarantine_id});
  if (!again || !*again) return fail(ErrorKind::internal, "the resolved line cannot be read back");
  return quarantine_from(**again);
}

}  // namespace kaigo::eligibility::juki

// SK-16 full loads: staged in bulk inside the inbox transaction, then reconciled with the person
// register in chunks of persons — one transaction per chunk that also moves the load's cursor, so
// a process killed mid-load resumes where it stopped with no duplicate and no gap
// (docs/juki-layout.md). Set-based: a chunk is a handful of statements whatever its size.
#include <map>
#include <set>

#include <fmt/format.h>

#include "eligibility/juki_internal.hpp"
#include "eligibility/juki_service.hpp"
#include "eligibility/register.hpp"

namespace kaigo::eligibility::juki {

namespace detail {

Result<void> stage_full_load(store::Connection& c, const Clock& clock, const linkage::Exchange& e, const JukiFile& file) {
  auto load = c.query_one(
      "INSERT INTO juki_load (exchange_id, kind, file_name, received_at, lines, status) "
      "VALUES ($1, 'full', $2, $3, $4, 'staged') RETURNING load_id",
      {e.exchange_id, file_name_of(e), clock.timestamp(), std::int64_t{file.lines}});
  if (!load) return std::unexpected(load.error());
  const std::int64_t load_id = (*load)->i64(0);
  std::size_t i = 0;
  auto n = c.bulk_insert("juki_staging",
                         {"load_id", "person_id", "line_no", "household_id", "name_kanji", "name_kana", "birth_date",
                          "sex", "relation", "postal_code", "address", "ward_code", "registry_status", "status_date"},
                         [&](store::Params& p) {
                           if (i == file.rows.size()) return false;
                           const FullRow& r = file.rows[i++];
                           const char* status = r.status == RegistryStatus::emigrated ? "emigrated" : to_code(r.status).data();
                           p = {load_id, r.person.person_id, std::int64_t{r.line_no}, r.person.household_id,
                                r.person.name_kanji, r.person.name_kana, r.person.birth_date.iso(), r.person.sex,
                                r.person.relation, r.person.postal_code, r.person.address, r.person.ward_code,
                                std::string(status), r.status_date.iso()};
                           return true;
                         });
  if (!n) return std::unexpected(n.error());
  // Statistics for the chunk statements' plans (PostgreSQL would otherwise guess an empty table).
  if (c.dialect() == store::Dialect::postgresql)
    if (auto a = c.exec("ANALYZE juki_staging"); !a) return std::unexpected(a.error());
  return {};
}

}  // namespace detail

namespace {

using detail::PersonRow;

// Up to this many persons of a chunk to re-derive, one rederive() each; more, one rebuild_chunk.
constexpr std::size_t kRederiveOneByOne = 200;

struct Staged {
  PersonRow row;          // registry_status mapped to the person table's code
  bool emigrated = false;
  std::string status_date;
  std::int64_t line_no = 0;
};

// The address fact a status change implies (the difference that may have been missed), if any.
std::optional<std::string> fact_for_change(const std::string& ours, const Staged& s) {
  if (ours == "resident" && s.row.registry_status == "moved_out") return s.emigrated ? "emigration" : "move_out";
  if (ours == "resident" && s.row.registry_status == "deceased") return "death";
  if (ours != "resident" && s.row.registry_status == "resident") return "move_in";
  return std::nullopt;
}

struct ChunkResult {
  bool finished = false;
  std::int64_t added = 0, changed = 0, unchanged = 0, missing = 0;
};

Result<ChunkResult> apply_chunk(store::Connection& c, const Clock& clock, std::int64_t load_id, std::int64_t exchange_id,
                                const std::string& cursor, int chunk) {
  ChunkResult out;
  std::vector<Staged> staged;
  auto rows = c.query_each(
      "SELECT person_id, household_id, name_kanji, name_kana, birth_date, sex, relation, postal_code, address, "
      "ward_code, registry_status, status_date, line_no FROM juki_staging WHERE load_id = $1 AND person_id > $2 "
      "ORDER BY person_id LIMIT $3",
      {load_id, cursor, std::int64_t{chunk}}, [&](const store::Row& r) {
        Staged s;
        s.row = detail::person_row_from(r);
        s.emigrated = s.row.registry_status == "emigrated";
        if (s.emigrated) s.row.registry_status = "moved_out";
        s.status_date = r.str(11);
        s.row.status_date = s.status_date;
        s.line_no = r.i64(12);
        staged.push_back(std::move(s));
        return true;
      });
  if (!rows) return std::unexpected(rows.error());
  out.finished = staged.size() < static_cast<std::size_t>(chunk);
  // The person range this chunk owns: (cursor, last staged]; the final chunk owns the rest too, so
  // a person after the registry's last one is still reported missing.
  const std::string to = out.finished ? std::string() : staged.back().row.person_id;

  std::map<std::string, PersonRow> ours;
  store::Params range{cursor};
  std::string where = "person_id > $1";
  if (!to.empty()) range.push_back(to), where += " AND person_id <= $2";
  auto read = c.query_each(fmt::format("SELECT {} FROM person WHERE {} ORDER BY person_id", detail::kPersonColumns, where),
                           range, [&](const store::Row& r) {
                             auto p = detail::person_row_from(r);
                             ours.emplace(p.person_id, std::move(p));
                             return true;
                           });
  if (!read) return std::unexpected(read.error());

  const std::string now = clock.timestamp();
  const std::string today = clock.today().iso();
  const std::string actor = fmt::format("exchange:{}", exchange_id);
  std::vector<const Staged*> added, changed;
  struct FactRow {
    std::string person_id, kind, on;
  };
  std::vector<FactRow> facts;
  std::vector<std::string> rederive_only;  // birth date changed, no new fact
  for (const auto& s : staged) {
    auto it = ours.find(s.row.person_id);
    if (it == ours.end()) {
      added.push_back(&s);
      if (s.row.registry_status == "resident") facts.push_back({s.row.person_id, "move_in", s.status_date});
      continue;
    }
    if (detail::same_registry_fields(it->second, s.row)) {
      ++out.unchanged;
    } else {
      changed.push_back(&s);
      if (auto k = fact_for_change(it->second.registry_status, s)) facts.push_back({s.row.person_id, *k, s.status_date});
      // Only a new fact or another birth date can change eligibility; a new address, name or
      // household cannot, so those persons need no re-derivation.
      if (it->second.birth_date != s.row.birth_date) rederive_only.push_back(s.row.person_id);
    }
    ours.erase(it);
  }
  std::vector<detail::QuarantineRow> missing;
  for (const auto& [id, p] : ours)
    if (p.registry_status == "resident")
      missing.push_back({0, "宛名番号",
                         "a resident here whom the registry's full load does not list: not deleted; check the person "
                         "with the registry (SK-02)",
                         id, std::nullopt});
  out.added = static_cast<std::int64_t>(added.size());
  out.changed = static_cast<std::int64_t>(changed.size());
  out.missing = static_cast<std::int64_t>(missing.size());

  if (!changed.empty()) {
    // Set-based: the open history rows of the changed persons end today, then the person rows
    // take the registry's fields (the same difference test as same_registry_fields).
    const std::string differs =
        "p.household_id <> s.household_id OR p.name_kanji <> s.name_kanji OR p.name_kana <> s.name_kana OR "
        "p.birth_date <> s.birth_date OR p.sex <> s.sex OR p.relation <> s.relation OR p.postal_code <> s.postal_code "
        "OR p.address <> s.address OR p.ward_code <> s.ward_code OR p.registry_status <> "
        "(CASE WHEN s.registry_status = 'emigrated' THEN 'moved_out' ELSE s.registry_status END)";
    store::Params p{now, load_id, cursor, staged.back().row.person_id};
    auto closed = c.exec(
        // Every table is bounded by the chunk's person range, so each is an index range scan (not a
        // scan of a million persons per chunk).
        // (Parameters first appear in number order: SQLite numbers $N by first appearance.)
        fmt::format("UPDATE person_history SET valid_to = $1 WHERE valid_to IS NULL AND person_id > $2 AND "
                    "person_id <= $3 AND person_id IN (SELECT s.person_id FROM juki_staging s JOIN person p ON "
                    "p.person_id = s.person_id WHERE s.load_id = $4 AND s.person_id > $2 AND s.person_id <= $3 AND "
                    "p.person_id > $2 AND p.person_id <= $3 AND ({}))",
                    differs),
        store::Params{today, cursor, staged.back().row.person_id, load_id});
    if (!closed) return std::unexpected(closed.error());
    auto updated = c.exec(
        fmt::format("UPDATE person SET household_id = s.household_id, name_kanji = s.name_kanji, name_kana = s.name_kana, "
                    "birth_date = s.birth_date, sex = s.sex, relation = s.relation, postal_code = s.postal_code, "
                    "address = s.address, ward_code = s.ward_code, registry_status = (CASE WHEN s.registry_status = "
                    "'emigrated' THEN 'moved_out' ELSE s.registry_status END), status_date = (CASE WHEN "
                    "person.registry_status <> (CASE WHEN s.registry_status = 'emigrated' THEN 'moved_out' ELSE "
                    "s.registry_status END) THEN s.status_date ELSE person.status_date END), updated_at = $1 "
                    "FROM juki_staging s WHERE s.load_id = $2 AND s.person_id = person.person_id AND s.person_id > $3 "
                    "AND s.person_id <= $4 AND person.person_id > $3 AND person.person_id <= $4 AND ({})",
                    [&] {
                      std::string d = differs;
                      for (std::size_t at = 0; (at = d.find("p.", at)) != std::string::npos; at += 7)
                        d.replace(at, 2, "person.");
                      return d;
                    }()),
        p);
    if (!updated) return std::unexpected(updated.error());
  }
  if (!added.empty()) {
    std::size_t i = 0;
    auto n = c.bulk_insert("person",
                           {"person_id", "name_kanji", "name_kana", "birth_date", "sex", "postal_code", "address",
                            "ward_code", "household_id", "relation", "registry_status", "status_date", "updated_at"},
                           [&](store::Params& p) {
                             if (i == added.size()) return false;
                             const PersonRow& r = added[i++]->row;
                             p = {r.person_id, r.name_kanji, r.name_kana, r.birth_date, r.sex, r.postal_code,
                                  r.address, r.ward_code, r.household_id, r.relation, r.registry_status,
                                  store::opt(r.status_date), now};
                             return true;
                           });
    if (!n) return std::unexpected(n.error());
  }
  if (!added.empty() || !changed.empty()) {
    std::vector<const Staged*> history = added;
    history.insert(history.end(), changed.begin(), changed.end());
    std::size_t i = 0;
    auto n = c.bulk_insert("person_history",
                           {"person_id", "valid_from", "name_kanji", "name_kana", "birth_date", "sex", "postal_code",
                            "address", "ward_code", "household_id", "relation", "registry_status", "reason",
                            "recorded_at", "recorded_by", "source_exchange_id"},
                           [&](store::Params& p) {
                             if (i == history.size()) return false;
                             const bool is_new = i < added.size();
                             const Staged& s = *history[i++];
                             const PersonRow& r = s.row;
                             // A newcomer's history starts when the registry says they became what they are.
                             p = {r.person_id, is_new ? s.status_date : today, r.name_kanji, r.name_kana, r.birth_date,
                                  r.sex, r.postal_code, r.address, r.ward_code, r.household_id, r.relation,
                                  r.registry_status, std::string("juki_full_load"), now, actor, exchange_id};
                             return true;
                           });
    if (!n) return std::unexpected(n.error());
  }
  if (!facts.empty()) {
    // Facts straight into the register's table, then one rebuild_chunk for the range (below)
    // re-derives everyone at once: record_address_fact would re-derive person by person.
    std::size_t i = 0;
    auto n = c.bulk_insert("eligibility_fact",
                           {"person_id", "kind", "on_date", "source", "source_exchange_id", "recorded_at", "recorded_by"},
                           [&](store::Params& p) {
                             if (i == facts.size()) return false;
                             const FactRow& f = facts[i++];
                             p = {f.person_id, f.kind, f.on, std::string("juki"), exchange_id, now, actor};
                             return true;
                           });
    if (!n) return std::unexpected(n.error());
  }
  // Re-derive the persons whose eligibility may have changed (new facts, new birth dates):
  // the whole range at once with rebuild_chunk when there are many (set-based, unchanged persons
  // write nothing), else person by person.
  const ChangeSource source{"juki", exchange_id, std::nullopt, actor, "住基全件 照合 (SK-16)"};
  std::set<std::string> affected(rederive_only.begin(), rederive_only.end());
  for (const auto& f : facts) affected.insert(f.person_id);
  if (affected.size() > kRederiveOneByOne) {
    std::string after = cursor;
    for (;;) {
      auto r = rebuild_chunk(c, clock, source, after, to, chunk);
      if (!r) return std::unexpected(r.error());
      if (r->last_person_id.empty() || r->last_person_id == to) break;
      after = r->last_person_id;
    }
  } else {
    for (const auto& id : affected)
      if (auto r = rederive(c, clock, id, source); !r) return std::unexpected(r.error());
  }
  if (auto q = detail::add_quarantine(c, clock, load_id, missing); !q) return std::unexpected(q.error());

  const std::string new_cursor = staged.empty() ? cursor : staged.back().row.person_id;
  auto moved = c.exec(
      "UPDATE juki_load SET cursor = $1, status = $2, applied = applied + $3, unchanged = unchanged + $4, "
      "quarantined = quarantined + $5, finished_at = $6 WHERE load_id = $7",
      {new_cursor, std::string(out.finished ? "applied" : "applying"), out.added + out.changed, out.unchanged,
       out.missing, out.finished ? store::Value(now) : store::null(), load_id});
  if (!moved) return std::unexpected(moved.error());
  if (out.finished) {
    auto cleared = c.exec("DELETE FROM juki_staging WHERE load_id = $1", {load_id});
    if (!cleared) return std::unexpected(cleared.error());
  }
  return out;
}

}  // namespace

Result<FullLoadProgress> apply_staged_full_loads(store::Database& db, const Clock& clock, int chunk, int max_chunks) {
  FullLoadProgress progress;
  for (;;) {
    if (max_chunks >= 0 && progress.chunks >= max_chunks) return progress;
    bool none = false;
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto load = c.query_one(fmt::format("SELECT load_id, exchange_id, cursor FROM juki_load WHERE kind = 'full' AND status IN "
                                          "('staged', 'applying') ORDER BY load_id LIMIT 1{}",
                                          c.for_update()));
      if (!load) return std::unexpected(load.error());
      if (!*load) {
        none = true;
        return {};
      }
      auto r = apply_chunk(c, clock, (*load)->i64(0), (*load)->i64(1), (*load)->str(2), chunk);
      if (!r) return std::unexpected(r.error());
      ++progress.chunks;
      progress.persons_added += r->added;
      progress.persons_changed += r->changed;
      progress.persons_unchanged += r->unchanged;
      progress.persons_missing += r->missing;
      if (r->finished) ++progress.loads_finished;
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
    if (none) return progress;
  }
}

}  // namespace kaigo::eligibility::juki

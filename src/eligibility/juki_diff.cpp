// SK-16 difference files: each movement applied in date order in the inbox's transaction — the
// person (row + history), where a newcomer came from (person_origin), and the address fact that
// re-derives the register (法10条2号 転入, 法11条1項 転出・国外転出・死亡).
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "eligibility/juki_internal.hpp"
#include "eligibility/register.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::eligibility::juki::detail {

namespace {

// The address fact a movement records; births, relocations, name and household changes and
// corrections change the person only.
std::optional<AddressFactKind> fact_kind(RegistryMovementKind k) {
  switch (k) {
    case RegistryMovementKind::move_in: return AddressFactKind::move_in;
    case RegistryMovementKind::move_out: return AddressFactKind::move_out;
    case RegistryMovementKind::emigration: return AddressFactKind::emigration;
    case RegistryMovementKind::death: return AddressFactKind::death;
    default: return std::nullopt;
  }
}

// registry_status after the movement; nullopt: unchanged (a relocation, a name or household
// change or a correction does not make anyone a resident again).
std::optional<std::string> status_after(RegistryMovementKind k) {
  switch (k) {
    case RegistryMovementKind::move_in:
    case RegistryMovementKind::birth: return "resident";
    case RegistryMovementKind::move_out:
    case RegistryMovementKind::emigration: return "moved_out";
    case RegistryMovementKind::death: return "deceased";
    default: return std::nullopt;
  }
}

bool sets_status_date(RegistryMovementKind k) {
  return k == RegistryMovementKind::move_in || k == RegistryMovementKind::move_out || k == RegistryMovementKind::birth ||
         k == RegistryMovementKind::emigration || k == RegistryMovementKind::death;
}

// SELECT key FROM … WHERE key IN (…) in slices, so a 5,000-line file costs ten round trips, not 5,000.
Result<void> select_in(store::Connection& c, const std::string& sql_prefix, const std::vector<std::string>& keys,
                       const std::string& sql_suffix, const std::function<void(const store::Row&)>& on_row) {
  constexpr std::size_t kSlice = 500;
  for (std::size_t at = 0; at < keys.size(); at += kSlice) {
    const std::size_t n = std::min(kSlice, keys.size() - at);
    store::Params params(keys.begin() + static_cast<std::ptrdiff_t>(at),
                         keys.begin() + static_cast<std::ptrdiff_t>(at + n));
    auto rows = c.query(sql_prefix + "(" + store::numbered_params(n) + ")" + sql_suffix, params);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) on_row(r);
  }
  return {};
}

Result<void> savepoint(store::Connection& c, const char* what) {
  auto r = c.exec(fmt::format("{} juki_movement_sp", what));
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace

Result<void> apply_diff(store::Connection& c, const Clock& clock, const linkage::Exchange& e, const JukiFile& file) {
  const std::string now = clock.timestamp();
  auto load = c.query_one(
      "INSERT INTO juki_load (exchange_id, kind, file_name, received_at, lines, status) "
      "VALUES ($1, 'diff', $2, $3, $4, 'applying') RETURNING load_id",
      {e.exchange_id, file_name_of(e), now, std::int64_t{file.lines}});
  if (!load) return std::unexpected(load.error());
  const std::int64_t load_id = (*load)->i64(0);

  // Date order (then file order): the registry may send a late movement after a newer one.
  std::vector<const Movement*> order;
  for (const auto& m : file.movements) order.push_back(&m);
  std::stable_sort(order.begin(), order.end(),
                   [](const Movement* a, const Movement* b) { return a->movement_date < b->movement_date; });

  std::vector<std::string> ids, persons;
  for (const auto& m : file.movements) ids.push_back(m.movement_id), persons.push_back(m.person.person_id);
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());

  std::unordered_set<std::string> seen_ids;
  if (auto s = select_in(c, "SELECT movement_id FROM juki_movement WHERE movement_id IN ", ids, "",
                         [&](const store::Row& r) { seen_ids.insert(r.str(0)); });
      !s)
    return s;
  // The file's persons, read (and on PostgreSQL locked) in slices rather than one by one.
  std::unordered_map<std::string, PersonRow> known;
  if (auto s = select_in(c, fmt::format("SELECT {} FROM person WHERE person_id IN ", kPersonColumns), persons,
                         std::string(c.for_update()),
                         [&](const store::Row& r) {
                           auto p = person_row_from(r);
                           known.emplace(p.person_id, std::move(p));
                         });
      !s)
    return s;
  std::unordered_map<std::string, Date> last_movement;
  if (auto s = select_in(c, "SELECT person_id, MAX(movement_date) FROM juki_movement WHERE person_id IN ", persons,
                         " GROUP BY person_id",
                         [&](const store::Row& r) {
                           if (auto d = Date::parse(r.str(1))) last_movement[r.str(0)] = *d;
                         });
      !s)
    return s;

  std::int64_t applied = 0, duplicates = 0, out_of_order = 0;
  std::vector<QuarantineRow> quarantine;
  std::vector<const Movement*> recorded;  // applied, for juki_movement (one bulk insert at the end)
  std::set<std::string> touched;
  for (const Movement* m : order) {
    if (m->repeated_in_file || seen_ids.contains(m->movement_id)) {
      ++duplicates;
      continue;
    }
    const std::string& pid = m->person.person_id;
    const bool exists = known.contains(pid);
    const bool creates = m->kind == RegistryMovementKind::move_in || m->kind == RegistryMovementKind::birth;
    if (!exists && !creates) {
      quarantine.push_back({m->line_no, "宛名番号",
                            fmt::format("unknown person: no 宛名番号 like this one is registered here, so this {} "
                                        "cannot be applied",
                                        japanese_label(m->kind)),
                            pid, m->movement_id});
      continue;
    }
    if (exists && m->kind == RegistryMovementKind::birth) {
      quarantine.push_back({m->line_no, "宛名番号", "出生 for a 宛名番号 that is already registered", pid, m->movement_id});
      continue;
    }
    auto last = last_movement.find(pid);
    const bool late = last != last_movement.end() && m->movement_date < last->second;

    // A savepoint around each movement the register may refuse (an address fact, a re-derivation):
    // it is quarantined without leaving half of it behind, and the file's other movements apply.
    // The person writes alone cannot be refused (the file was validated), so they need none.
    const bool may_refuse = fact_kind(m->kind) || m->kind == RegistryMovementKind::correction;
    if (may_refuse)
      if (auto s = savepoint(c, "SAVEPOINT"); !s) return s;
    auto apply_one = [&]() -> Result<void> {
      std::optional<PersonRow> current;
      if (exists) current = known.at(pid);
      const auto status = status_after(m->kind);
      PersonRow row = person_row_from(
          m->person, status ? *status : (current ? current->registry_status : std::string("resident")),
          sets_status_date(m->kind) ? std::optional<std::string>(m->movement_date.iso()) : std::nullopt);
      const bool birth_changed = current && current->birth_date != row.birth_date;
      // A late movement adds its history row and fact by date; the current row keeps the newer state.
      if (auto w = write_person(c, clock, row, exists, !late, m->movement_date.iso(), std::string(to_code(m->kind)),
                                e.exchange_id);
          !w)
        return w;
      if (m->kind == RegistryMovementKind::move_in) {
        auto o = c.exec(
            "INSERT INTO person_origin (person_id, former_municipality_code, former_municipality_name, moved_in_on, "
            "source, source_exchange_id, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, 'exchange', $5, $6, $7)",
            {pid, m->former_municipality_code, m->former_municipality_name, m->movement_date.iso(), e.exchange_id, now,
             fmt::format("exchange:{}", e.exchange_id)});
        if (!o) return std::unexpected(o.error());
      }
      const ChangeSource source{"juki", e.exchange_id, std::nullopt, fmt::format("exchange:{}", e.exchange_id),
                                fmt::format("住基異動 {} {} (SK-16)", japanese_label(m->kind), m->movement_date.iso())};
      if (auto kind = fact_kind(m->kind)) {
        AddressFact fact{*kind, m->movement_date, m->new_address_on, m->movement_id};
        auto r = record_address_fact(c, clock, pid, fact, source);
        if (!r) return std::unexpected(r.error());
      } else if (birth_changed) {
        auto r = rederive(c, clock, pid, source);  // a corrected birth date moves the 40th/65th birthday
        if (!r) return std::unexpected(r.error());
      }
      if (!late) known[pid] = row;  // the state the next movement of this person starts from
      else if (!exists) known.emplace(pid, row);
      return {};
    };
    auto done = apply_one();
    if (!done) {
      if (done.error().kind == ErrorKind::unavailable || done.error().kind == ErrorKind::internal)
        return done;  // the database, not the movement: the whole file is retried later
      if (!may_refuse) return done;
      if (auto s = savepoint(c, "ROLLBACK TO SAVEPOINT"); !s) return s;
      if (auto s = savepoint(c, "RELEASE SAVEPOINT"); !s) return s;
      quarantine.push_back({m->line_no, done.error().field.empty() ? "異動事由" : done.error().field,
                            fmt::format("the register refused this {}: {}", japanese_label(m->kind), done.error().message),
                            pid, m->movement_id});
      continue;
    }
    if (may_refuse)
      if (auto s = savepoint(c, "RELEASE SAVEPOINT"); !s) return s;
    ++applied;
    recorded.push_back(m);
    if (late) ++out_of_order;
    seen_ids.insert(m->movement_id);
    if (last == last_movement.end() || last->second < m->movement_date) last_movement[pid] = m->movement_date;
    touched.insert(pid);
  }

  for (const auto& q : quarantine)
    if (q.person_id) touched.insert(*q.person_id);
  auto it = touched.begin();
  auto linked = c.bulk_insert("exchange_person", {"exchange_id", "person_id"}, [&](store::Params& p) {
    if (it == touched.end()) return false;
    p = {e.exchange_id, *it++};
    return true;
  });
  if (!linked) return std::unexpected(linked.error());
  std::size_t next = 0;
  auto moved = c.bulk_insert("juki_movement",
                             {"movement_id", "person_id", "kind", "movement_date", "load_id", "line_no", "applied_at"},
                             [&](store::Params& p) {
                               if (next == recorded.size()) return false;
                               const Movement* m = recorded[next++];
                               p = {m->movement_id, m->person.person_id, std::string(to_code(m->kind)),
                                    m->movement_date.iso(), load_id, std::int64_t{m->line_no}, now};
                               return true;
                             });
  if (!moved) return std::unexpected(moved.error());
  if (auto q = add_quarantine(c, clock, load_id, quarantine); !q) return q;
  auto fin = c.exec(
      "UPDATE juki_load SET status = 'applied', applied = $1, duplicates = $2, out_of_order = $3, quarantined = $4, "
      "finished_at = $5 WHERE load_id = $6",
      {applied, duplicates, out_of_order, static_cast<std::int64_t>(quarantine.size()), now, load_id});
  if (!fin) return std::unexpected(fin.error());
  return {};
}

}  // namespace kaigo::eligibility::juki::detail

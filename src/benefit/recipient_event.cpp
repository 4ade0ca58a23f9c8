// recipient_event writers' lock and insert (recipient_event.hpp).
#include "benefit/recipient_event.hpp"

namespace kaigo::benefit {

Result<void> lock_recipient_events(store::Connection& c) {
  auto n = c.exec("UPDATE number_sequence SET next_value = next_value + 1 WHERE name = 'recipient_event_lock'");
  if (!n) return std::unexpected(n.error());
  if (*n != 1) return fail(ErrorKind::internal, "no number_sequence row recipient_event_lock (migration 016)");
  return {};
}

Result<std::int64_t> add_recipient_event(store::Connection& c, const Clock& clock, const std::string& person_id,
                                         const std::string& kind, std::int64_t ref_id) {
  if (auto l = lock_recipient_events(c); !l) return std::unexpected(l.error());
  auto row = c.query_one(
      "INSERT INTO recipient_event (person_id, kind, ref_id, created_at) VALUES ($1, $2, $3, $4) RETURNING event_id",
      {person_id, kind, ref_id, clock.timestamp()});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::internal, "recipient_event insert returned no id");
  return (*row)->i64(0);
}

}  // namespace kaigo::benefit

#include "linkage/exchange_store.hpp"

#include <future>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "linkage/payload_pack.hpp"

namespace kaigo::linkage {

namespace {

constexpr std::string_view kColumns =
    "exchange_id, flow_id, counterpart, direction, correlation_id, in_reply_to, idempotency_key, payload, "
    "payload_sha256, content_type, status, reason, attempts, next_attempt_at, created_at, updated_at, created_by, "
    "purpose, payload_packed";

std::int64_t unix_now(const Clock& clock) { return clock.now().time_since_epoch().count(); }

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

Result<Exchange> from_row(const store::Row& r) {
  Exchange e;
  e.exchange_id = r.i64(0);
  e.flow_id = r.str(1);
  e.counterpart = r.str(2);
  auto dir = parse_direction(r.str(3));
  if (!dir) return std::unexpected(dir.error());
  e.direction = *dir;
  e.correlation_id = r.str(4);
  e.in_reply_to = r.str(5);
  e.idempotency_key = r.str(6);
  e.payload = r.str(7);
  e.payload_sha256 = r.str(8);
  e.content_type = r.str(9);
  auto st = parse_status(r.str(10));
  if (!st) return std::unexpected(st.error());
  e.status = *st;
  e.reason = r.str(11);
  e.attempts = r.i64(12);
  e.next_attempt_at = r.opt_i64(13);
  e.created_at = r.str(14);
  e.updated_at = r.str(15);
  e.created_by = r.str(16);
  e.purpose = r.str(17);
  if (!r.is_null(18)) {
    auto text = unpack_payload(r.str(18));
    if (!text) return std::unexpected(text.error());
    e.payload = std::move(*text);
  }
  return e;
}

Result<std::vector<std::string>> persons_of(store::Connection& c, std::int64_t exchange_id) {
  auto rows = c.query("SELECT person_id FROM exchange_person WHERE exchange_id = $1 ORDER BY person_id", {exchange_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.str(0));
  return out;
}

// `whole` false: without the payload and the persons (a status change needs neither, and a
// month's 国保連 file is ~140 MB naming ~200,000 persons).
Result<std::optional<Exchange>> load_where(store::Connection& c, std::string_view where, const store::Params& params,
                                           bool lock, bool whole = true) {
  static const std::string kHeadColumns = [] {
    std::string s(kColumns);
    s.replace(s.find(" payload,"), 9, " '' AS payload,");
    s.replace(s.find(" payload_packed"), 15, " NULL AS payload_packed");
    return s;
  }();
  auto row = c.query_one(
      fmt::format("SELECT {} FROM exchange WHERE {}{}", whole ? std::string(kColumns) : kHeadColumns, where, lock ? c.for_update() : ""),
      params);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Exchange>{};
  auto e = from_row(**row);
  if (!e) return std::unexpected(e.error());
  if (!whole) return std::optional<Exchange>{std::move(*e)};
  auto persons = persons_of(c, e->exchange_id);
  if (!persons) return std::unexpected(persons.error());
  e->person_ids = std::move(*persons);
  return std::optional<Exchange>{std::move(*e)};
}

Result<void> log_event(store::Connection& c, const Clock& clock, const Exchange& e, std::string_view event,
                       std::string_view actor, std::string detail) {
  auto seq = audit::append(c, exchange_log_spec(),
                           {clock.timestamp(), e.exchange_id, e.flow_id, e.counterpart, std::string(to_string(e.direction)),
                            std::string(event), std::string(actor), e.payload_sha256, std::move(detail)});
  if (!seq) return std::unexpected(seq.error());
  return {};
}

std::string creation_detail(const Exchange& e) {
  return fmt::format("purpose={}; persons={}", e.purpose, join(e.person_ids, ","));
}

// How insert_exchange keeps a payload above kPackAbove: packed now, or left NULL for the caller to
// add with store_packed later in the same transaction (while its handler works).
enum class Packing { now, later };

// Inserts a new exchange unless its idempotency key exists (then returns nullopt), gives it its
// 処理通番, links its persons and logs `event`.
Result<std::optional<Exchange>> insert_exchange(store::Connection& c, const Clock& clock, Exchange e,
                                                std::string_view event, std::string detail_suffix,
                                                Packing packing = Packing::now) {
  const std::string now = clock.timestamp();
  const bool packed = packs(e.payload);
  auto row = c.query_one(
      "INSERT INTO exchange (flow_id, counterpart, direction, in_reply_to, idempotency_key, payload, payload_sha256, "
      "content_type, status, reason, attempts, next_attempt_at, created_at, updated_at, created_by, purpose, payload_packed) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $12, $13, $14, $15) "
      "ON CONFLICT (idempotency_key) DO NOTHING RETURNING exchange_id",
      {e.flow_id, e.counterpart, std::string(to_string(e.direction)),
       e.in_reply_to.empty() ? store::null() : store::Value(e.in_reply_to), e.idempotency_key,
       packed ? std::string() : e.payload, e.payload_sha256, e.content_type, std::string(to_string(e.status)),
       e.reason.empty() ? store::null() : store::Value(e.reason), store::opt(e.next_attempt_at), now, e.created_by,
       e.purpose, packed && packing == Packing::now ? store::Value(pack_payload(e.payload)) : store::null()});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Exchange>{};
  e.exchange_id = (*row)->i64(0);
  e.correlation_id = fmt::format("KG{}-{:010}", clock.today().compact(), e.exchange_id);
  e.created_at = e.updated_at = now;
  if (auto u = c.exec("UPDATE exchange SET correlation_id = $1 WHERE exchange_id = $2", {e.correlation_id, e.exchange_id});
      !u)
    return std::unexpected(u.error());
  for (const auto& p : e.person_ids)
    if (auto a = add_person(c, e.exchange_id, p); !a) return std::unexpected(a.error());
  if (auto l = log_event(c, clock, e, event, e.created_by, creation_detail(e) + detail_suffix); !l)
    return std::unexpected(l.error());
  return std::optional<Exchange>{std::move(e)};
}

Exchange inbound_exchange(const InboundMessage& m, const std::string& sha256, ExchangeStatus status, std::string reason) {
  Exchange e;
  e.flow_id = m.flow_id;
  e.counterpart = m.counterpart;
  e.direction = Direction::inbound;
  e.in_reply_to = m.in_reply_to;
  e.idempotency_key = inbound_idempotency_key(m, sha256);
  e.payload = m.payload;
  e.payload_sha256 = sha256;
  e.content_type = m.content_type;
  e.status = status;
  e.reason = std::move(reason);
  e.created_by = m.actor;
  e.purpose = m.purpose;
  e.person_ids = m.person_ids;
  return e;
}

Result<std::optional<InboundResult>> seen_before(store::Connection& c, const std::string& key) {
  auto row = c.query_one("SELECT exchange_id, status, reason FROM exchange WHERE idempotency_key = $1", {key});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<InboundResult>{};
  const bool rejected = (*row)->str(1) == to_string(ExchangeStatus::rejected);
  return std::optional<InboundResult>{InboundResult{
      rejected ? InboundOutcome::already_rejected : InboundOutcome::already_applied, (*row)->i64(0), (*row)->str(2)}};
}

std::string reason_of(const Error& e) {
  return e.field.empty() ? e.message : fmt::format("{} (field {})", e.message, e.field);
}

}  // namespace

const audit::ChainSpec& exchange_log_spec() {
  static const audit::ChainSpec spec{
      "exchange_log",
      "exchange_log",
      {"at", "exchange_id", "flow_id", "counterpart", "direction", "event", "actor", "payload_sha256", "detail"}};
  return spec;
}

const char* to_string(InboundOutcome o) {
  switch (o) {
    case InboundOutcome::applied: return "applied";
    case InboundOutcome::already_applied: return "already_applied";
    case InboundOutcome::rejected: return "rejected";
    case InboundOutcome::already_rejected: return "already_rejected";
  }
  return "rejected";
}

Result<EnqueueReceipt> enqueue_outbound(store::Connection& c, const Clock& clock, const OutboundMessage& m) {
  if (m.flow_id.empty() || m.counterpart.empty())
    return fail(ErrorKind::invalid_input, "an outbound message needs a flow and a counterpart", "flow_id");
  Exchange e;
  e.flow_id = m.flow_id;
  e.counterpart = m.counterpart;
  e.direction = Direction::outbound;
  e.idempotency_key = m.idempotency_key ? "out:" + *m.idempotency_key : "out:" + to_hex(random_bytes(16));
  e.payload = m.payload;
  e.payload_sha256 = sha256_hex(m.payload);
  e.content_type = m.content_type;
  e.status = ExchangeStatus::queued;
  e.next_attempt_at = unix_now(clock);
  e.created_by = m.actor;
  e.purpose = m.purpose;
  e.person_ids = m.person_ids;
  auto inserted = insert_exchange(c, clock, e, "queued", "");
  if (!inserted) return std::unexpected(inserted.error());
  if (*inserted) return EnqueueReceipt{(*inserted)->exchange_id, (*inserted)->correlation_id, true};

  auto existing = load_where(c, "idempotency_key = $1", {e.idempotency_key}, false);
  if (!existing) return std::unexpected(existing.error());
  if (!*existing) return fail(ErrorKind::internal, "idempotency key vanished during enqueue");
  const Exchange& x = **existing;
  if (x.flow_id != e.flow_id || x.counterpart != e.counterpart || x.payload_sha256 != e.payload_sha256)
    return fail(ErrorKind::conflict, "this idempotency key was already used for a different message", "idempotency_key");
  return EnqueueReceipt{x.exchange_id, x.correlation_id, false};
}

Result<InboundResult> receive_inbound(store::Database& db, const Clock& clock, const InboundMessage& m,
                                      const ApplyFn& apply) {
  // A large payload is packed on a second thread while this one hashes it and the handler
  // validates and applies it (a month's 国保連 file: ~0.3 s each, off the import's path).
  std::future<std::string> packing;
  if (packs(m.payload)) packing = std::async(std::launch::async, [&m] { return pack_payload(m.payload); });
  std::optional<std::string> packed;
  auto packed_payload = [&]() -> const std::string& {
    if (!packed) packed = packing.get();
    return *packed;
  };
  const std::string sha256 = sha256_hex(m.payload);
  const std::string key = inbound_idempotency_key(m, sha256);
  std::optional<InboundResult> result;
  std::optional<Error> refusal;  // set when the message itself is refused (→ quarantine)
  std::optional<std::int64_t> request_id;

  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto seen = seen_before(c, key);
    if (!seen) return std::unexpected(seen.error());
    if (*seen) {
      result = **seen;
      return {};
    }
    auto inserted =
        insert_exchange(c, clock, inbound_exchange(m, sha256, ExchangeStatus::answered, ""), "received", "", Packing::later);
    if (!inserted) return std::unexpected(inserted.error());
    if (!*inserted) {  // a concurrent receiver inserted it first (PostgreSQL waits for it to commit)
      auto again = seen_before(c, key);
      if (!again) return std::unexpected(again.error());
      if (*again) result = **again;
      return {};
    }
    const Exchange& ex = **inserted;

    std::optional<Exchange> request;
    if (!m.in_reply_to.empty()) {
      auto found = load_where(c, "counterpart = $1 AND correlation_id = $2 AND direction = 'outbound'",
                              {m.counterpart, m.in_reply_to}, true);
      if (!found) return std::unexpected(found.error());
      if (!*found) {
        refusal = Error{ErrorKind::invalid_input,
                        fmt::format("answers 処理通番 {} which was never sent to {}", m.in_reply_to, m.counterpart),
                        "in_reply_to"};
        return std::unexpected(*refusal);
      }
      request = std::move(*found);
      request_id = request->exchange_id;
      if (request->status == ExchangeStatus::queued) {  // the answer proves it was sent
        if (auto s = set_status(c, clock, request->exchange_id, ExchangeStatus::sent, m.actor); !s) return s;
        request->status = ExchangeStatus::sent;
      }
      if (request->status == ExchangeStatus::sent) {
        if (auto s = set_status(c, clock, request->exchange_id, ExchangeStatus::answered, m.actor); !s) return s;
        request->status = ExchangeStatus::answered;
      }
    }

    auto applied = apply(c, ex);
    if (!applied) {
      if (applied.error().kind != ErrorKind::unavailable) refusal = applied.error();
      return applied;
    }
    if (packs(m.payload)) {
      auto u = c.exec("UPDATE exchange SET payload_packed = $1 WHERE exchange_id = $2", {packed_payload(), ex.exchange_id});
      if (!u) return std::unexpected(u.error());
    }
    if (auto s = set_status(c, clock, ex.exchange_id, ExchangeStatus::applied, m.actor); !s) return s;
    if (request && request->status == ExchangeStatus::answered)
      if (auto s = set_status(c, clock, request->exchange_id, ExchangeStatus::applied, m.actor); !s) return s;
    result = InboundResult{InboundOutcome::applied, ex.exchange_id, {}};
    return {};
  });
  if (tx) return *result;
  if (!refusal) return std::unexpected(tx.error());

  // Quarantine: the refused message is kept, visibly, with its reason; nothing of it was applied.
  const std::string reason = reason_of(*refusal);
  auto q = db.transaction([&](store::Connection& c) -> Result<void> {
    auto seen = seen_before(c, key);
    if (!seen) return std::unexpected(seen.error());
    if (*seen) {
      result = **seen;
      return {};
    }
    Exchange e = inbound_exchange(m, sha256, ExchangeStatus::rejected, reason);
    auto inserted = insert_exchange(c, clock, e, "rejected", "; reason=" + reason, Packing::later);
    if (inserted && *inserted && packs(m.payload)) {
      auto u = c.exec("UPDATE exchange SET payload_packed = $1 WHERE exchange_id = $2", {packed_payload(), (*inserted)->exchange_id});
      if (!u) return std::unexpected(u.error());
    }
    if (!inserted) return std::unexpected(inserted.error());
    if (!*inserted) return fail(ErrorKind::conflict, "the message was received concurrently", "idempotency_key");
    if (request_id) {
      auto req = load_where(c, "exchange_id = $1", {*request_id}, true);
      if (!req) return std::unexpected(req.error());
      if (*req && ((*req)->status == ExchangeStatus::queued || (*req)->status == ExchangeStatus::sent)) {
        if ((*req)->status == ExchangeStatus::queued)
          if (auto s = set_status(c, clock, *request_id, ExchangeStatus::sent, m.actor); !s) return s;
        if (auto s = set_status(c, clock, *request_id, ExchangeStatus::answered, m.actor); !s) return s;
      }
    }
    result = InboundResult{InboundOutcome::rejected, (*inserted)->exchange_id, reason};
    return {};
  });
  if (!q) return std::unexpected(q.error());
  return *result;
}

Result<void> set_status(store::Connection& c, const Clock& clock, std::int64_t exchange_id, ExchangeStatus to,
                        std::string_view actor, std::string_view reason) {
  auto found = load_where(c, "exchange_id = $1", {exchange_id}, true, false);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::not_found, fmt::format("no exchange {}", exchange_id), "exchange_id");
  Exchange& e = **found;
  if (!transition_allowed(e.status, to))
    return fail(ErrorKind::conflict,
                fmt::format("exchange {} cannot go from {} to {}", exchange_id, to_string(e.status), to_string(to)),
                "status");
  auto u = reason.empty()
               ? c.exec("UPDATE exchange SET status = $1, updated_at = $2 WHERE exchange_id = $3",
                        {std::string(to_string(to)), clock.timestamp(), exchange_id})
               : c.exec("UPDATE exchange SET status = $1, updated_at = $2, reason = $3 WHERE exchange_id = $4",
                        {std::string(to_string(to)), clock.timestamp(), std::string(reason), exchange_id});
  if (!u) return std::unexpected(u.error());
  return log_event(c, clock, e, to_string(to), actor, reason.empty() ? "" : fmt::format("reason={}", reason));
}

Result<void> record_send_failure(store::Connection& c, const Clock& clock, std::int64_t exchange_id,
                                 std::string_view reason, std::int64_t next_attempt_at, std::string_view actor) {
  auto found = load_where(c, "exchange_id = $1", {exchange_id}, true);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::not_found, fmt::format("no exchange {}", exchange_id), "exchange_id");
  if ((*found)->status != ExchangeStatus::queued)
    return fail(ErrorKind::conflict, fmt::format("exchange {} is {}, not queued", exchange_id, to_string((*found)->status)),
                "status");
  auto u = c.exec(
      "UPDATE exchange SET attempts = attempts + 1, reason = $1, next_attempt_at = $2, updated_at = $3 "
      "WHERE exchange_id = $4",
      {std::string(reason), next_attempt_at, clock.timestamp(), exchange_id});
  if (!u) return std::unexpected(u.error());
  return log_event(c, clock, **found, "send_failed", actor,
                   fmt::format("attempt={}; reason={}", (*found)->attempts + 1, reason));
}

Result<std::vector<std::int64_t>> due_outbound(store::Connection& c, std::int64_t now_unix, int limit) {
  auto rows = c.query(
      "SELECT exchange_id FROM exchange WHERE status = 'queued' AND next_attempt_at <= $1 "
      "ORDER BY next_attempt_at, exchange_id LIMIT $2",
      {now_unix, std::int64_t{limit}});
  if (!rows) return std::unexpected(rows.error());
  std::vector<std::int64_t> ids;
  for (const auto& r : *rows) ids.push_back(r.i64(0));
  return ids;
}

Result<bool> claim_outbound(store::Connection& c, std::int64_t exchange_id, std::int64_t now_unix,
                            std::int64_t lease_until) {
  auto n = c.exec(
      "UPDATE exchange SET next_attempt_at = $1 WHERE exchange_id = $2 AND status = 'queued' AND next_attempt_at <= $3",
      {lease_until, exchange_id, now_unix});
  if (!n) return std::unexpected(n.error());
  return *n == 1;
}

Result<void> add_person(store::Connection& c, std::int64_t exchange_id, const std::string& person_id) {
  auto r = c.exec(
      "INSERT INTO exchange_person (exchange_id, person_id) VALUES ($1, $2) ON CONFLICT (exchange_id, person_id) DO NOTHING",
      {exchange_id, person_id});
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<std::optional<Exchange>> load_exchange(store::Connection& c, std::int64_t exchange_id) {
  return load_where(c, "exchange_id = $1", {exchange_id}, false);
}

Result<std::optional<std::string>> load_payload(store::Connection& c, std::int64_t exchange_id) {
  auto row = c.query_one("SELECT payload, payload_packed FROM exchange WHERE exchange_id = $1", {exchange_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::string>{};
  auto text = payload_at(**row, 0);
  if (!text) return std::unexpected(text.error());
  return std::optional<std::string>{std::move(*text)};
}

Result<std::string> payload_at(const store::Row& r, std::size_t i) {
  if (r.is_null(i + 1)) return r.str(i);
  return unpack_payload(r.str(i + 1));
}

Result<std::optional<Exchange>> find_outbound(store::Connection& c, const std::string& counterpart,
                                              const std::string& correlation_id) {
  return load_where(c, "counterpart = $1 AND correlation_id = $2 AND direction = 'outbound'",
                    {counterpart, correlation_id}, false);
}

Result<std::vector<Exchange>> exchanges_for_person(store::Connection& c, const std::string& person_id, int limit) {
  auto rows = c.query(
      fmt::format("SELECT {} FROM exchange WHERE exchange_id IN "
                  "(SELECT exchange_id FROM exchange_person WHERE person_id = $1) ORDER BY exchange_id DESC LIMIT $2",
                  kColumns),
      {person_id, std::int64_t{limit}});
  if (!rows) return std::unexpected(rows.error());
  std::vector<Exchange> out;
  for (const auto& r : *rows) {
    auto e = from_row(r);
    if (!e) return std::unexpected(e.error());
    auto persons = persons_of(c, e->exchange_id);
    if (!persons) return std::unexpected(persons.error());
    e->person_ids = std::move(*persons);
    out.push_back(std::move(*e));
  }
  return out;
}

}  // namespace kaigo::linkage

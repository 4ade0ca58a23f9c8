#include "gateway/inquiry_service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/hash.hpp"
#include "gateway/inquiry_store.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::gateway {

using detail::kInquiryColumns;
using detail::kNever;
using detail::kOpenStatuses;

namespace {

constexpr const char* kActor = "gateway";

std::int64_t unix_of(const Clock& clock) { return clock.now().time_since_epoch().count(); }

std::string new_request_key() { return "INQ-" + to_hex(random_bytes(10)); }

SubmitEntry entry_of(const Inquiry& q) {
  return SubmitEntry{q.request_key,      q.person_id, q.jimu_code, q.procedure_code, q.item_code, q.institution_code,
                     Date::parse(q.period_from).value_or(Date{}), Date::parse(q.period_to).value_or(Date{})};
}

std::string ids_list(const std::vector<Inquiry>& rows) {
  std::string out;
  for (const auto& r : rows) out += fmt::format("{}{}", out.empty() ? "" : ", ", r.inquiry_id);
  return out;
}

// Groups rows by the outbound exchange that carries them, keeping their order.
std::vector<std::vector<Inquiry>> by_exchange(std::vector<Inquiry> rows) {
  std::vector<std::vector<Inquiry>> groups;
  std::map<std::int64_t, std::size_t> index;
  for (auto& r : rows) {
    auto [it, fresh] = index.emplace(r.exchange_id, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(std::move(r));
  }
  return groups;
}

Result<std::vector<Inquiry>> rows_of(const Result<store::Rows>& rows) {
  if (!rows) return std::unexpected(rows.error());
  std::vector<Inquiry> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    auto q = detail::inquiry_from_row(r);
    if (!q) return std::unexpected(q.error());
    out.push_back(std::move(*q));
  }
  return out;
}

// Links persons to an exchange in one bulk load (never one round trip per person).
Result<void> add_persons(store::Connection& c, std::int64_t exchange_id, const std::vector<Inquiry>& rows) {
  std::set<std::string> persons;
  for (const auto& r : rows) persons.insert(r.person_id);
  auto it = persons.begin();
  auto n = c.bulk_insert("exchange_person", {"exchange_id", "person_id"}, [&](store::Params& p) {
    if (it == persons.end()) return false;
    p = {exchange_id, *it++};
    return true;
  });
  if (!n) return std::unexpected(n.error());
  return {};
}

// Adds the outbound exchange of one submit document and claims it for the gateway, so the
// linkage dispatcher never sends it (the gateway does, through its transport).
Result<linkage::EnqueueReceipt> enqueue_document(store::Connection& c, const Clock& clock, const InquiryKind& kind,
                                                 const std::vector<Inquiry>& rows, const std::string& actor) {
  std::vector<SubmitEntry> entries;
  entries.reserve(rows.size());
  for (const auto& r : rows) entries.push_back(entry_of(r));
  linkage::OutboundMessage m;
  m.flow_id = rows.front().flow_id;
  m.counterpart = kind.counterpart;
  m.payload = build_submit(entries);
  m.purpose = rows.front().purpose;
  m.actor = actor;
  m.idempotency_key = "gateway:submit:" + rows.front().request_key;
  auto receipt = linkage::enqueue_outbound(c, clock, m);
  if (!receipt) return std::unexpected(receipt.error());
  if (auto a = add_persons(c, receipt->exchange_id, rows); !a) return std::unexpected(a.error());
  auto claimed = linkage::claim_outbound(c, receipt->exchange_id, unix_of(clock), kNever);
  if (!claimed) return std::unexpected(claimed.error());
  return *receipt;
}

}  // namespace

const char* to_string(InquiryStatus s) {
  switch (s) {
    case InquiryStatus::queued: return "queued";
    case InquiryStatus::submitted: return "submitted";
    case InquiryStatus::pending: return "pending";
    case InquiryStatus::manual_pending: return "manual_pending";
    case InquiryStatus::provided: return "provided";
    case InquiryStatus::not_found: return "not_found";
    case InquiryStatus::error: return "error";
    case InquiryStatus::timed_out: return "timed_out";
    case InquiryStatus::cancelled: return "cancelled";
  }
  return "error";
}

Result<InquiryStatus> parse_inquiry_status(std::string_view s) {
  for (auto st : {InquiryStatus::queued, InquiryStatus::submitted, InquiryStatus::pending, InquiryStatus::manual_pending,
                  InquiryStatus::provided, InquiryStatus::not_found, InquiryStatus::error, InquiryStatus::timed_out,
                  InquiryStatus::cancelled})
    if (s == to_string(st)) return st;
  return fail(ErrorKind::invalid_input, "unknown inquiry status", "status");
}

bool is_final(InquiryStatus s) {
  return s == InquiryStatus::provided || s == InquiryStatus::not_found || s == InquiryStatus::error ||
         s == InquiryStatus::timed_out || s == InquiryStatus::cancelled;
}

InquiryService::InquiryService(store::Database& db, Transport& transport, const CodeBook& codes, const Clock& clock,
                               GatewayOptions options)
    : db_(db), transport_(transport), codes_(codes), clock_(clock), options_(options) {}

namespace {

// The inquiry row a spec asks for, checked against the code tables in effect on `today`.
Result<Inquiry> row_for(const CodeBook& codes, const InquiryRequestSpec& spec, Date today) {
  const InquiryKind* kind = codes.kind(spec.kind);
  if (!kind) return fail(ErrorKind::invalid_input, fmt::format("unknown inquiry kind '{}'", spec.kind), "kind");
  const KindFlow* flow = kind->flow(spec.flow_id);
  if (!flow) return fail(ErrorKind::invalid_input, fmt::format("{} is not a request flow of {}", spec.flow_id, spec.kind), "flow_id");
  if (spec.person_id.empty()) return fail(ErrorKind::invalid_input, "a person is required", "person_id");
  if (spec.period_to < spec.period_from) return fail(ErrorKind::invalid_input, "the period ends before it starts", "period_to");
  if (spec.purpose.empty()) return fail(ErrorKind::invalid_input, "the purpose is required", "purpose");
  Inquiry q;
  q.kind = kind->kind;
  q.flow_id = flow->request_flow;
  q.person_id = spec.person_id;
  q.jimu_code = kind->jimu_code;
  q.procedure_code = flow->procedure_code;
  q.item_code = kind->item_code;
  q.institution_code = spec.institution_code.empty() ? kind->institution_code : spec.institution_code;
  const CodeRow* inst = codes.in_effect("institutions", q.institution_code, today);
  if (!inst || inst->parent != kind->counterpart)
    return fail(ErrorKind::invalid_input, fmt::format("機関 {} is not a {} institution in effect", q.institution_code, kind->counterpart),
                "institution_code");
  for (auto [table, code, field] : {std::tuple{"jimu", q.jimu_code, "jimu_code"},
                                    std::tuple{"procedures", q.procedure_code, "procedure_code"},
                                    std::tuple{"items", q.item_code, "item_code"}})
    if (!codes.in_effect(table, code, today))
      return fail(ErrorKind::invalid_input, fmt::format("code {} is not in effect on {}", code, today.iso()), field);
  q.period_from = spec.period_from.iso();
  q.period_to = spec.period_to.iso();
  q.purpose = spec.purpose;
  return q;
}

// Inserts claimed queued rows (next_poll_at = the lease) in one bulk load and reads their ids back.
Result<void> insert_rows(store::Connection& c, std::vector<Inquiry>& rows) {
  std::size_t i = 0;
  auto n = c.bulk_insert("inquiry",
                         {"request_key", "kind", "flow_id", "person_id", "jimu_code", "procedure_code", "item_code",
                          "institution_code", "period_from", "period_to", "status", "attempts", "next_poll_at",
                          "bulk_id", "exchange_id", "created_by", "purpose", "created_at", "updated_at"},
                         [&](store::Params& p) {
                           if (i == rows.size()) return false;
                           const Inquiry& q = rows[i++];
                           p = {q.request_key, q.kind, q.flow_id, q.person_id, q.jimu_code, q.procedure_code,
                                q.item_code, q.institution_code, q.period_from, q.period_to, std::string("queued"),
                                std::int64_t{0}, store::opt(q.next_poll_at), store::opt(q.bulk_id), q.exchange_id,
                                q.created_by, q.purpose, q.created_at, q.updated_at};
                           return true;
                         });
  if (!n) return std::unexpected(n.error());
  auto ids = c.query("SELECT request_key, inquiry_id FROM inquiry WHERE exchange_id = $1", {rows.front().exchange_id});
  if (!ids) return std::unexpected(ids.error());
  std::map<std::string, std::int64_t> by_key;
  for (const auto& r : *ids) by_key.emplace(r.str(0), r.i64(1));
  for (auto& q : rows) q.inquiry_id = by_key.at(q.request_key);
  return {};
}

}  // namespace

Result<Inquiry> InquiryService::submit(const InquiryRequestSpec& spec, const std::string& actor) {
  auto made = row_for(codes_, spec, clock_.today());
  if (!made) return std::unexpected(made.error());
  std::vector<Inquiry> rows{std::move(*made)};
  const std::int64_t lease_value = unix_of(clock_) + options_.lease.count();
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    Inquiry& q = rows.front();
    q.request_key = new_request_key();
    q.created_by = actor;
    q.created_at = q.updated_at = clock_.timestamp();
    q.next_poll_at = lease_value;
    auto receipt = enqueue_document(c, clock_, *codes_.kind(q.kind), rows, actor);
    if (!receipt) return std::unexpected(receipt.error());
    q.exchange_id = receipt->exchange_id;
    return insert_rows(c, rows);
  });
  if (!tx) return std::unexpected(tx.error());
  const std::int64_t id = rows.front().inquiry_id;
  RunReport report;
  if (auto s = send_documents(std::move(rows), clock_, lease_value, report); !s) return std::unexpected(s.error());
  auto found = find(id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::internal, "a submitted inquiry vanished");
  return std::move(**found);
}

Result<BulkReceipt> InquiryService::submit_bulk(const std::string& kind, const std::vector<std::string>& person_ids,
                                                Date period_from, Date period_to, const std::string& purpose,
                                                const std::string& actor, const std::string& flow_id) {
  InquiryRequestSpec spec{kind, "-", period_from, period_to, purpose, flow_id, ""};
  auto tmpl = row_for(codes_, spec, clock_.today());
  if (!tmpl) return std::unexpected(tmpl.error());
  for (const auto& p : person_ids)
    if (p.empty()) return fail(ErrorKind::invalid_input, "a person is required", "person_ids");
  if (options_.bulk_split < 1) return fail(ErrorKind::invalid_input, "bulk_split must be at least 1", "bulk_split");

  BulkReceipt receipt;
  receipt.count = static_cast<std::int64_t>(person_ids.size());
  auto b = db_.query(
      "INSERT INTO inquiry_bulk (kind, count, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING bulk_id",
      {kind, receipt.count, actor, clock_.timestamp()});
  if (!b) return std::unexpected(b.error());
  receipt.bulk_id = b->at(0).i64(0);

  const auto split = static_cast<std::size_t>(options_.bulk_split);
  for (std::size_t start = 0; start < person_ids.size(); start += split) {
    const std::size_t end = std::min(person_ids.size(), start + split);
    const std::int64_t lease_value = unix_of(clock_) + options_.lease.count();
    const std::string now = clock_.timestamp();
    std::vector<Inquiry> rows;
    rows.reserve(end - start);
    for (std::size_t i = start; i < end; ++i) {
      Inquiry q = *tmpl;
      q.person_id = person_ids[i];
      q.request_key = new_request_key();
      q.created_by = actor;
      q.created_at = q.updated_at = now;
      q.next_poll_at = lease_value;
      q.bulk_id = receipt.bulk_id;
      rows.push_back(std::move(q));
    }
    auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
      auto ex = enqueue_document(c, clock_, *codes_.kind(kind), rows, actor);
      if (!ex) return std::unexpected(ex.error());
      for (auto& q : rows) q.exchange_id = ex->exchange_id;
      return insert_rows(c, rows);
    });
    if (!tx) return std::unexpected(tx.error());
    RunReport report;
    if (auto s = send_documents(std::move(rows), clock_, lease_value, report); !s) return std::unexpected(s.error());
    ++receipt.documents;
    receipt.submitted += report.sent;
    receipt.refused += report.errors;
    receipt.queued += report.send_failed;
  }
  return receipt;
}

static std::int64_t backoff_seconds(const GatewayOptions& o, std::int64_t attempts) {
  const std::int64_t shift = std::clamp<std::int64_t>(attempts, 0, 30);
  return std::min<std::int64_t>(o.first_poll.count() << shift, o.max_backoff.count());
}

Result<void> InquiryService::send_documents(std::vector<Inquiry> rows, const Clock& clock, std::int64_t lease_value,
                                            RunReport& report) {
  for (auto& group : by_exchange(std::move(rows))) {
    const std::int64_t now = unix_of(clock);
    std::vector<SubmitEntry> entries;
    entries.reserve(group.size());
    std::int64_t attempts = 0;
    for (const auto& q : group) {
      entries.push_back(entry_of(q));
      attempts = std::max(attempts, q.attempts);
    }
    const auto n = static_cast<std::int64_t>(group.size());
    auto reply = transport_.call(kOpSubmit, build_submit(entries));
    Result<std::vector<SubmitAck>> acks = reply ? parse_submit_reply(*reply, entries) : std::unexpected(reply.error());
    if (!reply && reply.error().kind == ErrorKind::invalid_input) {
      // The 中間サーバー refused the document itself (HTTP 4xx): sending it again cannot help.
      std::vector<SubmitAck> refused;
      for (const auto& e : entries) refused.push_back(SubmitAck{e.request_key, "", "E_REFUSED", reply.error().message});
      acks = std::move(refused);
    }
    if (!acks) {
      // Unavailable or a malformed reply: nothing changes but the back-off; request keys make
      // the re-send idempotent at the 中間サーバー.
      if (reply) {
        ++report.malformed;
        spdlog::warn("gateway: malformed submit reply rejected: {} (field {})", acks.error().message, acks.error().field);
      }
      report.send_failed += n;
      const std::string reason = reply ? "malformed reply: " + acks.error().field : acks.error().message;
      auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
        auto u = c.exec(fmt::format("UPDATE inquiry SET attempts = attempts + 1, next_poll_at = $1, updated_at = $2 "
                                    "WHERE inquiry_id IN ({}) AND status = 'queued' AND next_poll_at = $3",
                                    ids_list(group)),
                        {now + backoff_seconds(options_, attempts), clock.timestamp(), lease_value});
        if (!u) return std::unexpected(u.error());
        auto f = linkage::record_send_failure(c, clock, group.front().exchange_id, reason, kNever, kActor);
        if (!f && f.error().kind != ErrorKind::conflict) return std::unexpected(f.error());
        return {};
      });
      if (!tx) return std::unexpected(tx.error());
      continue;
    }

    std::vector<store::Params> accepted;
    std::vector<std::pair<Inquiry, Answer>> refused;
    for (std::size_t i = 0; i < group.size(); ++i) {
      const SubmitAck& a = (*acks)[i];
      if (a.accepted()) {
        accepted.push_back({group[i].inquiry_id, a.processing_no});
      } else {
        Answer ans;
        ans.processing_no = a.request_key;
        ans.status = AnswerStatus::error;
        ans.answered_at = clock.timestamp();
        ans.error_code = a.error_code;
        ans.error_message = a.error_message;
        refused.emplace_back(group[i], std::move(ans));
      }
    }
    auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
      auto u = detail::update_from_values(
          c,
          "status = 'submitted', processing_no = v.column2, attempts = 0, next_poll_at = {extra1}, "
          "deadline_at = {extra2}, updated_at = {extra3}",
          "inquiry.status = 'queued' AND inquiry.next_poll_at = {extra4}", {"BIGINT", "TEXT"}, accepted,
          {now + options_.first_poll.count(), now + options_.answer_deadline.count(), clock.timestamp(), lease_value});
      if (!u) return std::unexpected(u.error());
      report.sent += *u;
      auto s = linkage::set_status(c, clock, group.front().exchange_id, linkage::ExchangeStatus::sent, kActor);
      if (!s && s.error().kind != ErrorKind::conflict) return s;
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
    if (!refused.empty())
      if (auto f = apply_final(refused, clock, lease_value, report); !f) return f;
  }
  return {};
}

Result<void> InquiryService::apply_final(const std::vector<std::pair<Inquiry, Answer>>& answers, const Clock& clock,
                                         std::int64_t lease_value, RunReport& report) {
  std::map<std::int64_t, std::vector<const std::pair<Inquiry, Answer>*>> groups;
  for (const auto& a : answers) groups[a.first.exchange_id].push_back(&a);
  for (const auto& [exchange_id, group] : groups) {
    auto request = db_.query("SELECT correlation_id, counterpart FROM exchange WHERE exchange_id = $1", {exchange_id});
    if (!request) return std::unexpected(request.error());
    if (request->empty()) return fail(ErrorKind::internal, fmt::format("inquiry exchange {} is missing", exchange_id));
    const Inquiry& first = group.front()->first;
    const InquiryKind* kind = codes_.kind(first.kind);
    const KindFlow* flow = kind ? kind->flow(first.flow_id) : nullptr;
    if (!flow) return fail(ErrorKind::internal, fmt::format("inquiry kind {} / flow {} is no longer configured", first.kind, first.flow_id));

    std::vector<Answer> payload;
    std::map<std::string, std::vector<store::Params>> by_status;
    std::vector<Inquiry> persons;
    for (const auto* a : group) {
      payload.push_back(a->second);
      persons.push_back(a->first);
      nlohmann::json answer = nullptr;
      if (a->second.status == AnswerStatus::provided)
        answer = nlohmann::json{{"items", a->second.items}, {"null_reasons", a->second.null_reasons}};
      by_status[to_string(a->second.status)].push_back(
          {a->first.inquiry_id, answer.is_null() ? store::null() : store::Value(answer.dump()),
           a->second.error_code.empty() ? store::null() : store::Value(a->second.error_code),
           a->second.error_message.empty() ? store::null() : store::Value(a->second.error_message),
           a->second.answered_at.empty() ? clock.timestamp() : a->second.answered_at});
    }
    linkage::InboundMessage m;
    m.flow_id = flow->answer_flow;
    m.counterpart = request->at(0).str(1);
    m.payload = build_poll_reply(payload);
    m.in_reply_to = request->at(0).str(0);
    m.purpose = first.purpose;
    m.actor = kActor;
    std::map<std::string, std::int64_t> changed;
    auto received = linkage::receive_inbound(db_, clock, m, [&](store::Connection& c, const linkage::Exchange& ex) -> Result<void> {
      changed.clear();
      for (const auto& [status, rows] : by_status) {
        auto u = detail::update_from_values(
            c,
            "status = {extra1}, answer = v.column2, error_code = v.column3, error_message = v.column4, "
            "answered_at = v.column5, next_poll_at = NULL, updated_at = {extra2}",
            fmt::format("inquiry.status IN {} AND inquiry.next_poll_at = {{extra3}}", kOpenStatuses),
            {"BIGINT", "TEXT", "TEXT", "TEXT", "TEXT"}, rows, {status, clock.timestamp(), lease_value});
        if (!u) return std::unexpected(u.error());
        changed[status] = *u;
      }
      return add_persons(c, ex.exchange_id, persons);
    });
    if (!received) return std::unexpected(received.error());
    if (received->outcome == linkage::InboundOutcome::rejected) {
      spdlog::warn("gateway: answer to exchange {} rejected: {}", exchange_id, received->reason);
      continue;
    }
    report.provided += changed["provided"];
    report.not_found += changed["not_found"];
    report.errors += changed["error"];
  }
  return {};
}

Result<void> InquiryService::poll_batch(std::vector<Inquiry> rows, const Clock& clock, std::int64_t lease_value,
                                        RunReport& report) {
  const std::int64_t now = unix_of(clock);
  std::vector<std::string> asked;
  asked.reserve(rows.size());
  for (const auto& q : rows) asked.push_back(q.processing_no);
  report.polled += static_cast<std::int64_t>(asked.size());
  auto reply = transport_.call(kOpPoll, build_poll(asked));
  if (!reply) {
    if (reply.error().kind != ErrorKind::unavailable) {
      // Refused (4xx): nothing changes; the claim runs out and the rows are polled again.
      ++report.malformed;
      spdlog::warn("gateway: poll refused: {}", reply.error().message);
      return {};
    }
    report.poll_failed += static_cast<std::int64_t>(rows.size());
    std::vector<store::Params> values;
    for (const auto& q : rows) values.push_back({q.inquiry_id, now + backoff_seconds(options_, q.attempts + 1)});
    return db_.transaction([&](store::Connection& c) -> Result<void> {
      auto u = detail::update_from_values(c, "attempts = attempts + 1, next_poll_at = v.column2, updated_at = {extra1}",
                                          fmt::format("inquiry.status IN {} AND inquiry.next_poll_at = {{extra2}}", kOpenStatuses),
                                          {"BIGINT", "BIGINT"}, values, {clock.timestamp(), lease_value});
      if (!u) return std::unexpected(u.error());
      return {};
    });
  }
  auto answers = parse_poll_reply(*reply, asked);
  if (!answers) {
    // A malformed reply changes nothing: the rows stay claimed until the lease runs out and are
    // then polled again. Logged without personal data (the field, never a value).
    ++report.malformed;
    spdlog::warn("gateway: malformed poll reply rejected: {} (field {})", answers.error().message, answers.error().field);
    return {};
  }
  std::map<std::string, const Inquiry*> by_no;
  for (const auto& q : rows) by_no.emplace(q.processing_no, &q);
  std::vector<store::Params> open;
  std::vector<std::pair<Inquiry, Answer>> final;
  for (auto& a : *answers) {
    const Inquiry& q = *by_no.at(a.processing_no);
    if (is_final(a.status)) {
      final.emplace_back(q, std::move(a));
      continue;
    }
    const bool manual = a.status == AnswerStatus::manual_pending;
    std::int64_t deadline = q.deadline_at.value_or(now + options_.answer_deadline.count());
    // The manual deadline starts with the first 自動応答不可 answer.
    if (manual && q.status != InquiryStatus::manual_pending)
      deadline = std::max(deadline, now + options_.manual_deadline.count());
    open.push_back({q.inquiry_id, std::string(manual ? "manual_pending" : "pending"),
                    now + backoff_seconds(options_, q.attempts + 1), deadline});
  }
  if (!open.empty()) {
    auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
      auto u = detail::update_from_values(
          c, "status = v.column2, attempts = attempts + 1, next_poll_at = v.column3, deadline_at = v.column4, updated_at = {extra1}",
          fmt::format("inquiry.status IN {} AND inquiry.next_poll_at = {{extra2}}", kOpenStatuses),
          {"BIGINT", "TEXT", "BIGINT", "BIGINT"}, open, {clock.timestamp(), lease_value});
      if (!u) return std::unexpected(u.error());
      report.still_open += *u;
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
  }
  if (!final.empty()) return apply_final(final, clock, lease_value, report);
  return {};
}

namespace {

// Claims up to `limit` due rows of the given statuses for this caller until `lease_value`
// (compare-and-set on next_poll_at; PostgreSQL skips rows another caller is claiming).
Result<std::vector<Inquiry>> claim(store::Database& db, const std::string& statuses, std::int64_t now,
                                   std::int64_t lease_value, int limit) {
  std::vector<Inquiry> out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    const bool pg = c.dialect() == store::Dialect::postgresql;
    auto rows = rows_of(c.query(
        fmt::format("UPDATE inquiry SET next_poll_at = $1 WHERE inquiry_id IN (SELECT inquiry_id FROM inquiry "
                    "WHERE status IN {0} AND next_poll_at <= $2 ORDER BY next_poll_at, inquiry_id LIMIT $3{1}) "
                    "AND status IN {0} AND next_poll_at <= $2 RETURNING {2}",
                    statuses, pg ? " FOR UPDATE SKIP LOCKED" : "", kInquiryColumns),
        {lease_value, now, std::int64_t{limit}}));
    if (!rows) return std::unexpected(rows.error());
    out = std::move(*rows);
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  std::sort(out.begin(), out.end(), [](const Inquiry& a, const Inquiry& b) { return a.inquiry_id < b.inquiry_id; });
  return out;
}

}  // namespace

Result<RunReport> InquiryService::run_due(const Clock& clock) {
  RunReport report;
  const std::int64_t now = unix_of(clock);
  auto timed = db_.exec(
      "UPDATE inquiry SET status = 'timed_out', next_poll_at = NULL, error_code = 'E_TIMEOUT', "
      "error_message = 'no answer before the deadline', updated_at = $1 "
      "WHERE status IN ('submitted', 'pending', 'manual_pending') AND deadline_at <= $2",
      {clock.timestamp(), now});
  if (!timed) return std::unexpected(timed.error());
  report.timed_out = *timed;

  const std::int64_t lease_value = now + options_.lease.count();
  for (;;) {
    auto rows = claim(db_, "('queued')", now, lease_value, options_.bulk_split);
    if (!rows) return std::unexpected(rows.error());
    const bool more = static_cast<int>(rows->size()) == options_.bulk_split;
    if (rows->empty()) break;
    if (auto s = send_documents(std::move(*rows), clock, lease_value, report); !s) return std::unexpected(s.error());
    if (!more) break;
  }
  for (;;) {
    auto rows = claim(db_, "('submitted', 'pending', 'manual_pending')", now, lease_value, options_.poll_batch);
    if (!rows) return std::unexpected(rows.error());
    const bool more = static_cast<int>(rows->size()) == options_.poll_batch;
    if (rows->empty()) break;
    if (auto s = poll_batch(std::move(*rows), clock, lease_value, report); !s) return std::unexpected(s.error());
    if (!more) break;
  }
  return report;
}

Result<Inquiry> InquiryService::cancel(std::int64_t inquiry_id, const std::string& reason, const std::string& actor) {
  auto found = find(inquiry_id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::not_found, fmt::format("no inquiry {}", inquiry_id), "inquiry_id");
  const Inquiry q = **found;
  if (is_final(q.status))
    return fail(ErrorKind::conflict, fmt::format("inquiry {} is {} and cannot be cancelled", inquiry_id, to_string(q.status)), "status");
  if (reason.empty()) return fail(ErrorKind::invalid_input, "a reason is required", "reason");
  if (!q.processing_no.empty()) {
    auto reply = transport_.call(kOpCancel, build_cancel(q.processing_no, reason));
    if (!reply) return std::unexpected(reply.error());
    auto cancelled = parse_cancel_reply(*reply);
    if (!cancelled) return std::unexpected(cancelled.error());
    if (!*cancelled)
      return fail(ErrorKind::conflict, fmt::format("inquiry {} was answered already; the next poll fetches it", inquiry_id), "status");
  }
  auto u = db_.exec(
      "UPDATE inquiry SET status = 'cancelled', cancel_reason = $1, next_poll_at = NULL, updated_at = $2, "
      "error_message = $3 WHERE inquiry_id = $4 AND status = $5",
      {reason, clock_.timestamp(), "cancelled by " + actor, inquiry_id, std::string(to_string(q.status))});
  if (!u) return std::unexpected(u.error());
  if (*u != 1) return fail(ErrorKind::conflict, fmt::format("inquiry {} changed meanwhile; try again", inquiry_id), "status");
  auto after = find(inquiry_id);
  if (!after) return std::unexpected(after.error());
  return std::move(**after);
}

Result<Inquiry> InquiryService::retry(std::int64_t inquiry_id, const std::string& actor) {
  auto found = find(inquiry_id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(ErrorKind::not_found, fmt::format("no inquiry {}", inquiry_id), "inquiry_id");
  Inquiry q = **found;
  if (q.status != InquiryStatus::error && q.status != InquiryStatus::timed_out)
    return fail(ErrorKind::conflict, fmt::format("inquiry {} is {}; only error or timed_out can be retried", inquiry_id, to_string(q.status)),
                "status");
  const InquiryKind* kind = codes_.kind(q.kind);
  if (!kind) return fail(ErrorKind::invalid_input, fmt::format("inquiry kind {} is no longer configured", q.kind), "kind");
  const std::int64_t lease_value = unix_of(clock_) + options_.lease.count();
  const InquiryStatus old = q.status;
  q.request_key = new_request_key();  // a new inquiry at the 中間サーバー, not the old one again
  q.attempts = 0;
  q.status = InquiryStatus::queued;
  q.processing_no.clear();
  q.next_poll_at = lease_value;
  auto tx = db_.transaction([&](store::Connection& c) -> Result<void> {
    auto receipt = enqueue_document(c, clock_, *kind, {q}, actor);
    if (!receipt) return std::unexpected(receipt.error());
    q.exchange_id = receipt->exchange_id;
    auto u = c.exec(
        "UPDATE inquiry SET request_key = $1, status = 'queued', processing_no = NULL, answer = NULL, error_code = NULL, "
        "error_message = NULL, attempts = 0, next_poll_at = $2, deadline_at = NULL, exchange_id = $3, answered_at = NULL, "
        "updated_at = $4 WHERE inquiry_id = $5 AND status = $6",
        {q.request_key, lease_value, q.exchange_id, clock_.timestamp(), inquiry_id, std::string(to_string(old))});
    if (!u) return std::unexpected(u.error());
    if (*u != 1) return fail(ErrorKind::conflict, fmt::format("inquiry {} changed meanwhile; try again", inquiry_id), "status");
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  RunReport report;
  if (auto s = send_documents({q}, clock_, lease_value, report); !s) return std::unexpected(s.error());
  auto after = find(inquiry_id);
  if (!after) return std::unexpected(after.error());
  return std::move(**after);
}

Result<std::optional<Inquiry>> InquiryService::find(std::int64_t inquiry_id) {
  auto rows = rows_of(db_.query(fmt::format("SELECT {} FROM inquiry WHERE inquiry_id = $1", kInquiryColumns), {inquiry_id}));
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return std::optional<Inquiry>{};
  return std::optional<Inquiry>{std::move(rows->front())};
}

Result<std::vector<Inquiry>> InquiryService::list(const InquiryFilter& filter) {
  std::string where = "1 = 1";
  std::vector<std::string> texts;  // every filter parameter is text
  if (filter.status) {
    texts.emplace_back(to_string(*filter.status));
    where += fmt::format(" AND status = ${}", texts.size());
  }
  if (!filter.kind.empty()) {
    texts.push_back(filter.kind);
    where += fmt::format(" AND kind = ${}", texts.size());
  }
  if (!filter.person_id.empty()) {
    texts.push_back(filter.person_id);
    where += fmt::format(" AND person_id = ${}", texts.size());
  }
  const store::Params params(texts.begin(), texts.end());
  // The limit is an int we clamp, so it is written into the SQL rather than bound.
  return rows_of(db_.query(fmt::format("SELECT {} FROM inquiry WHERE {} ORDER BY inquiry_id DESC LIMIT {}", kInquiryColumns,
                                       where, std::clamp(filter.limit, 1, 10000)),
                           params));
}

Result<std::vector<Inquiry>> InquiryService::for_person(const std::string& person_id) {
  return rows_of(db_.query(fmt::format("SELECT {} FROM inquiry WHERE person_id = $1 ORDER BY inquiry_id", kInquiryColumns),
                           {person_id}));
}

}  // namespace kaigo::gateway

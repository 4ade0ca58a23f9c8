#include "linkage/dispatcher.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace kaigo::linkage {

namespace {

constexpr std::string_view kActor = "dispatcher";

std::int64_t unix_now(const Clock& clock) { return clock.now().time_since_epoch().count(); }

}  // namespace

Dispatcher::Dispatcher(InboundHandlers handlers, DispatchOptions options)
    : handlers_(std::move(handlers)), options_(options) {}

Result<DispatchReport> Dispatcher::run_once(store::Database& db, ChannelSet& channels, const Clock& clock) {
  DispatchReport report;
  std::vector<std::int64_t> due;
  auto listed = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto ids = due_outbound(c, unix_now(clock), options_.batch_limit);
    if (!ids) return std::unexpected(ids.error());
    due = std::move(*ids);
    return {};
  });
  if (!listed) return std::unexpected(listed.error());
  for (auto id : due)
    if (auto s = send_one(db, channels, clock, id, report); !s) return std::unexpected(s.error());

  for (const auto& [code, channel] : channels.all()) {
    auto waiting = channel->poll();
    if (!waiting) return std::unexpected(waiting.error());
    for (const auto& env : *waiting) {
      std::string reason;
      auto r = receive(db, clock, env.message, report, &reason);
      if (!r) {
        if (r.error().kind != ErrorKind::unavailable) return std::unexpected(r.error());
        ++report.deferred;  // stays at the channel; offered again next run
        continue;
      }
      if (auto s = channel->settle(env, reason); !s) return std::unexpected(s.error());
    }
  }
  return report;
}

Result<void> Dispatcher::send_one(store::Database& db, ChannelSet& channels, const Clock& clock,
                                  std::int64_t exchange_id, DispatchReport& report) {
  const std::int64_t now = unix_now(clock);
  std::optional<Exchange> ex;
  auto claimed = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto got = claim_outbound(c, exchange_id, now, now + options_.lease.count());
    if (!got) return std::unexpected(got.error());
    if (!*got) return {};  // another dispatcher has it
    auto loaded = load_exchange(c, exchange_id);
    if (!loaded) return std::unexpected(loaded.error());
    ex = std::move(*loaded);
    return {};
  });
  if (!claimed) return claimed;
  if (!ex) return {};

  Channel* channel = channels.find(ex->counterpart);
  auto answer = channel ? channel->send(*ex)
                        : Result<std::optional<InboundMessage>>(std::unexpected(Error{
                              ErrorKind::unavailable, fmt::format("no channel for counterpart {}", ex->counterpart), {}}));
  if (!answer) {
    const Error& err = answer.error();
    const std::int64_t attempts = ex->attempts + 1;
    return db.transaction([&](store::Connection& c) -> Result<void> {
      if (err.kind != ErrorKind::unavailable) {
        ++report.refused;
        return set_status(c, clock, exchange_id, ExchangeStatus::rejected, kActor,
                          fmt::format("counterpart refused: {}", err.message));
      }
      // Exponential back-off: first_backoff · 2^(attempts-1), capped.
      const auto shift = std::min<std::int64_t>(attempts - 1, 20);
      const std::int64_t wait = std::min<std::int64_t>(options_.first_backoff.count() << shift, options_.max_backoff.count());
      if (auto f = record_send_failure(c, clock, exchange_id, err.message, now + wait, kActor); !f) return f;
      if (attempts >= options_.max_attempts) {
        ++report.refused;
        return set_status(c, clock, exchange_id, ExchangeStatus::rejected, kActor,
                          fmt::format("gave up after {} attempts: {}", attempts, err.message));
      }
      ++report.retry_later;
      return {};
    });
  }

  auto marked = db.transaction(
      [&](store::Connection& c) { return set_status(c, clock, exchange_id, ExchangeStatus::sent, kActor); });
  if (!marked) return marked;
  ++report.sent;
  if (!*answer) return {};

  InboundMessage reply = std::move(**answer);
  if (reply.person_ids.empty()) reply.person_ids = ex->person_ids;
  std::string ignored_reason;
  auto r = receive(db, clock, reply, report, &ignored_reason);
  if (!r && r.error().kind == ErrorKind::unavailable) {
    ++report.deferred;  // the request stays `sent`; the counterpart's answer must be asked for again
    return {};
  }
  return r;
}

Result<void> Dispatcher::receive(store::Database& db, const Clock& clock, const InboundMessage& m,
                                 DispatchReport& report, std::string* rejection_reason) {
  auto handler = handlers_.find(m.flow_id);
  const ApplyFn apply = handler != handlers_.end()
                            ? handler->second
                            : ApplyFn([&m](store::Connection&, const Exchange&) -> Result<void> {
                                return fail(ErrorKind::invalid_input,
                                            fmt::format("no handler for flow {} (not implemented here)", m.flow_id),
                                            "flow_id");
                              });
  auto result = receive_inbound(db, clock, m, apply);
  if (!result) return std::unexpected(result.error());
  switch (result->outcome) {
    case InboundOutcome::applied: ++report.applied; break;
    case InboundOutcome::already_applied: ++report.duplicates; break;
    case InboundOutcome::rejected: ++report.rejected; break;
    case InboundOutcome::already_rejected: ++report.duplicates; break;
  }
  if (result->outcome == InboundOutcome::rejected || result->outcome == InboundOutcome::already_rejected)
    *rejection_reason = result->reason.empty() ? "rejected" : result->reason;
  return {};
}

}  // namespace kaigo::linkage

// The register's writers: each stores one fact (or ends one), then re-derives the person in the
// same transaction (register_derive.cpp).
#include "eligibility/register.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "eligibility/register_internal.hpp"

namespace kaigo::eligibility {

namespace {

Result<void> check_source(const ChangeSource& s) {
  if (s.source.empty()) return fail(ErrorKind::invalid_input, "a change needs its source", "source");
  if (s.actor.empty()) return fail(ErrorKind::invalid_input, "a change needs its actor", "actor");
  if (s.cause.empty()) return fail(ErrorKind::invalid_input, "a change needs its cause", "cause");
  return {};
}

bool digits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Stores, locks and re-derives in the order every writer needs.
template <typename Store>
Result<RegisterOutcome> write_then_rederive(store::Connection& c, const Clock& clock, const std::string& person_id,
                                            const ChangeSource& source, Store&& store) {
  if (auto s = check_source(source); !s) return std::unexpected(s.error());
  if (auto l = detail::lock_person(c, person_id); !l) return std::unexpected(l.error());
  if (auto w = store(); !w) return std::unexpected(w.error());
  return detail::rederive_one(c, clock, person_id, source);
}

Result<std::optional<std::string>> recorded_death(store::Connection& c, const std::string& person_id) {
  auto row = c.query_one(
      "SELECT MIN(on_date) FROM eligibility_fact WHERE person_id = $1 AND kind = 'death' AND cancelled_at IS NULL",
      {person_id});
  if (!row) return std::unexpected(row.error());
  return (*row)->opt_str(0);
}

}  // namespace

Result<RegisterOutcome> record_address_fact(store::Connection& c, const Clock& clock, const std::string& person_id,
                                            const AddressFact& fact, const ChangeSource& source) {
  return write_then_rederive(c, clock, person_id, source, [&]() -> Result<void> {
    if (fact.new_address_on && fact.kind != AddressFactKind::move_out)
      return fail(ErrorKind::invalid_input, "only a 転出 has the new city's 転入日", "new_address_on");
    if (fact.new_address_on && *fact.new_address_on < fact.on)
      return fail(ErrorKind::invalid_input, "the new city's 転入日 is before the 転出日", "new_address_on");
    auto death = recorded_death(c, person_id);
    if (!death) return std::unexpected(death.error());
    if (*death) {
      if (fact.kind == AddressFactKind::death)
        return fail(ErrorKind::conflict, fmt::format("a death is already recorded on {}", **death), "kind");
      if (fact.on.iso() > **death)
        return fail(ErrorKind::invalid_input, fmt::format("the date is after the recorded death ({})", **death), "on");
    }
    auto r = c.exec(
        "INSERT INTO eligibility_fact (person_id, kind, on_date, new_address_on, source, source_exchange_id, case_id, "
        "registry_movement_id, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        {person_id, std::string(to_code(fact.kind)), fact.on.iso(),
         fact.new_address_on ? store::Value(fact.new_address_on->iso()) : store::null(), source.source,
         store::opt(source.exchange_id), store::opt(source.case_id),
         fact.registry_movement_id.empty() ? store::null() : store::Value(fact.registry_movement_id), clock.timestamp(),
         source.actor});
    if (!r) return std::unexpected(r.error());
    return {};
  });
}

Result<RegisterOutcome> cancel_address_fact(store::Connection& c, const Clock& clock, const std::string& person_id,
                                            std::int64_t fact_id, const std::string& reason, const ChangeSource& source) {
  return write_then_rederive(c, clock, person_id, source, [&]() -> Result<void> {
    if (reason.empty()) return fail(ErrorKind::invalid_input, "a cancellation needs a reason", "reason");
    auto row = c.query_one("SELECT cancelled_at FROM eligibility_fact WHERE fact_id = $1 AND person_id = $2",
                           {fact_id, person_id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail(ErrorKind::not_found, fmt::format("no fact {} of this person", fact_id), "fact_id");
    if (!(*row)->is_null(0)) return fail(ErrorKind::conflict, "this fact is already cancelled", "fact_id");
    auto r = c.exec("UPDATE eligibility_fact SET cancelled_at = $1, cancelled_by = $2, cancel_reason = $3 WHERE fact_id = $4",
                    {clock.timestamp(), source.actor, reason, fact_id});
    if (!r) return std::unexpected(r.error());
    return {};
  });
}

Result<RegisterOutcome> record_medical_insurance_gained(store::Connection& c, const Clock& clock,
                                                        const std::string& person_id, const MedicalInsuranceGain& gain,
                                                        const ChangeSource& source) {
  return write_then_rederive(c, clock, person_id, source, [&]() -> Result<void> {
    static const std::set<std::string> kinds{"kokuho", "kyokai_kenpo", "kumiai", "kyosai", "koki"};
    if (!kinds.contains(gain.insurer_kind))
      return fail(ErrorKind::invalid_input, "insurer_kind must be kokuho, kyokai_kenpo, kumiai, kyosai or koki", "insurer_kind");
    if (!digits(gain.insurer_no, 6) && !digits(gain.insurer_no, 8))
      return fail(ErrorKind::invalid_input, "insurer_no must be 6 (国保・後期) or 8 (被用者保険) digits", "insurer_no");
    // A new insurance replaces the open one from its first day (one cannot hold two).
    auto open = c.query_one(
        "SELECT medical_insurance_id, valid_from FROM medical_insurance WHERE person_id = $1 AND valid_to IS NULL "
        "ORDER BY valid_from DESC LIMIT 1",
        {person_id});
    if (!open) return std::unexpected(open.error());
    if (*open) {
      if ((*open)->str(1) >= gain.valid_from.iso())
        return fail(ErrorKind::conflict, fmt::format("an insurance from {} is open; record its loss first", (*open)->str(1)),
                    "valid_from");
      auto closed = c.exec("UPDATE medical_insurance SET valid_to = $1 WHERE medical_insurance_id = $2",
                           {gain.valid_from.iso(), (*open)->i64(0)});
      if (!closed) return std::unexpected(closed.error());
    }
    auto r = c.exec(
        "INSERT INTO medical_insurance (person_id, insurer_kind, insurer_no, valid_from, valid_to, source, source_exchange_id, "
        "recorded_at, recorded_by) VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8)",
        {person_id, gain.insurer_kind, gain.insurer_no, gain.valid_from.iso(), source.source, store::opt(source.exchange_id),
         clock.timestamp(), source.actor});
    if (!r) return std::unexpected(r.error());
    return {};
  });
}

Result<RegisterOutcome> record_medical_insurance_lost(store::Connection& c, const Clock& clock,
                                                      const std::string& person_id, Date lost_on,
                                                      const ChangeSource& source) {
  return write_then_rederive(c, clock, person_id, source, [&]() -> Result<void> {
    auto open = c.query_one(
        "SELECT medical_insurance_id, valid_from FROM medical_insurance WHERE person_id = $1 AND valid_to IS NULL "
        "ORDER BY valid_from DESC LIMIT 1",
        {person_id});
    if (!open) return std::unexpected(open.error());
    if (!*open) return fail(ErrorKind::conflict, "this person has no open medical insurance", "lost_on");
    if (lost_on.iso() < (*open)->str(1))
      return fail(ErrorKind::invalid_input, "the loss date is before the insurance began", "lost_on");
    auto r = c.exec("UPDATE medical_insurance SET valid_to = $1 WHERE medical_insurance_id = $2",
                    {lost_on.iso(), (*open)->i64(0)});
    if (!r) return std::unexpected(r.error());
    return {};
  });
}

Result<std::pair<std::int64_t, RegisterOutcome>> start_exemption(store::Connection& c, const Clock& clock,
                                                                 const Exemption& e, const ChangeSource& source) {
  std::int64_t id = 0;
  auto outcome = write_then_rederive(c, clock, e.person_id, source, [&]() -> Result<void> {
    if (e.facility_kind.empty()) return fail(ErrorKind::invalid_input, "the facility kind is required", "facility_kind");
    if (e.facility_name.empty()) return fail(ErrorKind::invalid_input, "the facility name is required", "facility_name");
    auto open = c.query_one("SELECT exemption_id FROM exemption WHERE person_id = $1 AND left_on IS NULL", {e.person_id});
    if (!open) return std::unexpected(open.error());
    if (*open) return fail(ErrorKind::conflict, "this person is already in an exempt facility; end that stay first", "entered_on");
    auto row = c.query_one(
        "INSERT INTO exemption (person_id, facility_kind, facility_name, entered_on, source, source_exchange_id, case_id, "
        "recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING exemption_id",
        {e.person_id, e.facility_kind, e.facility_name, e.entered_on.iso(), source.source, store::opt(source.exchange_id),
         store::opt(source.case_id), clock.timestamp(), source.actor});
    if (!row) return std::unexpected(row.error());
    id = (*row)->i64(0);
    return {};
  });
  if (!outcome) return std::unexpected(outcome.error());
  return std::pair{id, std::move(*outcome)};
}

Result<RegisterOutcome> end_exemption(store::Connection& c, const Clock& clock, std::int64_t exemption_id, Date left_on,
                                      const ChangeSource& source) {
  auto row = c.query_one("SELECT person_id, entered_on, left_on FROM exemption WHERE exemption_id = $1", {exemption_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, fmt::format("no exemption {}", exemption_id), "exemption_id");
  const std::string person_id = (*row)->str(0), entered = (*row)->str(1);
  const bool ended = !(*row)->is_null(2);
  return write_then_rederive(c, clock, person_id, source, [&]() -> Result<void> {
    if (ended) return fail(ErrorKind::conflict, "this stay has already ended", "exemption_id");
    if (left_on.iso() < entered) return fail(ErrorKind::invalid_input, "the 退所日 is before the 入所日", "left_on");
    auto r = c.exec("UPDATE exemption SET left_on = $1, ended_recorded_at = $2, ended_recorded_by = $3 WHERE exemption_id = $4",
                    {left_on.iso(), clock.timestamp(), source.actor, exemption_id});
    if (!r) return std::unexpected(r.error());
    return {};
  });
}

Result<std::pair<std::int64_t, RegisterOutcome>> start_former_address_rule(store::Connection& c, const Clock& clock,
                                                                           const FormerAddressRule& rule,
                                                                           const ChangeSource& source) {
  std::int64_t id = 0;
  auto outcome = write_then_rederive(c, clock, rule.person_id, source, [&]() -> Result<void> {
    // 法13条: only 介護保険施設, 特定施設 and 養護老人ホーム; never the 地域密着型 ones.
    if (!former_address_rule_applies(rule.facility_kind, true))
      return fail(ErrorKind::invalid_input,
                  fmt::format("a {} is not a 住所地特例対象施設 (介護保険法13条)", to_code(rule.facility_kind)), "facility_kind");
    if (rule.facility_name.empty()) return fail(ErrorKind::invalid_input, "the facility name is required", "facility_name");
    if (!digits(rule.facility_municipality_code, 6))
      return fail(ErrorKind::invalid_input, "the facility's municipality code must be 6 digits", "facility_municipality_code");
    if (!digits(rule.other_insurer_no, 6))
      return fail(ErrorKind::invalid_input, "the other city's 保険者番号 must be 6 digits", "other_insurer_no");
    auto open = c.query_one("SELECT rule_id FROM former_address_rule WHERE person_id = $1 AND ended_on IS NULL",
                            {rule.person_id});
    if (!open) return std::unexpected(open.error());
    if (*open) return fail(ErrorKind::conflict, "this person already has an open 住所地特例; end it first", "started_on");
    auto row = c.query_one(
        "INSERT INTO former_address_rule (person_id, direction, facility_kind, facility_name, facility_municipality_code, "
        "other_insurer_no, started_on, source, source_exchange_id, case_id, recorded_at, recorded_by) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING rule_id",
        {rule.person_id, std::string(to_code(rule.direction)), std::string(to_code(rule.facility_kind)), rule.facility_name,
         rule.facility_municipality_code, rule.other_insurer_no, rule.started_on.iso(), source.source,
         store::opt(source.exchange_id), store::opt(source.case_id), clock.timestamp(), source.actor});
    if (!row) return std::unexpected(row.error());
    id = (*row)->i64(0);
    return {};
  });
  if (!outcome) return std::unexpected(outcome.error());
  return std::pair{id, std::move(*outcome)};
}

Result<RegisterOutcome> end_former_address_rule(store::Connection& c, const Clock& clock, std::int64_t rule_id,
                                                Date ended_on, const ChangeSource& source) {
  auto row = c.query_one("SELECT person_id, started_on, ended_on FROM former_address_rule WHERE rule_id = $1", {rule_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, fmt::format("no 住所地特例 {}", rule_id), "rule_id");
  const std::string person_id = (*row)->str(0), started = (*row)->str(1);
  const bool ended = !(*row)->is_null(2);
  return write_then_rederive(c, clock, person_id, source, [&]() -> Result<void> {
    if (ended) return fail(ErrorKind::conflict, "this 住所地特例 has already ended", "rule_id");
    if (ended_on.iso() < started) return fail(ErrorKind::invalid_input, "the end is before the start", "ended_on");
    auto r = c.exec(
        "UPDATE former_address_rule SET ended_on = $1, ended_recorded_at = $2, ended_recorded_by = $3 WHERE rule_id = $4",
        {ended_on.iso(), clock.timestamp(), source.actor, rule_id});
    if (!r) return std::unexpected(r.error());
    return {};
  });
}

Result<RegisterOutcome> rederive(store::Connection& c, const Clock& clock, const std::string& person_id,
                                 const ChangeSource& source) {
  return write_then_rederive(c, clock, person_id, source, []() -> Result<void> { return {}; });
}

namespace {

Result<RebuildChunk> chunk_of(store::Connection& c, const Clock& clock, const ChangeSource& source,
                              const detail::PersonRange& range) {
  if (auto s = check_source(source); !s) return std::unexpected(s.error());
  if (range.limit < 1) return fail(ErrorKind::invalid_input, "a chunk needs at least one person", "limit");
  auto results = detail::rederive_range(c, clock, source, range);
  if (!results) return std::unexpected(results.error());
  RebuildChunk chunk;
  for (const auto& r : *results) {
    ++chunk.report.persons;
    if (r.revision_id) ++chunk.report.changed;
    if (r.issued_insured_no) ++chunk.report.numbers_issued;
    chunk.report.periods += static_cast<std::int64_t>(r.periods.size());
  }
  if (!results->empty()) chunk.last_person_id = results->back().person_id;
  return chunk;
}

}  // namespace

Result<RebuildChunk> rebuild_chunk(store::Connection& c, const Clock& clock, const ChangeSource& source,
                                   const std::string& after_person_id, const std::string& to_person_id, int limit) {
  return chunk_of(c, clock, source, detail::PersonRange{after_person_id, !after_person_id.empty(), to_person_id, limit});
}

Result<RebuildReport> rebuild(store::Database& db, const Clock& clock, const ChangeSource& source,
                              const std::string& from_person_id, const std::string& to_person_id, int chunk) {
  RebuildReport total;
  // The first chunk starts AT from_person_id; each later one after the last person handled.
  detail::PersonRange range{from_person_id, false, to_person_id, chunk};
  for (;;) {
    RebuildChunk done;
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto r = chunk_of(c, clock, source, range);
      if (!r) return std::unexpected(r.error());
      done = std::move(*r);
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
    total.persons += done.report.persons;
    total.changed += done.report.changed;
    total.periods += done.report.periods;
    total.numbers_issued += done.report.numbers_issued;
    if (done.report.persons < chunk) break;
    range = detail::PersonRange{done.last_person_id, true, to_person_id, chunk};
  }
  return total;
}

Result<RebuildReport> register_initial_residents(store::Database& db, const Clock& clock, const ChangeSource& source) {
  if (auto s = check_source(source); !s) return std::unexpected(s.error());
  auto facts = db.transaction([&](store::Connection& c) -> Result<void> {
    auto r = c.exec(
        "INSERT INTO eligibility_fact (person_id, kind, on_date, source, recorded_at, recorded_by) "
        "SELECT p.person_id, 'move_in', COALESCE(p.status_date, p.birth_date), $1, $2, $3 FROM person p "
        "WHERE p.registry_status = 'resident' AND NOT EXISTS (SELECT 1 FROM eligibility_fact f WHERE f.person_id = p.person_id)",
        {source.source, clock.timestamp(), source.actor});
    if (!r) return std::unexpected(r.error());
    return {};
  });
  if (!facts) return std::unexpected(facts.error());
  return rebuild(db, clock, source);
}

}  // namespace kaigo::eligibility

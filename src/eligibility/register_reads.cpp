// The register's reads: one person's whole register, the ledgers, and the published events.
#include <fmt/format.h>

#include "eligibility/register_internal.hpp"

namespace kaigo::eligibility {

namespace {

std::optional<Date> opt_date(const store::Row& r, std::size_t i) {
  if (r.is_null(i)) return std::nullopt;
  auto d = Date::parse(r.str(i));
  if (!d) throw std::logic_error("a stored register date is not a date");
  return *d;
}

Date must_date(const store::Row& r, std::size_t i) {
  auto d = opt_date(r, i);
  if (!d) throw std::logic_error("a required register date is missing");
  return *d;
}

constexpr const char* kExemptionColumns =
    "exemption_id, person_id, facility_kind, facility_name, entered_on, left_on, source, recorded_at, recorded_by";

Exemption exemption_from(const store::Row& r) {
  return Exemption{r.i64(0), r.str(1), r.str(2), r.str(3), must_date(r, 4), opt_date(r, 5), r.str(6), r.str(7), r.str(8)};
}

constexpr const char* kRuleColumns =
    "rule_id, person_id, direction, facility_kind, facility_name, facility_municipality_code, other_insurer_no, "
    "started_on, ended_on, source, recorded_at, recorded_by";

Result<FormerAddressRule> rule_from(const store::Row& r) {
  auto direction = parse_former_address_direction(r.str(2));
  if (!direction) return std::unexpected(direction.error());
  auto kind = parse_facility_kind(r.str(3));
  if (!kind) return std::unexpected(kind.error());
  return FormerAddressRule{r.i64(0), r.str(1), *direction, *kind,         r.str(4),  r.str(5),  r.str(6),
                           must_date(r, 7), opt_date(r, 8), r.str(9), r.str(10), r.str(11)};
}

}  // namespace

std::optional<EligibilityPeriod> period_on(const std::vector<EligibilityPeriod>& periods, Date date) {
  for (const EligibilityPeriod& p : periods)
    if (p.acquired_on <= date && (!p.lost_on || date < *p.lost_on)) return p;
  return std::nullopt;
}

Result<std::optional<RegisterView>> load_register(store::Connection& c, const std::string& person_id) {
  auto person = c.query_one("SELECT person_id FROM person WHERE person_id = $1", {person_id});
  if (!person) return std::unexpected(person.error());
  if (!*person) return std::optional<RegisterView>{};
  RegisterView v;
  v.person_id = person_id;
  auto number = c.query_one("SELECT insured_no FROM insured_number WHERE person_id = $1", {person_id});
  if (!number) return std::unexpected(number.error());
  if (*number) v.insured_no = (*number)->str(0);

  auto periods = c.query(fmt::format("SELECT {} FROM eligibility_period WHERE person_id = $1 ORDER BY period_no",
                                     detail::kPeriodColumns),
                         {person_id});
  if (!periods) return std::unexpected(periods.error());
  for (const auto& r : *periods) v.periods.push_back(detail::period_from_row(r, 0));

  auto facts = c.query(
      "SELECT fact_id, kind, on_date, new_address_on, registry_movement_id, source, source_exchange_id, case_id, "
      "recorded_at, recorded_by, cancelled_at, cancelled_by, cancel_reason FROM eligibility_fact WHERE person_id = $1 "
      "ORDER BY on_date, fact_id",
      {person_id});
  if (!facts) return std::unexpected(facts.error());
  for (const auto& r : *facts) {
    auto kind = parse_address_fact_kind(r.str(1));
    if (!kind) return std::unexpected(kind.error());
    StoredAddressFact f;
    f.fact_id = r.i64(0);
    f.fact = AddressFact{*kind, must_date(r, 2), opt_date(r, 3), r.str(4)};
    f.source = r.str(5);
    f.source_exchange_id = r.opt_i64(6);
    f.case_id = r.opt_i64(7);
    f.recorded_at = r.str(8);
    f.recorded_by = r.str(9);
    f.cancelled_at = r.opt_str(10);
    f.cancelled_by = r.opt_str(11);
    f.cancel_reason = r.opt_str(12);
    v.facts.push_back(std::move(f));
  }

  auto exemptions = c.query(
      fmt::format("SELECT {} FROM exemption WHERE person_id = $1 ORDER BY entered_on, exemption_id", kExemptionColumns),
      {person_id});
  if (!exemptions) return std::unexpected(exemptions.error());
  for (const auto& r : *exemptions) v.exemptions.push_back(exemption_from(r));

  auto rules = c.query(fmt::format("SELECT {} FROM former_address_rule WHERE person_id = $1 ORDER BY started_on, rule_id",
                                   kRuleColumns),
                       {person_id});
  if (!rules) return std::unexpected(rules.error());
  for (const auto& r : *rules) {
    auto rule = rule_from(r);
    if (!rule) return std::unexpected(rule.error());
    v.former_address_rules.push_back(std::move(*rule));
  }

  auto revisions = c.query(
      "SELECT revision_id, revised_at, revised_by, source, source_exchange_id, case_id, cause, earliest_change_on, changes "
      "FROM eligibility_revision WHERE person_id = $1 ORDER BY revision_id DESC",
      {person_id});
  if (!revisions) return std::unexpected(revisions.error());
  for (const auto& r : *revisions)
    v.revisions.push_back(Revision{r.i64(0), r.str(1), r.str(2), r.str(3), r.opt_i64(4), r.opt_i64(5), r.str(6), r.str(7),
                                   r.str(8)});
  return std::optional<RegisterView>{std::move(v)};
}

Result<std::vector<FormerAddressRule>> list_former_address_rules(store::Connection& c,
                                                                 std::optional<FormerAddressDirection> direction,
                                                                 std::optional<Date> open_on, int limit, int offset) {
  store::Params params;
  params.reserve(4);  // also keeps g++ 12 -O2 from a false maybe-uninitialized on the variant move
  std::string where = "1=1";
  if (direction) {
    params.push_back(std::string(to_code(*direction)));
    where += fmt::format(" AND direction = ${}", params.size());
  }
  if (open_on) {
    params.push_back(open_on->iso());
    where += fmt::format(" AND started_on <= ${0} AND (ended_on IS NULL OR ended_on > ${0})", params.size());
  }
  params.push_back(static_cast<std::int64_t>(limit));
  params.push_back(static_cast<std::int64_t>(offset));
  auto rows = c.query(fmt::format("SELECT {} FROM former_address_rule WHERE {} ORDER BY started_on DESC, rule_id DESC "
                                  "LIMIT ${} OFFSET ${}",
                                  kRuleColumns, where, params.size() - 1, params.size()),
                      params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<FormerAddressRule> out;
  for (const auto& r : *rows) {
    auto rule = rule_from(r);
    if (!rule) return std::unexpected(rule.error());
    out.push_back(std::move(*rule));
  }
  return out;
}

Result<std::vector<Exemption>> list_exemptions(store::Connection& c, std::optional<Date> open_on, int limit, int offset) {
  store::Params params;
  params.reserve(4);  // also keeps g++ 12 -O2 from a false maybe-uninitialized on the variant move
  std::string where = "1=1";
  if (open_on) {
    params.push_back(open_on->iso());
    where += fmt::format(" AND entered_on <= ${0} AND (left_on IS NULL OR left_on >= ${0})", params.size());
  }
  params.push_back(static_cast<std::int64_t>(limit));
  params.push_back(static_cast<std::int64_t>(offset));
  auto rows = c.query(fmt::format("SELECT {} FROM exemption WHERE {} ORDER BY entered_on DESC, exemption_id DESC "
                                  "LIMIT ${} OFFSET ${}",
                                  kExemptionColumns, where, params.size() - 1, params.size()),
                      params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<Exemption> out;
  for (const auto& r : *rows) out.push_back(exemption_from(r));
  return out;
}

Result<std::vector<EligibilityEvent>> events_after_cursor(store::Connection& c, const std::string& consumer, int limit) {
  auto cursor = c.query_one("SELECT last_event_id FROM event_cursor WHERE consumer = $1", {consumer});
  if (!cursor) return std::unexpected(cursor.error());
  if (!*cursor) return fail(ErrorKind::not_found, fmt::format("no event consumer '{}'", consumer), "consumer");
  auto rows = c.query(
      "SELECT event_id, person_id, revision_id, effective_from FROM eligibility_event WHERE event_id > $1 "
      "ORDER BY event_id LIMIT $2",
      {(*cursor)->i64(0), static_cast<std::int64_t>(limit)});
  if (!rows) return std::unexpected(rows.error());
  std::vector<EligibilityEvent> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(EligibilityEvent{r.i64(0), r.str(1), r.i64(2), r.str(3)});
  return out;
}

Result<void> advance_cursor(store::Connection& c, const std::string& consumer, std::int64_t last_event_id) {
  auto n = c.exec("UPDATE event_cursor SET last_event_id = $1 WHERE consumer = $2 AND last_event_id <= $1",
                  {last_event_id, consumer});
  if (!n) return std::unexpected(n.error());
  if (*n != 1) return fail(ErrorKind::conflict, fmt::format("the cursor of '{}' is past {} or unknown", consumer, last_event_id),
                           "consumer");
  return {};
}

}  // namespace kaigo::eligibility

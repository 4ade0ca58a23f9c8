// Re-derivation of the insured register for a range of persons, set-based: the facts of the whole
// range are read with one query per table, periods derived in memory (derive_periods), and only the
// persons whose periods changed are written — one revision, one event and their new periods each,
// plus a 被保険者番号 for a person insured for the first time.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "eligibility/register_internal.hpp"

namespace kaigo::eligibility::detail {

namespace {

struct Subject {
  std::string person_id;
  Date birth;
  std::vector<Fact> facts;
  std::vector<EligibilityPeriod> stored;
  bool has_number = false;
};

std::string range_where(const PersonRange& r, store::Params& params) {
  std::string where = "1=1";
  if (!r.from.empty()) {
    params.push_back(r.from);
    where += fmt::format(" AND person_id {} ${}", r.from_exclusive ? ">" : ">=", params.size());
  }
  if (!r.to.empty()) {
    params.push_back(r.to);
    where += fmt::format(" AND person_id <= ${}", params.size());
  }
  return where;
}

Result<Date> date_of(const std::string& text, std::string_view what) {
  auto d = Date::parse(text);
  if (!d) return fail(ErrorKind::internal, fmt::format("a stored {} is not a date", what));
  return *d;
}

// Streams `sql` (rows ordered by person_id, first column person_id) into the subjects.
Result<void> each_fact_row(store::Connection& c, const std::string& sql, const store::Params& params,
                           std::unordered_map<std::string, Subject*>& by_id,
                           const std::function<Result<void>(Subject&, const store::Row&)>& add) {
  Result<void> inner;
  auto r = c.query_each(sql, params, [&](const store::Row& row) {
    auto it = by_id.find(row.str(0));
    if (it == by_id.end()) return true;
    inner = add(*it->second, row);
    return inner.has_value();
  });
  if (!r) return r;
  return inner;
}

Result<void> load_facts(store::Connection& c, const std::string& first, const std::string& last,
                        std::unordered_map<std::string, Subject*>& by_id) {
  const store::Params range{first, last};
  auto address = each_fact_row(
      c,
      "SELECT person_id, kind, on_date, new_address_on FROM eligibility_fact WHERE person_id >= $1 AND person_id <= $2 "
      "AND cancelled_at IS NULL ORDER BY person_id, on_date, fact_id",
      range, by_id, [](Subject& s, const store::Row& row) -> Result<void> {
        auto kind = parse_address_fact_kind(row.str(1));
        if (!kind) return std::unexpected(kind.error());
        auto on = date_of(row.str(2), "fact date");
        if (!on) return std::unexpected(on.error());
        switch (*kind) {
          case AddressFactKind::move_in: s.facts.emplace_back(MoveIn{*on}); break;
          case AddressFactKind::move_out: {
            std::optional<Date> next;
            if (!row.is_null(3)) {
              auto d = date_of(row.str(3), "new address date");
              if (!d) return std::unexpected(d.error());
              next = *d;
            }
            s.facts.emplace_back(MoveOut{*on, next});
            break;
          }
          case AddressFactKind::emigration: s.facts.emplace_back(Emigration{*on}); break;
          case AddressFactKind::death: s.facts.emplace_back(Death{*on}); break;
        }
        return {};
      });
  if (!address) return address;
  // Medical insurance: only what decides category 2 (法9条2号) — being enrolled, not which insurer.
  auto medical = each_fact_row(
      c,
      "SELECT person_id, valid_from, valid_to FROM medical_insurance WHERE person_id >= $1 AND person_id <= $2 "
      "ORDER BY person_id, valid_from, medical_insurance_id",
      range, by_id, [](Subject& s, const store::Row& row) -> Result<void> {
        auto from = date_of(row.str(1), "medical insurance date");
        if (!from) return std::unexpected(from.error());
        s.facts.emplace_back(MedicalInsuranceGained{*from});
        if (!row.is_null(2)) {
          auto to = date_of(row.str(2), "medical insurance date");
          if (!to) return std::unexpected(to.error());
          s.facts.emplace_back(MedicalInsuranceLost{*to});
        }
        return {};
      });
  if (!medical) return medical;
  auto exempt = each_fact_row(
      c,
      "SELECT person_id, entered_on, left_on FROM exemption WHERE person_id >= $1 AND person_id <= $2 "
      "ORDER BY person_id, entered_on, exemption_id",
      range, by_id, [](Subject& s, const store::Row& row) -> Result<void> {
        auto in = date_of(row.str(1), "exemption date");
        if (!in) return std::unexpected(in.error());
        s.facts.emplace_back(ExemptFacilityEntered{*in});
        if (!row.is_null(2)) {
          auto out = date_of(row.str(2), "exemption date");
          if (!out) return std::unexpected(out.error());
          s.facts.emplace_back(ExemptFacilityLeft{*out});
        }
        return {};
      });
  if (!exempt) return exempt;
  return each_fact_row(
      c,
      "SELECT person_id, direction, started_on, ended_on FROM former_address_rule WHERE person_id >= $1 AND person_id <= $2 "
      "ORDER BY person_id, started_on, rule_id",
      range, by_id, [](Subject& s, const store::Row& row) -> Result<void> {
        auto direction = parse_former_address_direction(row.str(1));
        if (!direction) return std::unexpected(direction.error());
        auto from = date_of(row.str(2), "住所地特例 date");
        if (!from) return std::unexpected(from.error());
        s.facts.emplace_back(FormerAddressRuleStarted{*from, *direction});
        if (!row.is_null(3)) {
          auto to = date_of(row.str(3), "住所地特例 date");
          if (!to) return std::unexpected(to.error());
          s.facts.emplace_back(FormerAddressRuleEnded{*to, *direction});
        }
        return {};
      });
}

Result<void> load_stored(store::Connection& c, const std::string& first, const std::string& last,
                         std::unordered_map<std::string, Subject*>& by_id) {
  auto periods = each_fact_row(
      c,
      fmt::format("SELECT person_id, {} FROM eligibility_period WHERE person_id >= $1 AND person_id <= $2 "
                  "ORDER BY person_id, period_no",
                  kPeriodColumns),
      {first, last}, by_id, [](Subject& s, const store::Row& row) -> Result<void> {
        s.stored.push_back(period_from_row(row, 1));
        return {};
      });
  if (!periods) return periods;
  return each_fact_row(c, "SELECT person_id FROM insured_number WHERE person_id >= $1 AND person_id <= $2", {first, last},
                       by_id, [](Subject& s, const store::Row&) -> Result<void> {
                         s.has_number = true;
                         return {};
                       });
}

// Takes `count` numbers from the insured_no sequence; returns the first. Numbers a city migrated
// in may sit anywhere, so a block that meets one is skipped whole (never reuse, never collide).
Result<std::int64_t> take_insured_numbers(store::Connection& c, std::int64_t count) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto row = c.query_one(
        "UPDATE number_sequence SET next_value = next_value + $1 WHERE name = 'insured_no' RETURNING next_value - $1",
        {count});
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail(ErrorKind::internal, "number_sequence has no insured_no row");
    const std::int64_t first = (*row)->i64(0);
    if (first + count - 1 > 9999999999) return fail(ErrorKind::internal, "the 被保険者番号 range is exhausted");
    auto taken = c.query_one("SELECT COUNT(*) FROM insured_number WHERE insured_no >= $1 AND insured_no <= $2",
                             {fmt::format("{:010}", first), fmt::format("{:010}", first + count - 1)});
    if (!taken) return std::unexpected(taken.error());
    if ((*taken)->i64(0) == 0) return first;
  }
  return fail(ErrorKind::internal, "no free block of 被保険者番号 found");
}

}  // namespace

Result<std::vector<PersonResult>> rederive_range(store::Connection& c, const Clock& clock, const ChangeSource& source,
                                                 const PersonRange& range) {
  std::vector<Subject> subjects;
  {
    store::Params params;
    params.reserve(4);
    const std::string where = range_where(range, params);
    params.push_back(static_cast<std::int64_t>(range.limit));
    Result<void> bad;
    auto r = c.query_each(
        fmt::format("SELECT person_id, birth_date FROM person WHERE {} ORDER BY person_id LIMIT ${}", where, params.size()),
        params, [&](const store::Row& row) {
          auto birth = Date::parse(row.str(1));
          if (!birth) {
            bad = fail(ErrorKind::internal, "a stored birth date is not a date");
            return false;
          }
          subjects.push_back(Subject{row.str(0), *birth, {}, {}, false});
          return true;
        });
    if (!r) return std::unexpected(r.error());
    if (!bad) return std::unexpected(bad.error());
  }
  std::vector<PersonResult> results;
  if (subjects.empty()) return results;
  std::unordered_map<std::string, Subject*> by_id;
  by_id.reserve(subjects.size());
  for (Subject& s : subjects) by_id.emplace(s.person_id, &s);
  const std::string first = subjects.front().person_id, last = subjects.back().person_id;
  if (auto r = load_facts(c, first, last, by_id); !r) return std::unexpected(r.error());
  if (auto r = load_stored(c, first, last, by_id); !r) return std::unexpected(r.error());

  std::vector<std::size_t> changed, needs_number;
  results.reserve(subjects.size());
  const Date horizon = register_horizon(clock.today());
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    Subject& s = subjects[i];
    PersonResult result{s.person_id, {}, known_until(derive_periods(PersonFacts{s.birth, std::move(s.facts)}), horizon),
                        std::nullopt, std::nullopt};
    result.changes = diff_periods(s.stored, result.periods);
    if (!result.changes.empty()) changed.push_back(i);
    if (!s.has_number && !result.periods.empty()) needs_number.push_back(i);
    results.push_back(std::move(result));
  }
  if (changed.empty() && needs_number.empty()) return results;

  const std::string now = clock.timestamp();
  if (!changed.empty()) {
    auto max_before = c.query_one("SELECT COALESCE(MAX(revision_id), 0) FROM eligibility_revision");
    if (!max_before) return std::unexpected(max_before.error());
    const std::int64_t floor = (*max_before)->i64(0);
    std::size_t k = 0;
    auto inserted = c.bulk_insert(
        "eligibility_revision",
        {"person_id", "revised_at", "revised_by", "source", "source_exchange_id", "case_id", "cause", "earliest_change_on",
         "changes"},
        [&](store::Params& row) {
          if (k == changed.size()) return false;
          const PersonResult& r = results[changed[k++]];
          row = {r.person_id, now, source.actor, source.source, store::opt(source.exchange_id), store::opt(source.case_id),
                 source.cause, earliest_change(r.changes).iso(), changes_json(r.changes).dump()};
          return true;
        });
    if (!inserted) return std::unexpected(inserted.error());
    // The ids just given, by person (one revision per changed person in this range).
    std::unordered_map<std::string, std::int64_t> revision_of;
    auto ids = c.query_each(
        "SELECT person_id, revision_id FROM eligibility_revision WHERE revision_id > $1 AND person_id >= $2 "
        "AND person_id <= $3 AND revised_at = $4",
        {floor, first, last, now}, [&](const store::Row& row) {
          revision_of[row.str(0)] = row.i64(1);
          return true;
        });
    if (!ids) return std::unexpected(ids.error());
    for (std::size_t i : changed) {
      auto it = revision_of.find(results[i].person_id);
      if (it == revision_of.end()) return fail(ErrorKind::internal, "a revision just written was not found");
      results[i].revision_id = it->second;
    }
    auto removed = c.exec(
        "DELETE FROM eligibility_period WHERE person_id IN (SELECT person_id FROM eligibility_revision "
        "WHERE revision_id > $1 AND person_id >= $2 AND person_id <= $3 AND revised_at = $4)",
        {floor, first, last, now});
    if (!removed) return std::unexpected(removed.error());
    std::size_t person = 0, period = 0;
    auto periods = c.bulk_insert(
        "eligibility_period",
        {"person_id", "period_no", "acquired_on", "lost_on", "category", "acquisition_reason", "loss_reason", "revision_id"},
        [&](store::Params& row) {
          while (person < changed.size() && period >= results[changed[person]].periods.size()) {
            ++person;
            period = 0;
          }
          if (person == changed.size()) return false;
          const PersonResult& r = results[changed[person]];
          const EligibilityPeriod& p = r.periods[period];
          ++period;
          row = {r.person_id,
                 static_cast<std::int64_t>(period),
                 p.acquired_on.iso(),
                 p.lost_on ? store::Value(p.lost_on->iso()) : store::null(),
                 std::string(to_code(p.category)),
                 std::string(to_code(p.acquisition_reason)),
                 p.loss_reason ? store::Value(std::string(to_code(*p.loss_reason))) : store::null(),
                 *r.revision_id};
          return true;
        });
    if (!periods) return std::unexpected(periods.error());
    auto lock = c.query_one(
        fmt::format("SELECT next_value FROM number_sequence WHERE name = 'eligibility_event_lock'{}", c.for_update()));
    if (!lock) return std::unexpected(lock.error());
    auto events = c.exec(
        "INSERT INTO eligibility_event (person_id, revision_id, effective_from, created_at) "
        "SELECT person_id, revision_id, earliest_change_on, revised_at FROM eligibility_revision "
        "WHERE revision_id > $1 AND person_id >= $2 AND person_id <= $3 AND revised_at = $4 ORDER BY revision_id",
        {floor, first, last, now});
    if (!events) return std::unexpected(events.error());
  }
  if (!needs_number.empty()) {
    auto block = take_insured_numbers(c, static_cast<std::int64_t>(needs_number.size()));
    if (!block) return std::unexpected(block.error());
    const std::string today = clock.today().iso();
    std::size_t k = 0;
    auto numbers = c.bulk_insert("insured_number", {"insured_no", "person_id", "assigned_on"}, [&](store::Params& row) {
      if (k == needs_number.size()) return false;
      PersonResult& r = results[needs_number[k]];
      r.issued_insured_no = fmt::format("{:010}", *block + static_cast<std::int64_t>(k));
      ++k;
      row = {*r.issued_insured_no, r.person_id, today};
      return true;
    });
    if (!numbers) return std::unexpected(numbers.error());
  }
  return results;
}

Result<void> lock_person(store::Connection& c, const std::string& person_id) {
  auto row = c.query_one(fmt::format("SELECT person_id FROM person WHERE person_id = $1{}", c.for_update()), {person_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(ErrorKind::not_found, fmt::format("no person {}", person_id), "person_id");
  return {};
}

Result<RegisterOutcome> rederive_one(store::Connection& c, const Clock& clock, const std::string& person_id,
                                     const ChangeSource& source) {
  auto results = rederive_range(c, clock, source, PersonRange{person_id, false, person_id, 1});
  if (!results) return std::unexpected(results.error());
  if (results->empty()) return fail(ErrorKind::not_found, fmt::format("no person {}", person_id), "person_id");
  PersonResult& r = results->front();
  return RegisterOutcome{r.revision_id, std::move(r.changes), std::move(r.periods), std::move(r.issued_insured_no)};
}

}  // namespace kaigo::eligibility::detail

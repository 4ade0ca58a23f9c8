// 給付制限 (restriction.hpp).
#include "benefit/restriction.hpp"

#include <fmt/format.h>

#include "benefit/recipient_event.hpp"

namespace kaigo::benefit {

namespace {

constexpr const char* kColumns =
    "restriction_id, person_id, kind, valid_from, valid_to, decided_on, reason, status, recorded_at, recorded_by, "
    "changed_by, changed_at";

Result<std::vector<BenefitRestriction>> select(store::Connection& c, const std::string& tail, const store::Params& params) {
  auto rows = c.query(fmt::format("SELECT {} FROM benefit_restriction WHERE {}", kColumns, tail), params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<BenefitRestriction> out;
  for (const auto& r : *rows) {
    auto from = Date::parse(r.str(3));
    auto decided = Date::parse(r.str(5));
    if (!from || !decided)
      return fail(ErrorKind::internal, fmt::format("benefit_restriction {} has a stored date that is not a date", r.i64(0)));
    BenefitRestriction b{r.i64(0), r.str(1), r.str(2), *from,        std::nullopt,  *decided,
                         r.str(6), r.str(7), r.str(8), r.str(9), r.opt_str(10), r.opt_str(11)};
    if (!r.is_null(4)) {
      auto to = Date::parse(r.str(4));
      if (!to) return fail(ErrorKind::internal, fmt::format("benefit_restriction {} has a valid_to that is not a date", r.i64(0)));
      b.valid_to = *to;
    }
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::optional<BenefitRestriction>> first(Result<std::vector<BenefitRestriction>> rows) {
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return std::optional<BenefitRestriction>{};
  return std::optional<BenefitRestriction>{rows->front()};
}

}  // namespace

const char* restriction_kind_label(const std::string& kind) {
  if (kind == "reimbursement_only") return "支払方法の変更 (法66条)";
  if (kind == "payment_suspended") return "保険給付の一時差止 (法67条)";
  if (kind == "benefit_reduced") return "給付額の減額 (法69条)";
  return "";
}

Result<std::vector<BenefitRestriction>> list_restrictions(store::Connection& c, const std::string& person_id) {
  return select(c, "person_id = $1 ORDER BY valid_from DESC, restriction_id DESC", {person_id});
}

Result<std::optional<BenefitRestriction>> find_restriction(store::Connection& c, std::int64_t restriction_id) {
  return first(select(c, "restriction_id = $1", {restriction_id}));
}

Result<std::optional<BenefitRestriction>> restriction_on(store::Connection& c, const std::string& person_id, Date on) {
  return first(select(c,
                      "person_id = $1 AND status <> 'cancelled' AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2) "
                      "ORDER BY CASE kind WHEN 'payment_suspended' THEN 0 WHEN 'benefit_reduced' THEN 1 ELSE 2 END, "
                      "valid_from DESC LIMIT 1",
                      {person_id, on.iso()}));
}

Result<BenefitRestriction> register_restriction(store::Database& db, const Clock& clock, const std::string& person_id,
                                                const RestrictionDecision& d, const std::string& actor) {
  if (d.kind != "reimbursement_only" && d.kind != "payment_suspended" && d.kind != "benefit_reduced")
    return fail(ErrorKind::invalid_input, "kind must be reimbursement_only, payment_suspended or benefit_reduced", "kind");
  if (d.valid_to && *d.valid_to < d.valid_from) return fail(ErrorKind::invalid_input, "valid_to is before valid_from", "valid_to");
  if (d.reason.empty()) return fail(ErrorKind::invalid_input, "reason is required", "reason");
  BenefitRestriction out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    auto person = c.query_one("SELECT 1 FROM person WHERE person_id = $1", {person_id});
    if (!person) return std::unexpected(person.error());
    if (!*person) return fail(ErrorKind::not_found, "no such person", "person_id");
    if (auto l = lock_recipient_events(c); !l) return std::unexpected(l.error());
    const std::string to = d.valid_to ? d.valid_to->iso() : std::string("9999-12-31");
    auto overlap = c.query_one(
        "SELECT COUNT(*) FROM benefit_restriction WHERE person_id = $1 AND kind = $2 AND status <> 'cancelled' "
        "AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $4)",
        {person_id, d.kind, to, d.valid_from.iso()});
    if (!overlap) return std::unexpected(overlap.error());
    if ((*overlap)->i64(0) > 0)
      return fail(ErrorKind::conflict, "a restriction of this kind overlaps the period; end it first", "valid_from");
    auto id = c.query_one(
        "INSERT INTO benefit_restriction (person_id, kind, valid_from, valid_to, decided_on, reason, status, recorded_at, "
        "recorded_by) VALUES ($1, $2, $3, $4, $5, $6, 'current', $7, $8) RETURNING restriction_id",
        {person_id, d.kind, d.valid_from.iso(), d.valid_to ? store::Value(d.valid_to->iso()) : store::Value(std::monostate{}),
         d.decided_on.iso(), d.reason, clock.timestamp(), actor});
    if (!id) return std::unexpected(id.error());
    const std::int64_t rid = (*id)->i64(0);
    if (auto e = add_recipient_event(c, clock, person_id, "benefit_restriction", rid); !e) return std::unexpected(e.error());
    auto row = find_restriction(c, rid);
    if (!row) return std::unexpected(row.error());
    out = **row;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

Result<BenefitRestriction> end_restriction(store::Database& db, const Clock& clock, std::int64_t restriction_id, Date last_day,
                                           const std::string& actor) {
  BenefitRestriction out;
  auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
    if (auto l = lock_recipient_events(c); !l) return std::unexpected(l.error());
    auto row = find_restriction(c, restriction_id);
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail(ErrorKind::not_found, "no such restriction", "restriction_id");
    if ((*row)->status != "current") return fail(ErrorKind::conflict, "the restriction is not current", "restriction_id");
    if (last_day < (*row)->valid_from) return fail(ErrorKind::invalid_input, "the end is before the restriction starts", "valid_to");
    auto n = c.exec(
        "UPDATE benefit_restriction SET valid_to = $1, status = 'ended', changed_by = $2, changed_at = $3 WHERE restriction_id = $4",
        {last_day.iso(), actor, clock.timestamp(), restriction_id});
    if (!n) return std::unexpected(n.error());
    if (auto e = add_recipient_event(c, clock, (*row)->person_id, "benefit_restriction", restriction_id); !e)
      return std::unexpected(e.error());
    auto again = find_restriction(c, restriction_id);
    if (!again) return std::unexpected(again.error());
    out = **again;
    return {};
  });
  if (!tx) return std::unexpected(tx.error());
  return out;
}

}  // namespace kaigo::benefit

// Medical insurers: the insurance status of a 40–64 year-old (医療保険資格, from medical_insurance)
// and 保険料の滞納 (not in the city's data: a deterministic small share of the insured).
#include "sim/number_network/bodies.hpp"
#include "sim/number_network/shares.hpp"

namespace kaigo::sim::network {

namespace {

// The insurance in effect during the period (the latest one starting in it, if several).
Result<std::optional<store::Row>> insurance_row(store::Connection& c, const BodyQuery& q) {
  return c.query_one(
      "SELECT insurer_kind, insurer_no, valid_from, valid_to FROM medical_insurance WHERE person_id = $1 "
      "AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $3) "
      "ORDER BY valid_from DESC, medical_insurance_id DESC LIMIT 1",
      {q.person_id, q.period_to.iso(), q.period_from.iso()});
}

}  // namespace

Result<BodyAnswer> iryo_body(store::Connection& c, const BodyQuery& q) {
  auto row = insurance_row(c, q);
  if (!row) return std::unexpected(row.error());
  BodyAnswer a;
  if (!*row) return a;  // not insured (65+, under 40, or on 生活保護)
  const auto& r = **row;
  if (q.kind == "iryo_insurance") {
    a.found = true;
    a.items["insurer_kind"] = r.str(0);
    a.items["insurer_no"] = r.str(1);
    a.items["acquired_on"] = r.str(2);
    put_optional_date(a, "lost_on", r, 3);
    put_not_held(a, "insured_symbol");  // 記号・番号: not in the city's data
    return a;
  }
  if (q.kind == "iryo_arrears") {
    if (!has_arrears(q.person_id)) return a;
    const int months = 1 + static_cast<int>(share_pick("arrears_months", q.person_id, 12));
    a.found = true;
    a.items["insurer_no"] = r.str(1);
    a.items["in_arrears"] = true;
    a.items["arrears_months"] = months;
    a.items["arrears_since"] = q.period_from.first_of_month().add_months(-months).iso();
    return a;
  }
  return fail(ErrorKind::invalid_input, "unknown inquiry kind for a medical insurer", "kind");
}

}  // namespace kaigo::sim::network

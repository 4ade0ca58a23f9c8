// Pension insurers: 老齢福祉年金 (pension rows of kind old_age_welfare) from the insurer's ledger;
// rows kaigo recorded itself (kKaigoOwnSources: FK-08 answers, staff) are never echoed back.
#include <fmt/format.h>

#include "sim/number_network/bodies.hpp"

namespace kaigo::sim::network {

Result<BodyAnswer> nenkin_body(store::Connection& c, const BodyQuery& q) {
  if (q.kind != "nenkin_old_age_welfare")
    return fail(ErrorKind::invalid_input, "unknown inquiry kind for a pension insurer", "kind");
  auto row = c.query_one(
      fmt::format("SELECT annual_amount, pension_insurer_code, valid_from, valid_to FROM pension WHERE person_id = $1 "
                  "AND pension_kind = 'old_age_welfare' AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $3) AND source NOT IN {} "
                  "ORDER BY valid_from DESC, pension_id DESC LIMIT 1",
                  kKaigoOwnSources),
      {q.person_id, q.period_to.iso(), q.period_from.iso()});
  if (!row) return std::unexpected(row.error());
  BodyAnswer a;
  if (!*row) return a;
  const auto& r = **row;
  a.found = true;
  a.items["receives"] = true;
  a.items["annual_amount"] = r.i64(0);
  a.items["pension_insurer_code"] = r.str(1);
  a.items["started_on"] = r.str(2);
  put_optional_date(a, "ended_on", r, 3);
  return a;
}

}  // namespace kaigo::sim::network

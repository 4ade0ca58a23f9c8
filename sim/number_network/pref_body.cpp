// The prefecture (福祉事務所 of the towns it covers): 生活保護 and 中国残留邦人等支援給付, from
// public_assistance — the prefecture's ledger; rows kaigo recorded itself
// (kKaigoOwnSources: SK-15/FK-10 answers, the city's welfare system SK-19, staff) are never echoed back.
#include <fmt/format.h>

#include "sim/number_network/bodies.hpp"

namespace kaigo::sim::network {

Result<BodyAnswer> pref_body(store::Connection& c, const BodyQuery& q) {
  if (q.kind != "pref_public_assistance")
    return fail(ErrorKind::invalid_input, "unknown inquiry kind for the prefecture", "kind");
  auto row = c.query_one(
      fmt::format("SELECT kind, valid_from, valid_to FROM public_assistance WHERE person_id = $1 "
                  "AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $3) AND source NOT IN {} "
                  "ORDER BY valid_from DESC, public_assistance_id DESC LIMIT 1",
                  kKaigoOwnSources),
      {q.person_id, q.period_to.iso(), q.period_from.iso()});
  if (!row) return std::unexpected(row.error());
  BodyAnswer a;
  if (!*row) return a;
  const auto& r = **row;
  a.found = true;
  a.items["assistance_kind"] = r.str(0);  // welfare | repatriate
  a.items["assistance_name"] = r.str(0) == "repatriate" ? "中国残留邦人等支援給付" : "生活保護";
  a.items["started_on"] = r.str(1);
  put_optional_date(a, "ended_on", r, 2);
  return a;
}

}  // namespace kaigo::sim::network

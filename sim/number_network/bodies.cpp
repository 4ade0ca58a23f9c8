#include "sim/number_network/bodies.hpp"

#include <string_view>

namespace kaigo::sim::network {

Result<BodyAnswer> answer_from_bodies(store::Database& db, const BodyQuery& q) {
  const std::string_view kind = q.kind;
  Result<BodyAnswer> (*body)(store::Connection&, const BodyQuery&) = nullptr;
  if (kind.starts_with("city_")) body = city_body;
  else if (kind.starts_with("iryo_")) body = iryo_body;
  else if (kind.starts_with("pref_")) body = pref_body;
  else if (kind.starts_with("nenkin_")) body = nenkin_body;
  if (!body) return fail(ErrorKind::invalid_input, "unknown inquiry kind", "kind");
  Result<BodyAnswer> out = fail(ErrorKind::internal, "no answer");
  auto r = db.with_connection([&](store::Connection& c) -> Result<void> {
    out = body(c, q);
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

void put_optional_date(BodyAnswer& a, const char* item, const store::Row& row, std::size_t col) {
  if (row.is_null(col)) {
    a.null_reasons[item] = kNullNotApplicable;
  } else {
    a.items[item] = row.str(col);
  }
}

}  // namespace kaigo::sim::network

// The certification panel of the 被保険者証 (施行規則 様式第一号): the 要介護状態区分等, 認定日, 有効期間,
// 区分支給限度基準額 and the committee's remarks of the person's certification — for any card
// printed after a decision, at the counter (SK-17) as in the NT-13 notice.
#include <fmt/format.h>

#include "certification/certification_outputs.hpp"

namespace kaigo::certification {

Result<void> fill_certification_panel(store::Connection& c, const std::string& person_id, Date on,
                                      notice::InsuranceCardData& card) {
  // The certification in force on `on`, else the next one (a renewal decided before it starts).
  auto row = c.query_one(
      "SELECT care_level, valid_from, valid_to, certified_on, monthly_cap_units, remarks FROM care_certification "
      "WHERE person_id = $1 AND status = 'current' AND valid_to >= $2 ORDER BY valid_from LIMIT 1",
      {person_id, on.iso()});
  if (!row) return std::unexpected(row.error());
  if (!*row) return {};  // not certified: the panel stays empty
  const store::Row& r = **row;
  auto level = care_level_from_code(r.str(0));
  auto from = Date::parse(r.str(1));
  auto to = Date::parse(r.str(2));
  auto certified = Date::parse(r.str(3));
  if (!level || !from || !to || !certified)
    return fail(ErrorKind::internal, "a stored certification has an unknown level or a date that is not a date");
  card.care_level = std::string(label(*level));
  card.certified_on = *certified;
  card.validity_period = notice::DatePeriod{*from, *to};
  card.monthly_benefit_cap_units = r.i64(4);
  card.benefit_cap_period = notice::DatePeriod{*from, *to};
  card.committee_remarks = r.str(5);
  return {};
}

}  // namespace kaigo::certification

// Other municipalities (the former city of a person who moved in): 住民票関係情報, 受給資格証明書,
// 住所地特例, 地方税, 世帯員. The synthetic city records where movers came from (person_origin);
// the former city's own data is derived from that row and from the city's tables, as if the
// former city had sent it. Non-movers are unknown to any other city: not_found.
#include <array>
#include <optional>

#include <fmt/format.h>

#include "sim/number_network/bodies.hpp"
#include "sim/number_network/shares.hpp"

namespace kaigo::sim::network {

namespace {

struct Mover {
  std::string former_code;  // 6-digit 全国地方公共団体コード (also the former 介護保険 insurer_no)
  std::string former_name;
  Date moved_in_on;
  Date birth_date;
  std::string household_id;
  std::string relation;
  std::string name;
};

Result<std::optional<Mover>> find_mover(store::Connection& c, const std::string& person_id) {
  auto row = c.query_one(
      "SELECT o.former_municipality_code, o.former_municipality_name, o.moved_in_on, p.birth_date, p.household_id, "
      "p.relation, p.name_kanji FROM person_origin o JOIN person p ON p.person_id = o.person_id WHERE o.person_id = $1 "
      "ORDER BY o.moved_in_on DESC, o.person_origin_id DESC LIMIT 1",
      {person_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Mover>{};
  const auto& r = **row;
  auto moved = Date::parse(r.str(2));
  auto birth = Date::parse(r.str(3));
  if (!moved || !birth) return fail(ErrorKind::internal, "person_origin or person holds a malformed date");
  return std::optional<Mover>{Mover{r.str(0), r.str(1), *moved, *birth, r.str(4), r.str(5), r.str(6)}};
}

// 転入 members of the household who moved on the same day (they were one household there).
Result<nlohmann::json> moved_household(store::Connection& c, const Mover& m) {
  auto rows = c.query(
      "SELECT p.person_id, p.relation FROM person p JOIN person_origin o ON o.person_id = p.person_id "
      "WHERE p.household_id = $1 AND o.moved_in_on = $2 ORDER BY p.person_id",
      {m.household_id, m.moved_in_on.iso()});
  if (!rows) return std::unexpected(rows.error());
  nlohmann::json members = nlohmann::json::array();
  for (const auto& r : *rows) members.push_back({{"person_id", r.str(0)}, {"relation", r.str(1)}});
  return members;
}

// The latest tax row (latest correction) of an income year up to the period's end, from the
// former city's own ledger (the synthetic city's rows). Rows kaigo recorded itself (FK-04 answers,
// the city's tax office, staff) are kaigo's knowledge, never echoed back as the other city's.
Result<std::optional<store::Row>> tax_row(store::Connection& c, const std::string& person_id, const BodyQuery& q) {
  return c.query_one(
      fmt::format("SELECT tax_year, total_income, public_pension_income, taxable_pension_income, pension_misc_income, "
                  "salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income FROM tax_income "
                  "WHERE person_id = $1 AND tax_year <= $2 AND source NOT IN {} "
                  "ORDER BY tax_year DESC, recorded_at DESC, tax_income_id DESC LIMIT 1",
                  kKaigoOwnSources),
      {person_id, std::int64_t{q.period_to.year()}});
}

Result<BodyAnswer> resident(store::Connection& c, const std::string& person_id, const Mover& m) {
  BodyAnswer a;
  a.found = true;
  // The city holds only the former municipality; the street address there is synthetic too.
  a.items["former_municipality_code"] = m.former_code;
  a.items["former_municipality_name"] = m.former_name;
  a.items["name"] = m.name;
  a.items["address"] = fmt::format("{}本町{}丁目{}番{}号", m.former_name, 1 + share_pick("chome", person_id, 5),
                                          1 + share_pick("ban", person_id, 30), 1 + share_pick("go", person_id, 20));
  a.items["moved_out_on"] = m.moved_in_on.iso();  // the city knows one date: the day of the move
  put_not_held(a, "moved_in_on");    // when they had moved into the former city
  put_not_held(a, "household_id");   // the former city's 世帯番号
  a.items["relation"] = m.relation;
  auto members = moved_household(c, m);
  if (!members) return std::unexpected(members.error());
  a.items["household_members"] = *members;
  return a;
}

Result<BodyAnswer> certificate(const std::string& person_id, const Mover& m) {
  BodyAnswer a;
  if (m.moved_in_on.age_of(m.birth_date) < 40 || !has_former_certificate(person_id)) return a;
  static constexpr std::array<const char*, 7> kLevels{"要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"};
  const Date certified_on = m.moved_in_on.add_days(-30 - static_cast<int>(share_pick("certified_on", person_id, 300)));
  a.found = true;
  a.items["former_insurer_no"] = m.former_code;
  a.items["former_insured_no"] = fmt::format("09{:08}", share_pick("insured_no", person_id, 100000000));
  a.items["care_level"] = kLevels[share_pick("care_level", person_id, kLevels.size())];
  a.items["certified_on"] = certified_on.iso();
  a.items["certified_from"] = certified_on.iso();
  a.items["certified_to"] = certified_on.add_months(12).add_days(-1).iso();
  a.null_reasons["benefit_restriction"] = kNullNotApplicable;  // 給付制限: none
  return a;
}

Result<BodyAnswer> former_address_rule(const std::string& person_id, const Mover& m) {
  BodyAnswer a;
  if (m.moved_in_on.age_of(m.birth_date) < 40 || !has_former_address_rule(person_id)) return a;
  static constexpr std::array<const char*, 3> kFacilities{"特別養護老人ホーム みどりの郷", "介護老人保健施設 あおば苑",
                                                          "有料老人ホーム ひだまり"};
  a.found = true;
  a.items["applies"] = true;
  a.items["insurer_no"] = m.former_code;  // the former city stays the insurer
  a.items["valid_from"] = m.moved_in_on.iso();
  a.items["facility_name"] = kFacilities[share_pick("facility", person_id, kFacilities.size())];
  a.null_reasons["valid_to"] = kNullNotApplicable;  // still in effect
  return a;
}

Result<BodyAnswer> local_tax(store::Connection& c, const std::string& person_id, const BodyQuery& q) {
  BodyAnswer a;
  auto row = tax_row(c, person_id, q);
  if (!row) return std::unexpected(row.error());
  if (!*row) return a;  // under 16 in the city: no income, no row
  const auto& r = **row;
  a.found = true;
  a.items["tax_year"] = r.i64(0);
  a.items["total_income"] = r.i64(1);
  a.items["public_pension_income"] = r.i64(2);
  a.items["taxable_pension_income"] = r.i64(3);
  a.items["pension_misc_income"] = r.i64(4);
  a.items["salary_income"] = r.i64(5);
  a.items["land_sale_special_deduction"] = r.i64(6);
  a.items["resident_tax_taxed"] = r.i64(7);
  a.items["taxable_income"] = r.i64(8);
  return a;
}

Result<BodyAnswer> household(store::Connection& c, const Mover& m, const BodyQuery& q) {
  auto rows = c.query("SELECT person_id, relation FROM person WHERE household_id = $1 ORDER BY person_id", {m.household_id});
  if (!rows) return std::unexpected(rows.error());
  BodyAnswer a;
  a.found = true;
  nlohmann::json members = nlohmann::json::array();
  bool any_taxed = false;  // 世帯課税: someone in the household pays 市町村民税
  for (const auto& r : *rows) {
    nlohmann::json member{{"person_id", r.str(0)}, {"relation", r.str(1)}};
    auto tax = tax_row(c, r.str(0), q);
    if (!tax) return std::unexpected(tax.error());
    if (*tax) {
      member["resident_tax_taxed"] = (*tax)->i64(7);
      any_taxed = any_taxed || (*tax)->i64(7) == 1;
    }
    else member["null_reasons"] = {{"resident_tax_taxed", kNullNotHeld}};
    members.push_back(std::move(member));
  }
  // A member who stayed in the former city (share by household): the former city's own member
  // number, no 統合宛名番号 kaigo would know, and a tax status drawn for the household.
  if (has_member_elsewhere(m.household_id)) {
    static constexpr std::array<const char*, 3> kRelations{"子", "子の妻", "孫"};
    const bool taxed = share_pick("member_elsewhere_taxed", m.household_id, 10) < 6;
    members.push_back({{"member_no", fmt::format("M{:08}", share_pick("member_no", m.household_id, 100000000))},
                       {"relation", kRelations[share_pick("member_relation", m.household_id, kRelations.size())]},
                       {"resident_tax_taxed", taxed ? 1 : 0}});
    any_taxed = any_taxed || taxed;
  }
  a.items["household_id"] = m.household_id;
  a.items["resident_tax_taxed"] = any_taxed ? 1 : 0;
  a.items["member_count"] = static_cast<std::int64_t>(members.size());
  a.items["members"] = std::move(members);
  return a;
}

}  // namespace

Result<BodyAnswer> city_body(store::Connection& c, const BodyQuery& q) {
  auto mover = find_mover(c, q.person_id);
  if (!mover) return std::unexpected(mover.error());
  if (!*mover) return BodyAnswer{};
  const Mover& m = **mover;
  if (q.kind == "city_resident") return resident(c, q.person_id, m);
  if (q.kind == "city_certificate") return certificate(q.person_id, m);
  if (q.kind == "city_former_address_rule") return former_address_rule(q.person_id, m);
  if (q.kind == "city_local_tax") return local_tax(c, q.person_id, q);
  if (q.kind == "city_household") return household(c, m, q);
  return fail(ErrorKind::invalid_input, "unknown inquiry kind for a municipality", "kind");
}

}  // namespace kaigo::sim::network

// FK-04, FK-06, FK-08, FK-10: an answer checked whole, then applied to the city's inputs with
// source 'exchange' (docs/premium-inputs.md). Rows with source 'synthetic_city' are the simulated
// counterparts' ledgers, not kaigo's own knowledge (as in assessment.hpp): an answer is compared
// with what kaigo itself recorded, so the first answer about a person is news and the same answer
// again changes nothing.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "premium/premium_inputs_answers.hpp"
#include "premium/premium_inputs_internal.hpp"

namespace kaigo::premium::detail {

namespace {

constexpr const char* kOwnSource = "source <> 'synthetic_city'";

Effects rejected(const Error& e) {
  Effects out;
  out.outcome = "rejected";
  out.reject_reason = e.field.empty() ? e.message : fmt::format("{}: {}", e.field, e.message);
  out.summary = "回答を受け付けず (内容に誤り)";
  return out;
}

Effects unchanged(std::string summary) {
  Effects out;
  out.outcome = "unchanged";
  out.summary = std::move(summary);
  return out;
}

// The person and (for the household's status) the other members on the base date.
std::vector<std::pair<std::string, std::string>> with_household(const std::vector<std::string>& members,
                                                                const std::string& person_id, const char* own_cause) {
  std::vector<std::pair<std::string, std::string>> out{{person_id, own_cause}};
  for (const auto& m : members)
    if (m != person_id) out.emplace_back(m, "household");
  return out;
}

// FK-04: tax_income of the income year FY−1.
Result<Effects> apply_local_tax(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  const int income_year = in.link.fiscal_year - 1;
  auto a = parse_local_tax_answer(in.inquiry.answer, in.link.person_id, income_year);
  if (!a) return rejected(a.error());
  auto current = c.query_one(
      fmt::format("SELECT total_income, public_pension_income, taxable_pension_income, pension_misc_income, salary_income, "
                  "land_sale_special_deduction, taxable_income, resident_tax_taxed FROM tax_income WHERE person_id = $1 "
                  "AND tax_year = $2 AND {} ORDER BY recorded_at DESC, tax_income_id DESC LIMIT 1",
                  kOwnSource),
      {in.link.person_id, std::int64_t{income_year}});
  if (!current) return std::unexpected(current.error());
  if (*current) {
    const auto& r = **current;
    const LocalTaxAnswer held{income_year, r.i64(0), r.i64(1), r.i64(2), r.i64(3), r.i64(4), r.i64(5), r.i64(6), r.i64(7) == 1};
    if (held == *a) return unchanged(fmt::format("地方税情報 {}年分: 記録済みの内容と同じ", income_year));
  }
  auto ins = c.exec(
      "INSERT INTO tax_income (person_id, tax_year, total_income, public_pension_income, taxable_pension_income, "
      "pension_misc_income, salary_income, land_sale_special_deduction, resident_tax_taxed, taxable_income, source, "
      "source_exchange_id, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'exchange', $11, $12, $13)",
      {in.link.person_id, std::int64_t{income_year}, a->total_income, a->public_pension_income, a->taxable_pension_income,
       a->pension_misc_income, a->salary_income, a->land_sale_special_deduction, std::int64_t{a->resident_tax_taxed ? 1 : 0},
       a->taxable_income, store::opt(in.answer_exchange_id), clock.timestamp(), in.actor});
  if (!ins) return std::unexpected(ins.error());
  auto members = household_on(c, in.link.person_id, in.link.base_date);
  if (!members) return std::unexpected(members.error());
  Effects out;
  out.outcome = "applied";
  out.summary = fmt::format("地方税情報 {}年分を記録 (本人{}{})", income_year, a->resident_tax_taxed ? "課税" : "非課税",
                            *current ? "; 記録済みの内容を更正" : "");
  // The person's income and tax status; their own status is part of every member's household status.
  out.recalc = with_household(*members, in.link.person_id, "income");
  return out;
}

// FK-06: household_member_tax_status (migration 012).
Result<Effects> apply_household(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  auto a = parse_household_answer(in.inquiry.answer, in.link.person_id);
  if (!a) return rejected(a.error());
  // Members kaigo knows by number (moved in together) keep their person_id.
  std::set<std::string> known;
  {
    std::vector<std::string> ids;
    for (const auto& m : a->members)
      if (m.person_id) ids.push_back(*m.person_id);
    if (!ids.empty()) {
      std::string list;
      store::Params params;
      for (const auto& id : ids) {
        params.push_back(id);
        list += fmt::format("{}CAST(${} AS TEXT)", list.empty() ? "" : ", ", params.size());
      }
      auto rows = c.query(fmt::format("SELECT person_id FROM person WHERE person_id IN ({})", list), params);
      if (!rows) return std::unexpected(rows.error());
      for (const auto& r : *rows) known.insert(r.str(0));
    }
  }
  // The set in effect: the rows of the latest applied inquiry of (person, FY).
  auto held = c.query(
      "SELECT member_key, relation, resident_tax_taxed FROM household_member_tax_status WHERE person_id = $1 AND "
      "fiscal_year = $2 AND inquiry_id = (SELECT MAX(inquiry_id) FROM household_member_tax_status WHERE person_id = $1 "
      "AND fiscal_year = $2)",
      {in.link.person_id, std::int64_t{in.link.fiscal_year}});
  if (!held) return std::unexpected(held.error());
  using Key = std::tuple<std::string, std::string, int>;  // key, relation, taxed (-1 保有なし)
  std::set<Key> before, after;
  for (const auto& r : *held) before.emplace(r.str(0), r.str(1), r.is_null(2) ? -1 : static_cast<int>(r.i64(2)));
  int taxed = 0, untaxed = 0, unknown = 0, elsewhere = 0;
  for (const auto& m : a->members) {
    after.emplace(m.key, m.relation.value_or(""), m.resident_tax_taxed ? (*m.resident_tax_taxed ? 1 : 0) : -1);
    if (!m.resident_tax_taxed) ++unknown;
    else if (*m.resident_tax_taxed) ++taxed;
    else ++untaxed;
    if (!m.person_id || !known.contains(*m.person_id)) ++elsewhere;
  }
  if (before == after) return unchanged("世帯員の課税状況: 記録済みの内容と同じ");
  const std::string now = clock.timestamp();
  std::size_t i = 0;
  auto n = c.bulk_insert("household_member_tax_status",
                         {"person_id", "fiscal_year", "base_date", "tax_year", "member_key", "member_person_id", "relation",
                          "resident_tax_taxed", "inquiry_id", "source", "source_exchange_id", "recorded_at", "recorded_by"},
                         [&](store::Params& p) {
                           if (i == a->members.size()) return false;
                           const HouseholdMember& m = a->members[i++];
                           const bool here = m.person_id && known.contains(*m.person_id);
                           p = {in.link.person_id,
                                std::int64_t{in.link.fiscal_year},
                                in.link.base_date,
                                std::int64_t{in.link.fiscal_year - 1},
                                m.key,
                                here ? store::Value(*m.person_id) : store::null(),
                                store::opt(m.relation),
                                m.resident_tax_taxed ? store::Value(std::int64_t{*m.resident_tax_taxed ? 1 : 0}) : store::null(),
                                in.inquiry.inquiry_id,
                                std::string("exchange"),
                                store::opt(in.answer_exchange_id),
                                now,
                                in.actor};
                           return true;
                         });
  if (!n) return std::unexpected(n.error());
  auto members = household_on(c, in.link.person_id, in.link.base_date);
  if (!members) return std::unexpected(members.error());
  Effects out;
  out.outcome = "applied";
  out.summary = fmt::format("世帯員 {}人の課税状況を記録 (課税 {}, 非課税 {}, 保有なし {}; 本市の宛名にない世帯員 {}){}",
                            a->members.size(), taxed, untaxed, unknown, elsewhere, before.empty() ? "" : "; 記録済みの内容を更正");
  out.recalc = with_household(*members, in.link.person_id, "household");
  return out;
}

// A period kaigo recorded from an earlier answer and now corrected: kept for history with an
// empty period (valid_to = valid_from covers no day), and the corrected row is added.
Result<void> void_row(store::Connection& c, const char* table, const char* id_column, std::int64_t id) {
  auto u = c.exec(fmt::format("UPDATE {0} SET valid_to = valid_from WHERE {1} = $1", table, id_column), {id});
  if (!u) return std::unexpected(u.error());
  return {};
}

// FK-08: pension (kind old_age_welfare).
Result<Effects> apply_old_age_welfare(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  auto a = parse_old_age_welfare_answer(in.inquiry.answer, in.link.person_id);
  if (!a) return rejected(a.error());
  const std::optional<std::string> ended = a->ended_on ? std::optional<std::string>(a->ended_on->iso()) : std::nullopt;
  auto held = c.query_one(
      fmt::format("SELECT pension_id, annual_amount, pension_insurer_code, valid_to, source FROM pension WHERE person_id = $1 "
                  "AND pension_kind = 'old_age_welfare' AND valid_from = $2 AND {} ORDER BY pension_id DESC LIMIT 1",
                  kOwnSource),
      {in.link.person_id, a->started_on.iso()});
  if (!held) return std::unexpected(held.error());
  if (*held && (*held)->i64(1) == a->annual_amount && (*held)->str(2) == a->pension_insurer_code && (*held)->opt_str(3) == ended)
    return unchanged(fmt::format("老齢福祉年金 ({}から): 記録済みの内容と同じ", a->started_on.iso()));
  if (*held && (*held)->str(4) == "exchange")
    if (auto v = void_row(c, "pension", "pension_id", (*held)->i64(0)); !v) return std::unexpected(v.error());
  auto ins = c.exec(
      "INSERT INTO pension (person_id, pension_kind, annual_amount, pension_insurer_code, valid_from, valid_to, source, "
      "source_exchange_id, recorded_at, recorded_by) VALUES ($1, 'old_age_welfare', $2, $3, $4, $5, 'exchange', $6, $7, $8)",
      {in.link.person_id, a->annual_amount, a->pension_insurer_code, a->started_on.iso(), store::opt(ended),
       store::opt(in.answer_exchange_id), clock.timestamp(), in.actor});
  if (!ins) return std::unexpected(ins.error());
  Effects out;
  out.outcome = "applied";
  out.summary = fmt::format("老齢福祉年金 ({}から{}) を記録{}", a->started_on.iso(), ended ? fmt::format(" {}まで", *ended) : "",
                            *held ? "; 記録済みの内容を更正" : "");
  out.recalc = {{in.link.person_id, "welfare"}};
  return out;
}

// FK-10: public_assistance.
Result<Effects> apply_assistance(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  auto a = parse_assistance_answer(in.inquiry.answer, in.link.person_id);
  if (!a) return rejected(a.error());
  const char* name = a->assistance_kind == "repatriate" ? "中国残留邦人等支援給付" : "生活保護";
  const std::optional<std::string> ended = a->ended_on ? std::optional<std::string>(a->ended_on->iso()) : std::nullopt;
  auto held = c.query_one(
      fmt::format("SELECT public_assistance_id, valid_to, source FROM public_assistance WHERE person_id = $1 AND kind = $2 "
                  "AND valid_from = $3 AND {} ORDER BY public_assistance_id DESC LIMIT 1",
                  kOwnSource),
      {in.link.person_id, a->assistance_kind, a->started_on.iso()});
  if (!held) return std::unexpected(held.error());
  if (*held && (*held)->opt_str(1) == ended)
    return unchanged(fmt::format("{} ({}から): 記録済みの内容と同じ", name, a->started_on.iso()));
  // Only a row of an earlier answer is corrected; the welfare office's own rows (SK-19) stay.
  if (*held && (*held)->str(2) == "exchange")
    if (auto v = void_row(c, "public_assistance", "public_assistance_id", (*held)->i64(0)); !v) return std::unexpected(v.error());
  auto ins = c.exec(
      "INSERT INTO public_assistance (person_id, kind, valid_from, valid_to, source, source_exchange_id, recorded_at, "
      "recorded_by) VALUES ($1, $2, $3, $4, 'exchange', $5, $6, $7)",
      {in.link.person_id, a->assistance_kind, a->started_on.iso(), store::opt(ended), store::opt(in.answer_exchange_id),
       clock.timestamp(), in.actor});
  if (!ins) return std::unexpected(ins.error());
  Effects out;
  out.outcome = "applied";
  out.summary = fmt::format("{} ({}から{}) を記録{}", name, a->started_on.iso(), ended ? fmt::format(" {}まで", *ended) : "",
                            *held ? "; 記録済みの内容を更正" : "");
  out.recalc = {{in.link.person_id, "welfare"}};
  return out;
}

// not_found: nothing to record; for 老齢福祉年金 a row kaigo holds for FY is pointed out to staff.
Result<Effects> not_found(store::Connection& c, const ApplyInput& in) {
  Effects out;
  out.outcome = "not_found";
  const std::string& kind = in.link.kind;
  if (kind == "city_local_tax") out.summary = "地方税情報: 該当なし (未申告の可能性; 申告を確認)";
  else if (kind == "city_household") out.summary = "世帯員情報: 該当なし";
  else if (kind == "pref_public_assistance") out.summary = "生活保護・中国残留邦人等支援給付: 該当なし";
  else {
    out.summary = "老齢福祉年金: 受給なし";
    const Date from(in.link.fiscal_year, 4, 1), to(in.link.fiscal_year + 1, 4, 1);
    auto held = c.query_one(
        fmt::format("SELECT 1 FROM pension WHERE person_id = $1 AND pension_kind = 'old_age_welfare' AND {} AND valid_from < $2 "
                    "AND (valid_to IS NULL OR valid_to > $3) AND valid_to IS DISTINCT FROM valid_from LIMIT 1",
                    kOwnSource),
        {in.link.person_id, to.iso(), from.iso()});
    if (!held) return std::unexpected(held.error());
    if (*held) out.summary += " (要確認: 本市は受給の記録を保有)";
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> household_on(store::Connection& c, const std::string& person_id, const std::string& day) {
  auto rows = c.query(
      "SELECT DISTINCT m.person_id FROM person_history s JOIN person_history m ON m.household_id = s.household_id "
      "WHERE s.person_id = $1 AND s.valid_from <= $2 AND (s.valid_to IS NULL OR s.valid_to > $2) "
      "AND m.valid_from <= $2 AND (m.valid_to IS NULL OR m.valid_to > $2) ORDER BY m.person_id",
      {person_id, day});
  if (!rows) return std::unexpected(rows.error());
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.str(0));
  if (std::find(out.begin(), out.end(), person_id) == out.end()) out.push_back(person_id);
  return out;
}

Result<Effects> apply_effects(store::Connection& c, const Clock& clock, const ApplyInput& in) {
  const gateway::InquiryStatus s = in.inquiry.status;
  if (s == gateway::InquiryStatus::not_found) return not_found(c, in);
  if (s != gateway::InquiryStatus::provided) {
    Effects out;
    out.outcome = "failed";
    out.summary = fmt::format("回答なし ({}{}): 再照会できます", gateway::to_string(s),
                              in.inquiry.error_code.empty() ? "" : " " + in.inquiry.error_code);
    return out;
  }
  const std::string& kind = in.link.kind;
  if (kind == "city_local_tax") return apply_local_tax(c, clock, in);
  if (kind == "city_household") return apply_household(c, clock, in);
  if (kind == "nenkin_old_age_welfare") return apply_old_age_welfare(c, clock, in);
  if (kind == "pref_public_assistance") return apply_assistance(c, clock, in);
  return rejected(Error{ErrorKind::invalid_input, "not an inquiry kind of the premium", "kind"});
}

Result<std::int64_t> queue_recalc(store::Connection& c, const Clock& clock, int fiscal_year,
                                  const std::vector<std::pair<std::string, std::string>>& persons) {
  if (persons.empty()) return 0;
  std::int64_t queued = 0;
  const std::string now = clock.timestamp();
  // Few persons per answer (one household): one statement each.
  for (const auto& [person_id, cause] : persons) {
    auto ins = c.exec(
        "INSERT INTO premium_recalc_queue (person_id, fiscal_year, cause, queued_at) SELECT a.person_id, a.fiscal_year, "
        "CAST($3 AS TEXT), CAST($4 AS TEXT) FROM premium_assessment a WHERE a.person_id = $1 AND a.fiscal_year = $2 AND "
        "a.is_current = 1 ON CONFLICT (person_id, fiscal_year) DO NOTHING",
        {person_id, std::int64_t{fiscal_year}, cause, now});
    if (!ins) return std::unexpected(ins.error());
    auto in_queue = c.query_one("SELECT 1 FROM premium_recalc_queue WHERE person_id = $1 AND fiscal_year = $2",
                                {person_id, std::int64_t{fiscal_year}});
    if (!in_queue) return std::unexpected(in_queue.error());
    if (*in_queue) ++queued;
  }
  return queued;
}

}  // namespace kaigo::premium::detail

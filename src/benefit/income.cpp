// The household income inputs (income.hpp): set-based reads of kaigo's own facts for a set of
// persons on one day, in chunks of persons (a handful of statements per chunk, never one per person).
#include "benefit/income.hpp"
#include "benefit/income_internal.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace kaigo::benefit {

namespace {

constexpr int kChunk = detail::kGatherChunk;

std::string yen(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out + "円";
}

// The household rows in effect on $1 (person_history, valid_to exclusive; the person row for a
// person without history), restricted first to the chunk's subjects (`hs`) and then to the
// members of their households (`hh`), so a chunk costs what its persons and their households
// cost, never the whole city (indexes person_history_person / _household, person_household).
// `subj` is the chunk's subjects: the bound parameters from $6.
constexpr const char* kHouseholdCte =
    "WITH subj AS (SELECT person_id FROM person WHERE person_id IN ({}) AND CAST($1 AS TEXT) IS NOT NULL AND "
    "CAST($2 AS TEXT) IS NOT NULL AND CAST($3 AS TEXT) IS NOT NULL AND CAST($4 AS BIGINT) IS NOT NULL AND "
    "CAST($5 AS TEXT) IS NOT NULL), "
    "hs AS (SELECT h.person_id, h.household_id, h.registry_status FROM person_history h "
    "WHERE h.person_id IN (SELECT person_id FROM subj) AND h.valid_from <= $1 AND (h.valid_to IS NULL OR h.valid_to > $1) "
    "UNION SELECT p.person_id, p.household_id, p.registry_status FROM person p WHERE p.person_id IN (SELECT person_id FROM subj) "
    "AND NOT EXISTS (SELECT 1 FROM person_history x WHERE x.person_id = p.person_id)), "
    "hh AS (SELECT h.person_id, h.household_id, h.registry_status FROM person_history h "
    "WHERE h.household_id IN (SELECT household_id FROM hs) AND h.valid_from <= $1 AND (h.valid_to IS NULL OR h.valid_to > $1) "
    "UNION SELECT p.person_id, p.household_id, p.registry_status FROM person p WHERE p.household_id IN (SELECT household_id FROM hs) "
    "AND NOT EXISTS (SELECT 1 FROM person_history x WHERE x.person_id = p.person_id)) ";

struct TaxRow {
  std::int64_t id = 0;
  std::int64_t total_income = 0, public_pension_income = 0, pension_misc_income = 0, land_sale = 0,
               taxable_income = 0;
  bool taxed = false;
  std::string recorded_at;
};

struct Chunk {
  std::string cursor;                                         // the last subject read ("" at the end)
  std::vector<std::string> subjects;                          // person_id order
  std::map<std::string, std::string> household_of;           // subject → household_id
  std::map<std::string, std::vector<std::string>> members;   // subject → member ids (self included)
  std::map<std::string, Date> birth;                          // every member
  std::map<std::string, TaxRow> tax;                          // member → latest own row of the year
  std::map<std::string, std::vector<FactUsed>> member_status; // subject → FK-06/KY-11 member rows
  std::map<std::string, bool> member_status_taxed;            // subject → someone elsewhere taxed
  std::map<std::string, FactUsed> welfare, old_age_welfare;   // subject → the row in effect
  std::map<std::string, std::string> category;                // subject → '1' / '2' on the day
  std::set<std::string> first_january_resident;              // members resident here on 1 January
};

// Reads one chunk. The chunk is the next kChunk persons after `after` selected by `subject_sql`
// (its parameters numbered from $6; $1 … $5 are the day, the lower bound, an unused upper bound,
// the income year, 1 January after it), taken in person_id order straight from the subject (an
// index range, never the subjects before it); `cursor` is the last of them, `subjects` those of
// them in the person table. Every later statement of the chunk takes $1 … $5 and then the
// chunk's person ids as parameters (kHouseholdCte).
Result<Chunk> read_chunk(store::Connection& c, const std::string& subject_sql, const store::Params& subject_params,
                         Date on, int tax_year, const std::string& after) {
  Chunk ch;
  const Date jan1(tax_year + 1, 1, 1);
  store::Params first{on.iso(), after, std::string("~"), static_cast<std::int64_t>(tax_year), jan1.iso()};
  for (const auto& v : subject_params) first.push_back(v);
  auto ids = c.query(fmt::format("SELECT s.person_id, p.person_id FROM (SELECT DISTINCT x.person_id FROM ({}) x "
                                 "WHERE x.person_id > $2 ORDER BY x.person_id LIMIT {}) s "
                                 "LEFT JOIN person p ON p.person_id = s.person_id WHERE CAST($1 AS TEXT) IS NOT NULL "
                                 "AND CAST($3 AS TEXT) IS NOT NULL AND CAST($4 AS BIGINT) IS NOT NULL AND "
                                 "CAST($5 AS TEXT) IS NOT NULL ORDER BY s.person_id",
                                 subject_sql, kChunk),
                     first);
  if (!ids) return std::unexpected(ids.error());
  for (const auto& r : *ids) {
    ch.cursor = r.str(0);
    if (!r.is_null(1)) ch.subjects.push_back(r.str(1));
  }
  if (ch.subjects.empty()) return ch;
  store::Params range{on.iso(), after, ch.cursor, static_cast<std::int64_t>(tax_year), jan1.iso()};
  std::string list;
  for (const auto& s : ch.subjects) {
    list += fmt::format("{}CAST(${} AS TEXT)", list.empty() ? "" : ", ", range.size() + 1);
    range.push_back(s);
  }
  const std::string cte = fmt::format(fmt::runtime(kHouseholdCte), list);
  // The subjects are persons (read above): their own rows are looked up by the bound list.
  const std::string in_subj = list;
  std::set<std::string> subjects(ch.subjects.begin(), ch.subjects.end());

  // The households on the day and their resident members (the subject always counts).
  auto members = c.query(
      fmt::format("{}SELECT s.person_id, s.household_id, m.person_id, p.birth_date FROM hs s "
                  "JOIN hh m ON m.household_id = s.household_id AND (m.person_id = s.person_id OR m.registry_status = 'resident') "
                  "JOIN person p ON p.person_id = m.person_id "
                  "ORDER BY s.person_id, m.person_id",
                  cte),
      range);
  if (!members) return std::unexpected(members.error());
  for (const auto& r : *members) {
    if (!subjects.contains(r.str(0))) continue;
    ch.household_of[r.str(0)] = r.str(1);
    ch.members[r.str(0)].push_back(r.str(2));
    auto birth = Date::parse(r.str(3));
    if (!birth) return std::unexpected(birth.error());
    ch.birth[r.str(2)] = *birth;
  }
  // A subject without a household row that day (not registered here): a household of one.
  std::vector<std::string> lone;
  for (const auto& s : ch.subjects)
    if (!ch.members.contains(s)) lone.push_back(s);
  if (!lone.empty()) {
    auto rows = c.query(fmt::format("{}SELECT person_id, household_id, birth_date FROM person "
                                    "WHERE person_id IN ({})",
                                    cte, in_subj),
                        range);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) {
      if (!std::binary_search(lone.begin(), lone.end(), r.str(0))) continue;
      ch.household_of[r.str(0)] = r.str(1);
      ch.members[r.str(0)] = {r.str(0)};
      auto birth = Date::parse(r.str(2));
      if (!birth) return std::unexpected(birth.error());
      ch.birth[r.str(0)] = *birth;
    }
  }

  // Every member (the subjects included), read by bound lists of ids: the planners look them up by
  // index (a CTE of the members is estimated large on PostgreSQL and read with a scan of the city).
  std::set<std::string> member_set;
  for (const auto& [subject, ids] : ch.members) member_set.insert(ids.begin(), ids.end());
  const std::vector<std::string> all_members(member_set.begin(), member_set.end());
  for (std::size_t i = 0; i < all_members.size(); i += static_cast<std::size_t>(kChunk)) {
    const std::size_t n = std::min(all_members.size() - i, static_cast<std::size_t>(kChunk));
    store::Params by_year{static_cast<std::int64_t>(tax_year)}, by_jan1{jan1.iso()};
    std::string slice;
    for (std::size_t j = i; j < i + n; ++j) {
      slice += fmt::format("{}CAST(${} AS TEXT)", j == i ? "" : ", ", j - i + 2);
      by_year.push_back(all_members[j]);
      by_jan1.push_back(all_members[j]);
    }
    // The latest own tax row of the income year of every member (never the simulated ledger).
    auto tax = c.query(
        fmt::format("SELECT t.person_id, t.tax_income_id, t.total_income, t.public_pension_income, t.pension_misc_income, "
                    "t.land_sale_special_deduction, t.taxable_income, t.resident_tax_taxed, t.recorded_at FROM tax_income t "
                    "WHERE t.tax_year = CAST($1 AS BIGINT) AND t.source <> 'synthetic_city' AND t.person_id IN ({}) "
                    "ORDER BY t.person_id, t.recorded_at, t.tax_income_id",
                    slice),
        by_year);
    if (!tax) return std::unexpected(tax.error());
    for (const auto& r : *tax)  // ascending: the latest recorded stays
      ch.tax[r.str(0)] = TaxRow{r.i64(1), r.i64(2), r.i64(3), r.i64(4), r.i64(5), r.i64(6), r.i64(7) == 1, r.str(8)};

    // Who lived here on 1 January after the income year (the city's tax office assessed them: KY-06;
    // the others are asked of the 1 January municipality through the gateway: KY-08; 地方税法39条・318条).
    auto jan = c.query(
        fmt::format("SELECT j.person_id FROM person_history j WHERE j.valid_from <= CAST($1 AS TEXT) AND (j.valid_to IS NULL "
                    "OR j.valid_to > CAST($1 AS TEXT)) AND j.registry_status = 'resident' AND j.person_id IN ({0}) "
                    "UNION SELECT p.person_id FROM person p WHERE p.registry_status = 'resident' AND NOT EXISTS "
                    "(SELECT 1 FROM person_history x WHERE x.person_id = p.person_id) AND p.person_id IN ({0})",
                    slice),
        by_jan1);
    if (!jan) return std::unexpected(jan.error());
    for (const auto& r : *jan) ch.first_january_resident.insert(r.str(0));
  }

  // Members living elsewhere (FK-06 / KY-11 answers) of the latest answered inquiry of the year.
  auto status = c.query(
      fmt::format("{}SELECT person_id, inquiry_id, member_status_id, member_key, resident_tax_taxed FROM "
                  "household_member_tax_status WHERE person_id IN ({}) AND tax_year = $4 "
                  "ORDER BY person_id, inquiry_id, member_status_id",
                  cte, in_subj),
      range);
  if (!status) return std::unexpected(status.error());
  std::map<std::string, std::int64_t> latest;
  for (const auto& r : *status) latest[r.str(0)] = r.i64(1);
  for (const auto& r : *status) {
    if (r.i64(1) != latest[r.str(0)]) continue;
    const std::string taxed = r.is_null(4) ? "保有なし" : (r.i64(4) == 1 ? "課税" : "非課税");
    ch.member_status[r.str(0)].push_back(
        FactUsed{"member_tax_status", r.str(0), r.i64(2), fmt::format("別世帯の世帯員 {} の市町村民税: {}", r.str(3), taxed)});
    if (!r.is_null(4) && r.i64(4) == 1) ch.member_status_taxed[r.str(0)] = true;
  }

  // 生活保護 / 老齢福祉年金 in effect on the day (valid_to exclusive).
  auto dated = [&](const char* sql, std::map<std::string, FactUsed>& into, const char* kind, const char* what) -> Result<void> {
    // Never the simulated counterparts' ledgers (source synthetic_city): kaigo's own knowledge only.
    auto rows = c.query(fmt::format("{}SELECT person_id, {} AND person_id IN ({}) "
                                    "AND source <> 'synthetic_city' AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) "
                                    "ORDER BY person_id, valid_from",
                                    cte, sql, in_subj),
                        range);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows)
      into[r.str(0)] = FactUsed{kind, r.str(0), r.i64(1), fmt::format("{} ({}から)", what, r.str(2))};
    return {};
  };
  if (auto r = dated("public_assistance_id, valid_from FROM public_assistance WHERE 1 = 1", ch.welfare,
                     "public_assistance", "生活保護等受給");
      !r)
    return std::unexpected(r.error());
  if (auto r = dated("pension_id, valid_from FROM pension WHERE pension_kind = 'old_age_welfare'", ch.old_age_welfare,
                     "old_age_welfare", "老齢福祉年金受給");
      !r)
    return std::unexpected(r.error());

  // The insured category on the day (eligibility_period, lost_on exclusive).
  auto cat = c.query(fmt::format("{}SELECT person_id, category FROM eligibility_period WHERE person_id IN "
                                 "({}) AND acquired_on <= $1 AND (lost_on IS NULL OR lost_on > $1)",
                                 cte, in_subj),
                     range);
  if (!cat) return std::unexpected(cat.error());
  for (const auto& r : *cat) ch.category[r.str(0)] = r.str(1);
  return ch;
}

PersonIncomeInputs build(const Chunk& ch, const std::string& subject, Date on, int tax_year) {
  PersonIncomeInputs in;
  in.person_id = subject;
  in.on = on;
  in.tax_year = tax_year;
  if (auto it = ch.household_of.find(subject); it != ch.household_of.end()) in.household_id = it->second;
  const auto members_it = ch.members.find(subject);
  const std::vector<std::string> ids = members_it == ch.members.end() ? std::vector<std::string>{subject} : members_it->second;
  in.facts.push_back(FactUsed{"household", subject, 0,
                              fmt::format("{}時点の世帯 {}: 世帯員{}人", on.iso(), in.household_id, ids.size())});

  std::int64_t category1_sum = 0;
  int category1_count = 0;
  for (const auto& id : ids) {
    HouseholdMember m;
    m.person_id = id;
    if (auto b = ch.birth.find(id); b != ch.birth.end()) m.birth_date = b->second;
    m.category_1 = on.age_of(m.birth_date) >= 65;
    if (auto t = ch.tax.find(id); t != ch.tax.end()) {
      const TaxRow& r = t->second;
      m.resident_tax_taxed = r.taxed;
      m.total_income = r.total_income;
      m.taxable_income = r.taxable_income;
      m.public_pension_income = r.public_pension_income;
      m.pension_misc_income = r.pension_misc_income;
      in.facts.push_back(FactUsed{
          "tax_income", id, r.id,
          fmt::format("{}年所得: 合計所得金額 {} (特別控除 {}), 公的年金等収入 {}, 年金雑所得 {}, 課税所得 {}, 市町村民税 {}",
                      tax_year, yen(r.total_income), yen(r.land_sale), yen(r.public_pension_income),
                      yen(r.pension_misc_income), yen(r.taxable_income), r.taxed ? "課税" : "非課税")});
      if (r.taxed) in.high_cost.any_member_taxed = true;
      if (m.category_1) {
        in.high_cost.max_taxable_income = std::max(in.high_cost.max_taxable_income, r.taxable_income);
        // 年金収入 + その他の合計所得金額 (合計所得 − 特別控除 − 年金雑所得, not below 0).
        category1_sum += r.public_pension_income + std::max<std::int64_t>(r.total_income - r.land_sale - r.pension_misc_income, 0);
      }
      if (id == subject) {
        in.high_cost.own_pension_and_income =
            r.public_pension_income + std::max<std::int64_t>(r.total_income - r.land_sale - r.pension_misc_income, 0);
        in.copayment.resident_tax_taxed = r.taxed;
        // 施行令22条の2: 合計所得金額 less the land-sale special deductions (租税特別措置法33条の4 ff.).
        in.copayment.total_income = r.total_income - r.land_sale;
      }
    } else {
      in.missing.push_back(MissingFact{id, "tax_income", tax_year,
                                       ch.first_january_resident.contains(id) ? "KY-06" : "KY-08"});
      if (id == subject) in.copayment.resident_tax_taxed = false;
    }
    if (m.category_1) ++category1_count;
    in.members.push_back(std::move(m));
  }
  if (auto s = ch.member_status.find(subject); s != ch.member_status.end())
    for (const auto& f : s->second) in.facts.push_back(f);
  if (ch.member_status_taxed.contains(subject)) in.high_cost.any_member_taxed = true;
  if (auto w = ch.welfare.find(subject); w != ch.welfare.end()) {
    in.high_cost.public_assistance = in.copayment.public_assistance = true;
    in.facts.push_back(w->second);
  }
  if (auto p = ch.old_age_welfare.find(subject); p != ch.old_age_welfare.end()) {
    in.high_cost.old_age_welfare_pension = true;
    in.facts.push_back(p->second);
  }
  // The category of the day's eligibility; without a period, the age (65 or over: 第1号).
  if (auto c = ch.category.find(subject); c != ch.category.end())
    in.copayment.category_1 = c->second == "1";
  else
    in.copayment.category_1 = on.age_of(in.members.front().birth_date) >= 65;
  in.copayment.household_pension_and_other = category1_sum;
  in.copayment.household_category_1_count = std::max(category1_count, 1);
  return in;
}

Result<void> gather_impl(store::Connection& c, const std::string& subject_sql, const store::Params& subject_params,
                         Date on, int tax_year, const InputsSink& sink) {
  std::string after;
  for (;;) {
    auto ch = read_chunk(c, subject_sql, subject_params, on, tax_year, after);
    if (!ch) return std::unexpected(ch.error());
    if (ch->cursor.empty()) return {};
    for (const auto& s : ch->subjects) {
      auto go_on = sink(build(*ch, s, on, tax_year));
      if (!go_on) return std::unexpected(go_on.error());
      if (!*go_on) return {};
    }
    after = ch->cursor;
  }
}

std::string missing_impl(const std::vector<MissingFact>& missing) {
  std::string out;
  for (const auto& m : missing)
    out += fmt::format("{}{} の{}年所得が未把握 ({}で照会)", out.empty() ? "" : "; ", m.person_id, m.tax_year, m.ask_flow);
  return out;
}

Result<IncomeCategoryResult> decide(const BenefitRules& rules, PersonIncomeInputs in) {
  auto version = rules.on(in.on);
  if (!version) return std::unexpected(version.error());
  auto d = high_cost_category(**version, in.high_cost);
  IncomeCategoryResult out;
  out.category = d.category;
  out.explanation = d.explanation;
  out.provisional = !in.missing.empty();
  if (out.provisional) out.explanation += fmt::format(" [暫定: {}]", missing_impl(in.missing));
  out.inputs = std::move(in);
  return out;
}

}  // namespace

namespace detail {
Result<void> gather_where(store::Connection& c, const std::string& subject_sql, const store::Params& subject_params,
                          Date on, int tax_year, const InputsSink& sink) {
  return gather_impl(c, subject_sql, subject_params, on, tax_year, sink);
}
std::string missing_text(const std::vector<MissingFact>& missing) { return missing_impl(missing); }
std::string yen_text(std::int64_t v) { return yen(v); }
}  // namespace detail

int income_year_of(Date d) { return d.month() >= 8 ? d.year() - 1 : d.year() - 2; }

Result<Date> last_day_of_month(std::string_view month, std::string_view field) {
  if (month.size() != 7 || month[4] != '-')
    return fail(ErrorKind::invalid_input, fmt::format("{}: expected YYYY-MM", field), std::string(field));
  auto first = Date::parse(fmt::format("{}-01", month));
  if (!first) return fail(ErrorKind::invalid_input, fmt::format("{}: not a month", field), std::string(field));
  return first->last_of_month();
}

Result<int> income_year_of_month(std::string_view month, std::string_view field) {
  auto last = last_day_of_month(month, field);
  if (!last) return std::unexpected(last.error());
  return income_year_of(*last);
}

Result<PersonIncomeInputs> gather_income_inputs(store::Connection& c, const std::string& person_id, Date on,
                                                std::optional<int> tax_year) {
  std::optional<PersonIncomeInputs> found;
  auto r = gather_impl(c, "SELECT person_id FROM person WHERE person_id = CAST($6 AS TEXT)", {person_id}, on,
                        tax_year.value_or(income_year_of(on)), [&](const PersonIncomeInputs& in) -> Result<bool> {
                          found = in;
                          return false;
                        });
  if (!r) return std::unexpected(r.error());
  if (!found) return fail(ErrorKind::not_found, "no such person", "person_id");
  return std::move(*found);
}

Result<IncomeCategoryResult> income_category(store::Connection& c, const BenefitRules& rules,
                                             const std::string& person_id, std::string_view month) {
  auto last = last_day_of_month(month);
  if (!last) return std::unexpected(last.error());
  auto in = gather_income_inputs(c, person_id, *last);
  if (!in) return std::unexpected(in.error());
  return decide(rules, std::move(*in));
}

Result<void> income_categories_for_month(store::Connection& c, const BenefitRules& rules, std::string_view month,
                                         const CategorySink& sink) {
  auto last = last_day_of_month(month);
  if (!last) return std::unexpected(last.error());
  return gather_impl(c, "SELECT person_id FROM benefit_record WHERE service_month = CAST($6 AS TEXT) AND status = 'current'",
                      {std::string(month)}, *last, income_year_of(*last),
                      [&](const PersonIncomeInputs& in) -> Result<bool> {
                        auto d = decide(rules, in);
                        if (!d) return std::unexpected(d.error());
                        return sink(*d);
                      });
}

Result<void> gather_income_inputs_for(store::Connection& c, const std::vector<std::string>& person_ids, Date on,
                                      std::optional<int> tax_year, const InputsSink& sink) {
  std::vector<std::string> sorted = person_ids;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  const int year = tax_year.value_or(income_year_of(on));
  // Bounded IN lists of parameters (a few hundred persons at most per statement).
  constexpr std::size_t kList = 500;
  for (std::size_t i = 0; i < sorted.size(); i += kList) {
    store::Params params;
    std::string list;
    for (std::size_t j = i; j < std::min(sorted.size(), i + kList); ++j) {
      list += fmt::format("{}CAST(${} AS TEXT)", list.empty() ? "" : ", ", 6 + params.size());
      params.push_back(sorted[j]);
    }
    bool stopped = false;
    auto r = gather_impl(c, fmt::format("SELECT person_id FROM person WHERE person_id IN ({})", list), params, on, year,
                          [&](const PersonIncomeInputs& in) -> Result<bool> {
                            auto go_on = sink(in);
                            if (go_on && !*go_on) stopped = true;
                            return go_on;
                          });
    if (!r) return std::unexpected(r.error());
    if (stopped) return {};
  }
  return {};
}

Result<std::vector<MissingFact>> missing_for_month(store::Connection& c, std::string_view month) {
  auto last = last_day_of_month(month);
  if (!last) return std::unexpected(last.error());
  std::map<std::string, MissingFact> by_person;
  auto r = gather_impl(c, "SELECT person_id FROM benefit_record WHERE service_month = CAST($6 AS TEXT) AND status = 'current'",
                        {std::string(month)}, *last, income_year_of(*last),
                        [&](const PersonIncomeInputs& in) -> Result<bool> {
                          for (const auto& m : in.missing) by_person.try_emplace(m.person_id, m);
                          return true;
                        });
  if (!r) return std::unexpected(r.error());
  std::vector<MissingFact> out;
  for (auto& [_, m] : by_person) out.push_back(std::move(m));
  return out;
}

}  // namespace kaigo::benefit

// Reading the facts of a chunk of persons, set-based: one query per kind of fact for the whole
// range, never one per person (a yearly run reads 1,000,000 persons in ~100 chunks).
#include <algorithm>

#include <fmt/format.h>

#include "premium/assessment_internal.hpp"

namespace kaigo::premium::detail {
namespace {

// The SQL condition on `column` for a range, with its two parameters.
std::string range_sql(const PersonRange& r, const std::string& column, int first_param) {
  if (r.single) return fmt::format("{0} = ${1} AND {0} = ${2}", column, first_param, first_param + 1);
  return fmt::format("{0} > ${1} AND {0} <= ${2}", column, first_param, first_param + 1);
}
store::Value lower(const PersonRange& r) { return r.single ? r.upto : r.after; }

// Persons with a category-1 period touching FY, or a current assessment of FY.
constexpr const char* kCandidates =
    "SELECT person_id FROM eligibility_period WHERE category = '1' AND acquired_on < $1 "
    "AND (lost_on IS NULL OR lost_on > $2) AND person_id > $3 "
    "UNION SELECT person_id FROM premium_assessment WHERE fiscal_year = $4 AND is_current = 1 AND person_id > $3";

Result<eligibility::EligibilityPeriod> period_of(const store::Row& r) {
  auto acquired = Date::parse(r.str(1));
  if (!acquired) return std::unexpected(acquired.error());
  eligibility::EligibilityPeriod p;
  p.acquired_on = *acquired;
  if (!r.is_null(2)) {
    auto lost = Date::parse(r.str(2));
    if (!lost) return std::unexpected(lost.error());
    p.lost_on = *lost;
  }
  p.category = eligibility::InsuredCategory::category_1;
  auto reason = eligibility::parse_acquisition_reason(r.str(3));
  if (!reason) return std::unexpected(reason.error());
  p.acquisition_reason = *reason;
  if (!r.is_null(4)) {
    auto loss = eligibility::parse_loss_reason(r.str(4));
    if (!loss) return std::unexpected(loss.error());
    p.loss_reason = *loss;
  }
  return p;
}


// person_id, id, kind, valid_from, valid_to, source, source_exchange_id
DatedFact dated_of(const store::Row& r) {
  return DatedFact{r.i64(1), r.str(2), r.str(3), r.opt_str(4), r.str(5), r.opt_i64(6)};
}

}  // namespace

PersonRange PersonRange::one(const std::string& person_id) {
  PersonRange r;
  r.upto = person_id;
  r.single = true;
  return r;
}

Result<std::optional<std::string>> chunk_upper_bound(store::Connection& c, int fy, const std::string& after,
                                                     int limit) {
  // Two ordered index scans with a limit each, merged here: a UNION ... ORDER BY ... LIMIT would
  // build and sort every candidate after the cursor for each chunk (quadratic over a run).
  auto insured = c.query(
      "SELECT DISTINCT person_id FROM eligibility_period WHERE person_id > $1 AND category = '1' AND acquired_on < $2 "
      "AND (lost_on IS NULL OR lost_on > $3) ORDER BY person_id LIMIT $4",
      {after, fiscal_year_end(fy).iso(), fiscal_year_start(fy).iso(), static_cast<std::int64_t>(limit)});
  if (!insured) return std::unexpected(insured.error());
  auto assessed = c.query(
      "SELECT person_id FROM premium_assessment WHERE fiscal_year = $1 AND is_current = 1 AND person_id > $2 "
      "ORDER BY person_id LIMIT $3",
      {static_cast<std::int64_t>(fy), after, static_cast<std::int64_t>(limit)});
  if (!assessed) return std::unexpected(assessed.error());
  std::vector<std::string> merged;
  merged.reserve(insured->size() + assessed->size());
  for (const auto& r : *insured) merged.push_back(r.str(0));
  for (const auto& r : *assessed) merged.push_back(r.str(0));
  std::sort(merged.begin(), merged.end());
  merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  if (merged.empty()) return std::optional<std::string>{};
  return std::optional<std::string>{merged[std::min<std::size_t>(merged.size(), static_cast<std::size_t>(limit)) - 1]};
}

Result<std::int64_t> count_candidates(store::Connection& c, int fy, const std::string& after) {
  auto row = c.query_one(fmt::format("SELECT COUNT(*) FROM ({}) u", kCandidates),
                         {fiscal_year_end(fy).iso(), fiscal_year_start(fy).iso(), after, static_cast<std::int64_t>(fy)});
  if (!row) return std::unexpected(row.error());
  return *row ? (*row)->i64(0) : 0;
}

Result<ChunkFacts> load_chunk(store::Connection& c, int fy, const PersonRange& range) {
  ChunkFacts f;
  const std::string start = fiscal_year_start(fy).iso(), end = fiscal_year_end(fy).iso();
  const store::Value lo = lower(range), hi = range.upto;

  auto periods = c.query(
      fmt::format("SELECT person_id, acquired_on, lost_on, acquisition_reason, loss_reason FROM eligibility_period "
                  "WHERE {} AND category = '1' AND acquired_on < $3 AND (lost_on IS NULL OR lost_on > $4) "
                  "ORDER BY person_id, period_no",
                  range_sql(range, "person_id", 1)),
      {lo, hi, end, start});
  if (!periods) return std::unexpected(periods.error());
  for (const auto& r : *periods) {
    auto p = period_of(r);
    if (!p) return std::unexpected(p.error());
    auto& person = f.persons[r.str(0)];
    person.person_id = r.str(0);
    person.periods.push_back(*p);
  }

  auto current = c.query(fmt::format("SELECT {} FROM premium_assessment WHERE {} AND fiscal_year = $3 AND is_current = 1",
                                     kAssessmentColumns, range_sql(range, "person_id", 1)),
                         {lo, hi, static_cast<std::int64_t>(fy)});
  if (!current) return std::unexpected(current.error());
  for (const auto& r : *current) {
    Assessment a = row_to_assessment(r);
    auto& person = f.persons[a.person_id];
    person.person_id = a.person_id;
    person.current = std::move(a);
  }

  auto numbers = c.query(fmt::format("SELECT person_id, insured_no FROM insured_number WHERE {}",
                                     range_sql(range, "person_id", 1)),
                         {lo, hi});
  if (!numbers) return std::unexpected(numbers.error());
  for (const auto& r : *numbers) {
    auto it = f.persons.find(r.str(0));
    if (it != f.persons.end()) it->second.insured_no = r.str(1);
  }

  // Every member row of the households the persons belonged to during FY (their own rows too).
  const std::string in_fy = "{0}.valid_from < $3 AND ({0}.valid_to IS NULL OR {0}.valid_to > $4)";
  const std::string members_sql = fmt::format(
      "SELECT DISTINCT m.person_id, m.household_id, m.valid_from, m.valid_to, m.registry_status "
      "FROM person_history s JOIN person_history m ON m.household_id = s.household_id "
      "WHERE {} AND {} AND {}",
      range_sql(range, "s.person_id", 1), fmt::format(fmt::runtime(in_fy), "s"), fmt::format(fmt::runtime(in_fy), "m"));
  auto members = c.query(members_sql, {lo, hi, end, start});
  if (!members) return std::unexpected(members.error());
  for (const auto& r : *members) {
    HistoryFact h{r.str(0), r.str(1), r.str(2), r.opt_str(3), r.str(4)};
    if (f.persons.contains(h.person_id)) f.own_rows[h.person_id].push_back(h);
    f.household_rows[h.household_id].push_back(std::move(h));
  }

  // The latest own-source tax row of the income year for each of those persons.
  auto tax = c.query(
      fmt::format("SELECT t.person_id, t.tax_income_id, t.source, t.source_exchange_id, t.recorded_at, t.total_income, "
                  "t.public_pension_income, t.taxable_pension_income, t.pension_misc_income, t.salary_income, "
                  "t.land_sale_special_deduction, t.resident_tax_taxed FROM tax_income t WHERE t.tax_year = $5 "
                  "AND t.source <> 'synthetic_city' AND t.person_id IN (SELECT m.person_id FROM person_history s "
                  "JOIN person_history m ON m.household_id = s.household_id WHERE {} AND {} AND {})",
                  range_sql(range, "s.person_id", 1), fmt::format(fmt::runtime(in_fy), "s"),
                  fmt::format(fmt::runtime(in_fy), "m")),
      {lo, hi, end, start, static_cast<std::int64_t>(fy - 1)});
  if (!tax) return std::unexpected(tax.error());
  for (const auto& r : *tax) {
    TaxFact t{r.i64(1), r.str(2), r.opt_i64(3), r.str(4), r.i64(5), r.i64(6), r.i64(7), r.i64(8), r.i64(9), r.i64(10),
              r.i64(11) == 1};
    auto [it, fresh] = f.tax.try_emplace(r.str(0), t);
    // Latest recorded wins; the id breaks ties of the same timestamp.
    if (!fresh && std::tie(t.recorded_at, t.tax_income_id) > std::tie(it->second.recorded_at, it->second.tax_income_id))
      it->second = t;
  }

  // Welfare and 老齢福祉年金 rows touching FY: the same shape from two tables.
  auto dated = [&](const char* select_from, std::vector<DatedFact> PersonFacts::*into) -> Result<void> {
    auto rows = c.query(fmt::format("SELECT {} AND {} AND valid_from < $3 AND (valid_to IS NULL OR valid_to > $4)",
                                    select_from, range_sql(range, "person_id", 1)),
                        {lo, hi, end, start});
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows)
      if (auto it = f.persons.find(r.str(0)); it != f.persons.end()) (it->second.*into).push_back(dated_of(r));
    return {};
  };
  auto welfare = dated("person_id, public_assistance_id, kind, valid_from, valid_to, source, source_exchange_id "
                       "FROM public_assistance WHERE 1 = 1",
                       &PersonFacts::assistance);
  if (!welfare) return std::unexpected(welfare.error());
  auto pensions = dated("person_id, pension_id, pension_kind, valid_from, valid_to, source, source_exchange_id "
                        "FROM pension WHERE pension_kind = 'old_age_welfare'",
                        &PersonFacts::old_age_welfare);
  if (!pensions) return std::unexpected(pensions.error());

  // FK-06 answers: the members of the latest answered inquiry of FY per person.
  auto answered = c.query(
      fmt::format("SELECT person_id, inquiry_id, member_status_id, member_key, member_person_id, resident_tax_taxed, "
                  "source_exchange_id FROM household_member_tax_status WHERE {} AND fiscal_year = $3 "
                  "ORDER BY person_id, inquiry_id",
                  range_sql(range, "person_id", 1)),
      {lo, hi, static_cast<std::int64_t>(fy)});
  if (!answered) return std::unexpected(answered.error());
  std::map<std::string, std::int64_t> latest_inquiry;
  for (const auto& r : *answered) latest_inquiry[r.str(0)] = r.i64(1);  // ascending: the last one stays
  for (const auto& r : *answered) {
    auto it = f.persons.find(r.str(0));
    if (it == f.persons.end() || r.i64(1) != latest_inquiry[r.str(0)]) continue;
    std::optional<bool> taxed;
    if (!r.is_null(5)) taxed = r.i64(5) == 1;
    it->second.answered_members.push_back(AnsweredMember{r.i64(2), r.str(3), r.opt_str(4), taxed, r.opt_i64(6)});
  }
  return f;
}

}  // namespace kaigo::premium::detail

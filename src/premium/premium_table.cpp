// The premium table's types and its validation: the checks that make the stage of every person
// unambiguous (premium_table.hpp) before a single assessment is computed.
#include "premium/premium_table.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include <fmt/format.h>

#include "premium/premium_table_text.hpp"

namespace kaigo::premium {

namespace {

constexpr std::array kStatuses = {TaxStatus::household_untaxed, TaxStatus::self_untaxed_household_taxed,
                                  TaxStatus::self_taxed};

// Sanity limits that keep the integer arithmetic (base × ratio numerator, bounds ± 1) far from
// overflow; real tables are five orders of magnitude below them.
constexpr std::int64_t kMaxBound = 1'000'000'000'000;  // 1兆円
constexpr std::int64_t kMaxBaseAmount = 10'000'000;    // 1千万円 a year (real ones: 6〜11万円)
constexpr std::int64_t kMaxRatioDenominator = 1'000'000;
const Ratio kMaxRatio{10, 1};

std::unexpected<Error> bad(const std::string& path, const std::string& what) {
  return fail(ErrorKind::invalid_input, fmt::format("{}: {}", path, what), path);
}

// An interval over the integers (the measures are whole yen): [lo, hi], hi = max for "no bound".
struct Span {
  std::int64_t lo = 0;
  std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  bool unbounded() const { return hi == std::numeric_limits<std::int64_t>::max(); }
};

Span span_of(const IncomeInterval& i) {
  Span s;
  if (i.lower) s.lo = i.lower_inclusive ? *i.lower : *i.lower + 1;
  if (i.upper) s.hi = i.upper_inclusive ? *i.upper : *i.upper - 1;
  return s;
}

struct Placed {
  std::size_t stage = 0;
  std::size_t alternative = 0;
  const Stage* s = nullptr;
  const StageAlternative* alt = nullptr;
  Span span;
};

std::string alt_path(const std::string& version_path, const Placed& p) {
  return fmt::format("{}.stages[{}].alternatives[{}]", version_path, p.stage, p.alternative);
}

std::string who(const Placed& p) { return fmt::format("{} ({})", p.s->label, p.alt->interval.describe()); }

Result<void> check_rounding(const std::string& path, const Rounding& r) {
  if (r.unit != 1 && r.unit != 10 && r.unit != 100 && r.unit != 1000)
    return bad(path + ".unit", fmt::format("rounding unit {} is not 1, 10, 100 or 1000", r.unit));
  return {};
}

Result<void> check_ratio(const std::string& path, const Ratio& r) {
  if (r <= Ratio(0, 1)) return bad(path, fmt::format("ratio {} must be greater than 0", r.decimal()));
  if (r > kMaxRatio) return bad(path, fmt::format("ratio {} is larger than 10 times the base amount", r.decimal()));
  if (r.den() > kMaxRatioDenominator)
    return bad(path, fmt::format("ratio {} has more than 6 decimal places", r.decimal()));
  return {};
}

Result<void> check_interval(const std::string& path, const IncomeInterval& i) {
  for (auto [bound, name] : {std::pair{i.lower, "lower"}, std::pair{i.upper, "upper"}}) {
    if (bound && (*bound < 0 || *bound > kMaxBound))
      return bad(path + "." + name, fmt::format("{} yen is outside 0 … 1,000,000,000,000", with_commas(*bound)));
  }
  const Span s = span_of(i);
  if (s.lo > s.hi) return bad(path, fmt::format("the interval {} holds no amount", i.describe()));
  return {};
}

// For one status: the income intervals must partition [0, ∞) over whole yen.
Result<void> check_partition(const std::string& vpath, TaxStatus status, std::vector<Placed> placed) {
  const std::string sname = status_label(status);
  if (placed.empty())
    return bad(vpath + ".stages",
               fmt::format("no stage takes '{}' by income: every status needs intervals from 0 yen upwards", to_code(status)));
  const IncomeMeasure measure = placed.front().alt->measure;
  for (const Placed& p : placed)
    if (p.alt->measure != measure)
      return bad(alt_path(vpath, p) + ".measure",
                 fmt::format("'{}' uses the measure {} here and {} in {}: one status, one measure", to_code(status),
                             to_code(p.alt->measure), to_code(measure), placed.front().s->label));
  std::stable_sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) { return a.span.lo < b.span.lo; });
  if (placed.front().span.lo != 0)
    return bad(alt_path(vpath, placed.front()) + ".lower",
               fmt::format("gap: for {} no stage takes amounts from 0 yen up to {} ({} is the lowest interval)", sname,
                           with_commas(placed.front().span.lo - 1), who(placed.front())));
  for (std::size_t k = 1; k < placed.size(); ++k) {
    const Placed& prev = placed[k - 1];
    const Placed& next = placed[k];
    const std::string at = alt_path(vpath, next) + ".lower";
    if (prev.span.unbounded() || next.span.lo <= prev.span.hi) {
      const bool same_boundary = prev.alt->interval.upper && next.alt->interval.lower &&
                                 *prev.alt->interval.upper == *next.alt->interval.lower &&
                                 prev.alt->interval.upper_inclusive && next.alt->interval.lower_inclusive;
      if (same_boundary)
        return bad(at, fmt::format("overlap: for {} the boundary {} yen is included by both {} and {}; one of them must "
                                   "exclude it (以下 and を超える, or 未満 and 以上)",
                                   sname, with_commas(*next.alt->interval.lower), who(prev), who(next)));
      return bad(at, fmt::format("overlap: for {} the amounts from {} yen are in both {} and {}", sname,
                                 with_commas(next.span.lo), who(prev), who(next)));
    }
    if (next.span.lo > prev.span.hi + 1) {
      const std::int64_t from = prev.span.hi + 1, to = next.span.lo - 1;
      const std::string amounts = from == to ? fmt::format("the amount {} yen", with_commas(from))
                                             : fmt::format("the amounts from {} to {} yen", with_commas(from), with_commas(to));
      return bad(at, fmt::format("gap: for {} no stage takes {}, between {} and {}", sname, amounts, who(prev), who(next)));
    }
  }
  if (!placed.back().span.unbounded())
    return bad(alt_path(vpath, placed.back()) + ".upper",
               fmt::format("gap: for {} no stage takes amounts above {} yen ({} is the highest interval; leave its upper "
                           "bound out)",
                           sname, with_commas(placed.back().span.hi), who(placed.back())));
  return {};
}

Result<void> check_version(const PremiumTable& t, std::size_t vi) {
  const PremiumTableVersion& v = t.versions[vi];
  const std::string vpath = fmt::format("versions[{}]", vi);
  const Date from = v.effective_from;
  if (from.month() != 4 || from.day() != 1)
    return bad(vpath + ".effective_from",
               fmt::format("{} is not a 1 April: a version starts on the 賦課期日 of a fiscal year", from.iso()));
  if (from.fiscal_year() < t.first_fiscal_year || from.fiscal_year() > t.last_fiscal_year)
    return bad(vpath + ".effective_from", fmt::format("{} is outside the plan period FY{}–FY{}", from.iso(),
                                                      t.first_fiscal_year, t.last_fiscal_year));
  if (vi == 0 && from != Date(t.first_fiscal_year, 4, 1))
    return bad(vpath + ".effective_from",
               fmt::format("the first version must start on {} (the plan period's first 1 April), not {}",
                           Date(t.first_fiscal_year, 4, 1).iso(), from.iso()));
  if (vi > 0 && from <= t.versions[vi - 1].effective_from)
    return bad(vpath + ".effective_from", fmt::format("{} is not after the previous version's {}: versions ascend",
                                                      from.iso(), t.versions[vi - 1].effective_from.iso()));
  if (v.base_amount <= 0 || v.base_amount > kMaxBaseAmount)
    return bad(vpath + ".base_amount", fmt::format("base amount {} yen is not between 1 and 10,000,000", with_commas(v.base_amount)));
  if (v.salary_income_deduction < 0 || v.salary_income_deduction > kMaxBound)
    return bad(vpath + ".salary_income_deduction", "must be 0 or more yen");
  if (auto r = check_rounding(vpath + ".annual_rounding", v.annual_rounding); !r) return r;
  if (auto r = check_rounding(vpath + ".proration_rounding", v.proration_rounding); !r) return r;
  if (v.stages.empty()) return bad(vpath + ".stages", "a version needs at least one stage");

  int welfare = 0;
  std::array<std::vector<Placed>, kStatuses.size()> intervals;
  std::array<const Stage*, kStatuses.size()> owp{};
  for (std::size_t si = 0; si < v.stages.size(); ++si) {
    const Stage& s = v.stages[si];
    const std::string spath = fmt::format("{}.stages[{}]", vpath, si);
    if (s.number != static_cast<int>(si) + 1)
      return bad(spath + ".number", fmt::format("stage number {} where {} is expected: stages are numbered 1, 2, 3 … in order",
                                                s.number, si + 1));
    if (s.label.empty()) return bad(spath + ".label", "a stage needs a label (e.g. 第1段階)");
    if (auto r = check_ratio(spath + ".ratio", s.ratio); !r) return r;
    if (s.reduced_ratio) {
      if (auto r = check_ratio(spath + ".reduced_ratio", *s.reduced_ratio); !r) return r;
      if (*s.reduced_ratio > s.ratio)
        return bad(spath + ".reduced_ratio", fmt::format("the reduced ratio {} is above the ratio {}",
                                                         s.reduced_ratio->decimal(), s.ratio.decimal()));
    }
    if (s.welfare && ++welfare > 1)
      return bad(spath + ".welfare", fmt::format("a second welfare stage: exactly one stage takes 生活保護 recipients"));
    bool reachable = s.welfare;
    for (std::size_t ai = 0; ai < s.alternatives.size(); ++ai) {
      const StageAlternative& a = s.alternatives[ai];
      const std::string apath = fmt::format("{}.alternatives[{}]", spath, ai);
      const auto k = static_cast<std::size_t>(std::find(kStatuses.begin(), kStatuses.end(), a.status) - kStatuses.begin());
      if (k >= kStatuses.size()) return bad(apath + ".status", "unknown tax status");
      if (a.old_age_welfare_pension) {
        if (owp[k])
          return bad(apath + ".old_age_welfare_pension",
                     fmt::format("老齢福祉年金 with '{}' already leads to {}: one stage per status", to_code(a.status), owp[k]->label));
        owp[k] = &s;
        reachable = true;
        continue;
      }
      if (auto r = check_interval(apath, a.interval); !r) return r;
      intervals[k].push_back(Placed{si, ai, &s, &a, span_of(a.interval)});
      reachable = true;
    }
    if (!reachable)
      return bad(spath, fmt::format("{} is unreachable: it is not the welfare stage and has no alternative", s.label));
  }
  if (welfare == 0) return bad(vpath + ".stages", "no welfare stage: exactly one stage must take 生活保護 recipients");
  for (std::size_t k = 0; k < kStatuses.size(); ++k)
    if (auto r = check_partition(vpath, kStatuses[k], intervals[k]); !r) return r;
  return {};
}

}  // namespace

std::string_view to_code(TaxStatus s) {
  switch (s) {
    case TaxStatus::household_untaxed: return "household_untaxed";
    case TaxStatus::self_untaxed_household_taxed: return "self_untaxed_household_taxed";
    case TaxStatus::self_taxed: return "self_taxed";
  }
  return "?";
}

Result<TaxStatus> tax_status_from_code(std::string_view code) {
  for (TaxStatus s : kStatuses)
    if (to_code(s) == code) return s;
  return fail(ErrorKind::invalid_input,
              fmt::format("'{}' is not a tax status (household_untaxed, self_untaxed_household_taxed, self_taxed)", code),
              "status");
}

std::string_view to_code(IncomeMeasure m) {
  switch (m) {
    case IncomeMeasure::pension_revenue_plus_other: return "pension_revenue_plus_other";
    case IncomeMeasure::total_income: return "total_income";
  }
  return "?";
}

Result<IncomeMeasure> income_measure_from_code(std::string_view code) {
  for (IncomeMeasure m : {IncomeMeasure::pension_revenue_plus_other, IncomeMeasure::total_income})
    if (to_code(m) == code) return m;
  return fail(ErrorKind::invalid_input,
              fmt::format("'{}' is not an income measure (pension_revenue_plus_other, total_income)", code), "measure");
}

bool IncomeInterval::contains(std::int64_t x) const {
  if (lower && (lower_inclusive ? x < *lower : x <= *lower)) return false;
  if (upper && (upper_inclusive ? x > *upper : x >= *upper)) return false;
  return true;
}

std::string IncomeInterval::describe() const {
  // "From 0 yen inclusive" is what no lower bound means; say nothing about it.
  const bool has_lower = lower && !(*lower == 0 && lower_inclusive);
  std::string out;
  if (has_lower) {
    out = man_yen(*lower);
    if (upper) out += lower_inclusive ? "以上" : "を超え";
    else out += lower_inclusive ? "以上" : "を超える";
  }
  if (upper) out += man_yen(*upper) + (upper_inclusive ? "以下" : "未満");
  return out.empty() ? "金額にかかわらず" : out;
}

const PremiumTableVersion* PremiumTable::version_on(Date day) const {
  if (day < Date(first_fiscal_year, 4, 1) || day > Date(last_fiscal_year + 1, 3, 31)) return nullptr;
  const PremiumTableVersion* found = nullptr;
  for (const PremiumTableVersion& v : versions)
    if (v.effective_from <= day) found = &v;
  return found;
}

Result<void> validate(const PremiumTable& t) {
  if (t.name.empty()) return bad("name", "the table needs a name");
  if (t.first_fiscal_year < 2000 || t.first_fiscal_year > 2200)
    return bad("first_fiscal_year", fmt::format("{} is not a fiscal year", t.first_fiscal_year));
  if (t.last_fiscal_year < t.first_fiscal_year || t.last_fiscal_year > t.first_fiscal_year + 9)
    return bad("last_fiscal_year", fmt::format("{} does not close a plan period that starts in {}", t.last_fiscal_year,
                                               t.first_fiscal_year));
  if (t.versions.empty()) return bad("versions", "the table needs at least one version");
  for (std::size_t vi = 0; vi < t.versions.size(); ++vi)
    if (auto r = check_version(t, vi); !r) return r;
  return {};
}

const PremiumTable* table_for(const std::vector<PremiumTable>& tables, int fiscal_year) {
  for (const PremiumTable& t : tables)
    if (t.first_fiscal_year <= fiscal_year && fiscal_year <= t.last_fiscal_year) return &t;
  return nullptr;
}

}  // namespace kaigo::premium

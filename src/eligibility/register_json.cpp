// Periods as rows and as JSON (the revision history stores the diff as JSON).
#include <algorithm>

#include "eligibility/register_internal.hpp"

namespace kaigo::eligibility::detail {

nlohmann::json period_json(const EligibilityPeriod& p) {
  return {{"acquired_on", p.acquired_on.iso()},
          {"lost_on", p.lost_on ? nlohmann::json(p.lost_on->iso()) : nlohmann::json(nullptr)},
          {"category", std::string(to_code(p.category))},
          {"acquisition_reason", std::string(to_code(p.acquisition_reason))},
          {"loss_reason", p.loss_reason ? nlohmann::json(std::string(to_code(*p.loss_reason))) : nlohmann::json(nullptr)}};
}

nlohmann::json changes_json(const std::vector<PeriodChange>& changes) {
  auto out = nlohmann::json::array();
  for (const PeriodChange& ch : changes) {
    const char* kind = ch.kind == PeriodChangeKind::added ? "added" : ch.kind == PeriodChangeKind::removed ? "removed" : "changed";
    out.push_back({{"kind", kind},
                   {"before", ch.before ? period_json(*ch.before) : nlohmann::json(nullptr)},
                   {"after", ch.after ? period_json(*ch.after) : nlohmann::json(nullptr)}});
  }
  return out;
}

namespace {

// The first day on which two versions of a period disagree about being insured or how.
Date first_difference(const EligibilityPeriod& a, const EligibilityPeriod& b) {
  if (a.acquired_on != b.acquired_on || a.acquisition_reason != b.acquisition_reason || a.category != b.category)
    return std::min(a.acquired_on, b.acquired_on);
  if (a.lost_on && b.lost_on) return std::min(*a.lost_on, *b.lost_on);
  if (a.lost_on) return *a.lost_on;
  if (b.lost_on) return *b.lost_on;
  return a.acquired_on;  // only a reason differs
}

}  // namespace

Date earliest_change(const std::vector<PeriodChange>& changes) {
  std::optional<Date> earliest;
  for (const PeriodChange& ch : changes) {
    Date d = ch.before && ch.after ? first_difference(*ch.before, *ch.after)
             : ch.after            ? ch.after->acquired_on
                                   : ch.before->acquired_on;
    if (!earliest || d < *earliest) earliest = d;
  }
  return earliest.value_or(Date{});
}

EligibilityPeriod period_from_row(const store::Row& r, std::size_t i) {
  EligibilityPeriod p;
  // Stored by this library only; a value that does not parse is a broken invariant.
  auto must = [](auto result) {
    if (!result) throw std::logic_error("eligibility_period holds a value the register did not write");
    return *result;
  };
  p.acquired_on = must(Date::parse(r.str(i)));
  if (!r.is_null(i + 1)) p.lost_on = must(Date::parse(r.str(i + 1)));
  p.category = must(parse_insured_category(r.str(i + 2)));
  p.acquisition_reason = must(parse_acquisition_reason(r.str(i + 3)));
  if (!r.is_null(i + 4)) p.loss_reason = must(parse_loss_reason(r.str(i + 4)));
  return p;
}

}  // namespace kaigo::eligibility::detail

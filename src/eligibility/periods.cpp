#include "eligibility/periods.hpp"

#include <algorithm>
#include <type_traits>

namespace kaigo::eligibility {

namespace {

// What the city knows about the person on one day.
struct State {
  bool address = false;             // a 住民票 address here
  bool ours_living_elsewhere = false;
  bool theirs_living_here = false;
  bool medical_insurance = false;
  bool exempt = false;
  bool dead = false;
  LossReason address_loss = LossReason::move_out_domestic;  // how the address last ended

  bool resident() const { return address || ours_living_elsewhere; }
};

// A fact's effect: the first day on which the state is different, and the change itself.
struct Effect {
  Date from;
  const Fact* fact;
};

Date effective_from(const Fact& fact) {
  return std::visit(
      [](const auto& f) -> Date {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, MoveIn> || std::is_same_v<F, MedicalInsuranceGained> ||
                      std::is_same_v<F, ExemptFacilityLeft>)
          return acquisition_date(f);
        else if constexpr (std::is_same_v<F, FormerAddressRuleStarted> || std::is_same_v<F, FormerAddressRuleEnded>)
          return f.on;
        else
          return loss_date(f);
      },
      fact);
}

void apply(State& s, const Fact& fact) {
  if (s.dead) return;  // nothing after death changes eligibility
  std::visit(
      [&s](const auto& f) {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, MoveIn>) {
          s.address = true;
        } else if constexpr (std::is_same_v<F, MoveOut>) {
          s.address = false;
          s.address_loss = LossReason::move_out_domestic;
        } else if constexpr (std::is_same_v<F, Emigration>) {
          s.address = false;
          s.address_loss = LossReason::emigration;
        } else if constexpr (std::is_same_v<F, Death>) {
          s.dead = true;
        } else if constexpr (std::is_same_v<F, MedicalInsuranceGained>) {
          s.medical_insurance = true;
        } else if constexpr (std::is_same_v<F, MedicalInsuranceLost>) {
          s.medical_insurance = false;
        } else if constexpr (std::is_same_v<F, ExemptFacilityEntered>) {
          s.exempt = true;
        } else if constexpr (std::is_same_v<F, ExemptFacilityLeft>) {
          s.exempt = false;
        } else if constexpr (std::is_same_v<F, FormerAddressRuleStarted>) {
          (f.direction == FormerAddressDirection::ours_living_elsewhere ? s.ours_living_elsewhere
                                                                        : s.theirs_living_here) = true;
        } else {
          static_assert(std::is_same_v<F, FormerAddressRuleEnded>);
          (f.direction == FormerAddressDirection::ours_living_elsewhere ? s.ours_living_elsewhere
                                                                        : s.theirs_living_here) = false;
        }
      },
      fact);
}

std::optional<InsuredCategory> category(Date birth, Date day, const State& s) {
  if (s.dead || s.theirs_living_here) return std::nullopt;  // 法13条: the other city insures
  return category_on(birth, day, s.resident(), s.medical_insurance, s.exempt);
}

// Why the person became insured on `day` (they were not the day before). At least one condition
// turned from false to true; when several did on the same day the address comes first (a person
// who moves in on the day they reach 65 is recorded as 転入), then the other facts, then the age.
AcquisitionReason acquisition_reason(Date birth, Date day, const State& was, const State& now, InsuredCategory cat) {
  if (!was.resident() && now.resident()) return AcquisitionReason::move_in;
  if (was.theirs_living_here && !now.theirs_living_here) return AcquisitionReason::former_address_rule_ended;
  if (was.exempt && !now.exempt) return AcquisitionReason::left_exempt_facility;
  if (cat == InsuredCategory::category_1 && day == date_reaching(birth, 65)) return AcquisitionReason::reaching_65;
  if (cat == InsuredCategory::category_2 && day == date_reaching(birth, 40))
    return AcquisitionReason::reaching_40_with_medical_insurance;
  // Nothing else is left: a 40–64 resident who joined a medical insurance (10条3号).
  return AcquisitionReason::medical_insurance_gained;
}

// Why the person stopped being insured on `day`. Death first, then the address, then the rest.
LossReason loss_reason(const State& was, const State& now) {
  if (now.dead) return LossReason::death;
  if (was.ours_living_elsewhere && !now.ours_living_elsewhere && !now.address)
    return LossReason::former_address_rule_ended;
  if (!now.resident()) return now.address_loss;
  if (!was.theirs_living_here && now.theirs_living_here) return LossReason::former_address_rule_elsewhere;
  if (!was.exempt && now.exempt) return LossReason::entered_exempt_facility;
  return LossReason::medical_insurance_lost;  // the only condition left for category 2
}

bool overlaps(const EligibilityPeriod& a, const EligibilityPeriod& b) {
  const bool a_before_b_ends = !b.lost_on || a.acquired_on < *b.lost_on;
  const bool b_before_a_ends = !a.lost_on || b.acquired_on < *a.lost_on;
  return a_before_b_ends && b_before_a_ends;
}

}  // namespace

std::vector<EligibilityPeriod> derive_periods(const PersonFacts& person) {
  std::vector<Effect> effects;
  effects.reserve(person.facts.size());
  for (const Fact& f : person.facts) effects.push_back({effective_from(f), &f});
  std::stable_sort(effects.begin(), effects.end(), [](const Effect& a, const Effect& b) { return a.from < b.from; });

  // The state can only change on an effect's day or when an age is reached.
  std::vector<Date> days;
  for (const Effect& e : effects) days.push_back(e.from);
  days.push_back(date_reaching(person.birth, 40));
  days.push_back(date_reaching(person.birth, 65));
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());

  std::vector<EligibilityPeriod> periods;
  State state;
  std::optional<InsuredCategory> current;
  std::size_t next = 0;
  for (Date day : days) {
    const State was = state;
    while (next < effects.size() && effects[next].from <= day) apply(state, *effects[next++].fact);
    const std::optional<InsuredCategory> cat = category(person.birth, day, state);
    if (cat == current) continue;
    if (current) {
      EligibilityPeriod& open = periods.back();
      open.lost_on = day;
      open.loss_reason = cat ? LossReason::category_change : loss_reason(was, state);
    }
    if (cat) {
      const AcquisitionReason reason =
          current ? AcquisitionReason::category_change : acquisition_reason(person.birth, day, was, state, *cat);
      periods.push_back({day, std::nullopt, *cat, reason, std::nullopt});
    }
    current = cat;
  }
  return periods;
}

std::vector<EligibilityPeriod> known_until(std::vector<EligibilityPeriod> periods, Date horizon) {
  std::erase_if(periods, [&](const EligibilityPeriod& p) { return p.acquired_on > horizon; });
  for (EligibilityPeriod& p : periods)
    if (p.lost_on && *p.lost_on > horizon) {
      p.lost_on.reset();
      p.loss_reason.reset();
    }
  return periods;
}

Date register_horizon(Date today) { return today.add_months(2).last_of_month(); }

std::vector<PeriodChange> diff_periods(const std::vector<EligibilityPeriod>& before,
                                       const std::vector<EligibilityPeriod>& after) {
  std::vector<PeriodChange> changes;
  std::vector<bool> matched(before.size(), false);
  for (const EligibilityPeriod& now : after) {
    std::optional<std::size_t> same;
    for (std::size_t i = 0; i < before.size() && !same; ++i)
      if (!matched[i] && before[i].category == now.category && overlaps(before[i], now)) same = i;
    if (!same) {
      changes.push_back({PeriodChangeKind::added, std::nullopt, now});
      continue;
    }
    matched[*same] = true;
    if (before[*same] != now) changes.push_back({PeriodChangeKind::changed, before[*same], now});
  }
  for (std::size_t i = 0; i < before.size(); ++i)
    if (!matched[i]) changes.push_back({PeriodChangeKind::removed, before[i], std::nullopt});
  return changes;
}

}  // namespace kaigo::eligibility

// The what-if: the yearly run's reading and computing, tallied per stage instead of written.
#include <map>

#include <fmt/format.h>

#include "premium/assessment_internal.hpp"
#include "premium/simulation.hpp"

namespace kaigo::premium {
namespace {

TableTally empty_tally(const PremiumTable& table, const PremiumTableVersion& v) {
  TableTally t;
  t.name = table.name;
  t.effective_from = v.effective_from.iso();
  t.base_amount = v.base_amount;
  for (const auto& s : v.stages) {
    StageTally st;
    st.stage = s.number;
    st.label = s.label;
    const Ratio applied = v.apply_reduced_ratio && s.reduced_ratio ? *s.reduced_ratio : s.ratio;
    st.ratio = applied.decimal();
    st.annual_amount = applied.of(Yen(v.base_amount), v.annual_rounding).value;
    t.stages.push_back(st);
  }
  return t;
}

void add(TableTally& t, const Assessment& a) {
  if (a.months == 0) return;
  for (auto& s : t.stages)
    if (s.stage == a.stage) {
      ++s.persons;
      s.revenue += a.amount;
    }
  ++t.persons;
  t.revenue += a.amount;
}

}  // namespace

Result<Simulation> simulate(store::Database& db, int fy, const std::vector<PremiumTable>& tables,
                            const PremiumTable& proposed, int chunk) {
  const PremiumTable* current = table_for(tables, fy);
  const PremiumTableVersion* current_version = current ? current->version_on(detail::fiscal_year_start(fy)) : nullptr;
  if (!current_version)
    return fail(ErrorKind::conflict, fmt::format("no premium table covers fiscal year {}", fy), "fiscal_year");
  if (proposed.versions.empty()) return fail(ErrorKind::invalid_input, "the proposed table has no version", "table");
  const PremiumTableVersion& proposed_version = proposed.versions.front();

  Simulation sim;
  sim.fiscal_year = fy;
  sim.current = empty_tally(*current, *current_version);
  sim.proposed = empty_tally(proposed, proposed_version);
  std::string after;
  for (;;) {
    bool finished = false;
    auto step = db.with_connection([&](store::Connection& c) -> Result<void> {
      auto upto = detail::chunk_upper_bound(c, fy, after, chunk);
      if (!upto) return std::unexpected(upto.error());
      if (!*upto) {
        finished = true;
        return {};
      }
      detail::PersonRange range;
      range.after = after;
      range.upto = **upto;
      auto facts = detail::load_chunk(c, fy, range);
      if (!facts) return std::unexpected(facts.error());
      for (const auto& [id, person] : facts->persons) {
        if (auto now = detail::compute(*facts, person, fy, *current, *current_version)) add(sim.current, now->row);
        if (auto next = detail::compute(*facts, person, fy, proposed, proposed_version)) add(sim.proposed, next->row);
      }
      after = **upto;
      return {};
    });
    if (!step) return std::unexpected(step.error());
    if (finished) break;
  }
  return sim;
}

}  // namespace kaigo::premium

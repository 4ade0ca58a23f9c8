#pragma once
// What-if for the next 事業計画: the current population assessed under a proposed premium table,
// side by side with the table in force — persons and revenue per stage (issue #5 item 7). Reads
// exactly what the yearly run reads and writes nothing.
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "premium/premium_table.hpp"
#include "store/database.hpp"

namespace kaigo::premium {

struct StageTally {
  int stage = 0;
  std::string label;
  std::string ratio;                 // the ratio applied ("57/200"), reduced where in force
  std::int64_t annual_amount = 0;    // 年額 of a full year at this stage
  std::int64_t persons = 0;
  std::int64_t revenue = 0;          // Σ prorated amounts (months as in the fiscal year)
};

struct TableTally {
  std::string name;
  std::string effective_from;        // the version used
  std::int64_t base_amount = 0;
  std::vector<StageTally> stages;    // every stage of the table, persons 0 included
  std::int64_t persons = 0, revenue = 0;
};

struct Simulation {
  int fiscal_year = 0;               // the population: category-1 insured of this year, its inputs
  TableTally current, proposed;
};

// The proposed table is used with its first version (a next-period table starts a year not yet assessed).
// conflict: no table in force for the fiscal year.
Result<Simulation> simulate(store::Database& db, int fiscal_year, const std::vector<PremiumTable>& tables,
                            const PremiumTable& proposed, int chunk = 10000);

}  // namespace kaigo::premium

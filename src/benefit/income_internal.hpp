#pragma once
// Shared by income*.cpp and copayment*.cpp: the chunked, set-based gathering over any set of
// subjects selected by SQL.
#include <string>

#include "benefit/income.hpp"

namespace kaigo::benefit::detail {

// Persons read per chunk (a handful of statements each).
inline constexpr int kGatherChunk = 1000;

// `subject_sql` selects person_id; its parameters are numbered from $6 ($1 … $5 are the
// gathering's own: the day, the chunk bounds, the income year, 1 January after it). Delivers
// the inputs in person_id order, a chunk of persons per handful of statements.
Result<void> gather_where(store::Connection& c, const std::string& subject_sql, const store::Params& subject_params,
                          Date on, int tax_year, const InputsSink& sink);

// "P1 の2025年所得が未把握 (KY-06で照会); …"
std::string missing_text(const std::vector<MissingFact>& missing);

// "1,234,567円"
std::string yen_text(std::int64_t v);

}  // namespace kaigo::benefit::detail

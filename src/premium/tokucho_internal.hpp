#pragma once
// Shared pieces of the 特別徴収 service files (tokucho_inbound.cpp, tokucho_service_*.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "linkage/exchange.hpp"
#include "premium/collection.hpp"
#include "premium/tokucho_service.hpp"
#include "store/database.hpp"

namespace kaigo::premium::tokucho::detail {

using linkage::file_name_of;

// Runs `sql` with " IN (…)" lists of at most 500 ids at a time: `sql_prefix` + "(" + list + ")".
// `params` are the leading parameters ($1…), the ids follow.
Result<std::int64_t> exec_in(store::Connection& c, const std::string& sql_prefix, const store::Params& params,
                             const std::vector<std::int64_t>& ids);

// A target row as the plan reads it.
struct TargetRow {
  std::int64_t target_id = 0;
  std::string person_id, pension_insurer_code, pension_kind, basic_pension_no, pension_code;
  std::int64_t annual_pension_amount = 0;
  YearMonth start;
};
// The target the deduction comes from for `fiscal_year`: among the person's latest row per pension
// (insurer, 基礎年金番号, 年金コード) whose start is no later than February of the year and whose
// pension qualifies (18万円, not 老齢福祉年金), the largest pension (then the lowest insurer code).
std::optional<TargetRow> choose_target(const std::vector<TargetRow>& rows, int fiscal_year,
                                       const CollectionRuleVersion& rules);

// The inputs of plan_change for one person, and what to write.
struct PersonPlan {
  std::string person_id;
  std::int64_t assessment_id = 0;
  std::int64_t amount = 0;
  std::vector<Instalment> current;
  std::vector<TargetRow> targets;
  std::optional<std::int64_t> previous_february;
  int last_revision = 0;
};

// Computes and writes the change of each plan (cancel/stop updates, the plan row, new instalments,
// in bulk). Returns the number of persons whose plan changed; counts special/ordinary persons.
struct WriteCounts {
  std::int64_t changed = 0, special = 0, ordinary = 0;
};
Result<WriteCounts> plan_and_write(store::Connection& c, const Clock& clock, const CollectionRuleVersion& rules,
                                   int fiscal_year, YearMonth first_open, std::vector<PersonPlan>& plans,
                                   const std::string& cause, std::optional<std::int64_t> batch_run_id,
                                   const std::string& actor);

// Loads the plan inputs of the persons in (after, up_to] (person_id order) for `fiscal_year`; with
// `only` set, of that person alone.
Result<std::vector<PersonPlan>> load_plans(store::Connection& c, int fiscal_year, const std::string& after,
                                           const std::string& up_to, std::optional<std::string> only = std::nullopt);

}  // namespace kaigo::premium::tokucho::detail

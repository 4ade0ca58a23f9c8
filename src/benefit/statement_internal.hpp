#pragma once
// Between the KY-24 run (statement_run.cpp) and its print file (statement_print.cpp).
#include <cstdint>
#include <filesystem>

#include "benefit/statement.hpp"

namespace kaigo::benefit::detail {

struct PrintedStatements {
  std::int64_t statements = 0;
  std::int64_t rows = 0;
  std::int64_t total_cost = 0, insurance_paid = 0, copayment = 0;
};

// Renders the statements recorded for the run (benefit_document rows of batch_run_id) into `path`,
// streaming: one person's rows in memory at a time.
Result<PrintedStatements> print_statements(store::Database& db, const Clock& clock, const BenefitConfig& config,
                                           const notice::BenefitIssuer& issuer, std::int64_t batch_run_id,
                                           const StatementPeriod& period, const std::filesystem::path& path);

}  // namespace kaigo::benefit::detail

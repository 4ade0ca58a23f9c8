#pragma once
// The rows of one slice of the synthetic city (≈ 50,000 people), buffered per table and written
// in one transaction with Connection::bulk_insert (COPY on PostgreSQL), so the city streams into
// the database without one round trip per row and without holding the whole city in memory.
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::sim {

struct CityChunk {
  std::vector<store::Params> person, person_history, my_number, insured_number, tax_income, pension,
      public_assistance, medical_insurance, person_origin;
  std::int64_t people = 0;

  bool empty() const { return people == 0; }
  // Inserts every buffered row (parents before children, for the foreign keys) in one
  // transaction, then empties the buffers.
  Result<void> flush(store::Database& db);
};

// The columns of each table, in the order CityChunk's rows hold their values.
struct CityColumns {
  static const std::vector<std::string>& person();
  static const std::vector<std::string>& person_history();
  static const std::vector<std::string>& my_number();
  static const std::vector<std::string>& insured_number();
  static const std::vector<std::string>& tax_income();
  static const std::vector<std::string>& pension();
  static const std::vector<std::string>& public_assistance();
  static const std::vector<std::string>& medical_insurance();
  static const std::vector<std::string>& person_origin();
};

}  // namespace kaigo::sim

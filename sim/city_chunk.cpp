#include "sim/city_chunk.hpp"

#include <fmt/format.h>

namespace kaigo::sim {

namespace {

using Columns = std::vector<std::string>;

Result<void> load(store::Connection& c, std::string_view table, const Columns& columns, std::vector<store::Params>& rows) {
  std::size_t i = 0;
  auto loaded = c.bulk_insert(table, columns, [&](store::Params& out) {
    if (i == rows.size()) return false;
    out = std::move(rows[i++]);
    return true;
  });
  if (!loaded) return fail(loaded.error().kind, fmt::format("loading {}: {}", table, loaded.error().message));
  rows.clear();
  return {};
}

}  // namespace

const Columns& CityColumns::person() {
  static const Columns c = {"person_id", "name_kanji", "name_kana", "birth_date", "sex", "postal_code", "address",
                            "ward_code", "household_id", "relation", "registry_status", "status_date", "updated_at"};
  return c;
}
const Columns& CityColumns::person_history() {
  static const Columns c = {"person_id", "valid_from", "valid_to", "name_kanji", "name_kana", "birth_date",
                            "sex", "postal_code", "address", "ward_code", "household_id", "relation",
                            "registry_status", "reason", "recorded_at", "recorded_by", "source_exchange_id"};
  return c;
}
const Columns& CityColumns::my_number() {
  static const Columns c = {"person_id", "ciphertext", "key_id", "recorded_at", "recorded_by"};
  return c;
}
const Columns& CityColumns::insured_number() {
  static const Columns c = {"insured_no", "person_id", "assigned_on"};
  return c;
}
const Columns& CityColumns::tax_income() {
  static const Columns c = {"person_id", "tax_year", "total_income", "public_pension_income", "taxable_pension_income",
                            "pension_misc_income", "salary_income", "land_sale_special_deduction",
                            "resident_tax_taxed", "taxable_income", "source", "source_exchange_id", "recorded_at",
                            "recorded_by"};
  return c;
}
const Columns& CityColumns::pension() {
  static const Columns c = {"person_id", "pension_kind", "annual_amount", "pension_insurer_code", "valid_from",
                            "valid_to", "source", "source_exchange_id", "recorded_at", "recorded_by"};
  return c;
}
const Columns& CityColumns::public_assistance() {
  static const Columns c = {"person_id", "kind", "valid_from", "valid_to", "source", "source_exchange_id",
                            "recorded_at", "recorded_by"};
  return c;
}
const Columns& CityColumns::medical_insurance() {
  static const Columns c = {"person_id", "insurer_kind", "insurer_no", "valid_from", "valid_to", "source",
                            "source_exchange_id", "recorded_at", "recorded_by"};
  return c;
}
const Columns& CityColumns::person_origin() {
  static const Columns c = {"person_id", "former_municipality_code", "former_municipality_name", "moved_in_on",
                            "source", "source_exchange_id", "recorded_at", "recorded_by"};
  return c;
}

Result<void> CityChunk::flush(store::Database& db) {
  if (empty()) return {};
  auto written = db.transaction([&](store::Connection& c) -> Result<void> {
    struct Target {
      std::string_view table;
      const Columns& columns;
      std::vector<store::Params>& rows;
    };
    const Target targets[] = {
        {"person", CityColumns::person(), person},
        {"person_history", CityColumns::person_history(), person_history},
        {"my_number", CityColumns::my_number(), my_number},
        {"insured_number", CityColumns::insured_number(), insured_number},
        {"tax_income", CityColumns::tax_income(), tax_income},
        {"pension", CityColumns::pension(), pension},
        {"public_assistance", CityColumns::public_assistance(), public_assistance},
        {"medical_insurance", CityColumns::medical_insurance(), medical_insurance},
        {"person_origin", CityColumns::person_origin(), person_origin},
    };
    for (const auto& t : targets)
      if (auto r = load(c, t.table, t.columns, t.rows); !r) return r;
    return {};
  });
  if (!written) return written;
  people = 0;
  return {};
}

}  // namespace kaigo::sim

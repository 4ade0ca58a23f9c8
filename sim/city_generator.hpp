#pragma once
// The synthetic city みどり市: a fictional 政令指定都市 of N people in households, with names,
// addresses, My Numbers, previous-year tax data, pensions, 生活保護, medical insurance of the
// 40–64s, recent movers and the 被保険者番号 of everyone aged 65+. It feeds `kaigo demo`, the
// tests and the benchmarks. docs/synthetic-city.md describes the distributions and their sources.
//
// Deterministic: the same seed, N and base date give byte-identical rows in every table except
// my_number.ciphertext (AES-GCM takes a fresh random nonce per value by design; the decrypted
// numbers are identical). recorded_at is the base date at 00:00 JST, never the wall clock.
#include <cstdint>
#include <string>

#include "core/date.hpp"
#include "core/error.hpp"
#include "people/my_number_vault.hpp"
#include "store/database.hpp"

namespace kaigo::sim {

struct CityOptions {
  std::int64_t people = 0;           // 1 … 50,000,000
  std::uint64_t seed = 1;
  Date base_date{2026, 4, 1};        // ages are as of this day; tax data is for the year before its fiscal year
  std::string recorded_by = "demo";  // recorded_by of every row written
};

struct CityReport {
  std::int64_t people = 0;
  std::int64_t households = 0;
  std::int64_t aged_65_plus = 0;
  std::int64_t aged_40_64 = 0;
  std::int64_t under_15 = 0;
  std::int64_t tax_rows = 0;            // people aged 16+ (one tax_income row each)
  std::int64_t taxed = 0;               // of them, 市町村民税 課税
  std::int64_t public_assistance = 0;   // people on 生活保護 or 支援給付
  std::int64_t movers = 0;              // people with a person_origin row
  std::int64_t old_age_welfare = 0;     // 老齢福祉年金 recipients
  std::int64_t medical_insured_40_64 = 0;
};

// Writes the city into an empty, migrated database (tables of 001 and 002), streaming it in
// transactions of ≈ 50,000 people. Fails with invalid_input for a bad N, and with the database's
// error if a write fails (rows of chunks already committed stay; clear_city removes them).
// Callers check first that the database holds no people: person_ids start at 1000000001.
Result<CityReport> generate_city(store::Database& db, const people::MyNumberVault& vault, const CityOptions& options);

// How many people the database holds (any registry status).
Result<std::int64_t> count_people(store::Database& db);

// Deletes every row the city generator writes (children before parents, in one transaction).
// Fails with conflict when other tables still refer to these people.
Result<void> clear_city(store::Database& db);

}  // namespace kaigo::sim

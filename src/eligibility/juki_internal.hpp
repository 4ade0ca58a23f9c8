#pragma once
// Internals shared by the juki_* files: writing a person as the registry states them, the load
// and quarantine rows. Not part of the public contract (juki_service.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "eligibility/juki_file.hpp"
#include "linkage/exchange.hpp"
#include "store/database.hpp"

namespace kaigo::eligibility::juki::detail {

// The person row's registry fields (what the registry can change).
struct PersonRow {
  std::string person_id, household_id, name_kanji, name_kana, birth_date, sex, relation, postal_code, address,
      ward_code, registry_status;
  std::optional<std::string> status_date;
};
inline constexpr const char* kPersonColumns =
    "person_id, household_id, name_kanji, name_kana, birth_date, sex, relation, postal_code, address, ward_code, "
    "registry_status, status_date";
PersonRow person_row_from(const store::Row& r);  // columns in kPersonColumns order
PersonRow person_row_from(const RegistryPerson& p, std::string registry_status, std::optional<std::string> status_date);
// The registry fields equal (status_date not compared).
bool same_registry_fields(const PersonRow& a, const PersonRow& b);

Result<std::optional<PersonRow>> load_person(store::Connection& c, const std::string& person_id);

// Writes the person as of `valid_from`:
//  - a person not there yet is inserted;
//  - `update_current`: the person row takes the new state (a movement in date order);
//  - always: a person_history row from valid_from (to the next later row's valid_from, if any),
//    closing the row that covered valid_from. reason = movement kind code, recorded_by
//    "exchange:<id>", source_exchange_id.
Result<void> write_person(store::Connection& c, const Clock& clock, const PersonRow& p, bool exists,
                          bool update_current, const std::string& valid_from, const std::string& reason,
                          std::int64_t exchange_id);

using linkage::file_name_of;

struct QuarantineRow {
  int line_no = 0;
  std::string field, message;
  std::optional<std::string> person_id, movement_id;
};
Result<void> add_quarantine(store::Connection& c, const Clock& clock, std::int64_t load_id,
                            const std::vector<QuarantineRow>& rows);

// Applies a parsed difference file in the caller's (the inbox's) transaction.
Result<void> apply_diff(store::Connection& c, const Clock& clock, const linkage::Exchange& e, const JukiFile& file);
// Stages a parsed full load in the caller's transaction (juki_load 'staged' + juki_staging rows).
Result<void> stage_full_load(store::Connection& c, const Clock& clock, const linkage::Exchange& e, const JukiFile& file);

}  // namespace kaigo::eligibility::juki::detail

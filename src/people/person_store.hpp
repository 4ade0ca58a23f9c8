#pragma once
// The person register (宛名): current state for search and the effective-dated history.
// Reads only; every caller that shows a person records the read in the access log
// (server/access_log.hpp) in the same transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace kaigo::people {

struct Person {
  std::string person_id, name_kanji, name_kana, birth_date, sex, postal_code, address, ward_code, household_id,
      relation, registry_status;
  std::optional<std::string> status_date;
  std::optional<std::string> insured_no;
};

struct PersonHistoryRow {
  std::string valid_from;
  std::optional<std::string> valid_to;
  std::string name_kanji, name_kana, address, household_id, relation, registry_status, reason, recorded_at, recorded_by;
  std::optional<std::int64_t> source_exchange_id;
};

// Search criteria; at least one must be set. kana and kanji match by prefix (an index range scan),
// the others exactly.
struct PersonQuery {
  std::optional<std::string> kana, kanji, birth_date, person_id, insured_no;
  int limit = 50;  // 1..200
};

struct SearchResult {
  std::vector<Person> items;
  bool truncated = false;  // more matched than the limit
};

// Validates the query (invalid_input naming the field) and runs it.
Result<SearchResult> search_persons(store::Connection& c, const PersonQuery& q);
Result<std::optional<Person>> find_person(store::Connection& c, const std::string& person_id);
Result<std::vector<Person>> household_members(store::Connection& c, const std::string& household_id);
Result<std::vector<PersonHistoryRow>> person_history(store::Connection& c, const std::string& person_id);
// The stored ciphertext of the person's My Number, when there is one.
Result<std::optional<std::string>> my_number_ciphertext(store::Connection& c, const std::string& person_id);

}  // namespace kaigo::people

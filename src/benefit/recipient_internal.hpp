#pragma once
// Shared by the KY-03 files (recipient_*.cpp): composing records from the database and writing them.
#include <map>
#include <string>
#include <vector>

#include "benefit/kokuhoren_csv.hpp"
#include "benefit/recipient.hpp"

namespace kaigo::benefit::recipient_detail {

const csv::Layout* layout(const RecipientContext& ctx);
Result<const csv::Layout*> require_layout(const RecipientContext& ctx);

// What a record is composed for: a person, the effective date of the change, and for a
// correction the kind and date of the record it corrects.
struct Wanted {
  std::string person_id;
  std::string change_date;  // ISO
  std::string forced_kind;  // '' (decided here) or new | change | end
};

// Loads what the persons selected by `persons_sql` (a SELECT of person_id, with `params`) need
// in a few set-based queries and composes one checked record per wanted person (file_id 0,
// correction none, seq unset).
Result<std::vector<RecipientRecord>> compose(store::Connection& c, const Clock& clock, const RecipientContext& ctx,
                                             const std::string& persons_sql, const store::Params& params,
                                             const std::vector<Wanted>& wanted);

// Inserts the records of a file (set-based); numbers the ok ones' seq 1, 2, … in order first.
Result<void> insert_records(store::Connection& c, std::int64_t file_id, std::vector<RecipientRecord>& records);

// The file's text (UTF-8, to be encoded to CP932 by the channel): its ok records in order.
Result<std::string> write_text(const RecipientContext& ctx, const csv::Layout& layout, std::int64_t file_id,
                               const std::string& kind, const std::vector<RecipientRecord>& records, const std::string& created_on);

std::string causes_json(const std::vector<RecipientCheck>& causes);
std::string fields_json(const std::map<std::string, std::string>& fields);

}  // namespace kaigo::benefit::recipient_detail

#pragma once
// Shared between the KY-04 handler, the recording of rejected files and the CLI import.
#include <string>
#include <vector>

#include "benefit/benefit_record.hpp"
#include "benefit/kokuhoren_csv.hpp"

namespace kaigo::benefit::records {

enum class Kind : char { fresh = '1', correction = '2', cancellation = '3' };

// One data record of the file once checked against the database.
struct Checked {
  std::string person_id;
  std::int64_t ended_record_id = 0;  // the current row a 修正/取消 ends (0: none)
  bool unchanged = false;            // a 新規 already current with the same content
};

struct Validated {
  csv::ParseOutcome parsed;           // parsed.errors: every fault (codec and database)
  std::vector<Checked> records;       // one per data record when there are no errors
};

// Which claims validate looks up among the current records.
enum class Lookup {
  all,          // every claim: a 新規 already current is 'unchanged' or an error
  corrections,  // the 修正/取消 only: a 新規 already current is left to the current-claim index
};

// Parses and checks a KY-04 file (UTF-8 text) against the database; never writes.
Result<Validated> validate(store::Connection& c, const BenefitRecordOptions& options, const std::string& utf8_text,
                           Lookup lookup = Lookup::all);

// The reason stored on a refused exchange: counts and the first fault (no personal data).
std::string reason_of(const std::vector<csv::FileError>& errors);

// Records a rejected file: the benefit_inbound_file row, its errors, the quarantine copy (CP932
// bytes). Returns the file_id; nullopt when the file (flow, sha256) is already recorded.
Result<std::optional<std::int64_t>> record_rejected(store::Connection& c, const Clock& clock,
                                                    const BenefitRecordOptions& options,
                                                    std::optional<std::int64_t> exchange_id, const std::string& sha256,
                                                    const std::string& layout_version, std::int64_t record_count,
                                                    const std::string& bytes_to_keep,
                                                    const std::vector<csv::FileError>& errors);

}  // namespace kaigo::benefit::records

#pragma once
// KY-04 給付実績情報 from the 国保連 (docs/kokuhoren-csv.md, migration 016 benefit_record):
// the inbound handler of flow KY-04 (applied in the inbox's transaction), the import of a CP932
// file from disk through the same path, and the reads 高額, 合算 and statements build on.
//
// A file is validated whole before anything is written: the codec's checks (kokuhoren_csv.hpp),
// then against the database — every insured_no known (insured_number → person), a 新規 of a claim
// already current only with the same content (then it changes nothing), a 修正/取消 only of a
// claim that is current, no claim twice in one file. Any fault refuses the whole file: the
// exchange is rejected with a reason that quotes no personal data, and record_rejected_files
// (the worker, or the CLI right after) adds the benefit_inbound_file row (status rejected), its
// benefit_inbound_error rows (line, field, message) and keeps the file under
// <data_dir>/quarantine/benefit/. A good file is applied set-based (bulk inserts: COPY on
// PostgreSQL): 新規 and 修正 become current, a 修正 supersedes the current row and a 取消 cancels it
// (replaced_by = the row of the 修正/取消; a 取消's own row is kept with status cancelled). The same
// file twice (sha256) changes nothing.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "benefit/codes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "linkage/dispatcher.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

struct BenefitRecordOptions {
  const BenefitConfig* config = nullptr;
  std::string insurer_no;           // the city's 保険者番号 (the files must name it)
  std::filesystem::path data_dir;   // rejected files go to <data_dir>/quarantine/benefit/
};

// {"KY-04": the handler}. `options` must outlive the handlers.
linkage::InboundHandlers benefit_record_inbound_handlers(const Clock& clock, const BenefitRecordOptions& options);
linkage::ApplyFn benefit_record_handler(const Clock& clock, const BenefitRecordOptions& options);

// Rejected KY-04 exchanges without a benefit_inbound_file row: records them (errors, quarantine
// copy). Returns how many were recorded.
Result<int> record_rejected_files(store::Database& db, const Clock& clock, const BenefitRecordOptions& options);

// `kaigo benefit import-records FILE`: a CP932 file from disk. Decoded, then received through the
// inbox as flow KY-04 from kokuhoren (the same handler); a byte that is not CP932 rejects the file
// at once (benefit_inbound_file rejected with the line, no exchange).
struct ImportOutcome {
  std::string outcome;              // applied | already_applied | rejected | already_rejected
  std::optional<std::int64_t> exchange_id;
  std::optional<std::int64_t> file_id;
};
Result<ImportOutcome> import_records_file(store::Database& db, const Clock& clock, const BenefitRecordOptions& options,
                                          const std::string& file_name, const std::string& cp932_bytes,
                                          const std::string& actor);

// ---- files ----

struct InboundFileError {
  std::int64_t line_no = 0;
  std::string field;
  std::string message;
};

struct InboundFile {
  std::int64_t file_id = 0;
  std::string flow_id;
  std::optional<std::int64_t> exchange_id;
  std::string sha256;
  std::string layout_version;
  std::string status;  // applied | rejected
  std::int64_t record_count = 0;
  std::string summary;  // JSON: new, corrected, cancelled, unchanged, total_cost, insurance_paid, copayment
  std::string quarantine_path;
  std::string received_at;
  std::vector<InboundFileError> errors;  // filled by inbound_file() only
};

Result<std::vector<InboundFile>> list_inbound_files(store::Connection& c, const std::string& flow_id, int limit);
Result<std::optional<InboundFile>> inbound_file(store::Connection& c, std::int64_t file_id);

// ---- records (what 高額, 合算 and statements read) ----

struct BenefitRecord {
  std::int64_t record_id = 0;
  std::string claim_no;
  std::string person_id;
  std::string insured_no;
  std::string service_month;  // 'YYYY-MM'
  std::string review_month;   // 'YYYY-MM'
  std::string office_no;
  std::string service_kind;
  std::string payment_kind;   // in_kind | reimbursement
  std::int64_t days = 0;
  std::int64_t units = 0;
  std::int64_t unit_price_hundredths = 0;
  std::int64_t total_cost = 0;
  std::int64_t insurance_paid = 0;
  std::int64_t copayment = 0;
  std::int64_t public_paid = 0;
  std::string status;         // current | superseded | cancelled
  std::int64_t file_id = 0;
  std::int64_t line_no = 0;
};

struct Totals {
  std::int64_t records = 0;
  std::int64_t total_cost = 0;
  std::int64_t insurance_paid = 0;
  std::int64_t copayment = 0;
  std::int64_t public_paid = 0;
};

struct PersonMonth {
  std::string service_month;
  std::vector<BenefitRecord> records;  // current ones, by office and service kind
  Totals totals;
};

// A person's current records from `from` to `to` (service months 'YYYY-MM', inclusive; empty:
// open), by month with totals.
Result<std::vector<PersonMonth>> person_records(store::Connection& c, const std::string& person_id, const std::string& from,
                                                const std::string& to);

// Every current record of a service month, ordered by person then record_id (streams; fn false stops).
Result<void> for_each_current_record(store::Connection& c, const std::string& service_month,
                                     const std::function<bool(const BenefitRecord&)>& fn);

// The persons with current records whose service month is in [from, to], ordered.
Result<std::vector<std::string>> persons_with_records(store::Connection& c, const std::string& from, const std::string& to);

struct MonthSummary {
  std::string service_month;
  std::int64_t persons = 0;
  Totals totals;
  Totals in_kind;        // 現物給付
  Totals reimbursement;  // 償還払い
  struct ByKind {
    std::string service_kind;
    Totals totals;
  };
  std::vector<ByKind> by_service_kind;
};
Result<MonthSummary> month_summary(store::Connection& c, const std::string& service_month);

}  // namespace kaigo::benefit

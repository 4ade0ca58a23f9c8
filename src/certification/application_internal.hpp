#pragma once
// Internals shared by the application service's files: the row SQL and its mapping, the NT-01
// document, the check kinds.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "certification/application.hpp"
#include "store/database.hpp"

namespace kaigo::certification::detail {

// The statuses whose clock still runs.
inline constexpr const char* kOpenStatuses = "('received', 'investigating', 'ready', 'scheduled')";

// The columns of an ApplicationRow (from_row) over kRowFrom.
extern const char* const kRowColumns;
// certification_application a JOIN person p, LEFT JOIN the latest 延期通知 day pp.until.
extern const char* const kRowFrom;

// Maps a row of kRowColumns; `rules` supplies warn_on for a row written without one.
ApplicationRow row_from(const store::Row& r, const CertificationRules& rules, Date today);

// The date of an optional ISO column (none for NULL or a malformed value).
std::optional<Date> opt_date(const store::Row& r, std::size_t i);

// The application's NT-01 document (docs/shinsa-layout.md kaigo.shinsa.application/1), built from
// the stored application, the person and the previous certification (or the transfer's
// certificate). withdrawn: with withdrawn_on and withdraw_reason.
Result<nlohmann::json> shinsa_application_document(store::Connection& c, std::int64_t application_id);

// Locks the application (PostgreSQL: FOR UPDATE) and returns (status, person_id); not_found.
Result<std::pair<std::string, std::string>> lock_application(store::Connection& c, std::int64_t application_id);

// The two category-2 checks.
struct CheckKind {
  std::string_view check_kind;    // insurance | arrears
  std::string_view inquiry_kind;  // config/codes/inquiry_kinds.tsv
  std::string_view request_flow;  // NT-02 | NT-04
  std::string_view answer_flow;   // NT-03 | NT-05
  std::string_view label;         // 医療保険資格 …
  std::string_view column;        // insurance_check | arrears_check
  std::string_view inquiry_column;  // insurance_inquiry_id | arrears_inquiry_id
};
const CheckKind& insurance_check();
const CheckKind& arrears_check();
const CheckKind* check_kind(std::string_view check_kind);

// The purpose recorded on a check's inquiry (情報提供等記録); it names the application so an
// inquiry sent by an interrupted intake is found again and linked.
std::string check_purpose(std::string_view application_no, const CheckKind& k);

// The exclusive upper bound of a byte-wise prefix range (prefix ≤ x < prefix_end(prefix)).
std::string prefix_end(std::string prefix);

}  // namespace kaigo::certification::detail

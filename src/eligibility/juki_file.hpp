#pragma once
// The two CSV layouts of the resident registry (住民基本台帳, counterpart juki) for SK-16, and
// the SK-18 file kaigo sends back. docs/juki-layout.md documents every column.
//
//   full load  (住基全件): one row per person the registry holds, with the current state
//   difference (住基異動): one row per movement, with the registry's movement id
//
// Files are UTF-8 CSV (RFC 4180 quoting, CRLF or LF, an optional BOM) with ONE header line; the
// header says which layout a file has. Dates are YYYYMMDD. Parsing validates the WHOLE file
// before anything is applied and collects every error (up to kMaxErrors) with its line number
// (1 = the header) and the Japanese column name, so staff see all that is wrong at once.
// Messages never quote a field's value (no personal data in reasons stored on exchanges).
//
// Pure: no I/O, no clock. Thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::eligibility::juki {

// 異動事由 of a difference row. Codes in the file are two digits (docs/juki-layout.md).
enum class RegistryMovementKind {
  move_in,           // 01 転入
  move_out,          // 02 転出 (domestic)
  relocation,        // 03 転居 (inside the city)
  death,             // 04 死亡
  birth,             // 05 出生
  emigration,        // 06 国外転出
  name_change,       // 07 氏名変更
  household_change,  // 08 世帯変更
  correction,        // 09 職権修正
};
std::string_view to_code(RegistryMovementKind kind);          // storage code: "move_in", …
std::string_view file_code(RegistryMovementKind kind);        // file code: "01", …
std::string_view japanese_label(RegistryMovementKind kind);   // "転入", …
Result<RegistryMovementKind> parse_registry_movement_kind(std::string_view code);  // storage code

// The person as the registry states them (after the movement, in a difference row).
struct RegistryPerson {
  std::string person_id;     // 宛名番号, 10 digits
  std::string household_id;  // 世帯番号, 10 digits
  std::string name_kanji, name_kana;
  Date birth_date;
  std::string sex;           // 1 male, 2 female
  std::string relation;      // 続柄
  std::string postal_code;   // 7 digits
  std::string address;
  std::string ward_code;     // 3 digits
};

struct Movement {
  int line_no = 0;
  std::string movement_id;  // 異動番号
  RegistryMovementKind kind = RegistryMovementKind::move_in;
  Date movement_date;       // 異動日
  Date notified_on;         // 届出日
  RegistryPerson person;
  std::string former_municipality_code;  // 転入: 前住所地 6-digit code
  std::string former_municipality_name;  // 転入
  std::optional<Date> new_address_on;    // 転出: the new city's 転入日, when known
  // A second line of the same file with the same 異動番号 and identical content: a duplicate.
  bool repeated_in_file = false;
};

// 住民区分 of a full-load row.
enum class RegistryStatus { resident, moved_out, deceased, emigrated };
std::string_view to_code(RegistryStatus s);  // person.registry_status: resident, moved_out, deceased, moved_out

struct FullRow {
  int line_no = 0;
  RegistryPerson person;
  RegistryStatus status = RegistryStatus::resident;
  Date status_date;  // 住民区分異動日: 住民となった日 / 転出日 / 死亡日 / 国外転出日
};

enum class JukiFileKind { full, diff };
std::string_view to_code(JukiFileKind k);  // "full" / "diff"

struct LineError {
  int line_no = 0;     // 1 = the header line
  std::string field;   // Japanese column name, or "(列数)" / "(ヘッダ)"
  std::string message;
};

struct JukiFile {
  JukiFileKind kind = JukiFileKind::diff;
  int lines = 0;  // data lines
  std::vector<Movement> movements;  // diff, in file order
  std::vector<FullRow> rows;        // full, in file order
};

struct ParseOutcome {
  std::optional<JukiFile> file;   // set when there is no error
  std::vector<LineError> errors;  // in line order, at most kMaxErrors
  bool truncated = false;         // more errors than kMaxErrors
};

inline constexpr std::size_t kMaxErrors = 200;

// The header lines, exactly as the registry writes them.
const std::vector<std::string>& full_header();
const std::vector<std::string>& diff_header();

ParseOutcome parse_juki_file(std::string_view text);

// "line 12, field 異動日: … (and 3 more errors)" — for the exchange's rejection reason.
std::string summarize(const ParseOutcome& outcome);
// The error as an Error value (invalid_input, field "line N: 列名").
Error to_error(const ParseOutcome& outcome);

// Writers (the simulator, the SK-18 sender and tests use them): one CSV line per row, LF, with
// the header first. Fields holding a comma, quote or line break are quoted.
std::string write_full_file(const std::vector<FullRow>& rows);
std::string write_diff_file(const std::vector<Movement>& movements);

// SK-18: 介護資格異動 sent back to the registry. One row per eligibility change.
struct EligibilityChangeRow {
  std::string insured_no;   // 被保険者番号 ("" when none was issued)
  std::string person_id;    // 宛名番号
  std::string change;       // 取得 | 喪失 | 変更
  Date on;                  // 取得日 / 喪失日 / 変更日
  std::string category;     // 1 / 2
  std::string reason;       // the register's reason code (move_in, death, …)
  std::string reason_label; // 転入, 死亡, …
};
const std::vector<std::string>& eligibility_change_header();
std::string write_eligibility_change_file(const std::vector<EligibilityChangeRow>& rows);

// Splits one CSV line (RFC 4180 quoting). Exposed for tests.
Result<std::vector<std::string>> split_csv_line(std::string_view line);

}  // namespace kaigo::eligibility::juki

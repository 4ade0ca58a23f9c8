#pragma once
// The 特別徴収 files exchanged with the pension insurers through the 国保連 (FK-14, FK-15, FK-16):
// fixed-length CP932, a 96-byte management area, then n × 500-byte records — header "1", data
// "2", trailer "3" (with the group's record count and amount totals) — repeated per pension
// insurer (特別徴収義務者), no line breaks (rules.md §5, docs/tokucho-layout.md).
//
// The layouts are data: config/layouts/tokucho/<kind>.v<N>.tsv, one row per field (record, key,
// name, start, length, kind 9/X/N, fixed value, check, meaning). load_layouts() validates them
// (the fields tile every record exactly: 96 bytes for the management area, 500 for the others;
// keys unique; every check known; every code list present), so a revised layout is a new file,
// not new code.
//
// parse_file() validates EVERYTHING before anything is applied and reports every fault with its
// record number (0 = the management area, 1… the 500-byte records in file order) and field name:
// the length (96 + n × 500), the layout (通知内容コード and 版 in the management area), the record
// order (1 2* 3, repeated), fixed values, numeric fields, dates and months, code lists (年金保険者,
// 年金コード, 理由), the insurer number, the header's insurer repeated on its records, the
// trailer's counts and totals, the management area's record count. Unknown persons are the
// service's check (tokucho_service.hpp), reported the same way.
//
// write_file() is the inverse: it formats the values (9 zero-filled, X and N padded), fills the
// fixed values, the counts, totals and the record count, and encodes to CP932.
//
// Thread-safety: a LayoutSet is immutable after load; the functions are pure.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kaigo::premium::tokucho {

inline constexpr std::size_t kManagementBytes = 96;
inline constexpr std::size_t kRecordBytes = 500;

enum class FieldKind { numeric, alnum, kanji };  // 9, X, N

struct FieldSpec {
  std::string key;      // used by the code: "basic_pension_no"
  std::string name;     // used in errors and docs: "基礎年金番号"
  std::size_t start = 0;   // 0-based byte offset in the record
  std::size_t length = 0;  // bytes
  FieldKind kind = FieldKind::alnum;
  std::string value;    // fixed content, or empty
  std::string check;    // see the layout files' header
  std::string meaning;
};

struct RecordSpec {
  char type = '2';  // 'M', '1', '2', '3'
  std::vector<FieldSpec> fields;
  // The index of a key, or -1.
  int index_of(std::string_view key) const;
};

// The kinds of file, by the 通知内容コード of their management area.
enum class FileKind { target_list, request, request_result, collection_result };
std::string_view to_code(FileKind k);          // "target_list", …
std::string_view flow_of(FileKind k);          // "FK-14", "FK-15", "FK-16", "FK-16"
std::string_view japanese_name(FileKind k);    // "特別徴収対象者情報", …
Result<FileKind> file_kind_from_code(std::string_view code);

struct Layout {
  FileKind kind = FileKind::target_list;
  int version = 1;
  std::string notice_code;  // "00"
  std::filesystem::path source;
  RecordSpec management, header, data, trailer;
  const RecordSpec& spec(char type) const;
};

// A code list of config/codes (the `code` column; other columns kept for lookups).
struct CodeList {
  std::string name;
  std::map<std::string, std::map<std::string, std::string>> rows;  // code → column → value
  bool contains(const std::string& code) const { return rows.contains(code); }
};

struct LayoutSet {
  std::vector<Layout> layouts;
  std::map<std::string, CodeList> codes;  // by list name ("pension_insurers")
  // The newest version of a kind (what kaigo writes), or nullptr.
  const Layout* newest(FileKind kind) const;
  const Layout* find(FileKind kind, int version) const;
};

// Reads config/layouts/tokucho/*.tsv and the code lists their checks name (config/codes/<name>.tsv).
// Errors name the file, line and column.
Result<LayoutSet> load_layouts(const std::filesystem::path& config_dir);
// One layout file; `codes` receives the lists it names. Exposed for tests of bad layouts.
Result<Layout> load_layout(const std::filesystem::path& file, const std::filesystem::path& codes_dir,
                           std::map<std::string, CodeList>& codes);

// ---- Reading ----

// One record's values by field index (X and N trimmed of their padding and decoded to UTF-8;
// 9 as its digits).
struct Record {
  std::size_t number = 0;  // 0 = the management area; else 1-based among the 500-byte records
  std::vector<std::string> values;
};

struct Group {
  Record header;
  std::vector<Record> data;
  Record trailer;
};

struct ParsedFile {
  const Layout* layout = nullptr;
  std::string sha256;  // of the CP932 bytes
  std::size_t bytes = 0;
  Record management;
  std::vector<Group> groups;
  std::size_t data_records() const;
  // A field of a record of this file's layout, by key (throws std::out_of_range for a key the
  // layout lacks: a bug, the loader checked the keys the code needs).
  const std::string& get(const Record& r, char type, std::string_view key) const;
  std::int64_t number(const Record& r, char type, std::string_view key) const;
};

struct FileError {
  std::size_t record = 0;  // 0 = the management area (or the file as a whole)
  std::string field;       // Japanese field name, or "(ファイル)"
  std::string message;     // never quotes a value (personal data)
};

inline constexpr std::size_t kMaxErrors = 200;

struct ParseOutcome {
  std::optional<ParsedFile> file;  // only when errors is empty
  std::vector<FileError> errors;
  bool truncated = false;          // more than kMaxErrors: only the first are listed
};

struct ParseContext {
  std::string insurer_no;                      // the city's 保険者番号: every record must name it
  std::optional<FileKind> expected;            // refuse other kinds (e.g. FK-16 carries only the two result kinds)
  std::set<FileKind> allowed;                  // empty: any
};

ParseOutcome parse_file(std::string_view cp932_bytes, const LayoutSet& layouts, const ParseContext& context);

// "特別徴収ファイルを受け付けない: レコード3 基礎年金番号: 数字でない (ほか2件)": the first error and the
// count of the others, as an invalid_input Error with field = the first error's field.
Error to_error(const std::vector<FileError>& errors, bool truncated);

// ---- Writing ----

// Values by key for one record; missing keys are blank (X/N) or zero (9). Fixed values, counts,
// totals and the record count are filled by write_file.
using Values = std::map<std::string, std::string>;

struct GroupValues {
  Values header;
  std::vector<Values> data;
  Values trailer;
};

struct Written {
  std::string bytes;                 // CP932, 96 + n × 500
  std::vector<char32_t> substituted; // characters written as 〓 (no CP932 code)
};

// Builds a file of `layout`. invalid_input (naming record and field) when a value does not fit
// its field (too long, not digits for 9, not half-width for X). N fields with characters that
// have no CP932 code get 〓 and are reported in `substituted`.
Result<Written> write_file(const Layout& layout, const Values& management, const std::vector<GroupValues>& groups);

}  // namespace kaigo::premium::tokucho

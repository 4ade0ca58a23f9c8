#pragma once
// The 国保連 exchange files (交換情報) of the benefit side (rules.md §5, docs/kokuhoren-csv.md):
// CSV, every field double-quoted ("" inside a field is one "), CP932, CRLF; a control record
// ("1"), data records ("2"), an end record ("3") whose counts must agree with the data.
//
// The layouts are data: config/layouts/kokuhoren/<exchange>.v<N>.tsv, one row per field:
//   record  1 | 2 | 3
//   key     used by the code ("insured_no")
//   name    used in errors and docs ("被保険者番号")
//   kind    9 (digits) | X (ASCII) | N (any CP932 text) | D (date YYYYMMDD) | M (month YYYYMM)
//   max     the longest value in bytes of CP932
//   required 1 | 0 (0: may be empty)
//   value   fixed content, or empty
//   check   enum:a|b|… , code:<service_kinds|care_offices>, insurer, count (the end record's
//           count of data records), sum:<data key> (the end record's total of a data field),
//           seq (1, 2, … in file order), or empty
//   meaning for the docs
// The first field of every record is record_type with its fixed value. The control record names
// the exchange (exchange_id, e.g. "KY03") and the layout version; parse() picks the layout by them.
//
// Thread-safety: a LayoutSet is immutable after load; parse/write are pure and re-entrant.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kaigo::benefit::csv {

enum class FieldKind { digits, ascii, text, date, month };  // 9 X N D M

struct Field {
  std::string key;
  std::string name;
  FieldKind kind = FieldKind::ascii;
  std::size_t max_bytes = 0;
  bool required = true;
  std::string value;  // fixed
  std::string check;
  std::string meaning;
};

struct RecordLayout {
  char type = '2';
  std::vector<Field> fields;
  int index_of(std::string_view key) const;  // -1 when absent
};

struct Layout {
  std::string exchange_id;  // "KY03", "KY04"
  std::string version;      // "1"
  std::string title;        // 受給者異動連絡票情報 …
  RecordLayout control, data, end;
};

struct LayoutSet {
  std::vector<Layout> layouts;
  // The newest version of an exchange, or the given version.
  const Layout* find(std::string_view exchange_id, std::string_view version = {}) const;
};

// Loads every <exchange>.v<N>.tsv of `dir`, checking keys unique, kinds and checks known, fixed
// values within max, record_type first. invalid_input "FILE:LINE: column: what".
Result<LayoutSet> load_layouts(const std::filesystem::path& dir);

// Known values a parse checks against (codes and the city's insurer number).
struct ParseContext {
  std::string insurer_no;
  std::function<bool(std::string_view list, std::string_view code)> code_known;  // code:<list>
};

// One fault: 1-based line of the file, the field's name (日本語), what is wrong (no values that
// could be personal data — a field's value is quoted only for codes and dates).
struct FileError {
  std::int64_t line = 0;
  std::string field;
  std::string message;
};

// A parsed file: the values as UTF-8 strings, field by field in layout order. Data records are
// stored flat in one text buffer (record i's field j is spans[i * width + j]) so a million records
// make a handful of allocations (a std::string per field would cost 32 bytes and often a heap
// block each).
struct ParsedFile {
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
  };
  const Layout* layout = nullptr;
  std::vector<std::string> control;
  std::vector<std::string> end;
  std::size_t width = 0;
  std::string text;         // the data records' values back to back
  std::vector<Span> spans;  // data_count() * width
  std::size_t data_count() const { return width == 0 ? 0 : spans.size() / width; }
  std::string_view value(std::size_t record, int field) const {
    const Span s = spans[record * width + static_cast<std::size_t>(field)];
    return std::string_view(text).substr(s.offset, s.size);
  }
  // By key of the layout (control / end record): "" when absent.
  std::string_view control_value(std::string_view key) const;
  std::string_view end_value(std::string_view key) const;
  std::int64_t line_of(std::size_t record) const { return static_cast<std::int64_t>(record) + 2; }
};

// Inside kaigo a file is UTF-8 text (the linkage decodes a CP932 counterpart's files on intake and
// encodes what it sends, docs/linkage.md); lengths are still counted in CP932 bytes.
//
// parse() splits CRLF lines and quoted fields and validates EVERYTHING (record order, field
// count, quoting, kinds, lengths in CP932 bytes, characters with no CP932 code, required, fixed
// values, enums, codes, insurer, seq, the end record's count and sums) before returning. `errors`
// holds every fault found (up to `max_errors`); the caller rejects the file whole when it is not
// empty. parse_cp932() first decodes raw bytes (a file handed in by staff or read from disk); a
// byte that is not CP932 is an error naming its line.
struct ParseOutcome {
  ParsedFile file;
  std::vector<FileError> errors;
};
ParseOutcome parse(const LayoutSet& layouts, std::string_view utf8_text, const ParseContext& ctx,
                   std::size_t max_errors = 1000);
ParseOutcome parse_cp932(const LayoutSet& layouts, std::string_view cp932_bytes, const ParseContext& ctx,
                         std::size_t max_errors = 1000);

// Writes a file as UTF-8 text that encodes to CP932: control values (record_type and fixed values
// filled), data records (values in layout order, record_type included; an empty record_type, seq
// or fixed value is filled), end record (count and sums computed). Every field quoted, CRLF.
// invalid_input when a value does not fit its field or has no CP932 code (names the record number
// and field).
Result<std::string> write(const Layout& layout, const std::map<std::string, std::string>& control,
                          const std::vector<std::vector<std::string>>& data);

// The same, one data record at a time (a million records without holding them twice).
class Writer {
 public:
  explicit Writer(const Layout& layout);
  // Appends a data record (layout order, as write()). Record numbers in errors count from 1.
  Result<void> add(const std::vector<std::string_view>& values);
  // The control record first, the data, the end record; the Writer is spent afterwards.
  Result<std::string> finish(const std::map<std::string, std::string>& control);
  std::size_t count() const { return count_; }

 private:
  struct Checks;  // the layout's checks taken apart once
  const Layout* layout_;
  std::shared_ptr<const Checks> checks_;
  std::string body_;
  std::size_t count_ = 0;
  std::vector<std::int64_t> sums_;  // per end-record field with sum:<key>
  std::vector<int> sum_source_;     // its data field index (-1: not a sum)
};

}  // namespace kaigo::benefit::csv

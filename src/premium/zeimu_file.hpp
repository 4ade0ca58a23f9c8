#pragma once
// The CSV layouts of the city's tax system linkage (本市税務システム, counterpart zeimu) —
// docs/zeimu-layout.md documents every column:
//
//   FK-01 地方税情報照会 (kaigo → zeimu): one row per person asked about: 宛名番号, 所得年
//   FK-02 所得情報      (zeimu → kaigo): one row per person: the tax_income figures (migration 002)
//                                         with 区分 当初 / 更正 / 未申告
//   FK-12 / FK-13 保険料賦課情報 (kaigo → fukushi / zeimu): one row per current assessment changed
//
// Files are UTF-8 CSV (RFC 4180 quoting, CRLF or LF, an optional BOM) with ONE header line.
// Parsing validates the WHOLE file and collects every error (up to kMaxErrors) with its line
// number (1 = the header) and the Japanese column name, so staff see all that is wrong at once.
// Messages never quote a field's value (no personal data in reasons stored on exchanges).
//
// Pure: no I/O, no clock (the date a plausibility check needs is a parameter). Thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::premium::zeimu {

inline constexpr std::size_t kMaxErrors = 200;

struct LineError {
  int line_no = 0;     // 1 = the header line; 0 = not a line of this file (a requested person left out)
  std::string field;   // Japanese column name, or "(列数)" / "(ヘッダ)" / "(行)"
  std::string message;
  std::string person_id;  // the line's 宛名番号 when it is well-formed (for the staff table, never the message)
  bool operator==(const LineError&) const = default;
};

// Errors of one file, in line order after sort_errors().
struct Errors {
  std::vector<LineError> items;
  bool truncated = false;  // more than kMaxErrors
  void add(int line_no, std::string field, std::string message, std::string person_id = {});
  bool empty() const { return items.empty() && !truncated; }
  void sort();  // by line (stable: the column order within a line is kept)
};

// "line 12, field 課税年金収入額: … (and 3 more errors)".
std::string summarize(const Errors& errors);
// invalid_input "<what> refused: <summarize>", field "line N: 列名".
Error to_error(const Errors& errors, std::string_view what = "tax file");

// ---- FK-01 ----

struct RequestRow {
  int line_no = 0;
  std::string person_id;  // 宛名番号, 10 digits
  int tax_year = 0;       // 所得年
};
// 宛名番号,所得年
const std::vector<std::string>& request_header();
std::string write_request_file(const std::vector<RequestRow>& rows);

struct RequestParse {
  std::optional<std::vector<RequestRow>> rows;  // set when there is no error
  Errors errors;
};
RequestParse parse_request_file(std::string_view text);

// ---- FK-02 ----

// 区分 of an answer row.
enum class RowKind {
  initial,     // 当初: the figures as first assessed (an answer to a request)
  revision,    // 更正: the figures after a correction (in an answer, or sent on its own)
  undeclared,  // 未申告: the tax office holds nothing on the person for that year (only in an answer)
};
std::string_view japanese_label(RowKind k);

// The figures of tax_income (migration 002), integer yen.
struct TaxFigures {
  std::int64_t total_income = 0;                 // 合計所得金額 (may be negative: 損益通算)
  std::int64_t public_pension_income = 0;        // 公的年金等収入金額
  std::int64_t taxable_pension_income = 0;       // 課税年金収入額
  std::int64_t pension_misc_income = 0;          // 公的年金等に係る雑所得
  std::int64_t salary_income = 0;                // 給与所得
  std::int64_t land_sale_special_deduction = 0;  // 譲渡所得の特別控除
  bool resident_tax_taxed = false;               // 市町村民税 課税 / 非課税
  std::int64_t taxable_income = 0;               // 課税所得
  bool operator==(const TaxFigures&) const = default;
};

struct AnswerRow {
  int line_no = 0;
  std::string person_id;
  int tax_year = 0;
  RowKind kind = RowKind::initial;
  TaxFigures figures;  // all zero for 未申告
};

// 宛名番号,所得年,区分,合計所得金額,公的年金等収入金額,課税年金収入額,公的年金等に係る雑所得,給与所得,
// 譲渡所得の特別控除,市町村民税,課税所得
const std::vector<std::string>& answer_header();
std::string write_answer_file(const std::vector<AnswerRow>& rows);
// One data line (LF-terminated) — writers of large files stream with it.
std::string answer_line(const AnswerRow& row);

struct AnswerParse {
  std::optional<std::vector<AnswerRow>> rows;  // set when there is no error; file order
  Errors errors;
};
// The file on its own: header, column count, every field's form, impossible amounts (a negative
// revenue or income other than 合計所得金額, 課税年金収入額 or 公的年金等に係る雑所得 above
// 公的年金等収入金額, an amount beyond ±1兆円, figures on a 未申告 row), a person twice for one year.
AnswerParse parse_answer_file(std::string_view text);

// What the answered request asked: the income year and each person's line in the request.
struct AskedPersons {
  int tax_year = 0;
  std::unordered_map<std::uint64_t, int> request_line;  // person_key(宛名番号) → its line in the FK-01 file
};
// A 10-digit 宛名番号 as a number (the key of the maps above); 0 when it is not 10 digits.
std::uint64_t person_key(std::string_view person_id);
// An answer to a request: every row for a person asked, of the year asked; every person asked
// answered (a person left out is an error on line 0 naming the request's line).
void check_answer(const std::vector<AnswerRow>& rows, const AskedPersons& asked, Errors& errors);

// A file the tax system sends on its own: only 更正 rows, of a plausible income year (see
// plausible_tax_year), each for a person in `known` (person_key of the persons known here).
void check_revision(const std::vector<AnswerRow>& rows, const std::unordered_set<std::uint64_t>& known, Date today,
                    Errors& errors);

// An income year a request or a revision may name on `today`: it has ended (≤ today's year − 1)
// and is no older than 7 years (地方税法17条の5: a 更正 reaches back 5 years from the 法定納期限
// of the fiscal year after the income year; one more year for the notice to arrive).
bool plausible_tax_year(int tax_year, Date today);

// ---- FK-12 / FK-13 ----

// One current assessment, as welfare and tax need it.
struct AssessmentRow {
  std::string insured_no;  // 被保険者番号
  std::string person_id;   // 宛名番号
  int fiscal_year = 0;     // 賦課年度
  int revision = 0;        // 更正回数 (0 = 当初賦課)
  int stage = 0;           // 所得段階 (0: no chargeable month)
  std::int64_t amount = 0;           // 確定保険料額 (the year's premium after 月割)
  std::int64_t previous_amount = 0;  // 更正前保険料額 (0 for revision 0)
  std::string cause;       // annual, eligibility, income, household, welfare, staff
  Date assessed_on;        // 賦課日
};
// 被保険者番号,宛名番号,賦課年度,更正回数,所得段階,確定保険料額,更正前保険料額,増減額,賦課事由,賦課日
const std::vector<std::string>& assessment_header();
std::string write_assessment_file(const std::vector<AssessmentRow>& rows);
// 賦課事由 as the file shows it: 当初賦課, 資格異動, 所得更正, 世帯異動, 生活保護, 職権 (unknown codes as they are).
std::string_view cause_label(std::string_view cause);

// Splits one CSV line (RFC 4180 quoting). invalid_input for an unclosed or misplaced quote.
Result<std::vector<std::string>> split_csv_line(std::string_view line);

}  // namespace kaigo::premium::zeimu

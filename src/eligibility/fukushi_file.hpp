#pragma once
// The CSV layouts of the welfare linkage (本市総合福祉システム, counterpart fukushi):
//
//   SK-19 生保異動情報 (welfare → kaigo): one row per 生活保護 / 中国残留邦人等支援給付 start or end
//   SK-20 介護資格異動 (kaigo → welfare): one row per change of an insured period
//
// docs/fukushi-layout.md documents every column. Files are UTF-8 CSV (RFC 4180 quoting, CRLF or
// LF, an optional BOM) with ONE header line; dates are YYYYMMDD. Parsing validates the WHOLE file
// and collects every error (up to kMaxErrors) with its line number (1 = the header) and the
// Japanese column name. Messages never quote a field's value (no personal data in reasons stored
// on exchanges).
//
// Pure: no I/O, no clock. Thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::eligibility::fukushi {

// 種別: stored in public_assistance.kind.
enum class AssistanceKind {
  welfare,     // 生活保護
  repatriate,  // 中国残留邦人等支援給付 (treated like 生活保護 for the premium stages)
};
std::string_view to_code(AssistanceKind k);         // "welfare" / "repatriate"
std::string_view japanese_label(AssistanceKind k);  // the file's value: "生活保護" / "中国残留邦人等支援給付"

// 異動区分. 停止 (suspension) is not taken: a suspended case is still a case (the welfare system
// sends 廃止 when assistance ends).
enum class AssistanceChange {
  start,  // 開始: 異動日 = the first day on assistance
  end,    // 廃止: 異動日 = the 廃止日, the first day NO LONGER on assistance (stored as valid_to)
};
std::string_view to_code(AssistanceChange c);         // "start" / "end"
std::string_view japanese_label(AssistanceChange c);  // "開始" / "廃止"

struct Notice {
  int line_no = 0;
  std::string notice_no;  // 通知番号: the welfare system's id of this change; the key of idempotency
  std::string person_id;  // 宛名番号, 10 digits
  AssistanceKind kind = AssistanceKind::welfare;
  AssistanceChange change = AssistanceChange::start;
  Date on;                // 異動日
  std::string case_no;    // ケース番号 (the welfare office's case)
  // A second line of the same file with the same 通知番号 and identical content: a duplicate.
  bool repeated_in_file = false;
};

struct LineError {
  int line_no = 0;     // 1 = the header line
  std::string field;   // Japanese column name, or "(列数)" / "(ヘッダ)"
  std::string message;
};

struct ParseOutcome {
  std::optional<std::vector<Notice>> notices;  // set when there is no error; file order
  std::vector<LineError> errors;               // in line order, at most kMaxErrors
  bool truncated = false;                      // more errors than kMaxErrors
};

inline constexpr std::size_t kMaxErrors = 200;

// 通知番号,宛名番号,種別,異動区分,異動日,ケース番号
const std::vector<std::string>& welfare_header();

ParseOutcome parse_welfare_file(std::string_view text);

// "line 3, field 異動日: a date that does not exist (and 1 more error)".
std::string summarize(const ParseOutcome& outcome);
// invalid_input "welfare file refused: …", field "line N: 列名".
Error to_error(const ParseOutcome& outcome);

// Writes an SK-19 file (tests, a simulator): the header, then one LF-terminated line per notice.
std::string write_welfare_file(const std::vector<Notice>& notices);

// ---- SK-20 ----

// One change of an insured period, as the welfare office needs it for its own cases.
struct EligibilityChangeRow {
  std::string insured_no;  // 被保険者番号 ("" when none was issued)
  std::string person_id;   // 宛名番号
  std::string change;      // 取得 (a period added) | 変更 (a period changed) | 取消 (a period withdrawn)
  std::string category;    // 被保険者区分 1 / 2
  Date acquired_on;        // 資格取得日
  std::optional<Date> lost_on;  // 資格喪失日 (the first day not insured), none while insured
  std::string acquisition_reason;  // the register's code: move_in, reaching_65, …
  std::string loss_reason;         // death, move_out_domestic, … ("" while insured)
};
// 被保険者番号,宛名番号,異動区分,被保険者区分,資格取得日,資格喪失日,取得事由,喪失事由
const std::vector<std::string>& eligibility_change_header();
std::string write_eligibility_change_file(const std::vector<EligibilityChangeRow>& rows);

}  // namespace kaigo::eligibility::fukushi

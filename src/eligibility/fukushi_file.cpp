// The welfare linkage's CSV layouts (docs/fukushi-layout.md): the SK-19 validator, which checks
// the whole file and collects every error with line and column, and the writers.
#include "eligibility/fukushi_file.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "eligibility/juki_file.hpp"  // split_csv_line: the same RFC 4180 rules as the registry's files

namespace kaigo::eligibility::fukushi {

namespace {

enum Col { c_notice_no, c_person_id, c_kind, c_change, c_on, c_case_no, c_count };

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 1–20 of A-Z a-z 0-9 - _ (the welfare system's ids are ASCII).
bool id_like(std::string_view s) {
  return !s.empty() && s.size() <= 20 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
  });
}

class Checker {
 public:
  Checker(ParseOutcome& out, int line) : out_(out), line_(line) {}
  void error(std::string_view field, std::string message) {
    ok_ = false;
    if (out_.errors.size() >= kMaxErrors) {
      out_.truncated = true;
      return;
    }
    out_.errors.push_back(LineError{line_, std::string(field), std::move(message)});
  }
  bool ok() const { return ok_; }

 private:
  ParseOutcome& out_;
  int line_;
  bool ok_ = true;
};

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string join_line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  return out + "\n";
}

std::string key_of(const Notice& n) {
  return fmt::format("{}|{}|{}|{}|{}", n.person_id, to_code(n.kind), to_code(n.change), n.on.iso(), n.case_no);
}

void parse_row(ParseOutcome& out, std::vector<Notice>& notices, int line_no, const std::vector<std::string>& cols,
               std::unordered_map<std::string, std::pair<int, std::string>>& seen) {
  Checker ck(out, line_no);
  Notice n;
  n.line_no = line_no;
  n.notice_no = cols[c_notice_no];
  if (!id_like(n.notice_no)) ck.error("通知番号", "required: 1–20 of A-Z a-z 0-9 - _");
  n.person_id = cols[c_person_id];
  if (n.person_id.empty()) ck.error("宛名番号", "required (10 digits)");
  else if (n.person_id.size() != 10 || !all_digits(n.person_id)) ck.error("宛名番号", "must be 10 digits");
  const std::string& kind = cols[c_kind];
  if (kind == japanese_label(AssistanceKind::welfare)) n.kind = AssistanceKind::welfare;
  else if (kind == japanese_label(AssistanceKind::repatriate)) n.kind = AssistanceKind::repatriate;
  else ck.error("種別", kind.empty() ? "required (生活保護 or 中国残留邦人等支援給付)"
                                     : "must be 生活保護 or 中国残留邦人等支援給付");
  const std::string& change = cols[c_change];
  if (change == japanese_label(AssistanceChange::start)) n.change = AssistanceChange::start;
  else if (change == japanese_label(AssistanceChange::end)) n.change = AssistanceChange::end;
  else if (change == "停止") ck.error("異動区分", "停止 is not taken; send 廃止 when assistance ends");
  else ck.error("異動区分", change.empty() ? "required (開始 or 廃止)" : "must be 開始 or 廃止");
  const std::string& on = cols[c_on];
  if (on.empty()) {
    ck.error("異動日", "required (YYYYMMDD)");
  } else if (on.size() != 8 || !all_digits(on)) {
    ck.error("異動日", "not a date in the form YYYYMMDD");
  } else if (auto d = Date::parse_compact(on); !d) {
    ck.error("異動日", "a date that does not exist");
  } else {
    n.on = *d;
  }
  n.case_no = cols[c_case_no];
  if (!id_like(n.case_no)) ck.error("ケース番号", "required: 1–20 of A-Z a-z 0-9 - _");
  if (!ck.ok()) return;
  // The same 通知番号 twice: an identical line is a duplicate (skipped); anything else is a
  // contradiction the welfare office must resolve.
  const std::string key = key_of(n);
  auto [it, inserted] = seen.try_emplace(n.notice_no, line_no, key);
  if (!inserted) {
    if (it->second.second != key) {
      ck.error("通知番号", fmt::format("the same 通知番号 as line {} with different content", it->second.first));
      return;
    }
    n.repeated_in_file = true;
  }
  notices.push_back(std::move(n));
}

}  // namespace

std::string_view to_code(AssistanceKind k) { return k == AssistanceKind::welfare ? "welfare" : "repatriate"; }
std::string_view japanese_label(AssistanceKind k) {
  return k == AssistanceKind::welfare ? "生活保護" : "中国残留邦人等支援給付";
}
std::string_view to_code(AssistanceChange c) { return c == AssistanceChange::start ? "start" : "end"; }
std::string_view japanese_label(AssistanceChange c) { return c == AssistanceChange::start ? "開始" : "廃止"; }

const std::vector<std::string>& welfare_header() {
  static const std::vector<std::string> h{"通知番号", "宛名番号", "種別", "異動区分", "異動日", "ケース番号"};
  return h;
}

ParseOutcome parse_welfare_file(std::string_view text) {
  ParseOutcome out;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<Notice> notices;
  std::unordered_map<std::string, std::pair<int, std::string>> seen;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    ++line_no;
    if (line_no == 1) {
      auto cols = juki::split_csv_line(line);
      if (!cols || *cols != welfare_header()) {
        out.errors.push_back(LineError{1, "(ヘッダ)",
                                       "the header is not 通知番号,宛名番号,種別,異動区分,異動日,ケース番号 (see "
                                       "docs/fukushi-layout.md)"});
        return out;
      }
      continue;
    }
    if (line.empty()) continue;  // a blank line (e.g. at the end) carries nothing
    auto cols = juki::split_csv_line(line);
    if (!cols) {
      Checker(out, line_no).error(cols.error().field.empty() ? "(行)" : cols.error().field, cols.error().message);
      continue;
    }
    if (cols->size() != c_count) {
      Checker(out, line_no).error("(列数)", fmt::format("{} columns, the layout has {}", cols->size(), +c_count));
      continue;
    }
    parse_row(out, notices, line_no, *cols, seen);
  }
  if (line_no == 0) {
    out.errors.push_back(LineError{1, "(ヘッダ)", "the file is empty"});
    return out;
  }
  if (out.errors.empty()) out.notices = std::move(notices);
  return out;
}

std::string summarize(const ParseOutcome& outcome) {
  if (outcome.errors.empty()) return "no errors";
  const auto& e = outcome.errors.front();
  std::string s = fmt::format("line {}, field {}: {}", e.line_no, e.field, e.message);
  const std::size_t more = outcome.errors.size() - 1;
  if (more > 0 || outcome.truncated)
    s += fmt::format(" (and {}{} more error{})", outcome.truncated ? "over " : "", more, more == 1 ? "" : "s");
  return s;
}

Error to_error(const ParseOutcome& outcome) {
  const std::string field =
      outcome.errors.empty() ? "" : fmt::format("line {}: {}", outcome.errors.front().line_no, outcome.errors.front().field);
  return Error{ErrorKind::invalid_input, "welfare file refused: " + summarize(outcome), field};
}

std::string write_welfare_file(const std::vector<Notice>& notices) {
  std::string out = join_line(welfare_header());
  for (const auto& n : notices)
    out += join_line({n.notice_no, n.person_id, std::string(japanese_label(n.kind)), std::string(japanese_label(n.change)),
                      n.on.compact(), n.case_no});
  return out;
}

const std::vector<std::string>& eligibility_change_header() {
  static const std::vector<std::string> h{"被保険者番号", "宛名番号", "異動区分", "被保険者区分",
                                          "資格取得日",   "資格喪失日", "取得事由", "喪失事由"};
  return h;
}

std::string write_eligibility_change_file(const std::vector<EligibilityChangeRow>& rows) {
  std::string out = join_line(eligibility_change_header());
  for (const auto& r : rows)
    out += join_line({r.insured_no, r.person_id, r.change, r.category, r.acquired_on.compact(),
                      r.lost_on ? r.lost_on->compact() : "", r.acquisition_reason, r.loss_reason});
  return out;
}

}  // namespace kaigo::eligibility::fukushi

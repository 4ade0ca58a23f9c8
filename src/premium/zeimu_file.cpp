// The tax linkage's CSV layouts (docs/zeimu-layout.md): FK-01 requests, FK-02 answers and
// revisions (validated whole, every error with line and column), and the shared CSV helpers.
#include "premium/zeimu_file.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace kaigo::premium::zeimu {

namespace {

// |amount| below 1兆円: a larger figure is a broken file, not a resident of a city.
constexpr std::int64_t kMaxAmount = 999'999'999'999;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string csv_field(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string q = "\"";
  for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string join_line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  out += '\n';
  return out;
}

std::string joined_header(const std::vector<std::string>& h) {
  std::string s;
  for (std::size_t i = 0; i < h.size(); ++i) s += (i ? "," : "") + h[i];
  return s;
}

// Calls on_line(line_no, line) for every line after stripping a BOM and CR; returns the number of
// lines (0 for an empty text).
template <typename F>
int each_line(std::string_view text, F&& on_line) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    ++line_no;
    if (!on_line(line_no, line)) break;
  }
  return line_no;
}

// A 4-digit year in the form only (its plausibility is the caller's check).
std::optional<int> parse_year(std::string_view s) {
  if (s.size() != 4 || !all_digits(s)) return std::nullopt;
  int y = 0;
  std::from_chars(s.data(), s.data() + s.size(), y);
  return y;
}

enum AnswerCol {
  a_person_id, a_tax_year, a_kind, a_total, a_public_pension, a_taxable_pension, a_pension_misc, a_salary,
  a_land_sale, a_taxed, a_taxable_income, a_count
};

// One amount column: required integer yen (digits, a leading '-' only where negative is allowed).
std::optional<std::int64_t> amount(Errors& errors, int line_no, const std::string& person, const std::string& name,
                                   std::string_view v, bool negative_allowed) {
  if (v.empty()) {
    errors.add(line_no, name, "required (integer yen)", person);
    return std::nullopt;
  }
  const bool negative = v.front() == '-';
  std::string_view digits = negative ? v.substr(1) : v;
  if (!all_digits(digits)) {
    errors.add(line_no, name, "not an integer amount in yen (digits only, no commas)", person);
    return std::nullopt;
  }
  if (negative && !negative_allowed) {
    errors.add(line_no, name, "a negative amount is impossible here", person);
    return std::nullopt;
  }
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || p != digits.data() + digits.size() || n > kMaxAmount) {
    errors.add(line_no, name, "beyond ±999,999,999,999 yen (not plausible)", person);
    return std::nullopt;
  }
  return negative ? -n : n;
}

void parse_answer_row(AnswerParse& out, std::vector<AnswerRow>& rows, int line_no, const std::vector<std::string>& cols,
                      std::unordered_map<std::uint64_t, int>& seen) {
  const auto& h = answer_header();
  Errors& errors = out.errors;
  const std::size_t before = errors.items.size();
  const bool was_truncated = errors.truncated;
  AnswerRow r;
  r.line_no = line_no;
  r.person_id = cols[a_person_id];
  const bool person_ok = r.person_id.size() == 10 && all_digits(r.person_id);
  if (!person_ok)
    errors.add(line_no, h[a_person_id], r.person_id.empty() ? "required (10 digits)" : "must be 10 digits");
  const std::string person = person_ok ? r.person_id : std::string();
  if (auto y = parse_year(cols[a_tax_year])) r.tax_year = *y;
  else errors.add(line_no, h[a_tax_year], cols[a_tax_year].empty() ? "required (YYYY)" : "not a year YYYY", person);
  const std::string& kind = cols[a_kind];
  bool kind_ok = true;
  if (kind == japanese_label(RowKind::initial)) r.kind = RowKind::initial;
  else if (kind == japanese_label(RowKind::revision)) r.kind = RowKind::revision;
  else if (kind == japanese_label(RowKind::undeclared)) r.kind = RowKind::undeclared;
  else {
    kind_ok = false;
    errors.add(line_no, h[a_kind], kind.empty() ? "required (当初, 更正 or 未申告)" : "must be 当初, 更正 or 未申告", person);
  }
  if (kind_ok && r.kind == RowKind::undeclared) {
    // 未申告: the tax office holds nothing, so a figure on the row contradicts the 区分.
    for (int c = a_total; c < a_count; ++c)
      if (!cols[c].empty()) errors.add(line_no, h[c], "a 未申告 row carries no figures (leave it empty)", person);
  } else if (kind_ok) {
    auto& f = r.figures;
    auto total = amount(errors, line_no, person, h[a_total], cols[a_total], true);
    auto pub = amount(errors, line_no, person, h[a_public_pension], cols[a_public_pension], false);
    auto taxable_pension = amount(errors, line_no, person, h[a_taxable_pension], cols[a_taxable_pension], false);
    auto misc = amount(errors, line_no, person, h[a_pension_misc], cols[a_pension_misc], false);
    auto salary = amount(errors, line_no, person, h[a_salary], cols[a_salary], false);
    auto land = amount(errors, line_no, person, h[a_land_sale], cols[a_land_sale], false);
    const std::string& taxed = cols[a_taxed];
    if (taxed == "課税") f.resident_tax_taxed = true;
    else if (taxed == "非課税") f.resident_tax_taxed = false;
    else errors.add(line_no, h[a_taxed], taxed.empty() ? "required (課税 or 非課税)" : "must be 課税 or 非課税", person);
    auto taxable = amount(errors, line_no, person, h[a_taxable_income], cols[a_taxable_income], false);
    // Impossible combinations (the amounts are each well-formed).
    if (pub && taxable_pension && *taxable_pension > *pub)
      errors.add(line_no, h[a_taxable_pension], "greater than 公的年金等収入金額 (課税年金収入額 is a part of it)", person);
    if (pub && misc && *misc > *pub)
      errors.add(line_no, h[a_pension_misc],
                 "greater than 公的年金等収入金額 (雑所得 = 収入 − 公的年金等控除, 所得税法35条4項)", person);
    if (total && taxable && *taxable > std::max<std::int64_t>(*total, 0))
      errors.add(line_no, h[a_taxable_income], "greater than 合計所得金額 (課税所得 = 所得 − 所得控除)", person);
    if (total) f.total_income = *total;
    if (pub) f.public_pension_income = *pub;
    if (taxable_pension) f.taxable_pension_income = *taxable_pension;
    if (misc) f.pension_misc_income = *misc;
    if (salary) f.salary_income = *salary;
    if (land) f.land_sale_special_deduction = *land;
    if (taxable) f.taxable_income = *taxable;
  }
  if (errors.items.size() != before || errors.truncated != was_truncated) return;
  // A person twice for one year: two answers for one question (which is right is the tax office's call).
  const std::uint64_t key = person_key(r.person_id) * 10000 + static_cast<std::uint64_t>(r.tax_year);
  auto [it, inserted] = seen.try_emplace(key, line_no);
  if (!inserted) {
    errors.add(line_no, h[a_person_id], fmt::format("the same 宛名番号 and 所得年 as line {}", it->second), person);
    return;
  }
  rows.push_back(std::move(r));
}

}  // namespace

void Errors::add(int line_no, std::string field, std::string message, std::string person_id) {
  if (items.size() >= kMaxErrors) {
    truncated = true;
    return;
  }
  items.push_back(LineError{line_no, std::move(field), std::move(message), std::move(person_id)});
}

void Errors::sort() {
  std::stable_sort(items.begin(), items.end(), [](const LineError& a, const LineError& b) { return a.line_no < b.line_no; });
}

std::string summarize(const Errors& errors) {
  if (errors.items.empty()) return errors.truncated ? "too many errors" : "no errors";
  const auto& e = errors.items.front();
  std::string s = e.line_no > 0 ? fmt::format("line {}, field {}: {}", e.line_no, e.field, e.message)
                                : fmt::format("(no line), field {}: {}", e.field, e.message);
  const std::size_t more = errors.items.size() - 1;
  if (more > 0 || errors.truncated)
    s += fmt::format(" (and {}{} more error{})", errors.truncated ? "over " : "", more, more == 1 ? "" : "s");
  return s;
}

Error to_error(const Errors& errors, std::string_view what) {
  const std::string field = errors.items.empty()
                                ? std::string()
                                : fmt::format("line {}: {}", errors.items.front().line_no, errors.items.front().field);
  return Error{ErrorKind::invalid_input, fmt::format("{} refused: {}", what, summarize(errors)), field};
}

Result<std::vector<std::string>> split_csv_line(std::string_view line) {
  std::vector<std::string> out;
  std::string field;
  std::size_t i = 0;
  while (true) {
    field.clear();
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field += line[i++];
      }
      if (!closed) return fail(ErrorKind::invalid_input, "a quoted field is not closed", "(行)");
      if (i < line.size() && line[i] != ',')
        return fail(ErrorKind::invalid_input, "characters after a closing quote", "(行)");
    } else {
      const std::size_t comma = line.find(',', i);
      const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
      const std::string_view raw = line.substr(i, end - i);
      if (raw.find('"') != std::string_view::npos)
        return fail(ErrorKind::invalid_input, "a quote inside an unquoted field", "(行)");
      field.assign(raw);
      i = end;
    }
    out.push_back(field);
    if (i >= line.size()) break;
    ++i;  // the comma
    if (i == line.size()) {  // a trailing comma: one more, empty field
      out.emplace_back();
      break;
    }
  }
  return out;
}

std::uint64_t person_key(std::string_view person_id) {
  if (person_id.size() != 10 || !all_digits(person_id)) return 0;
  std::uint64_t n = 0;
  std::from_chars(person_id.data(), person_id.data() + person_id.size(), n);
  return n;
}

bool plausible_tax_year(int tax_year, Date today) { return tax_year <= today.year() - 1 && tax_year >= today.year() - 7; }

// ---- FK-01 ----

const std::vector<std::string>& request_header() {
  static const std::vector<std::string> h{"宛名番号", "所得年"};
  return h;
}

std::string write_request_file(const std::vector<RequestRow>& rows) {
  std::string out = join_line(request_header());
  out.reserve(out.size() + rows.size() * 16);
  for (const auto& r : rows) {
    out += r.person_id;
    out += ',';
    out += std::to_string(r.tax_year);
    out += '\n';
  }
  return out;
}

RequestParse parse_request_file(std::string_view text) {
  RequestParse out;
  std::vector<RequestRow> rows;
  std::unordered_map<std::uint64_t, int> seen;
  bool header_bad = false;
  const int lines = each_line(text, [&](int line_no, std::string_view line) {
    if (line_no == 1) {
      auto cols = split_csv_line(line);
      if (!cols || *cols != request_header()) {
        out.errors.add(1, "(ヘッダ)", "the header is not " + joined_header(request_header()) + " (see docs/zeimu-layout.md)");
        header_bad = true;
        return false;
      }
      return true;
    }
    if (line.empty()) return true;
    auto cols = split_csv_line(line);
    if (!cols) {
      out.errors.add(line_no, "(行)", cols.error().message);
      return true;
    }
    if (cols->size() != 2) {
      out.errors.add(line_no, "(列数)", fmt::format("{} columns, the layout has 2", cols->size()));
      return true;
    }
    RequestRow r{line_no, (*cols)[0], 0};
    const std::uint64_t key = person_key(r.person_id);
    if (key == 0) out.errors.add(line_no, "宛名番号", "must be 10 digits");
    auto y = parse_year((*cols)[1]);
    if (!y) out.errors.add(line_no, "所得年", "not a year YYYY", key ? r.person_id : "");
    if (key == 0 || !y) return true;
    r.tax_year = *y;
    if (auto [it, inserted] = seen.try_emplace(key, line_no); !inserted) {
      out.errors.add(line_no, "宛名番号", fmt::format("the same 宛名番号 as line {}", it->second), r.person_id);
      return true;
    }
    rows.push_back(std::move(r));
    return true;
  });
  if (lines == 0) out.errors.add(1, "(ヘッダ)", "the file is empty");
  if (!header_bad && out.errors.empty()) out.rows = std::move(rows);
  return out;
}

// ---- FK-02 ----

std::string_view japanese_label(RowKind k) {
  switch (k) {
    case RowKind::initial: return "当初";
    case RowKind::revision: return "更正";
    case RowKind::undeclared: return "未申告";
  }
  return "当初";
}

const std::vector<std::string>& answer_header() {
  static const std::vector<std::string> h{"宛名番号",           "所得年",         "区分",
                                          "合計所得金額",       "公的年金等収入金額", "課税年金収入額",
                                          "公的年金等に係る雑所得", "給与所得",       "譲渡所得の特別控除",
                                          "市町村民税",         "課税所得"};
  return h;
}

std::string answer_line(const AnswerRow& r) {
  std::string out = r.person_id;
  out += ',';
  out += std::to_string(r.tax_year);
  out += ',';
  out += japanese_label(r.kind);
  if (r.kind == RowKind::undeclared) {
    out += ",,,,,,,,\n";
    return out;
  }
  const auto& f = r.figures;
  for (std::int64_t v : {f.total_income, f.public_pension_income, f.taxable_pension_income, f.pension_misc_income,
                         f.salary_income, f.land_sale_special_deduction}) {
    out += ',';
    out += std::to_string(v);
  }
  out += f.resident_tax_taxed ? ",課税," : ",非課税,";
  out += std::to_string(f.taxable_income);
  out += '\n';
  return out;
}

std::string write_answer_file(const std::vector<AnswerRow>& rows) {
  std::string out = join_line(answer_header());
  out.reserve(out.size() + rows.size() * 64);
  for (const auto& r : rows) out += answer_line(r);
  return out;
}

AnswerParse parse_answer_file(std::string_view text) {
  AnswerParse out;
  std::vector<AnswerRow> rows;
  std::unordered_map<std::uint64_t, int> seen;
  bool header_bad = false;
  const int lines = each_line(text, [&](int line_no, std::string_view line) {
    if (line_no == 1) {
      auto cols = split_csv_line(line);
      if (!cols || *cols != answer_header()) {
        out.errors.add(1, "(ヘッダ)", "the header is not " + joined_header(answer_header()) + " (see docs/zeimu-layout.md)");
        header_bad = true;
        return false;
      }
      return true;
    }
    if (line.empty()) return true;  // a blank line (e.g. at the end) carries nothing
    auto cols = split_csv_line(line);
    if (!cols) {
      out.errors.add(line_no, "(行)", cols.error().message);
      return true;
    }
    if (cols->size() != a_count) {
      out.errors.add(line_no, "(列数)", fmt::format("{} columns, the layout has {}", cols->size(), +a_count));
      return true;
    }
    parse_answer_row(out, rows, line_no, *cols, seen);
    return true;
  });
  if (lines == 0) out.errors.add(1, "(ヘッダ)", "the file is empty");
  if (!header_bad && out.errors.empty()) out.rows = std::move(rows);
  return out;
}

void check_answer(const std::vector<AnswerRow>& rows, const AskedPersons& asked, Errors& errors) {
  std::unordered_map<std::uint64_t, int> answered;
  answered.reserve(rows.size());
  for (const AnswerRow& r : rows) {
    const std::uint64_t key = person_key(r.person_id);
    if (!asked.request_line.contains(key)) {
      errors.add(r.line_no, "宛名番号", "a person the request did not ask about", r.person_id);
      continue;
    }
    if (r.tax_year != asked.tax_year)
      errors.add(r.line_no, "所得年", fmt::format("not the income year asked ({})", asked.tax_year), r.person_id);
    answered.emplace(key, r.line_no);
  }
  if (answered.size() == asked.request_line.size()) return;
  // Persons asked but not answered, in the request's line order.
  std::vector<std::pair<int, std::uint64_t>> missing;
  for (const auto& [key, line] : asked.request_line)
    if (!answered.contains(key)) missing.emplace_back(line, key);
  std::sort(missing.begin(), missing.end());
  for (const auto& [line, key] : missing)
    errors.add(0, "宛名番号", fmt::format("the person of request line {} is not answered (send 未申告 when nothing is held)", line),
               fmt::format("{:010}", key));
}

void check_revision(const std::vector<AnswerRow>& rows, const std::unordered_set<std::uint64_t>& known, Date today,
                    Errors& errors) {
  for (const AnswerRow& r : rows) {
    if (r.kind != RowKind::revision)
      errors.add(r.line_no, "区分",
                 fmt::format("{} comes only in an answer to a request (name the request with _re-<処理通番>)",
                             japanese_label(r.kind)),
                 r.person_id);
    if (!plausible_tax_year(r.tax_year, today))
      errors.add(r.line_no, "所得年", fmt::format("not a plausible income year on {} (ended, at most 7 years back)", today.iso()),
                 r.person_id);
    if (!known.contains(person_key(r.person_id))) errors.add(r.line_no, "宛名番号", "a person unknown here");
  }
}

// ---- FK-12 / FK-13 ----

const std::vector<std::string>& assessment_header() {
  static const std::vector<std::string> h{"被保険者番号", "宛名番号",       "賦課年度", "更正回数", "所得段階",
                                          "確定保険料額", "更正前保険料額", "増減額",   "賦課事由", "賦課日"};
  return h;
}

std::string_view cause_label(std::string_view cause) {
  if (cause == "annual") return "当初賦課";
  if (cause == "eligibility") return "資格異動";
  if (cause == "income") return "所得更正";
  if (cause == "household") return "世帯異動";
  if (cause == "welfare") return "生活保護";
  if (cause == "staff") return "職権";
  return cause;
}

std::string write_assessment_file(const std::vector<AssessmentRow>& rows) {
  std::string out = join_line(assessment_header());
  out.reserve(out.size() + rows.size() * 80);
  for (const auto& r : rows)
    out += join_line({r.insured_no, r.person_id, std::to_string(r.fiscal_year), std::to_string(r.revision),
                      std::to_string(r.stage), std::to_string(r.amount), std::to_string(r.previous_amount),
                      std::to_string(r.amount - r.previous_amount), std::string(cause_label(r.cause)),
                      r.assessed_on.compact()});
  return out;
}

}  // namespace kaigo::premium::zeimu

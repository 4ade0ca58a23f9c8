// The registry's CSV layouts as one table of columns per layout (docs/juki-layout.md), a
// whole-file validator that collects every error with line and column, and the writers.
#include "eligibility/juki_file.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <unordered_map>

#include <fmt/format.h>

namespace kaigo::eligibility::juki {

namespace {

struct KindInfo {
  RegistryMovementKind kind;
  std::string_view code, file_code, label;
};
constexpr std::array<KindInfo, 9> kKinds{{
    {RegistryMovementKind::move_in, "move_in", "01", "転入"},
    {RegistryMovementKind::move_out, "move_out", "02", "転出"},
    {RegistryMovementKind::relocation, "relocation", "03", "転居"},
    {RegistryMovementKind::death, "death", "04", "死亡"},
    {RegistryMovementKind::birth, "birth", "05", "出生"},
    {RegistryMovementKind::emigration, "emigration", "06", "国外転出"},
    {RegistryMovementKind::name_change, "name_change", "07", "氏名変更"},
    {RegistryMovementKind::household_change, "household_change", "08", "世帯変更"},
    {RegistryMovementKind::correction, "correction", "09", "職権修正"},
}};

const KindInfo& info(RegistryMovementKind k) {
  for (const auto& i : kKinds)
    if (i.kind == k) return i;
  return kKinds[0];
}

// Column indexes of the difference layout.
enum DiffCol {
  d_movement_id, d_kind, d_movement_date, d_notified_on, d_person_id, d_household_id, d_name_kanji, d_name_kana,
  d_birth_date, d_sex, d_relation, d_postal_code, d_address, d_ward_code, d_former_code, d_former_name,
  d_new_address_on, d_count
};
// Column indexes of the full-load layout.
enum FullCol {
  f_person_id, f_household_id, f_name_kanji, f_name_kana, f_birth_date, f_sex, f_relation, f_postal_code, f_address,
  f_ward_code, f_status, f_status_date, f_count
};

bool all_digits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Decodes UTF-8 into code points; false when malformed.
bool code_points(std::string_view s, std::vector<char32_t>& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = 0;
    char32_t cp = 0;
    if (c < 0x80) cp = c, n = 0;
    else if ((c >> 5) == 0x6) cp = c & 0x1F, n = 1;
    else if ((c >> 4) == 0xE) cp = c & 0x0F, n = 2;
    else if ((c >> 3) == 0x1E) cp = c & 0x07, n = 3;
    else return false;
    if (n > 0 && i + n >= s.size()) return false;
    for (int k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(cp);
    i += n + 1;
  }
  return true;
}

// Full-width katakana (ァ–ヺ, ー, ヽヾ) with spaces between family and given name.
bool katakana(std::string_view s) {
  std::vector<char32_t> cps;
  if (!code_points(s, cps) || cps.empty()) return false;
  return std::all_of(cps.begin(), cps.end(), [](char32_t c) {
    return (c >= 0x30A1 && c <= 0x30FE) || c == U' ' || c == 0x3000;
  });
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
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
  std::optional<Date> date(std::string_view field, std::string_view v) {
    if (v.empty()) {
      error(field, "required (YYYYMMDD)");
      return std::nullopt;
    }
    if (v.size() != 8 || !all_digits(v, 8)) {
      error(field, "not a date in the form YYYYMMDD");
      return std::nullopt;
    }
    auto d = Date::parse_compact(v);
    if (!d) {
      error(field, "a date that does not exist");
      return std::nullopt;
    }
    return *d;
  }
  void digits(std::string_view field, std::string_view v, std::size_t n) {
    if (v.empty()) error(field, fmt::format("required ({} digits)", n));
    else if (!all_digits(v, n)) error(field, fmt::format("must be {} digits", n));
  }
  void text(std::string_view field, std::string_view v, std::size_t max_bytes) {
    if (v.empty()) error(field, "required");
    else if (v.size() > max_bytes) error(field, fmt::format("longer than {} bytes", max_bytes));
    else if (has_control(v)) error(field, "contains a control character");
  }

 private:
  ParseOutcome& out_;
  int line_;
  bool ok_ = true;
};

// The person columns common to both layouts, at the given indexes.
struct PersonCols {
  std::size_t person_id, household_id, name_kanji, name_kana, birth_date, sex, relation, postal_code, address,
      ward_code;
};
constexpr PersonCols kDiffPerson{d_person_id, d_household_id, d_name_kanji, d_name_kana, d_birth_date,
                                 d_sex,       d_relation,     d_postal_code, d_address,   d_ward_code};
constexpr PersonCols kFullPerson{f_person_id, f_household_id, f_name_kanji, f_name_kana, f_birth_date,
                                 f_sex,       f_relation,     f_postal_code, f_address,   f_ward_code};

std::optional<RegistryPerson> read_person(Checker& ck, const std::vector<std::string>& v, const PersonCols& p,
                                          const std::vector<std::string>& header) {
  RegistryPerson out;
  out.person_id = v[p.person_id];
  ck.digits(header[p.person_id], out.person_id, 10);
  out.household_id = v[p.household_id];
  ck.digits(header[p.household_id], out.household_id, 10);
  out.name_kanji = v[p.name_kanji];
  ck.text(header[p.name_kanji], out.name_kanji, 200);
  out.name_kana = v[p.name_kana];
  if (out.name_kana.empty()) ck.error(header[p.name_kana], "required");
  else if (!katakana(out.name_kana)) ck.error(header[p.name_kana], "must be full-width katakana");
  auto birth = ck.date(header[p.birth_date], v[p.birth_date]);
  if (birth) out.birth_date = *birth;
  out.sex = v[p.sex];
  if (out.sex != "1" && out.sex != "2") ck.error(header[p.sex], "must be 1 (男) or 2 (女)");
  out.relation = v[p.relation];
  ck.text(header[p.relation], out.relation, 60);
  out.postal_code = v[p.postal_code];
  ck.digits(header[p.postal_code], out.postal_code, 7);
  out.address = v[p.address];
  ck.text(header[p.address], out.address, 400);
  out.ward_code = v[p.ward_code];
  ck.digits(header[p.ward_code], out.ward_code, 3);
  if (!birth) return std::nullopt;
  return out;
}

std::string join_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    const auto& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      line += f;
    } else {
      line += '"';
      for (char c : f) {
        if (c == '"') line += '"';
        line += c;
      }
      line += '"';
    }
  }
  line += '\n';
  return line;
}

std::vector<std::string> person_fields(const RegistryPerson& p) {
  return {p.person_id, p.household_id, p.name_kanji, p.name_kana, p.birth_date.compact(),
          p.sex,       p.relation,     p.postal_code, p.address,  p.ward_code};
}

void parse_diff_row(ParseOutcome& out, JukiFile& file, int line_no, const std::vector<std::string>& v,
                    std::unordered_map<std::string, std::pair<int, std::string>>& seen, const std::string& raw) {
  Checker ck(out, line_no);
  const auto& h = diff_header();
  Movement m;
  m.line_no = line_no;
  m.movement_id = v[d_movement_id];
  if (m.movement_id.empty()) ck.error(h[d_movement_id], "required");
  else if (m.movement_id.size() > 20 ||
           !std::all_of(m.movement_id.begin(), m.movement_id.end(),
                        [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }))
    ck.error(h[d_movement_id], "must be 1–20 letters, digits, '-' or '_'");
  bool kind_ok = false;
  for (const auto& k : kKinds)
    if (k.file_code == v[d_kind]) m.kind = k.kind, kind_ok = true;
  if (!kind_ok) ck.error(h[d_kind], "unknown code (01 転入 … 09 職権修正)");
  auto date = ck.date(h[d_movement_date], v[d_movement_date]);
  auto notified = ck.date(h[d_notified_on], v[d_notified_on]);
  auto person = read_person(ck, v, kDiffPerson, h);
  if (date) m.movement_date = *date;
  if (notified) m.notified_on = *notified;
  if (person) m.person = *person;
  if (date && person && person->birth_date > *date) ck.error(h[d_birth_date], "after the 異動日");
  m.former_municipality_code = v[d_former_code];
  m.former_municipality_name = v[d_former_name];
  if (kind_ok && m.kind == RegistryMovementKind::move_in) {
    ck.digits(h[d_former_code], m.former_municipality_code, 6);
    ck.text(h[d_former_name], m.former_municipality_name, 200);
  } else {
    if (!m.former_municipality_code.empty()) ck.error(h[d_former_code], "only for 転入 (01)");
    if (!m.former_municipality_name.empty()) ck.error(h[d_former_name], "only for 転入 (01)");
  }
  if (!v[d_new_address_on].empty()) {
    if (kind_ok && m.kind != RegistryMovementKind::move_out) ck.error(h[d_new_address_on], "only for 転出 (02)");
    else if (auto d = ck.date(h[d_new_address_on], v[d_new_address_on])) m.new_address_on = *d;
  }
  if (!m.movement_id.empty()) {
    // The same movement twice in one file: an identical line is a duplicate (applied once);
    // the same 異動番号 with other content is an error.
    auto [it, fresh] = seen.emplace(m.movement_id, std::make_pair(line_no, raw));
    if (!fresh) {
      if (it->second.second == raw) m.repeated_in_file = true;
      else ck.error(h[d_movement_id], fmt::format("repeats line {} with different content", it->second.first));
    }
  }
  if (ck.ok()) file.movements.push_back(std::move(m));
}

void parse_full_row(ParseOutcome& out, JukiFile& file, int line_no, const std::vector<std::string>& v,
                    std::unordered_map<std::string, int>& seen) {
  Checker ck(out, line_no);
  const auto& h = full_header();
  FullRow r;
  r.line_no = line_no;
  auto person = read_person(ck, v, kFullPerson, h);
  if (person) r.person = *person;
  const auto& s = v[f_status];
  if (s == "1") r.status = RegistryStatus::resident;
  else if (s == "2") r.status = RegistryStatus::moved_out;
  else if (s == "3") r.status = RegistryStatus::deceased;
  else if (s == "4") r.status = RegistryStatus::emigrated;
  else ck.error(h[f_status], "unknown code (1 住民, 2 転出, 3 死亡, 4 国外転出)");
  auto d = ck.date(h[f_status_date], v[f_status_date]);
  if (d) r.status_date = *d;
  if (d && person && person->birth_date > *d) ck.error(h[f_birth_date], "after the 住民区分異動日");
  if (!v[f_person_id].empty()) {
    auto [it, fresh] = seen.emplace(v[f_person_id], line_no);
    if (!fresh) ck.error(h[f_person_id], fmt::format("listed twice (first on line {})", it->second));
  }
  if (ck.ok()) file.rows.push_back(std::move(r));
}

}  // namespace

std::string_view to_code(RegistryMovementKind kind) { return info(kind).code; }
std::string_view file_code(RegistryMovementKind kind) { return info(kind).file_code; }
std::string_view japanese_label(RegistryMovementKind kind) { return info(kind).label; }

Result<RegistryMovementKind> parse_registry_movement_kind(std::string_view code) {
  for (const auto& k : kKinds)
    if (k.code == code) return k.kind;
  return fail(ErrorKind::invalid_input, fmt::format("unknown movement kind '{}'", code), "kind");
}

std::string_view to_code(RegistryStatus s) {
  switch (s) {
    case RegistryStatus::resident: return "resident";
    case RegistryStatus::moved_out: return "moved_out";
    case RegistryStatus::deceased: return "deceased";
    case RegistryStatus::emigrated: return "moved_out";
  }
  return "resident";
}

std::string_view to_code(JukiFileKind k) { return k == JukiFileKind::full ? "full" : "diff"; }

const std::vector<std::string>& full_header() {
  static const std::vector<std::string> h{"宛名番号", "世帯番号", "氏名",     "氏名カナ", "生年月日",  "性別",
                                          "続柄",     "郵便番号", "住所",     "区コード", "住民区分", "住民区分異動日"};
  return h;
}

const std::vector<std::string>& diff_header() {
  static const std::vector<std::string> h{"異動番号", "異動事由", "異動日",   "届出日",   "宛名番号",
                                          "世帯番号", "氏名",     "氏名カナ", "生年月日", "性別",
                                          "続柄",     "郵便番号", "住所",     "区コード", "前住所市町村コード",
                                          "前住所市町村名", "転出先転入日"};
  return h;
}

Result<std::vector<std::string>> split_csv_line(std::string_view line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == ',') {
      out.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '"') {
      if (!field.empty() || was_quoted) return fail(ErrorKind::invalid_input, "a quote inside an unquoted field", "(引用符)");
      quoted = was_quoted = true;
    } else {
      if (was_quoted) return fail(ErrorKind::invalid_input, "text after a closing quote", "(引用符)");
      field += c;
    }
  }
  if (quoted) return fail(ErrorKind::invalid_input, "a quoted field is not closed on its line", "(引用符)");
  out.push_back(std::move(field));
  return out;
}

ParseOutcome parse_juki_file(std::string_view text) {
  ParseOutcome out;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  JukiFile file;
  const std::vector<std::string>* header = nullptr;
  std::unordered_map<std::string, std::pair<int, std::string>> seen_movements;
  std::unordered_map<std::string, int> seen_persons;
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
      auto cols = split_csv_line(line);
      if (cols && *cols == full_header()) header = &full_header(), file.kind = JukiFileKind::full;
      else if (cols && *cols == diff_header()) header = &diff_header(), file.kind = JukiFileKind::diff;
      else {
        out.errors.push_back(LineError{1, "(ヘッダ)",
                                       "the header is neither the full-load layout (宛名番号,世帯番号,…) nor the "
                                       "difference layout (異動番号,異動事由,…); see docs/juki-layout.md"});
        return out;
      }
      continue;
    }
    if (line.empty()) continue;  // a blank line (e.g. at the end) carries nothing
    ++file.lines;
    auto cols = split_csv_line(line);
    if (!cols) {
      Checker(out, line_no).error(cols.error().field, cols.error().message);
      continue;
    }
    if (cols->size() != header->size()) {
      Checker(out, line_no).error("(列数)", fmt::format("{} columns, the layout has {}", cols->size(), header->size()));
      continue;
    }
    if (file.kind == JukiFileKind::diff) parse_diff_row(out, file, line_no, *cols, seen_movements, std::string(line));
    else parse_full_row(out, file, line_no, *cols, seen_persons);
  }
  if (line_no == 0) {
    out.errors.push_back(LineError{1, "(ヘッダ)", "the file is empty"});
    return out;
  }
  if (out.errors.empty()) out.file = std::move(file);
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
  return Error{ErrorKind::invalid_input, "registry file refused: " + summarize(outcome), field};
}

std::string write_full_file(const std::vector<FullRow>& rows) {
  std::string out = join_line(full_header());
  for (const auto& r : rows) {
    auto f = person_fields(r.person);
    const char* status = r.status == RegistryStatus::resident    ? "1"
                         : r.status == RegistryStatus::moved_out ? "2"
                         : r.status == RegistryStatus::deceased  ? "3"
                                                                 : "4";
    f.push_back(status);
    f.push_back(r.status_date.compact());
    out += join_line(f);
  }
  return out;
}

std::string write_diff_file(const std::vector<Movement>& movements) {
  std::string out = join_line(diff_header());
  for (const auto& m : movements) {
    std::vector<std::string> f{m.movement_id, std::string(file_code(m.kind)), m.movement_date.compact(),
                               m.notified_on.compact()};
    for (auto& p : person_fields(m.person)) f.push_back(std::move(p));
    f.push_back(m.former_municipality_code);
    f.push_back(m.former_municipality_name);
    f.push_back(m.new_address_on ? m.new_address_on->compact() : "");
    out += join_line(f);
  }
  return out;
}

const std::vector<std::string>& eligibility_change_header() {
  static const std::vector<std::string> h{"被保険者番号", "宛名番号", "異動区分", "異動日", "被保険者区分", "事由コード", "事由"};
  return h;
}

std::string write_eligibility_change_file(const std::vector<EligibilityChangeRow>& rows) {
  std::string out = join_line(eligibility_change_header());
  for (const auto& r : rows)
    out += join_line({r.insured_no, r.person_id, r.change, r.on.compact(), r.category, r.reason, r.reason_label});
  return out;
}

}  // namespace kaigo::eligibility::juki

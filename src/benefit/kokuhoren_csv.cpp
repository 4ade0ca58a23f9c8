// The 国保連 CSV codec: parse (one pass, every check) and write. See kokuhoren_csv.hpp and
// docs/kokuhoren-csv.md. parse() is on the path of a million-record import: no regex, no map per
// record, values appended to one buffer.
#include "benefit/kokuhoren_csv.hpp"

#include <cstring>

#include <fmt/format.h>

#include "core/cp932.hpp"

namespace kaigo::benefit::csv {

namespace {

enum class Check { none, enumeration, code, insurer, seq, count, sum };

// A field with its check taken apart once per parse/write.
struct Compiled {
  const Field* field = nullptr;
  Check check = Check::none;
  std::vector<std::string> enum_values;
  std::string code_list;  // service_kinds | care_offices
  int sum_source = -1;    // data field index of sum:<key>
};

std::vector<Compiled> compile(const RecordLayout& record, const RecordLayout& data) {
  std::vector<Compiled> out;
  out.reserve(record.fields.size());
  for (const auto& f : record.fields) {
    Compiled c;
    c.field = &f;
    if (f.check.starts_with("enum:")) {
      c.check = Check::enumeration;
      std::string_view rest = std::string_view(f.check).substr(5);
      while (true) {
        const auto bar = rest.find('|');
        c.enum_values.emplace_back(rest.substr(0, bar));
        if (bar == std::string_view::npos) break;
        rest.remove_prefix(bar + 1);
      }
    } else if (f.check.starts_with("code:")) {
      c.check = Check::code;
      c.code_list = f.check.substr(5);
    } else if (f.check == "insurer") {
      c.check = Check::insurer;
    } else if (f.check == "seq") {
      c.check = Check::seq;
    } else if (f.check == "count") {
      c.check = Check::count;
    } else if (f.check.starts_with("sum:")) {
      c.check = Check::sum;
      c.sum_source = data.index_of(std::string_view(f.check).substr(4));
    }
    out.push_back(std::move(c));
  }
  return out;
}

bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::int64_t to_int(std::string_view s) {  // s is digits, at most 18 of them (max of a kind 9 field)
  std::int64_t n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

bool real_date(std::string_view s) {  // YYYYMMDD
  if (s.size() != 8 || !digits(s)) return false;
  const int y = static_cast<int>(to_int(s.substr(0, 4))), m = static_cast<int>(to_int(s.substr(4, 2))),
            d = static_cast<int>(to_int(s.substr(6, 2)));
  if (y < 1868 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool real_month(std::string_view s) {  // YYYYMM
  if (s.size() != 6 || !digits(s)) return false;
  const int y = static_cast<int>(to_int(s.substr(0, 4))), m = static_cast<int>(to_int(s.substr(4, 2)));
  return y >= 1868 && m >= 1 && m <= 12;
}

// The checks of one value that need nothing but the layout: required, kind, CP932 length and
// code, fixed value, enum. Returns the fault (no value quoted unless it is a code) or "".
std::string check_value(const Compiled& c, std::string_view v) {
  const Field& f = *c.field;
  if (v.empty()) return f.required ? "is required" : std::string();
  switch (f.kind) {
    case FieldKind::digits:
      if (!digits(v)) return "must be digits (kind 9)";
      break;
    case FieldKind::ascii:
      for (char ch : v)
        if (ch < 0x20 || ch > 0x7E) return "must be ASCII (kind X)";
      break;
    case FieldKind::date:
      if (!real_date(v)) return "is not a date YYYYMMDD";
      break;
    case FieldKind::month:
      if (!real_month(v)) return "is not a month YYYYMM";
      break;
    case FieldKind::text: {
      if (cp932::is_ascii(v)) {
        if (v.size() > f.max_bytes) return fmt::format("is {} bytes, longer than {}", v.size(), f.max_bytes);
        break;
      }
      auto bytes = cp932::encode(v);
      if (!bytes) return bytes.error().message;  // names the one character with no code
      if (bytes->size() > f.max_bytes) return fmt::format("is {} bytes in CP932, longer than {}", bytes->size(), f.max_bytes);
      break;
    }
  }
  if (f.kind != FieldKind::text && v.size() > f.max_bytes) return fmt::format("is {} bytes, longer than {}", v.size(), f.max_bytes);
  if (!f.value.empty() && v != f.value) return fmt::format("must be {}", f.value);
  if (c.check == Check::enumeration) {
    bool found = false;
    for (const auto& e : c.enum_values) found = found || e == v;
    if (!found) {
      std::string list;
      for (const auto& e : c.enum_values) list += (list.empty() ? "" : "|") + e;
      return fmt::format("'{}' is not one of {}", v, list);
    }
  }
  return {};
}

// Splits one line (without its CRLF) into quoted fields, appending the values to `dest` and their
// spans to `spans`. Returns the fault or "".
std::string split_line(std::string_view line, std::string& dest, std::vector<ParsedFile::Span>& spans) {
  const std::size_t n = line.size();
  if (n == 0) return "the line is empty";
  std::size_t i = 0;
  for (int k = 1;; ++k) {
    if (i >= n || line[i] != '"') return fmt::format("field {} does not start with a double quote", k);
    ++i;
    const std::size_t start = dest.size();
    while (true) {
      const void* q = i < n ? std::memchr(line.data() + i, '"', n - i) : nullptr;
      if (!q) return fmt::format("field {} has no closing double quote", k);
      const std::size_t j = static_cast<std::size_t>(static_cast<const char*>(q) - line.data());
      dest.append(line.data() + i, j - i);
      if (j + 1 < n && line[j + 1] == '"') {  // "" inside a field is one "
        dest.push_back('"');
        i = j + 2;
        continue;
      }
      i = j + 1;
      break;
    }
    spans.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(dest.size() - start)});
    if (i == n) return {};
    if (line[i] != ',') return fmt::format("field {} has text after its closing double quote", k);
    ++i;
  }
}

struct Errors {
  std::vector<FileError>& list;
  std::size_t max;
  bool full() const { return list.size() >= max; }
  void add(std::int64_t line, std::string field, std::string message) {
    if (!full()) list.push_back({line, std::move(field), std::move(message)});
  }
};

std::string_view by_key(const RecordLayout& r, const std::vector<std::string>& values, std::string_view key) {
  const int i = r.index_of(key);
  return i < 0 || static_cast<std::size_t>(i) >= values.size() ? std::string_view{} : std::string_view(values[static_cast<std::size_t>(i)]);
}

// The checks of a control or end record (few fields: values copied to strings).
void check_small(const RecordLayout& r, const std::vector<Compiled>& compiled, std::string_view line_text,
                 std::int64_t line, const ParseContext& ctx, std::vector<std::string>& values, Errors& errors) {
  std::string buf;
  std::vector<ParsedFile::Span> spans;
  if (auto bad = split_line(line_text, buf, spans); !bad.empty()) {
    errors.add(line, "", bad);
    return;
  }
  if (spans.size() != r.fields.size()) {
    errors.add(line, "", fmt::format("{} fields, the layout of record {} has {}", spans.size(), r.type, r.fields.size()));
    return;
  }
  values.clear();
  for (const auto& s : spans) values.emplace_back(buf.substr(s.offset, s.size));
  for (std::size_t j = 0; j < compiled.size(); ++j) {
    const auto& c = compiled[j];
    if (auto bad = check_value(c, values[j]); !bad.empty()) {
      errors.add(line, c.field->name, bad);
    } else if (c.check == Check::insurer && !ctx.insurer_no.empty() && !values[j].empty() && values[j] != ctx.insurer_no) {
      errors.add(line, c.field->name, fmt::format("{} is not this city's insurer number {}", values[j], ctx.insurer_no));
    } else if (c.check == Check::code && ctx.code_known && !values[j].empty() && !ctx.code_known(c.code_list, values[j])) {
      errors.add(line, c.field->name, fmt::format("'{}' is not a known code of {}", values[j], c.code_list));
    }
  }
}

}  // namespace

std::string_view ParsedFile::control_value(std::string_view key) const {
  return layout ? by_key(layout->control, control, key) : std::string_view{};
}
std::string_view ParsedFile::end_value(std::string_view key) const {
  return layout ? by_key(layout->end, end, key) : std::string_view{};
}

ParseOutcome parse(const LayoutSet& layouts, std::string_view text, const ParseContext& ctx, std::size_t max_errors) {
  ParseOutcome out;
  if (max_errors == 0) max_errors = 1;
  Errors errors{out.errors, max_errors};
  ParsedFile& file = out.file;

  // Lines: CRLF-terminated; a bare LF or a last line without CRLF is a fault of that line.
  std::size_t pos = 0;
  std::int64_t line_no = 0;
  auto next_line = [&](std::string_view& line) -> bool {
    if (pos >= text.size()) return false;
    ++line_no;
    const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
    std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
    std::size_t next = nl ? end + 1 : end;
    if (!nl) {
      errors.add(line_no, "", "the line does not end with CRLF");
    } else if (end == pos || text[end - 1] != '\r') {
      errors.add(line_no, "", "the line ends with LF alone, not CRLF");
    } else {
      --end;
    }
    line = text.substr(pos, end - pos);
    pos = next;
    return true;
  };

  std::string_view line;
  if (!next_line(line)) {
    errors.add(0, "", "the file is empty");
    return out;
  }
  // The control record names the exchange and version: pick the layout by them.
  {
    std::string buf;
    std::vector<ParsedFile::Span> spans;
    if (auto bad = split_line(line, buf, spans); !bad.empty()) {
      errors.add(line_no, "", bad);
      return out;
    }
    auto raw = [&](std::size_t i) { return std::string_view(buf).substr(spans[i].offset, spans[i].size); };
    if (spans.empty() || raw(0) != "1") {
      errors.add(line_no, "レコード種別", "the first record must be the control record (1)");
      return out;
    }
    for (const auto& l : layouts.layouts) {
      const int ex = l.control.index_of("exchange_id"), ver = l.control.index_of("layout_version");
      if (ex < 0 || ver < 0 || spans.size() <= static_cast<std::size_t>(std::max(ex, ver))) continue;
      if (raw(static_cast<std::size_t>(ex)) == l.exchange_id &&
          std::stoi("0" + std::string(raw(static_cast<std::size_t>(ver)))) == std::stoi(l.version))
        file.layout = &l;
    }
    if (!file.layout) {
      errors.add(line_no, "交換情報識別番号", spans.size() >= 3 ? fmt::format("exchange '{}' version '{}' has no layout", raw(1), raw(2))
                                                             : std::string("the control record names no known exchange"));
      return out;
    }
  }
  const Layout& layout = *file.layout;
  const auto control_checks = compile(layout.control, layout.data);
  const auto data_checks = compile(layout.data, layout.data);
  const auto end_checks = compile(layout.end, layout.data);
  check_small(layout.control, control_checks, line, line_no, ctx, file.control, errors);

  file.width = layout.data.fields.size();
  {
    // One record per line: reserve once (the values are never longer than the text).
    std::size_t lines = 0;
    for (const char* p = text.data() + pos; (p = static_cast<const char*>(std::memchr(p, '\n', text.data() + text.size() - p)));
         ++p)
      ++lines;
    file.text.reserve(text.size() - pos);
    file.spans.reserve(lines * file.width);
  }
  std::vector<std::int64_t> sums(data_checks.size(), 0);
  bool end_seen = false;
  std::int64_t end_line = 0;
  while (next_line(line)) {
    if (errors.full()) break;
    const char type = line.size() >= 3 && line[0] == '"' && line[2] == '"' ? line[1] : '?';
    if (end_seen) {
      errors.add(line_no, "レコード種別", "a record after the end record");
      continue;
    }
    if (type == '3') {
      end_seen = true;
      end_line = line_no;
      check_small(layout.end, end_checks, line, line_no, ctx, file.end, errors);
      continue;
    }
    if (type != '2') {
      errors.add(line_no, "レコード種別", type == '1' ? "a second control record" : "must be a data record (2) or the end record (3)");
      // keep the record numbering: an empty record in its place
      file.spans.insert(file.spans.end(), file.width, ParsedFile::Span{});
      continue;
    }
    const std::size_t record = file.spans.size() / file.width;
    const std::size_t mark_text = file.text.size(), mark_spans = file.spans.size();
    if (auto bad = split_line(line, file.text, file.spans); !bad.empty() || file.spans.size() - mark_spans != file.width) {
      errors.add(line_no, "", !bad.empty() ? bad
                                           : fmt::format("{} fields, the layout of record 2 has {}", file.spans.size() - mark_spans, file.width));
      file.text.resize(mark_text);
      file.spans.resize(mark_spans);
      file.spans.insert(file.spans.end(), file.width, ParsedFile::Span{});
      continue;
    }
    const ParsedFile::Span* s = file.spans.data() + mark_spans;
    for (std::size_t j = 0; j < file.width; ++j) {
      const auto& c = data_checks[j];
      const std::string_view v = std::string_view(file.text).substr(s[j].offset, s[j].size);
      if (auto bad = check_value(c, v); !bad.empty()) {
        errors.add(line_no, c.field->name, bad);
        continue;
      }
      if (v.empty()) continue;
      switch (c.check) {
        case Check::seq:
          if (to_int(v) != static_cast<std::int64_t>(record) + 1)
            errors.add(line_no, c.field->name, fmt::format("is {}, the record is number {} of the file", v, record + 1));
          break;
        case Check::insurer:
          if (!ctx.insurer_no.empty() && v != ctx.insurer_no)
            errors.add(line_no, c.field->name, fmt::format("{} is not this city's insurer number {}", v, ctx.insurer_no));
          break;
        case Check::code:
          if (ctx.code_known && !ctx.code_known(c.code_list, v))
            errors.add(line_no, c.field->name, fmt::format("'{}' is not a known code of {}", v, c.code_list));
          break;
        default:
          break;
      }
      if (c.field->kind == FieldKind::digits) sums[j] += to_int(v);
    }
  }
  if (!end_seen) {
    errors.add(0, "", "the file has no end record (3)");
    return out;
  }
  if (file.end.size() == layout.end.fields.size()) {
    for (std::size_t j = 0; j < end_checks.size(); ++j) {
      const auto& c = end_checks[j];
      const std::string_view v = file.end[j];
      if (v.empty() || !digits(v)) continue;  // reported above
      if (c.check == Check::count && to_int(v) != static_cast<std::int64_t>(file.data_count()))
        errors.add(end_line, c.field->name, fmt::format("the end record says {}, the file has {} data records", v, file.data_count()));
      if (c.check == Check::sum && c.sum_source >= 0 && to_int(v) != sums[static_cast<std::size_t>(c.sum_source)])
        errors.add(end_line, c.field->name, fmt::format("the end record says {}, the data records add up to {}", v,
                                                        sums[static_cast<std::size_t>(c.sum_source)]));
    }
  }
  return out;
}

ParseOutcome parse_cp932(const LayoutSet& layouts, std::string_view bytes, const ParseContext& ctx, std::size_t max_errors) {
  if (cp932::is_ascii(bytes)) return parse(layouts, bytes, ctx, max_errors);
  auto text = cp932::decode(bytes);
  if (text) return parse(layouts, *text, ctx, max_errors);
  // Find the line of the broken byte (CR and LF are never the second byte of a CP932 character).
  ParseOutcome out;
  std::size_t pos = 0;
  std::int64_t line = 0;
  while (pos < bytes.size()) {
    ++line;
    std::size_t nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) nl = bytes.size();
    const std::string_view l = bytes.substr(pos, nl - pos);
    if (auto d = cp932::decode(l); !d) {
      out.errors.push_back({line, "", fmt::format("{} (byte offset within the line)", d.error().message)});
      return out;
    }
    pos = nl + 1;
  }
  out.errors.push_back({0, "", text.error().message});
  return out;
}

// ---- writing ----

namespace {

void append_quoted(std::string& out, std::string_view v) {
  out.push_back('"');
  if (v.find('"') == std::string_view::npos) {
    out.append(v);
  } else {
    for (char c : v) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
  }
  out.push_back('"');
}

Result<void> write_record(std::string& out, const std::vector<Compiled>& checks, const std::vector<std::string_view>& values,
                          const std::string& where) {
  for (std::size_t j = 0; j < checks.size(); ++j) {
    if (auto bad = check_value(checks[j], values[j]); !bad.empty())
      return fail(ErrorKind::invalid_input, fmt::format("{}: {}: {}", where, checks[j].field->name, bad), checks[j].field->name);
    if (values[j].find_first_of("\r\n") != std::string_view::npos)
      return fail(ErrorKind::invalid_input, fmt::format("{}: {}: holds a line break", where, checks[j].field->name),
                  checks[j].field->name);
  }
  for (std::size_t j = 0; j < values.size(); ++j) {
    if (j) out.push_back(',');
    append_quoted(out, values[j]);
  }
  out.append("\r\n");
  return {};
}

}  // namespace

struct Writer::Checks {
  std::vector<Compiled> control, data, end;
};

Writer::Writer(const Layout& layout)
    : layout_(&layout),
      checks_(std::make_shared<const Checks>(Checks{compile(layout.control, layout.data), compile(layout.data, layout.data),
                                                    compile(layout.end, layout.data)})) {
  sums_.assign(layout.end.fields.size(), 0);
  sum_source_.assign(layout.end.fields.size(), -1);
  for (std::size_t j = 0; j < layout.end.fields.size(); ++j) {
    const auto& f = layout.end.fields[j];
    if (f.check.starts_with("sum:")) sum_source_[j] = layout.data.index_of(std::string_view(f.check).substr(4));
  }
}

Result<void> Writer::add(const std::vector<std::string_view>& values) {
  const auto& fields = layout_->data.fields;
  const std::string where = fmt::format("record {}", count_ + 1);
  if (values.size() != fields.size())
    return fail(ErrorKind::invalid_input, fmt::format("{}: {} values, the layout has {} fields", where, values.size(), fields.size()),
                "data");
  const auto& checks = checks_->data;
  std::vector<std::string_view> v = values;
  const std::string seq = std::to_string(count_ + 1);
  for (std::size_t j = 0; j < fields.size(); ++j) {
    if (!v[j].empty()) continue;
    if (!fields[j].value.empty()) v[j] = fields[j].value;
    else if (fields[j].check == "seq") v[j] = seq;
  }
  if (auto ok = write_record(body_, checks, v, where); !ok) return ok;
  ++count_;
  for (std::size_t j = 0; j < sum_source_.size(); ++j)
    if (sum_source_[j] >= 0) sums_[j] += to_int(v[static_cast<std::size_t>(sum_source_[j])]);
  return {};
}

Result<std::string> Writer::finish(const std::map<std::string, std::string>& control) {
  const auto& cf = layout_->control.fields;
  for (const auto& [key, _] : control)
    if (layout_->control.index_of(key) < 0)
      return fail(ErrorKind::invalid_input, fmt::format("control record: '{}' is not a field of {}", key, layout_->exchange_id), key);
  std::vector<std::string_view> values;
  for (const auto& f : cf) {
    const auto it = control.find(f.key);
    values.push_back(it != control.end() && !it->second.empty() ? std::string_view(it->second) : std::string_view(f.value));
  }
  std::string out;
  out.reserve(body_.size() + 512);
  if (auto ok = write_record(out, checks_->control, values, "control record"); !ok)
    return std::unexpected(ok.error());
  out.append(body_);
  body_.clear();
  std::vector<std::string> end_values;
  for (std::size_t j = 0; j < layout_->end.fields.size(); ++j) {
    const auto& f = layout_->end.fields[j];
    if (f.check == "count") end_values.push_back(std::to_string(count_));
    else if (sum_source_[j] >= 0) end_values.push_back(std::to_string(sums_[j]));
    else end_values.push_back(f.value);
  }
  const std::vector<std::string_view> ev(end_values.begin(), end_values.end());
  if (auto ok = write_record(out, checks_->end, ev, "end record"); !ok) return std::unexpected(ok.error());
  return out;
}

Result<std::string> write(const Layout& layout, const std::map<std::string, std::string>& control,
                          const std::vector<std::vector<std::string>>& data) {
  Writer w(layout);
  std::vector<std::string_view> v;
  for (const auto& row : data) {
    v.assign(row.begin(), row.end());
    if (auto ok = w.add(v); !ok) return std::unexpected(ok.error());
  }
  return w.finish(control);
}

}  // namespace kaigo::benefit::csv

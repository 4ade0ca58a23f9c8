// Reading and writing 特別徴収 files by their layouts (tokucho_file.hpp).
#include "premium/tokucho_file.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/cp932.hpp"
#include "core/date.hpp"
#include "core/hash.hpp"
#include "core/tsv.hpp"

namespace kaigo::premium::tokucho {

namespace {

bool digits_only(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool x_bytes(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) {
    const auto b = static_cast<unsigned char>(ch);
    return (b >= 0x20 && b <= 0x7E) || (b >= 0xA1 && b <= 0xDF);
  });
}

bool n_bytes(std::string_view s) {
  if (s.size() % 2 != 0) return false;
  for (size_t i = 0; i < s.size(); i += 2) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const auto trail = static_cast<unsigned char>(s[i + 1]);
    if (!((lead >= 0x81 && lead <= 0x9F) || (lead >= 0xE0 && lead <= 0xFC))) return false;
    if (!((trail >= 0x40 && trail <= 0x7E) || (trail >= 0x80 && trail <= 0xFC))) return false;
  }
  return true;
}

std::string trim_right(std::string s, std::string_view pad) {
  while (!s.empty()) {
    if (s.ends_with(pad)) s.resize(s.size() - pad.size());
    else if (s.back() == ' ') s.pop_back();
    else break;
  }
  return s;
}

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000 in UTF-8
constexpr std::string_view kIdeographicSpaceCp932 = "\x81\x40";

class Reader {
 public:
  Reader(const LayoutSet& set, const ParseContext& ctx, ParseOutcome& out) : set_(set), ctx_(ctx), out_(out) {}

  void error(size_t record, const std::string& field, std::string message) {
    if (out_.errors.size() >= kMaxErrors) {
      out_.truncated = true;
      return;
    }
    out_.errors.push_back(FileError{record, field, std::move(message)});
  }
  bool full() const { return out_.truncated; }

  // Validates and decodes one record's fields into `r` (whatever the errors, every field has a value).
  void read_record(const RecordSpec& spec, std::string_view bytes, Record& r) {
    r.values.assign(spec.fields.size(), {});
    for (size_t i = 0; i < spec.fields.size(); ++i) {
      const FieldSpec& f = spec.fields[i];
      const std::string_view raw = bytes.substr(f.start, f.length);
      std::string value;
      switch (f.kind) {
        case FieldKind::numeric:
          if (!digits_only(raw)) {
            error(r.number, f.name, "数字でない (9 の項目は 0 埋めの数字)");
            value.assign(f.length, '0');
          } else {
            value = std::string(raw);
          }
          break;
        case FieldKind::alnum: {
          if (!x_bytes(raw)) {
            error(r.number, f.name, "半角 (英数字・半角カナ) でない文字がある (X の項目)");
            break;
          }
          auto text = cp932::is_ascii(raw) ? Result<std::string>(std::string(raw)) : cp932::decode(raw);
          if (!text) {
            error(r.number, f.name, "CP932 として読めない");
            break;
          }
          value = trim_right(std::move(*text), " ");
          break;
        }
        case FieldKind::kanji: {
          auto text = n_bytes(raw) ? cp932::decode(raw) : Result<std::string>(std::unexpected(Error{}));
          if (!text) {
            error(r.number, f.name, "全角 (CP932 の2バイト文字) でない文字がある (N の項目)");
            break;
          }
          value = trim_right(std::move(*text), kIdeographicSpace);
          break;
        }
      }
      if (!f.value.empty() && value != f.value) {
        error(r.number, f.name, fmt::format("must be {}", f.value));
      } else if (!value.empty()) {
        check_value(f, value, r.number);
      } else if (f.check == "required") {
        error(r.number, f.name, "空欄");
      }
      r.values[i] = std::move(value);
    }
  }

 private:
  void check_value(const FieldSpec& f, const std::string& v, size_t record) {
    const std::string& c = f.check;
    if (c.empty() || c.starts_with("group:") || c == "count" || c.starts_with("sum:") || c == "records") return;
    if (c == "date") {
      if (!Date::parse_compact(v)) error(record, f.name, "存在しない日付 (YYYYMMDD)");
    } else if (c == "month") {
      if (v.size() != 6 || std::stoi(v.substr(4, 2)) < 1 || std::stoi(v.substr(4, 2)) > 12 || std::stoi(v.substr(0, 4)) < 1900)
        error(record, f.name, "年月でない (YYYYMM)");
    } else if (c == "year") {
      const int y = std::stoi(v);
      if (y < 1900 || y > 2200) error(record, f.name, "年度でない (YYYY)");
    } else if (c == "time") {
      if (v.size() != 6 || std::stoi(v.substr(0, 2)) > 23 || std::stoi(v.substr(2, 2)) > 59 || std::stoi(v.substr(4, 2)) > 59)
        error(record, f.name, "時刻でない (HHMMSS)");
    } else if (c == "insurer") {
      if (!ctx_.insurer_no.empty() && v != ctx_.insurer_no) error(record, f.name, "この市の保険者番号でない");
    } else if (c == "blank") {
      if (!v.empty()) error(record, f.name, "空白でない (予備)");
    } else if (c.starts_with("enum:")) {
      const auto allowed = split(c.substr(5), '|');
      if (std::find(allowed.begin(), allowed.end(), v) == allowed.end())
        error(record, f.name, fmt::format("{} のどれでもない", c.substr(5)));
    } else if (c.starts_with("code:")) {
      const auto it = set_.codes.find(c.substr(5));
      if (it == set_.codes.end() || !it->second.contains(v))
        error(record, f.name, fmt::format("コード表 {} にないコード", c.substr(5)));
    }
  }

  const LayoutSet& set_;
  const ParseContext& ctx_;
  ParseOutcome& out_;
};

const std::string& value_of(const RecordSpec& spec, const Record& r, std::string_view key) {
  const int i = spec.index_of(key);
  if (i < 0) throw std::out_of_range(fmt::format("no field '{}' in record {}", key, spec.type));
  return r.values.at(static_cast<size_t>(i));
}

std::string group_number_text(std::int64_t v) { return std::to_string(v); }

}  // namespace

std::size_t ParsedFile::data_records() const {
  std::size_t n = 0;
  for (const auto& g : groups) n += g.data.size();
  return n;
}

const std::string& ParsedFile::get(const Record& r, char type, std::string_view key) const {
  return value_of(layout->spec(type), r, key);
}

std::int64_t ParsedFile::number(const Record& r, char type, std::string_view key) const {
  const std::string& v = get(r, type, key);
  return v.empty() ? 0 : std::stoll(v);
}

ParseOutcome parse_file(std::string_view bytes, const LayoutSet& set, const ParseContext& ctx) {
  ParseOutcome out;
  Reader reader(set, ctx, out);
  const std::string file_field = "(ファイル)";
  if (bytes.size() < kManagementBytes || (bytes.size() - kManagementBytes) % kRecordBytes != 0) {
    reader.error(0, file_field,
                 fmt::format("長さ {} バイトは 96 + n × 500 でない ({} バイト余る)", bytes.size(),
                             bytes.size() < kManagementBytes ? bytes.size() : (bytes.size() - kManagementBytes) % kRecordBytes));
    return out;
  }
  const std::string_view mgmt = bytes.substr(0, kManagementBytes);
  // The layout: the one whose fixed management-area values (通知内容コード, 版, レコード長) match.
  const Layout* layout = nullptr;
  for (const auto& l : set.layouts) {
    bool match = true;
    for (const auto& f : l.management.fields)
      if (!f.value.empty() && mgmt.substr(f.start, f.length) != f.value) match = false;
    if (match) layout = &l;
  }
  if (!layout) {
    reader.error(0, "通知内容コード", "通知内容コード・レイアウト版・レコード長の組合せが既知のレイアウトにない");
    return out;
  }
  if ((ctx.expected && layout->kind != *ctx.expected) || (!ctx.allowed.empty() && !ctx.allowed.contains(layout->kind))) {
    reader.error(0, "通知内容コード",
                 fmt::format("{} (通知内容コード {}) はこの流れ (フロー) で受け付けるファイルでない", japanese_name(layout->kind),
                             layout->notice_code));
    return out;
  }
  ParsedFile file;
  file.layout = layout;
  file.bytes = bytes.size();
  file.sha256 = sha256_hex(bytes);
  file.management.number = 0;
  reader.read_record(layout->management, mgmt, file.management);

  const size_t n = (bytes.size() - kManagementBytes) / kRecordBytes;
  if (n == 0) reader.error(0, file_field, "レコードがない (ヘッダ・データ・トレイラが必要)");
  std::optional<Group> open;  // the group being read
  for (size_t i = 0; i < n && !reader.full(); ++i) {
    const std::string_view rec = bytes.substr(kManagementBytes + i * kRecordBytes, kRecordBytes);
    Record r;
    r.number = i + 1;
    const char type = rec[0];
    if (type != '1' && type != '2' && type != '3') {
      reader.error(r.number, "レコード区分", "1 (ヘッダ)・2 (データ)・3 (トレイラ) のどれでもない");
      continue;
    }
    reader.read_record(layout->spec(type), rec, r);
    if (type == '1') {
      if (open) {
        reader.error(r.number, "レコード区分", "前のグループのトレイラ (3) の前にヘッダ (1) がある");
        file.groups.push_back(std::move(*open));
      }
      open = Group{std::move(r), {}, {}};
      continue;
    }
    if (!open) {
      reader.error(r.number, "レコード区分", type == '2' ? "ヘッダ (1) の前にデータ (2) がある" : "ヘッダ (1) のないトレイラ (3)");
      continue;
    }
    if (type == '2') {
      open->data.push_back(std::move(r));
      continue;
    }
    open->trailer = std::move(r);
    file.groups.push_back(std::move(*open));
    open.reset();
  }
  if (open && !reader.full()) {
    reader.error(n, "レコード区分", "最後のグループにトレイラ (3) がない");
    file.groups.push_back(std::move(*open));
  }

  // Cross-record checks: the header's values repeated, the trailer's counts and totals, the
  // management area's record count.
  for (const auto& g : file.groups) {
    if (g.trailer.values.empty()) continue;  // reported above
    for (const RecordSpec* spec : {&layout->data, &layout->trailer}) {
      for (size_t fi = 0; fi < spec->fields.size(); ++fi) {
        const FieldSpec& f = spec->fields[fi];
        if (f.check.starts_with("group:")) {
          const std::string& want = value_of(layout->header, g.header, f.check.substr(6));
          if (spec->type == '3') {
            if (g.trailer.values[fi] != want) reader.error(g.trailer.number, f.name, "ヘッダの値と違う");
          } else {
            for (const auto& d : g.data)
              if (d.values[fi] != want) reader.error(d.number, f.name, "ヘッダの値と違う");
          }
        }
      }
    }
    for (size_t fi = 0; fi < layout->trailer.fields.size(); ++fi) {
      const FieldSpec& f = layout->trailer.fields[fi];
      const std::string& text = g.trailer.values[fi];
      if (text.empty() || !digits_only(text)) continue;
      if (f.check == "count") {
        if (std::stoll(text) != static_cast<std::int64_t>(g.data.size()))
          reader.error(g.trailer.number, f.name, fmt::format("データレコードは {} 件ある", g.data.size()));
      } else if (f.check.starts_with("sum:")) {
        std::int64_t total = 0;
        for (const auto& key : split(f.check.substr(4), '+'))
          for (const auto& d : g.data) {
            const std::string& v = value_of(layout->data, d, key);
            if (digits_only(v) && !v.empty()) total += std::stoll(v);
          }
        if (std::stoll(text) != total) reader.error(g.trailer.number, f.name, fmt::format("データレコードの合計は {} になる", total));
      }
    }
  }
  for (size_t fi = 0; fi < layout->management.fields.size(); ++fi) {
    const FieldSpec& f = layout->management.fields[fi];
    const std::string& text = file.management.values[fi];
    if (f.check == "records" && digits_only(text) && !text.empty() && std::stoll(text) != static_cast<std::int64_t>(n))
      reader.error(0, f.name, fmt::format("500バイトのレコードは {} 件ある", n));
  }
  if (out.errors.empty()) out.file = std::move(file);
  return out;
}

Error to_error(const std::vector<FileError>& errors, bool truncated) {
  if (errors.empty()) return Error{ErrorKind::invalid_input, "特別徴収ファイルを受け付けない", "(ファイル)"};
  const FileError& e = errors.front();
  const std::string where = e.record == 0 ? "管理領域" : fmt::format("レコード{}", e.record);
  std::string more;
  if (errors.size() > 1) more = fmt::format(" (ほか{}{}件)", errors.size() - 1, truncated ? "以上" : "");
  return Error{ErrorKind::invalid_input,
               fmt::format("特別徴収ファイルを受け付けない: {} {}: {}{}", where, e.field, e.message, more), e.field};
}

// ---- Writing ----

namespace {

Result<std::string> format_field(const FieldSpec& f, const std::string& value, size_t record,
                                 std::vector<char32_t>& substituted) {
  const auto where = [&](const std::string& what) {
    return fail(ErrorKind::invalid_input,
                fmt::format("{} {}: {}", record == 0 ? "管理領域" : fmt::format("レコード{}", record), f.name, what), f.key);
  };
  switch (f.kind) {
    case FieldKind::numeric: {
      if (!digits_only(value)) return where("数字でない");
      if (value.size() > f.length) return where(fmt::format("{} 桁に入らない", f.length));
      return std::string(f.length - value.size(), '0') + value;
    }
    case FieldKind::alnum: {
      auto bytes = cp932::encode(value);
      if (!bytes) return where(bytes.error().message);
      if (!x_bytes(*bytes)) return where("半角 (英数字・半角カナ) でない文字がある");
      if (bytes->size() > f.length) return where(fmt::format("{} バイトが {} バイトに入らない", bytes->size(), f.length));
      return *bytes + std::string(f.length - bytes->size(), ' ');
    }
    case FieldKind::kanji: {
      // ASCII written into an N field becomes its full-width form (space → 全角空白, 1 → １).
      std::string wide;
      for (char ch : value) {
        const auto b = static_cast<unsigned char>(ch);
        if (b == ' ') wide += kIdeographicSpace;
        else if (b > 0x20 && b < 0x7F) wide += cp932::u32_to_utf8(std::u32string(1, static_cast<char32_t>(b - 0x21 + 0xFF01)));
        else wide += ch;
      }
      auto encoded = cp932::encode_substituting(wide);
      if (!encoded) return where(encoded.error().message);
      substituted.insert(substituted.end(), encoded->replaced.begin(), encoded->replaced.end());
      std::string bytes = std::move(encoded->bytes);
      if (!n_bytes(bytes)) return where("全角でない文字がある (N の項目)");
      if (bytes.size() > f.length) return where(fmt::format("{} バイトが {} バイトに入らない", bytes.size(), f.length));
      while (bytes.size() < f.length) bytes += kIdeographicSpaceCp932;
      return bytes;
    }
  }
  return where("unknown kind");
}

Result<std::string> format_record(const RecordSpec& spec, const Values& values, size_t record,
                                  const std::map<std::string, std::string>& computed, std::vector<char32_t>& substituted) {
  std::string out;
  out.reserve(spec.type == 'M' ? kManagementBytes : kRecordBytes);
  for (const auto& f : spec.fields) {
    std::string v;
    if (!f.value.empty()) v = f.value;
    else if (auto c = computed.find(f.key); c != computed.end()) v = c->second;
    else if (auto it = values.find(f.key); it != values.end()) v = it->second;
    else if (f.kind == FieldKind::numeric) v = "0";
    auto bytes = format_field(f, v, record, substituted);
    if (!bytes) return std::unexpected(bytes.error());
    out += *bytes;
  }
  return out;
}

}  // namespace

Result<Written> write_file(const Layout& layout, const Values& management, const std::vector<GroupValues>& groups) {
  Written w;
  std::string body;
  size_t record = 0;
  for (const auto& g : groups) {
    std::map<std::string, std::string> computed;
    if (auto h = format_record(layout.header, g.header, ++record, computed, w.substituted); !h)
      return std::unexpected(h.error());
    else
      body += *h;
    // Data and trailer repeat the header's insurer and pension insurer (check group:…).
    std::map<std::string, std::string> inherited;
    for (const RecordSpec* spec : {&layout.data, &layout.trailer})
      for (const auto& f : spec->fields)
        if (f.check.starts_with("group:") || f.check == "insurer")
          if (auto it = g.header.find(f.check == "insurer" ? f.key : f.check.substr(6)); it != g.header.end())
            inherited[f.key] = it->second;
    for (const auto& d : g.data) {
      Values row = d;
      for (const auto& [k, v] : inherited) row.emplace(k, v);
      auto r = format_record(layout.data, row, ++record, computed, w.substituted);
      if (!r) return std::unexpected(r.error());
      body += *r;
    }
    // The trailer's count and totals.
    for (const auto& f : layout.trailer.fields) {
      if (f.check == "count") computed[f.key] = group_number_text(static_cast<std::int64_t>(g.data.size()));
      if (f.check.starts_with("sum:")) {
        std::int64_t total = 0;
        for (const auto& key : split(f.check.substr(4), '+'))
          for (const auto& d : g.data)
            if (auto it = d.find(key); it != d.end() && !it->second.empty() && digits_only(it->second))
              total += std::stoll(it->second);
        computed[f.key] = group_number_text(total);
      }
    }
    Values trailer = g.trailer;
    for (const auto& [k, v] : inherited) trailer.emplace(k, v);
    auto t = format_record(layout.trailer, trailer, ++record, computed, w.substituted);
    if (!t) return std::unexpected(t.error());
    body += *t;
  }
  std::map<std::string, std::string> computed;
  for (const auto& f : layout.management.fields)
    if (f.check == "records") computed[f.key] = group_number_text(static_cast<std::int64_t>(record));
  auto m = format_record(layout.management, management, 0, computed, w.substituted);
  if (!m) return std::unexpected(m.error());
  w.bytes = *m + body;
  return w;
}

}  // namespace kaigo::premium::tokucho

// Loading and validating the 特別徴収 layouts (config/layouts/tokucho/*.tsv) and the code lists
// their checks name.
#include <algorithm>
#include <regex>
#include <utility>

#include <fmt/format.h>

#include "core/tsv.hpp"
#include "premium/tokucho_file.hpp"

namespace kaigo::premium::tokucho {

namespace fs = std::filesystem;

namespace {

struct KindInfo {
  FileKind kind;
  std::string_view code, flow, japanese, notice_code;
};
constexpr KindInfo kKinds[] = {
    {FileKind::target_list, "target_list", "FK-14", "特別徴収対象者情報", "00"},
    {FileKind::request, "request", "FK-15", "特別徴収依頼情報", "01"},
    {FileKind::request_result, "request_result", "FK-16", "特別徴収依頼処理結果", "02"},
    {FileKind::collection_result, "collection_result", "FK-16", "特別徴収結果", "03"},
};
const KindInfo& info(FileKind k) {
  for (const auto& i : kKinds)
    if (i.kind == k) return i;
  return kKinds[0];
}

// The keys the code reads, per kind and record: a layout revision that drops one fails at load.
RecordSpec& spec_of(Layout& l, char type) { return const_cast<RecordSpec&>(std::as_const(l).spec(type)); }

std::vector<std::string> required_keys(FileKind kind, char type) {
  const std::vector<std::string> identity = {"basic_pension_no", "pension_code", "birth_date", "sex", "kana_name"};
  std::vector<std::string> keys;
  switch (type) {
    case 'M': return {"notice_code", "layout_version", "insurer_no", "created_on", "record_count", "file_ref"};
    case '1': keys = {"record_type", "insurer_no", "pension_insurer_code", "notice_code", "created_on", "fiscal_year"}; break;
    case '3': keys = {"record_type", "insurer_no", "pension_insurer_code", "notice_code", "record_count"}; break;
    default: {
      keys = {"record_type", "insurer_no", "pension_insurer_code", "notice_code"};
      keys.insert(keys.end(), identity.begin(), identity.end());
      switch (kind) {
        case FileKind::target_list:
          keys.insert(keys.end(), {"address", "annual_pension_amount", "capture_month"});
          break;
        case FileKind::request:
          keys.insert(keys.end(), {"insured_no", "fiscal_year", "request_kind", "start_month", "amount_04", "amount_06",
                                   "amount_08", "amount_10", "amount_12", "amount_02", "annual_premium"});
          break;
        case FileKind::request_result:
          keys.insert(keys.end(), {"insured_no", "fiscal_year", "result", "reason_code"});
          break;
        case FileKind::collection_result:
          keys.insert(keys.end(), {"insured_no", "fiscal_year", "deduction_month", "result", "reason_code", "collected_amount"});
          break;
      }
    }
  }
  if (type == '1' && kind == FileKind::request_result) keys.push_back("request_ref");
  if (type == '1' && kind == FileKind::collection_result) keys.push_back("deduction_month");
  return keys;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<CodeList> load_code_list(const fs::path& codes_dir, const std::string& name) {
  const fs::path path = codes_dir / (name + ".tsv");
  auto t = read_tsv(path, {"code"});
  if (!t) return std::unexpected(t.error());
  CodeList list;
  list.name = name;
  for (const auto& [line, row] : t->rows) {
    const std::string& code = t->cell(row, "code");
    if (code.empty()) return tsv_error(path, line, "code", "empty");
    if (list.rows.contains(code)) return tsv_error(path, line, "code", "appears twice");
    auto& cols = list.rows[code];
    for (const auto& [col, idx] : t->columns) cols[col] = row[idx];
  }
  return list;
}

}  // namespace

std::string_view to_code(FileKind k) { return info(k).code; }
std::string_view flow_of(FileKind k) { return info(k).flow; }
std::string_view japanese_name(FileKind k) { return info(k).japanese; }

Result<FileKind> file_kind_from_code(std::string_view code) {
  for (const auto& i : kKinds)
    if (i.code == code) return i.kind;
  return fail(ErrorKind::invalid_input,
              fmt::format("unknown 特別徴収 file kind '{}' (target_list, request, request_result, collection_result)", code),
              "kind");
}

int RecordSpec::index_of(std::string_view key) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].key == key) return static_cast<int>(i);
  return -1;
}

const RecordSpec& Layout::spec(char type) const {
  switch (type) {
    case 'M': return management;
    case '1': return header;
    case '3': return trailer;
    default: return data;
  }
}

const Layout* LayoutSet::newest(FileKind kind) const {
  const Layout* best = nullptr;
  for (const auto& l : layouts)
    if (l.kind == kind && (!best || l.version > best->version)) best = &l;
  return best;
}

const Layout* LayoutSet::find(FileKind kind, int version) const {
  for (const auto& l : layouts)
    if (l.kind == kind && l.version == version) return &l;
  return nullptr;
}

Result<Layout> load_layout(const fs::path& file, const fs::path& codes_dir, std::map<std::string, CodeList>& codes) {
  static const std::regex kFileName(R"(([a-z_]+)\.v([0-9]{1,3})\.tsv)");
  std::smatch m;
  const std::string name = file.filename().string();
  if (!std::regex_match(name, m, kFileName))
    return tsv_error(file, 0, "file name", "expected <kind>.v<N>.tsv, e.g. target_list.v1.tsv");
  auto kind = file_kind_from_code(m[1].str());
  if (!kind) return tsv_error(file, 0, "file name", kind.error().message);
  Layout layout;
  layout.kind = *kind;
  layout.version = std::stoi(m[2].str());
  layout.source = file;
  layout.management.type = 'M';
  layout.header.type = '1';
  layout.data.type = '2';
  layout.trailer.type = '3';

  auto t = read_tsv(file, {"record", "key", "name", "start", "length", "kind", "value", "check", "meaning"});
  if (!t) return std::unexpected(t.error());
  static const std::regex kKey(R"([a-z][a-z0-9_]*)");
  std::map<char, int> last_line;
  for (const auto& [line, row] : t->rows) {
    const std::string& rec = t->cell(row, "record");
    if (rec != "M" && rec != "1" && rec != "2" && rec != "3")
      return tsv_error(file, line, "record", "must be M, 1, 2 or 3");
    RecordSpec& spec = spec_of(layout, rec[0]);
    FieldSpec f;
    f.key = t->cell(row, "key");
    f.name = t->cell(row, "name");
    f.value = t->cell(row, "value");
    f.check = t->cell(row, "check");
    f.meaning = t->cell(row, "meaning");
    if (!std::regex_match(f.key, kKey)) return tsv_error(file, line, "key", "must be lower_snake_case");
    if (spec.index_of(f.key) >= 0) return tsv_error(file, line, "key", fmt::format("'{}' appears twice in record {}", f.key, rec));
    if (f.name.empty()) return tsv_error(file, line, "name", "empty");
    if (!all_digits(t->cell(row, "start")) || !all_digits(t->cell(row, "length")))
      return tsv_error(file, line, "start", "start and length must be positive integers");
    const auto start = std::stoul(t->cell(row, "start"));
    f.length = std::stoul(t->cell(row, "length"));
    if (start < 1 || f.length < 1) return tsv_error(file, line, "start", "start and length must be positive integers");
    f.start = start - 1;
    const std::string& kind_text = t->cell(row, "kind");
    if (kind_text == "9") f.kind = FieldKind::numeric;
    else if (kind_text == "X") f.kind = FieldKind::alnum;
    else if (kind_text == "N") f.kind = FieldKind::kanji;
    else return tsv_error(file, line, "kind", "must be 9 (digits), X (half-width) or N (double-byte)");
    if (f.kind == FieldKind::kanji && f.length % 2 != 0) return tsv_error(file, line, "length", "an N field has an even length");
    if (!f.value.empty()) {
      if (f.kind == FieldKind::numeric && (!all_digits(f.value) || f.value.size() != f.length))
        return tsv_error(file, line, "value", "a fixed 9 value has exactly the field's length in digits");
      if (f.value.size() > f.length) return tsv_error(file, line, "value", "longer than the field");
    }
    // Checks: which exist, and on which records and kinds they make sense.
    const std::string& c = f.check;
    const bool numeric = f.kind == FieldKind::numeric;
    if (c == "date" || c == "month" || c == "year" || c == "time" || c == "insurer") {
      if (!numeric) return tsv_error(file, line, "check", fmt::format("'{}' needs a 9 field", c));
    } else if (c == "count" || c.starts_with("sum:")) {
      if (!numeric || rec != "3") return tsv_error(file, line, "check", fmt::format("'{}' belongs on a 9 field of the trailer (3)", c));
    } else if (c == "records") {
      if (!numeric || rec != "M") return tsv_error(file, line, "check", "'records' belongs on a 9 field of the management area (M)");
    } else if (c.starts_with("group:")) {
      if (rec != "2" && rec != "3") return tsv_error(file, line, "check", "'group:' belongs on data (2) or trailer (3) records");
    } else if (c.starts_with("enum:")) {
      for (const auto& v : split(c.substr(5), '|'))
        if (v.size() != f.length) return tsv_error(file, line, "check", "every enum value has the field's length");
    } else if (c.starts_with("code:")) {
      const std::string list = c.substr(5);
      if (!codes.contains(list)) {
        auto loaded = load_code_list(codes_dir, list);
        if (!loaded) return tsv_error(file, line, "check", fmt::format("code list '{}': {}", list, loaded.error().message));
        codes.emplace(list, std::move(*loaded));
      }
    } else if (!c.empty() && c != "required" && c != "blank") {
      return tsv_error(file, line, "check", fmt::format("unknown check '{}'", c));
    }
    spec.fields.push_back(std::move(f));
    last_line[rec[0]] = line;
  }

  // Every record tiled exactly, the keys the code needs present, the cross-record checks sound.
  for (char type : {'M', '1', '2', '3'}) {
    RecordSpec& spec = spec_of(layout, type);
    const size_t size = type == 'M' ? kManagementBytes : kRecordBytes;
    const std::string what = type == 'M' ? "management area" : fmt::format("record {}", type);
    if (spec.fields.empty()) return tsv_error(file, 0, "record", fmt::format("the {} has no fields", what));
    std::sort(spec.fields.begin(), spec.fields.end(), [](const FieldSpec& a, const FieldSpec& b) { return a.start < b.start; });
    size_t pos = 0;
    for (const auto& f : spec.fields) {
      if (f.start != pos)
        return tsv_error(file, last_line[type], f.key,
                         fmt::format("the {} does not tile: byte {} expected at field {}, found start {}", what, pos + 1,
                                     f.key, f.start + 1));
      pos += f.length;
    }
    if (pos != size)
      return tsv_error(file, last_line[type], "length",
                       fmt::format("the {} has {} bytes of fields, not {}", what, pos, size));
    for (const auto& key : required_keys(layout.kind, type))
      if (spec.index_of(key) < 0) return tsv_error(file, 0, key, fmt::format("the {} lacks the field '{}'", what, key));
    if (type != 'M') {
      const auto& rt = spec.fields[static_cast<size_t>(spec.index_of("record_type"))];
      if (rt.start != 0 || rt.length != 1 || rt.value != std::string(1, type))
        return tsv_error(file, last_line[type], "record_type",
                         fmt::format("record_type is byte 1 with the fixed value {}", type));
    }
    for (const auto& f : spec.fields) {
      if (f.check.starts_with("group:")) {
        const int h = layout.header.index_of(f.check.substr(6));
        if (h < 0 || layout.header.fields[static_cast<size_t>(h)].length != f.length)
          return tsv_error(file, 0, f.key, fmt::format("'{}' names no header field of the same length", f.check));
      }
      if (f.check.starts_with("sum:"))
        for (const auto& k : split(f.check.substr(4), '+')) {
          const int d = layout.data.index_of(k);
          if (d < 0 || layout.data.fields[static_cast<size_t>(d)].kind != FieldKind::numeric)
            return tsv_error(file, 0, f.key, fmt::format("'{}' names no 9 field of the data record", k));
        }
    }
  }
  const auto& nc = layout.management.fields[static_cast<size_t>(layout.management.index_of("notice_code"))];
  if (nc.value != info(layout.kind).notice_code)
    return tsv_error(file, 0, "notice_code",
                     fmt::format("a {} layout has the fixed 通知内容コード {}", to_code(layout.kind), info(layout.kind).notice_code));
  const auto& lv = layout.management.fields[static_cast<size_t>(layout.management.index_of("layout_version"))];
  if (lv.value.empty() || std::stoi(lv.value) != layout.version)
    return tsv_error(file, 0, "layout_version", fmt::format("the fixed レイアウト版 must be the file name's version {}", layout.version));
  layout.notice_code = nc.value;
  return layout;
}

Result<LayoutSet> load_layouts(const fs::path& config_dir) {
  const fs::path dir = config_dir / "layouts" / "tokucho";
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".tsv") files.push_back(e.path());
  if (ec) return fail(ErrorKind::invalid_input, fmt::format("cannot list {}: {}", dir.string(), ec.message()), "layouts");
  std::sort(files.begin(), files.end());
  LayoutSet set;
  for (const auto& f : files) {
    auto l = load_layout(f, config_dir / "codes", set.codes);
    if (!l) return std::unexpected(l.error());
    if (set.find(l->kind, l->version)) return tsv_error(f, 0, "file name", "a second layout of the same kind and version");
    set.layouts.push_back(std::move(*l));
  }
  for (const auto& k : kKinds)
    if (!set.newest(k.kind))
      return fail(ErrorKind::invalid_input, fmt::format("{}: no layout for {} ({})", dir.string(), k.code, k.japanese), "layouts");
  return set;
}

}  // namespace kaigo::premium::tokucho

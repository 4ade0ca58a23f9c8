// Loading the 国保連 CSV layouts (config/layouts/kokuhoren/<exchange>.v<N>.tsv) and finding them.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "benefit/kokuhoren_csv.hpp"
#include "core/cp932.hpp"
#include "core/tsv.hpp"

namespace kaigo::benefit::csv {

int RecordLayout::index_of(std::string_view key) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].key == key) return static_cast<int>(i);
  return -1;
}

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int version_number(std::string_view v) {
  int n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

// "KY04.v1.tsv" → {"KY04", "1"}; nullopt for any other name (the file is not a layout).
std::optional<std::pair<std::string, std::string>> split_name(const std::string& name) {
  if (name.size() < 9 || !name.ends_with(".tsv")) return std::nullopt;
  const std::string stem = name.substr(0, name.size() - 4);
  const auto dot = stem.rfind(".v");
  if (dot == std::string::npos || dot == 0) return std::nullopt;
  std::string exchange = stem.substr(0, dot), version = stem.substr(dot + 2);
  if (!all_digits(version)) return std::nullopt;
  return std::pair{exchange, version};
}

// The title is the first comment line up to " (": "# 給付実績情報 (KY-04, …" → 給付実績情報.
std::string read_title(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line) || !line.starts_with("# ")) return {};
  line = line.substr(2);
  const auto paren = line.find(" (");
  return paren == std::string::npos ? line : line.substr(0, paren);
}

Result<std::size_t> cp932_length(std::string_view utf8) {
  if (cp932::is_ascii(utf8)) return utf8.size();
  auto bytes = cp932::encode(utf8);
  if (!bytes) return std::unexpected(bytes.error());
  return bytes->size();
}

Result<Layout> load_one(const std::filesystem::path& path, const std::string& exchange, const std::string& version) {
  auto table = read_tsv(path, {"record", "key", "name", "kind", "max", "required", "value", "check", "meaning"});
  if (!table) return std::unexpected(table.error());
  Layout layout;
  layout.exchange_id = exchange;
  layout.version = version;
  layout.title = read_title(path);
  std::set<std::pair<char, std::string>> keys;
  std::vector<std::pair<int, std::string>> sums;  // line, data key (checked once the data record is known)
  for (const auto& [line, row] : table->rows) {
    const std::string& record = table->cell(row, "record");
    RecordLayout* target = record == "1" ? &layout.control : record == "2" ? &layout.data : record == "3" ? &layout.end : nullptr;
    if (!target) return tsv_error(path, line, "record", "must be 1, 2 or 3");
    target->type = record[0];
    Field f;
    f.key = table->cell(row, "key");
    f.name = table->cell(row, "name");
    f.value = table->cell(row, "value");
    f.check = table->cell(row, "check");
    f.meaning = table->cell(row, "meaning");
    if (f.key.empty()) return tsv_error(path, line, "key", "is empty");
    if (f.name.empty()) return tsv_error(path, line, "name", "is empty");
    if (!keys.insert({record[0], f.key}).second)
      return tsv_error(path, line, "key", fmt::format("'{}' appears twice in record {}", f.key, record));
    const std::string& kind = table->cell(row, "kind");
    if (kind == "9") f.kind = FieldKind::digits;
    else if (kind == "X") f.kind = FieldKind::ascii;
    else if (kind == "N") f.kind = FieldKind::text;
    else if (kind == "D") f.kind = FieldKind::date;
    else if (kind == "M") f.kind = FieldKind::month;
    else return tsv_error(path, line, "kind", fmt::format("'{}' is not one of 9 X N D M", kind));
    const std::string& max = table->cell(row, "max");
    if (!all_digits(max) || max.size() > 4 || std::stoul(max) == 0)
      return tsv_error(path, line, "max", "must be a positive number of bytes");
    f.max_bytes = std::stoul(max);
    if (f.kind == FieldKind::date && f.max_bytes != 8) return tsv_error(path, line, "max", "a date (D) is 8 bytes");
    if (f.kind == FieldKind::month && f.max_bytes != 6) return tsv_error(path, line, "max", "a month (M) is 6 bytes");
    const std::string& required = table->cell(row, "required");
    if (required != "0" && required != "1") return tsv_error(path, line, "required", "must be 0 or 1");
    f.required = required == "1";
    if (!f.value.empty()) {
      auto len = cp932_length(f.value);
      if (!len) return tsv_error(path, line, "value", len.error().message);
      if (*len > f.max_bytes)
        return tsv_error(path, line, "value", fmt::format("{} bytes, longer than max {}", *len, f.max_bytes));
      if (f.kind == FieldKind::digits && !all_digits(f.value)) return tsv_error(path, line, "value", "is not digits (kind 9)");
    }
    // The checks the parser knows.
    const std::string& c = f.check;
    if (c.empty() || c == "insurer") {
    } else if (c == "seq") {
      if (record != "2") return tsv_error(path, line, "check", "seq belongs to data records (2)");
      if (f.kind != FieldKind::digits) return tsv_error(path, line, "check", "seq needs kind 9");
    } else if (c == "count") {
      if (record != "3") return tsv_error(path, line, "check", "count belongs to the end record (3)");
      if (f.kind != FieldKind::digits) return tsv_error(path, line, "check", "count needs kind 9");
    } else if (c.starts_with("sum:")) {
      if (record != "3") return tsv_error(path, line, "check", "sum belongs to the end record (3)");
      if (f.kind != FieldKind::digits) return tsv_error(path, line, "check", "sum needs kind 9");
      sums.emplace_back(line, c.substr(4));
    } else if (c.starts_with("enum:")) {
      const auto values = split(c.substr(5), '|');
      for (const auto& v : values) {
        if (v.empty()) return tsv_error(path, line, "check", "an enum value is empty");
        if (v.size() > f.max_bytes) return tsv_error(path, line, "check", fmt::format("enum value '{}' is longer than max", v));
      }
    } else if (c == "code:service_kinds" || c == "code:care_offices") {
    } else {
      return tsv_error(path, line, "check", fmt::format("'{}' is not a known check (enum:, code:service_kinds, "
                                                        "code:care_offices, insurer, count, sum:<key>, seq)", c));
    }
    if (target->fields.empty()) {
      if (f.key != "record_type" || f.value != record)
        return tsv_error(path, line, "key", fmt::format("the first field of record {} must be record_type with value {}", record, record));
    }
    target->fields.push_back(std::move(f));
  }
  const int last_line = table->rows.empty() ? 1 : table->rows.back().first;
  for (const auto* r : {&layout.control, &layout.data, &layout.end})
    if (r->fields.empty())
      return tsv_error(path, last_line, "record", fmt::format("record {} has no fields", r == &layout.control ? 1 : r == &layout.data ? 2 : 3));
  for (const auto& [line, key] : sums) {
    const int i = layout.data.index_of(key);
    if (i < 0) return tsv_error(path, line, "check", fmt::format("sum:{} names no data field", key));
    if (layout.data.fields[static_cast<std::size_t>(i)].kind != FieldKind::digits)
      return tsv_error(path, line, "check", fmt::format("sum:{} names a field that is not kind 9", key));
  }
  const int ex = layout.control.index_of("exchange_id"), ver = layout.control.index_of("layout_version");
  if (ex < 0 || layout.control.fields[static_cast<std::size_t>(ex)].value != exchange)
    return tsv_error(path, last_line, "value", fmt::format("the control record needs exchange_id with value {}", exchange));
  if (ver < 0 || layout.control.fields[static_cast<std::size_t>(ver)].value != version)
    return tsv_error(path, last_line, "value", fmt::format("the control record needs layout_version with value {}", version));
  return layout;
}

}  // namespace

const Layout* LayoutSet::find(std::string_view exchange_id, std::string_view version) const {
  const Layout* best = nullptr;
  for (const auto& l : layouts) {
    if (l.exchange_id != exchange_id) continue;
    if (!version.empty()) {
      if (version_number(l.version) == version_number(version)) return &l;
      continue;
    }
    if (!best || version_number(l.version) > version_number(best->version)) best = &l;
  }
  return best;
}

Result<LayoutSet> load_layouts(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return fail(ErrorKind::invalid_input, fmt::format("{}: not a directory of layouts", dir.string()), "layouts");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".tsv") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  LayoutSet set;
  for (const auto& path : files) {
    const auto name = split_name(path.filename().string());
    if (!name)
      return fail(ErrorKind::invalid_input, fmt::format("{}:0: file: the name must be <exchange>.v<N>.tsv", path.string()), "file");
    auto layout = load_one(path, name->first, name->second);
    if (!layout) return std::unexpected(layout.error());
    for (const auto& l : set.layouts)
      if (l.exchange_id == layout->exchange_id && version_number(l.version) == version_number(layout->version))
        return fail(ErrorKind::invalid_input, fmt::format("{}:0: file: {} version {} is defined twice", path.string(),
                                                          l.exchange_id, l.version), "file");
    set.layouts.push_back(std::move(*layout));
  }
  if (set.layouts.empty())
    return fail(ErrorKind::invalid_input, fmt::format("{}: no layout files (<exchange>.v<N>.tsv)", dir.string()), "layouts");
  return set;
}

}  // namespace kaigo::benefit::csv

#include "sim/number_network/kinds.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace kaigo::sim::network {

namespace {

constexpr std::array<std::string_view, 9> kKinds{
    "city_resident",  "city_certificate", "city_former_address_rule", "city_local_tax",         "city_household",
    "iryo_insurance", "iryo_arrears",     "pref_public_assistance",   "nenkin_old_age_welfare",
};

// The same codes as the gateway's config/codes/inquiry_kinds.tsv (stand-ins for the official
// 特定個人情報名 codes), so the in-process simulator agrees with it even without the file.
constexpr std::array<std::array<std::string_view, 2>, 9> kBuiltIn{{
    {"city_resident", "TK0000000101"},
    {"city_certificate", "TK0000000301"},
    {"city_former_address_rule", "TK0000000302"},
    {"city_local_tax", "TK0000000201"},
    {"city_household", "TK0000000102"},
    {"iryo_insurance", "TK0000000401"},
    {"iryo_arrears", "TK0000000402"},
    {"pref_public_assistance", "TK0000000501"},
    {"nenkin_old_age_welfare", "TK0000000601"},
}};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, '\t')) out.push_back(cell);
  if (!line.empty() && line.back() == '\t') out.emplace_back();
  return out;
}

}  // namespace

std::span<const std::string_view> known_kinds() { return kKinds; }

bool is_known_kind(std::string_view kind) { return std::ranges::find(kKinds, kind) != kKinds.end(); }

KindTable KindTable::built_in() {
  KindTable t;
  for (const auto& [kind, code] : kBuiltIn) t.codes_.push_back({std::string(kind), std::string(code)});
  return t;
}

Result<KindTable> KindTable::load(const std::string& tsv_path) {
  std::ifstream in(tsv_path);
  if (!in) return fail(ErrorKind::not_found, fmt::format("cannot read {}", tsv_path), tsv_path);
  KindTable t;
  std::string line;
  int line_no = 0;
  std::optional<std::size_t> kind_col, item_col;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const auto cells = split_tabs(line);
    if (!header_seen) {
      header_seen = true;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (cells[i] == "kind") kind_col = i;
        if (cells[i] == "item_code") item_col = i;
      }
      if (!kind_col) return fail(ErrorKind::invalid_input, fmt::format("{}:{}: no column 'kind'", tsv_path, line_no), "kind");
      if (!item_col)
        return fail(ErrorKind::invalid_input, fmt::format("{}:{}: no column 'item_code'", tsv_path, line_no), "item_code");
      continue;
    }
    if (cells.size() <= std::max(*kind_col, *item_col))
      return fail(ErrorKind::invalid_input, fmt::format("{}:{}: too few columns", tsv_path, line_no), "item_code");
    const std::string& kind = cells[*kind_col];
    const std::string& item = cells[*item_col];
    if (item.empty())
      return fail(ErrorKind::invalid_input, fmt::format("{}:{}: empty item_code", tsv_path, line_no), "item_code");
    if (!is_known_kind(kind)) continue;
    // The same pair again (another version row of the same kind) adds nothing.
    if (auto known = t.kind_for_item(item); known && *known == kind) continue;
    if (t.kind_for_item(item))
      return fail(ErrorKind::invalid_input, fmt::format("{}:{}: item_code used twice", tsv_path, line_no), "item_code");
    t.codes_.push_back({kind, item});
  }
  if (!header_seen) return fail(ErrorKind::invalid_input, fmt::format("{}: no header line", tsv_path), "kind");
  return t;
}

std::optional<std::string> KindTable::kind_for_item(std::string_view item_code) const {
  for (const auto& c : codes_)
    if (c.item_code == item_code) return c.kind;
  return std::nullopt;
}

std::optional<std::string> KindTable::item_for_kind(std::string_view kind) const {
  for (const auto& c : codes_)
    if (c.kind == kind) return c.item_code;
  return std::nullopt;
}

}  // namespace kaigo::sim::network

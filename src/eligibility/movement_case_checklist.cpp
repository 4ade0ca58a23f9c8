#include "eligibility/movement_case_checklist.hpp"

#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "core/tsv.hpp"
#include "eligibility/movement_case_answers.hpp"

namespace kaigo::eligibility {

namespace {

std::optional<ChecklistAges> parse_ages(const std::string& s) {
  if (s == "all") return ChecklistAges::all;
  if (s == "age_40_plus") return ChecklistAges::age_40_plus;
  if (s == "age_40_64") return ChecklistAges::age_40_64;
  if (s == "age_65_plus") return ChecklistAges::age_65_plus;
  return std::nullopt;
}

}  // namespace

bool applies_to_age(ChecklistAges rule, int age) {
  switch (rule) {
    case ChecklistAges::all: return true;
    case ChecklistAges::age_40_plus: return age >= 40;
    case ChecklistAges::age_40_64: return age >= 40 && age < 65;
    case ChecklistAges::age_65_plus: return age >= 65;
  }
  return true;
}

Result<MovementChecklists> MovementChecklists::load(const std::string& config_dir) {
  const std::filesystem::path dir = std::filesystem::path(config_dir) / "codes";
  return load_files((dir / "movement_checklists.tsv").string(), (dir / "inquiry_kinds.tsv").string());
}

Result<MovementChecklists> MovementChecklists::load_files(const std::string& checklist_path,
                                                          const std::string& inquiry_kinds_path) {
  auto kinds_table = read_tsv(inquiry_kinds_path, {"kind"});
  if (!kinds_table) return std::unexpected(kinds_table.error());
  std::set<std::string> configured;
  for (const auto& [line, row] : kinds_table->rows) configured.insert(kinds_table->cell(row, "kind"));

  auto t = read_tsv(checklist_path, {"movement_kind", "item", "label", "satisfied_by", "applies_to"});
  if (!t) return std::unexpected(t.error());
  MovementChecklists out;
  std::set<std::pair<MovementKind, std::string>> seen;
  for (const auto& [line, row] : t->rows) {
    auto kind = parse_movement_kind(t->cell(row, "movement_kind"));
    if (!kind) return tsv_error(t->path, line, "movement_kind", kind.error().message);
    ChecklistItem item;
    item.item = t->cell(row, "item");
    if (item.item.empty() || item.item.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
      return tsv_error(t->path, line, "item", "an item code is lower-case letters, digits and _");
    if (!seen.emplace(*kind, item.item).second)
      return tsv_error(t->path, line, "item", fmt::format("'{}' appears twice for {}", item.item, to_code(*kind)));
    item.label = t->cell(row, "label");
    if (item.label.empty()) return tsv_error(t->path, line, "label", "empty");
    const std::string& by = t->cell(row, "satisfied_by");
    if (by == "-") {
      item.satisfied_by = "";
    } else if (by == kSatisfiedByNonRegistered) {
      item.satisfied_by = by;
    } else if (!configured.contains(by)) {
      return tsv_error(t->path, line, "satisfied_by", fmt::format("unknown inquiry kind '{}' (not in inquiry_kinds.tsv)", by));
    } else if (!case_inquiry_kind(by)) {
      return tsv_error(t->path, line, "satisfied_by",
                       fmt::format("inquiry kind '{}' is not one a counter case applies (SK-04…SK-15)", by));
    } else {
      item.satisfied_by = by;
    }
    auto ages = parse_ages(t->cell(row, "applies_to"));
    if (!ages) return tsv_error(t->path, line, "applies_to", "must be all, age_40_plus, age_40_64 or age_65_plus");
    item.applies_to = *ages;
    out.items_[*kind].push_back(std::move(item));
  }
  for (MovementKind k : all_movement_kinds())
    if (!out.items_.contains(k))
      return tsv_error(t->path, 0, "movement_kind", fmt::format("no checklist for {}", to_code(k)));
  return out;
}

std::vector<ChecklistItem> MovementChecklists::items_for(MovementKind kind, std::optional<Date> birth,
                                                         Date movement_date) const {
  std::vector<ChecklistItem> out;
  for (const auto& item : all_items(kind))
    if (!birth || applies_to_age(item.applies_to, movement_date.age_of(*birth))) out.push_back(item);
  return out;
}

const std::vector<ChecklistItem>& MovementChecklists::all_items(MovementKind kind) const {
  static const std::vector<ChecklistItem> none;
  auto it = items_.find(kind);
  return it == items_.end() ? none : it->second;
}

}  // namespace kaigo::eligibility

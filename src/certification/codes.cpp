// CertificationConfig::load: the rule files and the code lists of 認定, validated at start so a
// bad line stops the server naming the file, the line and the column (codes.hpp).
#include "certification/codes.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/tsv.hpp"

namespace kaigo::certification {

namespace {

bool is_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A code: ASCII letters, digits and '-' only (it travels in JSON documents and file names).
bool is_code(const std::string& s) {
  return !s.empty() && s.size() <= 20 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
         });
}

// The code column of a row: well-formed and not seen before in the file.
Result<std::string> unique_code(const TsvTable& t, const std::vector<std::string>& row, int line, const std::string& column,
                                std::set<std::string>& seen) {
  const std::string& code = t.cell(row, column);
  if (!is_code(code)) return tsv_error(t.path, line, column, "must be letters, digits or '-' (at most 20)");
  if (!seen.insert(code).second) return tsv_error(t.path, line, column, fmt::format("{} appears twice", code));
  return code;
}

Result<std::string> required_text(const TsvTable& t, const std::vector<std::string>& row, int line, const std::string& column) {
  const std::string& v = t.cell(row, column);
  if (v.empty()) return tsv_error(t.path, line, column, "is required");
  return v;
}

Result<std::string> payee(const TsvTable& t, const std::vector<std::string>& row, int line) {
  const std::string& v = t.cell(row, "payee_code");
  if (!is_digits(v) || v.size() > 20) return tsv_error(t.path, line, "payee_code", "must be digits (債権者コード)");
  return v;
}

// "1:ない|2:ある" → values and labels; values unique, digits.
Result<AssessmentItem> parse_choices(const TsvTable& t, int line, AssessmentItem item, const std::string& text) {
  std::set<std::string> values;
  for (const auto& part : split(text, '|')) {
    const auto colon = part.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == part.size())
      return tsv_error(t.path, line, "choices", fmt::format("'{}' is not value:label", part));
    std::string value = part.substr(0, colon);
    if (!is_digits(value)) return tsv_error(t.path, line, "choices", fmt::format("value '{}' must be digits", value));
    if (!values.insert(value).second) return tsv_error(t.path, line, "choices", fmt::format("value {} appears twice", value));
    item.choices.push_back(std::move(value));
    item.choice_labels.push_back(part.substr(colon + 1));
  }
  if (item.choices.size() < 2) return tsv_error(t.path, line, "choices", "an item needs at least two choices");
  return item;
}

// Item codes as on the form: "1-3", "1-1-2" (群-項目[-部位]).
bool is_item_code(const std::string& s) {
  const auto parts = split(s, '-');
  if (parts.size() < 2 || parts.size() > 3) return false;
  return std::all_of(parts.begin(), parts.end(), [](const std::string& p) { return is_digits(p) && p.size() <= 2; });
}

template <typename T>
const T* find_by(const std::vector<T>& list, std::string_view code, std::string T::*key) {
  for (const auto& x : list)
    if (x.*key == code) return &x;
  return nullptr;
}

}  // namespace

Result<std::vector<AssessmentItem>> load_assessment_items(const std::filesystem::path& file) {
  auto t = read_tsv(file, {"code", "group", "name", "choices"});
  if (!t) return std::unexpected(t.error());
  std::vector<AssessmentItem> out;
  std::set<std::string> seen;
  for (const auto& [line, row] : t->rows) {
    const std::string& code = t->cell(row, "code");
    if (!is_item_code(code)) return tsv_error(file, line, "code", fmt::format("'{}' is not an item code like 1-3 or 1-1-2", code));
    if (!seen.insert(code).second) return tsv_error(file, line, "code", fmt::format("{} appears twice", code));
    auto group = required_text(*t, row, line, "group");
    if (!group) return std::unexpected(group.error());
    auto name = required_text(*t, row, line, "name");
    if (!name) return std::unexpected(name.error());
    auto item = parse_choices(*t, line, AssessmentItem{code, *group, *name, {}, {}}, t->cell(row, "choices"));
    if (!item) return std::unexpected(item.error());
    out.push_back(std::move(*item));
  }
  if (out.empty()) return tsv_error(file, 0, "code", "no items");
  return out;
}

namespace {

// Contractors and medical institutions are the same list: code, name, the accounting's payee code.
template <typename Payee>
Result<std::vector<Payee>> load_payee_list(const std::filesystem::path& file) {
  auto t = read_tsv(file, {"code", "name", "payee_code"});
  if (!t) return std::unexpected(t.error());
  std::vector<Payee> out;
  std::set<std::string> seen;
  for (const auto& [line, row] : t->rows) {
    auto code = unique_code(*t, row, line, "code", seen);
    if (!code) return std::unexpected(code.error());
    auto name = required_text(*t, row, line, "name");
    if (!name) return std::unexpected(name.error());
    auto p = payee(*t, row, line);
    if (!p) return std::unexpected(p.error());
    out.push_back(Payee{*code, *name, *p});
  }
  return out;
}

}  // namespace

Result<std::vector<Contractor>> load_contractors(const std::filesystem::path& file) {
  return load_payee_list<Contractor>(file);
}

Result<std::vector<MedicalInstitution>> load_medical_institutions(const std::filesystem::path& file) {
  return load_payee_list<MedicalInstitution>(file);
}

Result<std::vector<CommitteeMember>> load_committee_members(const std::filesystem::path& file) {
  auto t = read_tsv(file, {"member_code", "name", "profession", "payee_code"});
  if (!t) return std::unexpected(t.error());
  const bool has_active = t->columns.contains("active");
  std::vector<CommitteeMember> out;
  std::set<std::string> seen;
  for (const auto& [line, row] : t->rows) {
    auto code = unique_code(*t, row, line, "member_code", seen);
    if (!code) return std::unexpected(code.error());
    auto name = required_text(*t, row, line, "name");
    if (!name) return std::unexpected(name.error());
    auto profession = required_text(*t, row, line, "profession");
    if (!profession) return std::unexpected(profession.error());
    auto p = payee(*t, row, line);
    if (!p) return std::unexpected(p.error());
    bool active = true;
    if (has_active) {
      const std::string& a = t->cell(row, "active");
      if (a != "0" && a != "1") return tsv_error(file, line, "active", "must be 1 (appointed) or 0 (no longer)");
      active = a == "1";
    }
    out.push_back(CommitteeMember{*code, *name, *profession, *p, active});
  }
  return out;
}

Result<CertificationConfig> CertificationConfig::load(const std::filesystem::path& config_dir) {
  CertificationConfig c;
  auto rules = load_certification_rules(config_dir / "rules" / "certification");
  if (!rules) return std::unexpected(rules.error());
  c.rules = std::move(*rules);
  auto diseases = load_specified_diseases(config_dir / "codes" / "specified_diseases.tsv");
  if (!diseases) return std::unexpected(diseases.error());
  c.specified_diseases = std::move(*diseases);
  auto items = load_assessment_items(config_dir / "codes" / "assessment_items.tsv");
  if (!items) return std::unexpected(items.error());
  c.assessment_items = std::move(*items);
  auto contractors = load_contractors(config_dir / "codes" / "assessment_contractors.tsv");
  if (!contractors) return std::unexpected(contractors.error());
  c.contractors = std::move(*contractors);
  auto institutions = load_medical_institutions(config_dir / "codes" / "medical_institutions.tsv");
  if (!institutions) return std::unexpected(institutions.error());
  c.institutions = std::move(*institutions);
  auto members = load_committee_members(config_dir / "codes" / "committee_members.tsv");
  if (!members) return std::unexpected(members.error());
  c.members = std::move(*members);
  return c;
}

const SpecifiedDisease* CertificationConfig::specified_disease(std::string_view code) const {
  return find_by(specified_diseases, code, &SpecifiedDisease::code);
}
const AssessmentItem* CertificationConfig::assessment_item(std::string_view code) const {
  return find_by(assessment_items, code, &AssessmentItem::code);
}
const Contractor* CertificationConfig::contractor(std::string_view code) const {
  return find_by(contractors, code, &Contractor::code);
}
const MedicalInstitution* CertificationConfig::institution(std::string_view code) const {
  return find_by(institutions, code, &MedicalInstitution::code);
}
const CommitteeMember* CertificationConfig::member(std::string_view code) const {
  return find_by(members, code, &CommitteeMember::member_code);
}

}  // namespace kaigo::certification

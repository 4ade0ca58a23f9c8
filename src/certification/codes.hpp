#pragma once
// Everything the certification business reads from config at start, validated at load:
//   config/rules/certification/*.json          the rules (rules.hpp)
//   config/codes/specified_diseases.tsv         the 16 特定疾病 (介護保険法施行令2条)
//   config/codes/assessment_items.tsv           the 74 基本調査 items and their allowed choices
//   config/codes/assessment_contractors.tsv     認定調査 委託事業者 (payee codes for NT-16)
//   config/codes/medical_institutions.tsv       医療機関 (payee codes for NT-17)
//   config/codes/committee_members.tsv          介護認定審査会 委員 (payee codes for NT-15)
// TSV files: tab-separated, header row, # comment lines; a bad line is invalid_input naming the
// file, line and column.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certification/rules.hpp"
#include "core/error.hpp"

namespace kaigo::certification {

// One 基本調査 item, e.g. 1-1-1 麻痺等の有無 (左上肢), choices 1 ない / 2 ある.
struct AssessmentItem {
  std::string code;                  // "1-1-1"
  std::string group;                 // 第1群 身体機能・起居動作 …
  std::string name;
  std::vector<std::string> choices;  // allowed values, "1", "2", …
  std::vector<std::string> choice_labels;  // parallel to choices: ない, ある, …
};

struct Contractor {  // 指定居宅介護支援事業者・指定市町村事務受託法人 … that take 認定調査 on contract
  std::string code;
  std::string name;
  std::string payee_code;  // 財務会計の債権者コード
};

struct MedicalInstitution {
  std::string code;
  std::string name;
  std::string payee_code;
};

struct CommitteeMember {
  std::string member_code;
  std::string name;
  std::string profession;
  std::string payee_code;
  bool active = true;  // false: no longer appointed (kept for past sessions and their fees)
};

struct CertificationConfig {
  CertificationRules rules;
  std::vector<SpecifiedDisease> specified_diseases;
  std::vector<AssessmentItem> assessment_items;
  std::vector<Contractor> contractors;
  std::vector<MedicalInstitution> institutions;
  std::vector<CommitteeMember> members;

  // Loads and validates every file above from `config_dir`.
  static Result<CertificationConfig> load(const std::filesystem::path& config_dir);

  const SpecifiedDisease* specified_disease(std::string_view code) const;
  const AssessmentItem* assessment_item(std::string_view code) const;
  const Contractor* contractor(std::string_view code) const;
  const MedicalInstitution* institution(std::string_view code) const;
  const CommitteeMember* member(std::string_view code) const;
};

// The loaders of each code list (load() calls them; unit tests too). invalid_input
// "FILE:LINE: COLUMN: what" with Error::field = the column.
Result<std::vector<AssessmentItem>> load_assessment_items(const std::filesystem::path& file);  // code group name choices ("1:ない|2:ある")
Result<std::vector<Contractor>> load_contractors(const std::filesystem::path& file);           // code name payee_code
Result<std::vector<MedicalInstitution>> load_medical_institutions(const std::filesystem::path& file);  // code name payee_code
Result<std::vector<CommitteeMember>> load_committee_members(const std::filesystem::path& file);  // member_code name profession payee_code [active]

}  // namespace kaigo::certification

#pragma once
// The code tables of 番号連携 (config/codes/): 事務, 事務手続, 特定個人情報名 and 機関 codes, each row
// versioned and effective-dated, and the inquiry kinds that tie them to the flow catalog. Loaded
// and validated at start: a missing column, an unknown code reference, two overlapping rows of one
// code or a malformed date fails with invalid_input naming the file and line in the message and
// the column in Error::field. The values here are stand-ins; the city loads the official デジタル庁
// tables in the same format (docs/gateway.md).
//
// Thread-safety: a loaded CodeBook is immutable.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"

namespace kaigo::gateway {

struct CodeRow {
  std::string code;
  std::string name;
  std::string parent;        // procedures: jimu_code; institutions: counterpart; else empty
  int version = 0;
  Date valid_from;
  std::optional<Date> valid_to;  // empty: still in effect
  bool valid_on(Date d) const { return valid_from <= d && (!valid_to || d <= *valid_to); }
};

// One use of a kind: the request and answer flow IDs of the catalog and the 事務手続 code.
struct KindFlow {
  std::string request_flow;
  std::string answer_flow;
  std::string procedure_code;
};

struct InquiryKind {
  std::string kind;
  std::string counterpart;
  std::string jimu_code;
  std::string item_code;
  std::string institution_code;
  std::vector<KindFlow> flows;     // at least one; the first is the default
  std::vector<std::string> items;  // expected item names of an answer
  bool disclosed = true;           // 情報提供等記録 shown on マイナポータル (false: withheld)
  std::string description;
  // The use of this kind by `request_flow`, or the default when empty; nullptr if not one of it.
  const KindFlow* flow(const std::string& request_flow) const;
};

class CodeBook {
 public:
  // Loads <config_dir>/codes/{jimu,procedures,items,institutions,inquiry_kinds}.tsv.
  static Result<CodeBook> load(const std::string& config_dir);

  const std::map<std::string, std::vector<CodeRow>>& jimu() const { return jimu_; }
  const std::map<std::string, std::vector<CodeRow>>& procedures() const { return procedures_; }
  const std::map<std::string, std::vector<CodeRow>>& items() const { return items_; }
  const std::map<std::string, std::vector<CodeRow>>& institutions() const { return institutions_; }
  const std::map<std::string, InquiryKind>& kinds() const { return kinds_; }

  const InquiryKind* kind(const std::string& name) const;
  // The row of a code in effect on `d`, or nullptr. table: "jimu", "procedures", "items", "institutions".
  const CodeRow* in_effect(const std::string& table, const std::string& code, Date d) const;

 private:
  std::map<std::string, std::vector<CodeRow>> jimu_, procedures_, items_, institutions_;
  std::map<std::string, InquiryKind> kinds_;
};

}  // namespace kaigo::gateway

#pragma once
// Which body answers an inquiry: the request carries codes (特定個人情報名 item_code), the
// simulator maps them to a kind name (city_resident, iryo_insurance, …) and the kind to its body.
//
// The mapping is data. The built-in table below is the simulator's own assumption; when the
// gateway's config/codes/inquiry_kinds.tsv exists, load() reads the same mapping from it (columns
// found by their header names "kind" and "item_code"), so both sides agree on one file.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kaigo::sim::network {

// The kinds the simulator can answer, in the order of docs/simulator.md.
std::span<const std::string_view> known_kinds();
bool is_known_kind(std::string_view kind);

struct KindCode {
  std::string kind;       // one of known_kinds()
  std::string item_code;  // 特定個人情報名コード, e.g. TK0000000201
};

class KindTable {
 public:
  // The simulator's own codes (docs/simulator.md lists them).
  static KindTable built_in();
  // A TSV file with a header line naming at least the columns "kind" and "item_code"; lines
  // starting with '#' and blank lines are skipped; rows of kinds the simulator does not know are
  // ignored (they have no body). Errors name the file's line and field.
  static Result<KindTable> load(const std::string& tsv_path);

  std::optional<std::string> kind_for_item(std::string_view item_code) const;
  std::optional<std::string> item_for_kind(std::string_view kind) const;
  const std::vector<KindCode>& codes() const { return codes_; }

 private:
  std::vector<KindCode> codes_;
};

}  // namespace kaigo::sim::network

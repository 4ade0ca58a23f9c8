// 特定疾病 (介護保険法施行令2条): the diseases through which a category-2 insured (40–64) may be
// certified (法7条3項2号). The list is config (config/codes/specified_diseases.tsv): a code of
// two digits, the name as the 政令 writes it. A bad line is invalid_input naming file, line and column.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "certification/rules.hpp"
#include "core/tsv.hpp"

namespace kaigo::certification {

Result<std::vector<SpecifiedDisease>> load_specified_diseases(const std::filesystem::path& file) {
  auto table = read_tsv(file, {"code", "name"});
  if (!table) return std::unexpected(table.error());
  std::vector<SpecifiedDisease> out;
  std::set<std::string> codes;
  for (const auto& [line, row] : table->rows) {
    SpecifiedDisease d{table->cell(row, "code"), table->cell(row, "name")};
    if (d.code.size() != 2 || !std::all_of(d.code.begin(), d.code.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return tsv_error(file, line, "code", fmt::format("'{}' is not a two-digit code", d.code));
    if (!codes.insert(d.code).second) return tsv_error(file, line, "code", fmt::format("'{}' appears twice", d.code));
    if (d.name.empty()) return tsv_error(file, line, "name", "empty");
    out.push_back(std::move(d));
  }
  if (out.empty()) return tsv_error(file, 1, "code", "no specified disease listed");
  return out;
}

}  // namespace kaigo::certification

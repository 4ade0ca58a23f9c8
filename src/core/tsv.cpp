#include "core/tsv.hpp"

#include <fstream>

#include <fmt/format.h>

namespace kaigo {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t pos; (pos = s.find(sep, start)) != std::string::npos; start = pos + 1) out.push_back(s.substr(start, pos - start));
  out.push_back(s.substr(start));
  return out;
}

std::unexpected<Error> tsv_error(const std::filesystem::path& path, int line, const std::string& field,
                                 const std::string& what) {
  return fail(ErrorKind::invalid_input, fmt::format("{}:{}: {}: {}", path.string(), line, field, what), field);
}

Result<TsvTable> read_tsv(const std::filesystem::path& path, const std::vector<std::string>& required) {
  std::ifstream in(path);
  if (!in) return tsv_error(path, 0, "file", "cannot be read");
  TsvTable t{path, {}, {}};
  std::string line;
  bool header = false;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.starts_with("#")) continue;
    auto f = split(line, '\t');
    if (!header) {
      header = true;
      for (size_t i = 0; i < f.size(); ++i) t.columns.emplace(f[i], i);
      for (const auto& r : required)
        if (!t.columns.contains(r)) return tsv_error(path, n, r, "missing column");
      continue;
    }
    if (f.size() != t.columns.size())
      return tsv_error(path, n, "columns", fmt::format("expected {} tab-separated fields, found {}", t.columns.size(), f.size()));
    t.rows.emplace_back(n, std::move(f));
  }
  if (!header) return tsv_error(path, 1, "header", "no header line");
  return t;
}

}  // namespace kaigo

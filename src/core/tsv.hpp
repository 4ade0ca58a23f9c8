#pragma once
// Tab-separated data files (the flow catalog, code tables, rule tables): '#' lines and blank
// lines are comments, the first other line is the header naming the columns, every data line
// has as many fields as the header. Errors name the file, the line and the column, so an
// operator editing a table finds the fault at once.
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace kaigo {

struct TsvTable {
  std::filesystem::path path;
  std::map<std::string, size_t> columns;                            // header name → index
  std::vector<std::pair<int, std::vector<std::string>>> rows;       // line number, fields

  const std::string& cell(const std::vector<std::string>& row, const std::string& column) const {
    return row.at(columns.at(column));
  }
};

// Reads a table; every `required` column must be in the header (in any order).
Result<TsvTable> read_tsv(const std::filesystem::path& path, const std::vector<std::string>& required);

// invalid_input "PATH:LINE: FIELD: WHAT", with Error::field = FIELD.
std::unexpected<Error> tsv_error(const std::filesystem::path& path, int line, const std::string& field,
                                 const std::string& what);

std::vector<std::string> split(const std::string& s, char sep);

}  // namespace kaigo

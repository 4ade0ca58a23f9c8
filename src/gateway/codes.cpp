#include "gateway/codes.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "linkage/flow_catalog.hpp"

namespace kaigo::gateway {

namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t pos; (pos = s.find(sep, start)) != std::string::npos; start = pos + 1) out.push_back(s.substr(start, pos - start));
  out.push_back(s.substr(start));
  return out;
}

std::unexpected<Error> at(const fs::path& path, int line, const std::string& field, const std::string& what) {
  return fail(ErrorKind::invalid_input, fmt::format("{}:{}: {}: {}", path.filename().string(), line, field, what), field);
}

// A TSV file read by column name: the header line names the columns, in any order; every
// `required` column must be there.
struct Table {
  fs::path path;
  std::map<std::string, size_t> columns;
  std::vector<std::pair<int, std::vector<std::string>>> rows;
};

Result<Table> read_table(const fs::path& path, const std::vector<std::string>& required) {
  std::ifstream in(path);
  if (!in) return at(path, 0, "file", "cannot be read");
  Table t{path, {}, {}};
  std::string line;
  bool header = false;
  int header_line = 0;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.starts_with("#")) continue;
    auto f = split(line, '\t');
    if (!header) {
      header = true;
      header_line = n;
      for (size_t i = 0; i < f.size(); ++i) t.columns.emplace(f[i], i);
      for (const auto& r : required)
        if (!t.columns.contains(r)) return at(path, n, r, "missing column");
      continue;
    }
    if (f.size() != t.columns.size())
      return at(path, n, "columns", fmt::format("expected {} tab-separated fields, found {}", t.columns.size(), f.size()));
    t.rows.emplace_back(n, std::move(f));
  }
  if (!header) return at(path, header_line, "header", "no header line");
  return t;
}

const std::string& cell(const Table& t, const std::vector<std::string>& row, const std::string& column) {
  return row.at(t.columns.at(column));
}

// Reads a versioned code table; `parent_column` (may be empty) is kept in CodeRow::parent.
Result<std::map<std::string, std::vector<CodeRow>>> load_codes(const fs::path& path, const std::regex& code_form,
                                                               const std::string& parent_column) {
  std::vector<std::string> required{"code", "name", "version", "valid_from", "valid_to"};
  if (!parent_column.empty()) required.push_back(parent_column);
  auto t = read_table(path, required);
  if (!t) return std::unexpected(t.error());
  std::map<std::string, std::vector<CodeRow>> out;
  std::map<std::string, std::vector<int>> lines;
  for (const auto& [n, f] : t->rows) {
    CodeRow r;
    r.code = cell(*t, f, "code");
    if (!std::regex_match(r.code, code_form)) return at(path, n, "code", fmt::format("'{}' is not a code of this table", r.code));
    r.name = cell(*t, f, "name");
    if (r.name.empty()) return at(path, n, "name", "is empty");
    if (!parent_column.empty()) {
      r.parent = cell(*t, f, parent_column);
      if (r.parent.empty()) return at(path, n, parent_column, "is empty");
    }
    const auto& v = cell(*t, f, "version");
    if (!std::regex_match(v, std::regex("[1-9][0-9]{0,5}"))) return at(path, n, "version", fmt::format("'{}' is not a version", v));
    r.version = std::stoi(v);
    auto from = Date::parse(cell(*t, f, "valid_from"));
    if (!from) return at(path, n, "valid_from", "is not an ISO date");
    r.valid_from = *from;
    if (const auto& to = cell(*t, f, "valid_to"); !to.empty()) {
      auto d = Date::parse(to);
      if (!d) return at(path, n, "valid_to", "is not an ISO date");
      if (*d < r.valid_from) return at(path, n, "valid_to", "is before valid_from");
      r.valid_to = *d;
    }
    auto& versions = out[r.code];
    auto& ls = lines[r.code];
    for (size_t i = 0; i < versions.size(); ++i) {
      const auto& o = versions[i];
      if (o.version == r.version)
        return at(path, n, "version", fmt::format("{} version {} again (line {})", r.code, r.version, ls[i]));
      const bool overlap = (!r.valid_to || o.valid_from <= *r.valid_to) && (!o.valid_to || r.valid_from <= *o.valid_to);
      if (overlap)
        return at(path, n, "valid_from", fmt::format("{} overlaps its version {} (line {})", r.code, o.version, ls[i]));
    }
    versions.push_back(std::move(r));
    ls.push_back(n);
  }
  return out;
}

}  // namespace

const KindFlow* InquiryKind::flow(const std::string& request_flow) const {
  if (request_flow.empty()) return flows.empty() ? nullptr : &flows.front();
  for (const auto& f : flows)
    if (f.request_flow == request_flow) return &f;
  return nullptr;
}

const InquiryKind* CodeBook::kind(const std::string& name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : &it->second;
}

const CodeRow* CodeBook::in_effect(const std::string& table, const std::string& code, Date d) const {
  const std::map<std::string, std::vector<CodeRow>>* m = table == "jimu"         ? &jimu_
                                                         : table == "procedures" ? &procedures_
                                                         : table == "items"      ? &items_
                                                         : table == "institutions" ? &institutions_
                                                                                   : nullptr;
  if (!m) return nullptr;
  auto it = m->find(code);
  if (it == m->end()) return nullptr;
  for (const auto& r : it->second)
    if (r.valid_on(d)) return &r;
  return nullptr;
}

Result<CodeBook> CodeBook::load(const std::string& config_dir) {
  const fs::path dir = fs::path(config_dir) / "codes";
  CodeBook b;
  auto jimu = load_codes(dir / "jimu.tsv", std::regex("JM[0-9]{10}"), "");
  if (!jimu) return std::unexpected(jimu.error());
  b.jimu_ = std::move(*jimu);
  auto procedures = load_codes(dir / "procedures.tsv", std::regex("JT[0-9]{10}"), "jimu_code");
  if (!procedures) return std::unexpected(procedures.error());
  b.procedures_ = std::move(*procedures);
  auto items = load_codes(dir / "items.tsv", std::regex("TK[0-9]{10}"), "");
  if (!items) return std::unexpected(items.error());
  b.items_ = std::move(*items);
  auto institutions = load_codes(dir / "institutions.tsv", std::regex("[0-9]{13}"), "counterpart");
  if (!institutions) return std::unexpected(institutions.error());
  b.institutions_ = std::move(*institutions);

  auto catalog = linkage::load_flow_catalog(config_dir);
  if (!catalog) return std::unexpected(catalog.error());

  // References between the code tables, checked by line so an error points at the row.
  {
    auto t = read_table(dir / "procedures.tsv", {"code", "jimu_code"});
    if (!t) return std::unexpected(t.error());
    for (const auto& [n, f] : t->rows)
      if (!b.jimu_.contains(cell(*t, f, "jimu_code")))
        return at(t->path, n, "jimu_code", fmt::format("unknown 事務 code '{}'", cell(*t, f, "jimu_code")));
  }
  {
    auto t = read_table(dir / "institutions.tsv", {"code", "counterpart"});
    if (!t) return std::unexpected(t.error());
    for (const auto& [n, f] : t->rows)
      if (!catalog->counterparts.contains(cell(*t, f, "counterpart")))
        return at(t->path, n, "counterpart", fmt::format("unknown counterpart '{}'", cell(*t, f, "counterpart")));
  }

  const fs::path kinds_path = dir / "inquiry_kinds.tsv";
  auto t = read_table(kinds_path, {"kind", "counterpart", "jimu_code", "item_code", "institution_code", "request_flows",
                                   "answer_flows", "procedure_codes", "items", "disclosure", "description"});
  if (!t) return std::unexpected(t.error());
  for (const auto& [n, f] : t->rows) {
    InquiryKind k;
    k.kind = cell(*t, f, "kind");
    if (!std::regex_match(k.kind, std::regex("[a-z][a-z0-9_]*"))) return at(kinds_path, n, "kind", fmt::format("'{}' is not a kind name", k.kind));
    if (b.kinds_.contains(k.kind)) return at(kinds_path, n, "kind", fmt::format("duplicate kind '{}'", k.kind));
    k.counterpart = cell(*t, f, "counterpart");
    if (k.counterpart != "city" && k.counterpart != "iryo" && k.counterpart != "pref" && k.counterpart != "nenkin")
      return at(kinds_path, n, "counterpart", fmt::format("'{}' is not city, iryo, pref or nenkin", k.counterpart));
    k.jimu_code = cell(*t, f, "jimu_code");
    if (!b.jimu_.contains(k.jimu_code)) return at(kinds_path, n, "jimu_code", fmt::format("unknown 事務 code '{}'", k.jimu_code));
    k.item_code = cell(*t, f, "item_code");
    if (!b.items_.contains(k.item_code)) return at(kinds_path, n, "item_code", fmt::format("unknown 特定個人情報名 code '{}'", k.item_code));
    k.institution_code = cell(*t, f, "institution_code");
    auto inst = b.institutions_.find(k.institution_code);
    if (inst == b.institutions_.end())
      return at(kinds_path, n, "institution_code", fmt::format("unknown 機関 code '{}'", k.institution_code));
    for (const auto& r : inst->second)
      if (r.parent != k.counterpart)
        return at(kinds_path, n, "institution_code", fmt::format("{} belongs to {}, not {}", k.institution_code, r.parent, k.counterpart));
    const auto requests = split(cell(*t, f, "request_flows"), ',');
    const auto answers = split(cell(*t, f, "answer_flows"), ',');
    const auto procs = split(cell(*t, f, "procedure_codes"), ',');
    if (answers.size() != requests.size()) return at(kinds_path, n, "answer_flows", "not one per request flow");
    if (procs.size() != requests.size()) return at(kinds_path, n, "procedure_codes", "not one per request flow");
    for (size_t i = 0; i < requests.size(); ++i) {
      const auto* rq = catalog->find(requests[i]);
      if (!rq || rq->direction != "照会" || rq->counterpart != k.counterpart)
        return at(kinds_path, n, "request_flows", fmt::format("'{}' is not a 照会 flow to {} in the catalog", requests[i], k.counterpart));
      const auto* an = catalog->find(answers[i]);
      if (!an || an->direction != "回答" || an->counterpart != k.counterpart)
        return at(kinds_path, n, "answer_flows", fmt::format("'{}' is not a 回答 flow from {} in the catalog", answers[i], k.counterpart));
      auto proc = b.procedures_.find(procs[i]);
      if (proc == b.procedures_.end())
        return at(kinds_path, n, "procedure_codes", fmt::format("unknown 事務手続 code '{}'", procs[i]));
      for (const auto& r : proc->second)
        if (r.parent != k.jimu_code)
          return at(kinds_path, n, "procedure_codes", fmt::format("{} is not a 事務手続 of {}", procs[i], k.jimu_code));
      k.flows.push_back(KindFlow{requests[i], answers[i], procs[i]});
    }
    for (const auto& item : split(cell(*t, f, "items"), ','))
      if (item.empty()) return at(kinds_path, n, "items", "an empty item name");
      else k.items.push_back(item);
    const auto& disclosure = cell(*t, f, "disclosure");
    if (disclosure != "disclosed" && disclosure != "withheld")
      return at(kinds_path, n, "disclosure", fmt::format("'{}' is not disclosed or withheld", disclosure));
    k.disclosed = disclosure == "disclosed";
    k.description = cell(*t, f, "description");
    if (k.description.empty()) return at(kinds_path, n, "description", "is empty");
    b.kinds_.emplace(k.kind, std::move(k));
  }
  if (b.kinds_.empty()) return at(kinds_path, 0, "kind", "no inquiry kinds");
  return b;
}

}  // namespace kaigo::gateway

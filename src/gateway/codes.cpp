#include "gateway/codes.hpp"

#include "core/tsv.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "linkage/flow_catalog.hpp"

namespace kaigo::gateway {

namespace {

namespace fs = std::filesystem;

// Reads a versioned code table; `parent_column` (may be empty) is kept in CodeRow::parent.
Result<std::map<std::string, std::vector<CodeRow>>> load_codes(const fs::path& path, const std::regex& code_form,
                                                               const std::string& parent_column) {
  std::vector<std::string> required{"code", "name", "version", "valid_from", "valid_to"};
  if (!parent_column.empty()) required.push_back(parent_column);
  auto t = read_tsv(path, required);
  if (!t) return std::unexpected(t.error());
  std::map<std::string, std::vector<CodeRow>> out;
  std::map<std::string, std::vector<int>> lines;
  for (const auto& [n, f] : t->rows) {
    CodeRow r;
    r.code = t->cell(f, "code");
    if (!std::regex_match(r.code, code_form)) return tsv_error(path, n, "code", fmt::format("'{}' is not a code of this table", r.code));
    r.name = t->cell(f, "name");
    if (r.name.empty()) return tsv_error(path, n, "name", "is empty");
    if (!parent_column.empty()) {
      r.parent = t->cell(f, parent_column);
      if (r.parent.empty()) return tsv_error(path, n, parent_column, "is empty");
    }
    const auto& v = t->cell(f, "version");
    if (!std::regex_match(v, std::regex("[1-9][0-9]{0,5}"))) return tsv_error(path, n, "version", fmt::format("'{}' is not a version", v));
    r.version = std::stoi(v);
    auto from = Date::parse(t->cell(f, "valid_from"));
    if (!from) return tsv_error(path, n, "valid_from", "is not an ISO date");
    r.valid_from = *from;
    if (const auto& to = t->cell(f, "valid_to"); !to.empty()) {
      auto d = Date::parse(to);
      if (!d) return tsv_error(path, n, "valid_to", "is not an ISO date");
      if (*d < r.valid_from) return tsv_error(path, n, "valid_to", "is before valid_from");
      r.valid_to = *d;
    }
    auto& versions = out[r.code];
    auto& ls = lines[r.code];
    for (size_t i = 0; i < versions.size(); ++i) {
      const auto& o = versions[i];
      if (o.version == r.version)
        return tsv_error(path, n, "version", fmt::format("{} version {} again (line {})", r.code, r.version, ls[i]));
      const bool overlap = (!r.valid_to || o.valid_from <= *r.valid_to) && (!o.valid_to || r.valid_from <= *o.valid_to);
      if (overlap)
        return tsv_error(path, n, "valid_from", fmt::format("{} overlaps its version {} (line {})", r.code, o.version, ls[i]));
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
    auto t = read_tsv(dir / "procedures.tsv", {"code", "jimu_code"});
    if (!t) return std::unexpected(t.error());
    for (const auto& [n, f] : t->rows)
      if (!b.jimu_.contains(t->cell(f, "jimu_code")))
        return tsv_error(t->path, n, "jimu_code", fmt::format("unknown 事務 code '{}'", t->cell(f, "jimu_code")));
  }
  {
    auto t = read_tsv(dir / "institutions.tsv", {"code", "counterpart"});
    if (!t) return std::unexpected(t.error());
    for (const auto& [n, f] : t->rows)
      if (!catalog->counterparts.contains(t->cell(f, "counterpart")))
        return tsv_error(t->path, n, "counterpart", fmt::format("unknown counterpart '{}'", t->cell(f, "counterpart")));
  }

  const fs::path kinds_path = dir / "inquiry_kinds.tsv";
  auto t = read_tsv(kinds_path, {"kind", "counterpart", "jimu_code", "item_code", "institution_code", "request_flows",
                                   "answer_flows", "procedure_codes", "items", "disclosure", "description"});
  if (!t) return std::unexpected(t.error());
  for (const auto& [n, f] : t->rows) {
    InquiryKind k;
    k.kind = t->cell(f, "kind");
    if (!std::regex_match(k.kind, std::regex("[a-z][a-z0-9_]*"))) return tsv_error(kinds_path, n, "kind", fmt::format("'{}' is not a kind name", k.kind));
    if (b.kinds_.contains(k.kind)) return tsv_error(kinds_path, n, "kind", fmt::format("duplicate kind '{}'", k.kind));
    k.counterpart = t->cell(f, "counterpart");
    if (k.counterpart != "city" && k.counterpart != "iryo" && k.counterpart != "pref" && k.counterpart != "nenkin")
      return tsv_error(kinds_path, n, "counterpart", fmt::format("'{}' is not city, iryo, pref or nenkin", k.counterpart));
    k.jimu_code = t->cell(f, "jimu_code");
    if (!b.jimu_.contains(k.jimu_code)) return tsv_error(kinds_path, n, "jimu_code", fmt::format("unknown 事務 code '{}'", k.jimu_code));
    k.item_code = t->cell(f, "item_code");
    if (!b.items_.contains(k.item_code)) return tsv_error(kinds_path, n, "item_code", fmt::format("unknown 特定個人情報名 code '{}'", k.item_code));
    k.institution_code = t->cell(f, "institution_code");
    auto inst = b.institutions_.find(k.institution_code);
    if (inst == b.institutions_.end())
      return tsv_error(kinds_path, n, "institution_code", fmt::format("unknown 機関 code '{}'", k.institution_code));
    for (const auto& r : inst->second)
      if (r.parent != k.counterpart)
        return tsv_error(kinds_path, n, "institution_code", fmt::format("{} belongs to {}, not {}", k.institution_code, r.parent, k.counterpart));
    const auto requests = split(t->cell(f, "request_flows"), ',');
    const auto answers = split(t->cell(f, "answer_flows"), ',');
    const auto procs = split(t->cell(f, "procedure_codes"), ',');
    if (answers.size() != requests.size()) return tsv_error(kinds_path, n, "answer_flows", "not one per request flow");
    if (procs.size() != requests.size()) return tsv_error(kinds_path, n, "procedure_codes", "not one per request flow");
    for (size_t i = 0; i < requests.size(); ++i) {
      const auto* rq = catalog->find(requests[i]);
      if (!rq || rq->direction != "照会" || rq->counterpart != k.counterpart)
        return tsv_error(kinds_path, n, "request_flows", fmt::format("'{}' is not a 照会 flow to {} in the catalog", requests[i], k.counterpart));
      const auto* an = catalog->find(answers[i]);
      if (!an || an->direction != "回答" || an->counterpart != k.counterpart)
        return tsv_error(kinds_path, n, "answer_flows", fmt::format("'{}' is not a 回答 flow from {} in the catalog", answers[i], k.counterpart));
      auto proc = b.procedures_.find(procs[i]);
      if (proc == b.procedures_.end())
        return tsv_error(kinds_path, n, "procedure_codes", fmt::format("unknown 事務手続 code '{}'", procs[i]));
      for (const auto& r : proc->second)
        if (r.parent != k.jimu_code)
          return tsv_error(kinds_path, n, "procedure_codes", fmt::format("{} is not a 事務手続 of {}", procs[i], k.jimu_code));
      k.flows.push_back(KindFlow{requests[i], answers[i], procs[i]});
    }
    for (const auto& item : split(t->cell(f, "items"), ','))
      if (item.empty()) return tsv_error(kinds_path, n, "items", "an empty item name");
      else k.items.push_back(item);
    const auto& disclosure = t->cell(f, "disclosure");
    if (disclosure != "disclosed" && disclosure != "withheld")
      return tsv_error(kinds_path, n, "disclosure", fmt::format("'{}' is not disclosed or withheld", disclosure));
    k.disclosed = disclosure == "disclosed";
    k.description = t->cell(f, "description");
    if (k.description.empty()) return tsv_error(kinds_path, n, "description", "is empty");
    b.kinds_.emplace(k.kind, std::move(k));
  }
  if (b.kinds_.empty()) return tsv_error(kinds_path, 0, "kind", "no inquiry kinds");
  return b;
}

}  // namespace kaigo::gateway

#include "linkage/flow_catalog.hpp"

#include "core/tsv.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <fmt/format.h>

namespace kaigo::linkage {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \r") - b + 1);
}

const std::map<std::string, std::string> kSectionOfPrefix{{"SK", "資格"}, {"FK", "賦課"}, {"NT", "認定"}, {"KY", "給付"}};
const std::set<std::string> kDirections{"受付", "照会", "回答", "提供", "交付", "通知", "依頼", "支払", "受付・提供"};

}  // namespace

const char* to_string(FlowState s) { return s == FlowState::implemented ? "implemented" : "not_yet"; }

const Flow* FlowCatalog::find(const std::string& id) const {
  for (const auto& f : flows)
    if (f.id == id) return &f;
  return nullptr;
}

Result<std::vector<Counterpart>> load_counterparts(const std::string& config_dir) {
  const auto path = std::filesystem::path(config_dir) / "flows" / "counterparts.tsv";
  auto t = read_tsv(path, {"code", "name", "where"});
  if (!t) return std::unexpected(t.error());
  std::vector<Counterpart> out;
  std::set<std::string> seen;
  for (const auto& [n, row] : t->rows) {
    const std::vector<std::string> f{t->cell(row, "code"), t->cell(row, "name"), t->cell(row, "where")};
    if (!std::regex_match(f[0], std::regex("[a-z]+"))) return tsv_error(path, n, "code", fmt::format("'{}' is not a code", f[0]));
    if (!seen.insert(f[0]).second) return tsv_error(path, n, "code", fmt::format("duplicate counterpart '{}'", f[0]));
    if (f[1].empty()) return tsv_error(path, n, "name", "is empty");
    if (f[2] != "internal" && f[2] != "external" && f[2] != "counter")
      return tsv_error(path, n, "where", fmt::format("'{}' is not internal, external or counter", f[2]));
    out.push_back(Counterpart{f[0], f[1], f[2]});
  }
  return out;
}

Result<FlowCatalog> load_flow_catalog(const std::string& config_dir) {
  auto counterparts = load_counterparts(config_dir);
  if (!counterparts) return std::unexpected(counterparts.error());
  FlowCatalog catalog;
  for (const auto& c : *counterparts) catalog.counterparts.emplace(c.code, c);

  const auto path = std::filesystem::path(config_dir) / "flows" / "catalog.tsv";
  auto t = read_tsv(path, {"id", "section", "direction", "counterpart", "information", "action", "state", "tests",
                           "source_text"});
  if (!t) return std::unexpected(t.error());

  static const std::regex kId("(SK|FK|NT|KY)-[0-9]{2}");
  std::map<std::string, int> first_line;
  for (const auto& [n, row] : t->rows) {
    auto col = [&](const char* name) -> const std::string& { return t->cell(row, name); };
    Flow flow;
    flow.line = n;
    flow.id = col("id");
    if (!std::regex_match(flow.id, kId)) return tsv_error(path, n, "id", fmt::format("'{}' is not of the form SK-01", flow.id));
    if (auto [it, fresh] = first_line.emplace(flow.id, n); !fresh)
      return tsv_error(path, n, "id", fmt::format("duplicate flow ID {} (first on line {})", flow.id, it->second));
    flow.section = col("section");
    if (kSectionOfPrefix.at(flow.id.substr(0, 2)) != flow.section)
      return tsv_error(path, n, "section", fmt::format("{} belongs to {}, not '{}'", flow.id, kSectionOfPrefix.at(flow.id.substr(0, 2)), flow.section));
    flow.direction = col("direction");
    if (!kDirections.contains(flow.direction)) return tsv_error(path, n, "direction", fmt::format("unknown direction '{}'", flow.direction));
    flow.counterpart = col("counterpart");
    flow.counterparts = split(col("counterpart"), '/');
    for (const auto& code : flow.counterparts)
      if (!catalog.counterparts.contains(code))
        return tsv_error(path, n, "counterpart", fmt::format("unknown counterpart '{}'", code));
    flow.information = col("information");
    if (flow.information.empty()) return tsv_error(path, n, "information", "is empty");
    flow.action = col("action");
    if (flow.action.empty()) return tsv_error(path, n, "action", "is empty");
    flow.source_text = col("source_text");
    if (flow.source_text.empty()) return tsv_error(path, n, "source_text", "is empty");
    if (col("state") == "implemented") flow.state = FlowState::implemented;
    else if (col("state") == "not_yet") flow.state = FlowState::not_yet;
    else return tsv_error(path, n, "state", fmt::format("'{}' is not implemented or not_yet", col("state")));
    if (!col("tests").empty())
      for (const auto& t : split(col("tests"), ',')) {
        const std::string name = trim(t);
        if (name.empty()) return tsv_error(path, n, "tests", "an empty test name");
        flow.tests.push_back(name);
      }
    if (flow.state == FlowState::implemented && flow.tests.empty())
      return tsv_error(path, n, "tests", fmt::format("{} is implemented but names no test that proves it", flow.id));
    catalog.flows.push_back(std::move(flow));
  }
  if (catalog.flows.size() != kFlowCount)
    return fail(ErrorKind::invalid_input,
                fmt::format("{}: expected {} flows, found {}", path.string(), kFlowCount, catalog.flows.size()), "id");
  return catalog;
}

Result<std::map<std::string, FlowTraffic>> flow_traffic(store::Database& db) {
  auto rows = db.query(
      "SELECT flow_id, COUNT(*), SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), MAX(created_at) "
      "FROM exchange GROUP BY flow_id");
  if (!rows) return std::unexpected(rows.error());
  std::map<std::string, FlowTraffic> out;
  for (const auto& r : *rows) out[r.str(0)] = FlowTraffic{r.i64(1), r.i64(2), r.str(3)};
  return out;
}

nlohmann::json catalog_json(const FlowCatalog& catalog, const std::map<std::string, FlowTraffic>& traffic) {
  auto out = nlohmann::json::array();
  for (const auto& f : catalog.flows) {
    std::string names;
    for (const auto& code : f.counterparts) {
      if (!names.empty()) names += " / ";
      names += catalog.counterparts.at(code).name;
    }
    const auto t = traffic.find(f.id);
    const FlowTraffic tr = t == traffic.end() ? FlowTraffic{} : t->second;
    out.push_back({{"id", f.id},
                   {"section", f.section},
                   {"direction", f.direction},
                   {"counterpart", f.counterpart},
                   {"counterpart_name", names},
                   {"information", f.information},
                   {"action", f.action},
                   {"source_text", f.source_text},
                   {"state", to_string(f.state)},
                   {"tests", f.tests},
                   {"traffic",
                    {{"count", tr.count},
                     {"errors", tr.errors},
                     {"last_exchange_at", tr.last_exchange_at.empty() ? nlohmann::json(nullptr)
                                                                      : nlohmann::json(tr.last_exchange_at)}}}});
  }
  return out;
}

}  // namespace kaigo::linkage

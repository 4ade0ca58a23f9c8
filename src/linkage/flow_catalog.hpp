#pragma once
// The flow catalog: the 77 steps of flows.md (config/flows/catalog.tsv) and the counterparts
// they name (config/flows/counterparts.tsv) as data, checked when loaded, with each flow's state
// (implemented or not yet, and the tests that prove it) and its traffic from the exchange table.
// The server serves catalog_json at GET /api/v1/flows; `kaigo flows --json` prints the same.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::linkage {

// The source document (特定個人情報保護評価書 添付資料) draws 77 steps in four businesses.
inline constexpr std::size_t kFlowCount = 77;

struct Counterpart {
  std::string code;   // juki, zeimu, …
  std::string name;   // 本市住基システム (市民局), …
  std::string where;  // internal | external | counter
};

enum class FlowState { implemented, not_yet };
const char* to_string(FlowState s);

struct Flow {
  std::string id;                         // SK-01 … KY-24
  std::string section;                    // 資格 | 賦課 | 認定 | 給付
  std::string direction;                  // 受付, 照会, 回答, 提供, 交付, 通知, 依頼, 支払, 受付・提供
  std::string counterpart;                // as written: "juki", or "fukushi/shinsa" when the row names two
  std::vector<std::string> counterparts;  // the codes, split
  std::string information;
  std::string action;
  std::string source_text;  // the seed's Japanese sentence for the step
  FlowState state = FlowState::not_yet;
  std::vector<std::string> tests;  // names of the tests that prove it
  int line = 0;                    // in catalog.tsv
};

struct FlowCatalog {
  std::vector<Flow> flows;  // in file order
  std::map<std::string, Counterpart> counterparts;
  const Flow* find(const std::string& id) const;
};

struct FlowTraffic {
  std::int64_t count = 0;
  std::int64_t errors = 0;        // exchanges rejected
  std::string last_exchange_at;   // created_at of the newest exchange; empty when none
};

// Reads <config_dir>/flows/counterparts.tsv (code, name, where).
Result<std::vector<Counterpart>> load_counterparts(const std::string& config_dir);

// Reads and checks <config_dir>/flows/catalog.tsv: the header, 8 tab-separated fields a row,
// IDs of the form SK-01 (prefix SK/FK/NT/KY matching the section), unique, 77 of them; known
// directions and counterparts; state implemented|not_yet; an implemented row names a test.
// An error's message names the file and line, its `field` the column at fault.
Result<FlowCatalog> load_flow_catalog(const std::string& config_dir);

// Exchanges per flow ID: count, rejected ones, the last one's time.
Result<std::map<std::string, FlowTraffic>> flow_traffic(store::Database& db);

// [{"id","section","direction","counterpart","counterpart_name","information","action","state",
//   "tests":[…],"traffic":{"count","errors","last_exchange_at"}}, …] in catalog order;
// last_exchange_at is null for a flow that never ran.
nlohmann::json catalog_json(const FlowCatalog& catalog, const std::map<std::string, FlowTraffic>& traffic);

}  // namespace kaigo::linkage

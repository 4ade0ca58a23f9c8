// Shared by the payments side's inbound files (KY-19, KY-21, KY-23): see repayment_inbound.hpp.
#include "benefit/repayment_inbound.hpp"

#include <fmt/format.h>

#include "core/hash.hpp"
#include "linkage/exchange_store.hpp"

namespace kaigo::benefit {

Error faults_error(const std::vector<InboundFault>& faults) {
  if (faults.empty()) return Error{ErrorKind::invalid_input, "the file was refused", ""};
  const InboundFault& f = faults.front();
  std::string where = f.line > 0 ? fmt::format("line {}: ", f.line) : std::string();
  std::string more = faults.size() > 1 ? fmt::format(" (and {} more)", faults.size() - 1) : std::string();
  return Error{ErrorKind::invalid_input, fmt::format("{}{}: {}{}", where, f.field, f.message, more), f.field};
}

Result<std::optional<std::int64_t>> applied_file(store::Connection& c, const std::string& flow_id,
                                                 const std::string& payload) {
  auto row = c.query_one(
      "SELECT file_id FROM benefit_inbound_file WHERE flow_id = $1 AND sha256 = $2 AND status = 'applied'",
      {flow_id, sha256_hex(payload)});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->i64(0)};
}

Result<std::int64_t> insert_applied_file(store::Connection& c, const Clock& clock, const std::string& flow_id,
                                         const linkage::Exchange& e, const std::string& layout_version,
                                         std::int64_t record_count, const std::string& summary_json) {
  auto row = c.query_one(
      "INSERT INTO benefit_inbound_file (flow_id, exchange_id, sha256, layout_version, status, record_count, summary, "
      "received_at) VALUES ($1, $2, $3, $4, 'applied', $5, $6, $7) RETURNING file_id",
      {flow_id, e.exchange_id, sha256_hex(e.payload), layout_version, record_count, summary_json, clock.timestamp()});
  if (!row) return std::unexpected(row.error());
  return (*row)->i64(0);
}

Result<int> record_rejected_inbound(store::Database& db, const Clock& clock, const std::string& flow_id,
                                    const FaultLister& list_faults) {
  std::vector<std::int64_t> ids;
  auto listed = db.with_connection([&](store::Connection& c) -> Result<void> {
    auto rows = c.query(
        "SELECT e.exchange_id FROM exchange e WHERE e.flow_id = $1 AND e.direction = 'inbound' AND e.status = 'rejected' "
        "AND NOT EXISTS (SELECT 1 FROM benefit_inbound_file f WHERE f.exchange_id = e.exchange_id) "
        "ORDER BY e.exchange_id",
        {flow_id});
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) ids.push_back(r.i64(0));
    return {};
  });
  if (!listed) return std::unexpected(listed.error());
  int recorded = 0;
  for (auto id : ids) {
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto e = linkage::load_exchange(c, id);
      if (!e) return std::unexpected(e.error());
      if (!*e) return {};
      auto faults = list_faults(c, **e);
      if (!faults) return std::unexpected(faults.error());
      // Refused for another reason (no handler at the time …): the exchange's reason is the line.
      if (faults->empty()) faults->push_back(InboundFault{0, "(ファイル)", (*e)->reason});
      // The same bytes rejected before (another message id): recorded once, under the first.
      auto row = c.query_one(
          "INSERT INTO benefit_inbound_file (flow_id, exchange_id, sha256, status, record_count, summary, "
          "quarantine_path, received_at) VALUES ($1, $2, $3, 'rejected', 0, $4, $5, $6) "
          "ON CONFLICT (flow_id, sha256) DO NOTHING RETURNING file_id",
          {flow_id, id, sha256_hex((*e)->payload),
           fmt::format("{{\"errors\":{}}}", faults->size()), fmt::format("exchange:{}", id), clock.timestamp()});
      if (!row) return std::unexpected(row.error());
      if (!*row) return {};
      const std::int64_t file_id = (*row)->i64(0);
      std::size_t i = 0;
      auto n = c.bulk_insert("benefit_inbound_error", {"file_id", "line_no", "field", "message"}, [&](store::Params& p) {
        if (i == faults->size()) return false;
        const InboundFault& f = (*faults)[i++];
        p = {file_id, f.line, f.field, f.message};
        return true;
      });
      if (!n) return std::unexpected(n.error());
      ++recorded;
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
  }
  return recorded;
}

}  // namespace kaigo::benefit

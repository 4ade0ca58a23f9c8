#include "gateway/provision_service.hpp"

#include <set>

#include <fmt/format.h>

#include "gateway/inquiry_store.hpp"
#include "gateway/protocol.hpp"

namespace kaigo::gateway {

namespace {
const std::set<std::string> kDataSets{"eligibility", "former_address_rule", "recipient", "copayment_rate", "benefits"};
}

bool is_data_set(const std::string& data_set) { return kDataSets.contains(data_set); }

Result<std::int64_t> stage_copies(store::Connection& c, const Clock& clock, const std::string& data_set,
                                  const std::vector<StagedCopy>& rows) {
  if (!is_data_set(data_set)) return fail(ErrorKind::invalid_input, fmt::format("unknown data set '{}'", data_set), "data_set");
  for (const auto& r : rows)
    if (r.person_id.empty() || r.version.empty())
      return fail(ErrorKind::invalid_input, "a copy needs a person and a version", r.person_id.empty() ? "person_id" : "version");
  // Rows per statement: see update_from_values (SQLite compiles many named parameters slowly).
  const std::size_t kChunk = c.dialect() == store::Dialect::sqlite ? 50 : 500;
  const std::string now = clock.timestamp();
  std::int64_t staged = 0;
  for (std::size_t start = 0; start < rows.size(); start += kChunk) {
    const std::size_t end = std::min(rows.size(), start + kChunk);
    store::Params params{data_set, now};
    std::string values;
    for (std::size_t i = start; i < end; ++i) {
      const int n = static_cast<int>(params.size());
      values += fmt::format("{}(CAST($1 AS TEXT), CAST($2 AS TEXT), CAST(${} AS TEXT), CAST(${} AS TEXT), CAST(${} AS TEXT), "
                            "CAST(${} AS TEXT), 'pending', 0)",
                            i == start ? "" : ", ", n + 1, n + 2, n + 3, n + 4);
      params.insert(params.end(), {rows[i].person_id, rows[i].version, rows[i].items.dump(), rows[i].null_reasons.dump()});
    }
    auto r = c.exec(fmt::format("INSERT INTO provision_copy (data_set, staged_at, person_id, version, items, null_reasons, "
                                "status, attempts) VALUES {} ON CONFLICT (data_set, person_id, version) DO NOTHING",
                                values),
                    params);
    if (!r) return std::unexpected(r.error());
    staged += *r;
  }
  return staged;
}

Result<std::int64_t> stage_eligibility(store::Database& db, const Clock& clock, const std::string& version) {
  std::vector<StagedCopy> all;
  auto read = db.with_connection([&](store::Connection& c) -> Result<void> {
    return c.query_each(
        "SELECT n.person_id, n.insured_no, n.assigned_on FROM insured_number n JOIN person p ON p.person_id = n.person_id "
        "ORDER BY n.person_id",
        {}, [&](const store::Row& r) {
          StagedCopy copy;
          copy.person_id = r.str(0);
          copy.version = version;
          copy.items = {{"insured_no", r.str(1)}, {"acquired_on", r.str(2)}, {"category", "1"}};
          // Filled by the eligibility issue (資格喪失, 住所地特例, 適用除外); until then, and for
          // people without such a fact, the reason is 該当なし.
          copy.null_reasons = {{"lost_on", "該当なし"}, {"lost_reason", "該当なし"}, {"former_address_rule", "該当なし"},
                               {"exempt_from", "該当なし"}};
          all.push_back(std::move(copy));
          return true;
        });
  });
  if (!read) return std::unexpected(read.error());
  std::int64_t staged = 0;
  constexpr std::size_t kPerTransaction = 10000;
  for (std::size_t start = 0; start < all.size(); start += kPerTransaction) {
    std::vector<StagedCopy> part(all.begin() + static_cast<std::ptrdiff_t>(start),
                                 all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), start + kPerTransaction)));
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto n = stage_copies(c, clock, "eligibility", part);
      if (!n) return std::unexpected(n.error());
      staged += *n;
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
  }
  return staged;
}

Result<RegisterReport> register_pending(store::Database& db, Transport& transport, const Clock& clock,
                                        int cap_per_send, int max_sends) {
  if (cap_per_send < 1) return fail(ErrorKind::invalid_input, "cap_per_send must be at least 1", "cap_per_send");
  RegisterReport report;
  for (int send = 0; send < max_sends; ++send) {
    auto rows = db.query(
        "SELECT copy_id, data_set, person_id, version, items, null_reasons FROM provision_copy WHERE status = 'pending' "
        "ORDER BY attempts, copy_id LIMIT $1",
        {std::int64_t{cap_per_send}});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) break;
    std::vector<Copy> copies;
    std::string ids;
    for (const auto& r : *rows) {
      Copy c{r.str(1), r.str(2), r.str(3), nlohmann::json::parse(r.str(4), nullptr, false),
             nlohmann::json::parse(r.str(5), nullptr, false)};
      copies.push_back(std::move(c));
      ids += fmt::format("{}{}", ids.empty() ? "" : ", ", r.i64(0));
    }
    ++report.sends;
    auto reply = transport.call(kOpRegister, build_register(copies));
    Result<std::int64_t> count = reply ? parse_register_reply(*reply) : std::unexpected(reply.error());
    if (!count) {
      report.stopped = count.error().message;
      auto u = db.exec(fmt::format("UPDATE provision_copy SET attempts = attempts + 1 WHERE copy_id IN ({})", ids));
      if (!u) return std::unexpected(u.error());
      break;
    }
    auto tx = db.transaction([&](store::Connection& c) -> Result<void> {
      auto u = c.exec(fmt::format("UPDATE provision_copy SET status = 'registered', registered_at = $1 "
                                  "WHERE status = 'pending' AND copy_id IN ({})", ids),
                      {clock.timestamp()});
      if (!u) return std::unexpected(u.error());
      report.registered += *u;
      return {};
    });
    if (!tx) return std::unexpected(tx.error());
  }
  auto left = db.query("SELECT COUNT(*) FROM provision_copy WHERE status = 'pending'");
  if (!left) return std::unexpected(left.error());
  report.remaining = left->at(0).i64(0);
  return report;
}

}  // namespace kaigo::gateway

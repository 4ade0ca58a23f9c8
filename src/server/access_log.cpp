#include "server/access_log.hpp"

#include "audit/chained_log.hpp"

namespace kaigo::server {

Result<void> record_access(store::Connection& c, const Clock& clock, const std::string& user_id,
                           const std::string& person_id, AccessAction action, const std::string& resource,
                           bool my_number_shown) {
  auto seq = audit::append(c, audit::access_log_spec(),
                           {clock.timestamp(), user_id, person_id, std::string(action == AccessAction::read ? "read" : "write"),
                            resource, std::int64_t{my_number_shown ? 1 : 0}});
  if (!seq) return std::unexpected(seq.error());
  return {};
}

Result<void> record_reads(store::Connection& c, const Clock& clock, const std::string& user_id,
                          const std::vector<std::string>& person_ids, const std::string& resource) {
  const std::string at = clock.timestamp();
  std::vector<store::Params> rows;
  rows.reserve(person_ids.size());
  for (const auto& id : person_ids)
    rows.push_back({at, user_id, id, std::string("read"), resource, std::int64_t{0}});
  auto seq = audit::append_many(c, audit::access_log_spec(), rows);
  if (!seq) return std::unexpected(seq.error());
  return {};
}

}  // namespace kaigo::server

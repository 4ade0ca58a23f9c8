#pragma once
// アクセス記録: every read or write of a person's data by staff is recorded — who, when, which
// person, which screen or API, and whether the My Number was shown — in the hash-chained access
// log. A write is recorded in its own transaction; a read is recorded before its data leaves the
// server, and when the record cannot be written the data is not returned, so there is no access
// without a record. (Reads run outside the write transaction so that the single SQLite writer is
// held only for the short append.)
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/database.hpp"

namespace kaigo::server {

enum class AccessAction { read, write };

Result<void> record_access(store::Connection& c, const Clock& clock, const std::string& user_id,
                           const std::string& person_id, AccessAction action, const std::string& resource,
                           bool my_number_shown);
// The same for several people read at once (a search result), in one append to the chain.
Result<void> record_reads(store::Connection& c, const Clock& clock, const std::string& user_id,
                          const std::vector<std::string>& person_ids, const std::string& resource);

}  // namespace kaigo::server

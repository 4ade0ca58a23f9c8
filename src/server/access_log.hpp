#pragma once
// アクセス記録: every read or write of a person's data by staff is recorded — who, when, which
// person, which screen or API, and whether the My Number was shown — in the hash-chained access
// log, in the same transaction as the read or write itself, so there is no access without a record.
#include <string>

#include "core/clock.hpp"
#include "store/database.hpp"

namespace kaigo::server {

enum class AccessAction { read, write };

Result<void> record_access(store::Connection& c, const Clock& clock, const std::string& user_id,
                           const std::string& person_id, AccessAction action, const std::string& resource,
                           bool my_number_shown);

}  // namespace kaigo::server

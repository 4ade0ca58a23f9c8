#pragma once
#include <memory>
#include <string>

#include "store/database.hpp"

namespace kaigo::store {

// PostgreSQL through libpq. `conninfo` is a postgresql:// URL or a libpq key=value string.
// Bulk loads use COPY FROM STDIN; integer columns come back as int64 values.
Result<std::unique_ptr<Database>> open_postgresql(const std::string& conninfo, int pool_size);

}  // namespace kaigo::store

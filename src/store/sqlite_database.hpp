#pragma once
#include <memory>
#include <string>

#include "store/database.hpp"

namespace kaigo::store {

// SQLite in WAL mode with foreign keys on, one connection per pooled slot. Writers serialise on
// SQLite's lock (busy timeout 30 s); readers run beside a writer.
Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, int pool_size);

}  // namespace kaigo::store

#pragma once
// The SQL files under src/store/migrations/, embedded into the binary at build time
// (see embed_migrations.cmake), in the order of their numbers.
#include <string_view>
#include <vector>

namespace kaigo::store {

struct Migration {
  std::string_view name;  // "001_foundation"
  std::string_view sql;
};

const std::vector<Migration>& embedded_migrations();

}  // namespace kaigo::store

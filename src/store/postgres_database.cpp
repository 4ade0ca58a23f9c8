#include "store/postgres_database.hpp"

namespace kaigo::store {

Result<std::unique_ptr<Database>> open_postgresql(const std::string&, int) {
  return fail(ErrorKind::unavailable, "PostgreSQL support is being built in this change");
}

}  // namespace kaigo::store

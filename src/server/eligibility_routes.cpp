// Route family being built this session (see server/routes.hpp); registers nothing yet.
#include "server/routes.hpp"

namespace kaigo::server {

void add_eligibility_routes(Router&, ServerContext&) {}

}  // namespace kaigo::server

// 認定 applications and the clock: NT-01 intake, the list with its timers, one application's
// workflow, 取下げ, 延期通知, the days-to-decision report, a person's certifications
// (docs/api-certification.md "Applications and the clock").
#include "server/routes.hpp"

namespace kaigo::server {

void add_certification_application_routes(Router& /*router*/, ServerContext& /*ctx*/) {
  // The routes are added with the application service (src/certification/application*.cpp).
}

}  // namespace kaigo::server

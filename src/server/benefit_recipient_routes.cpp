// 給付 recipient side (docs/api-benefit.md "Care plans and 給付制限", "Recipient records"):
// care-plan notifications (KY-01) and their provision (KY-02), 給付制限, and the KY-03 recipient
// files to the 国保連. Routes land here with their services.
#include "server/routes.hpp"

namespace kaigo::server {

void add_benefit_recipient_routes(Router& /*router*/, ServerContext& /*ctx*/) {}

}  // namespace kaigo::server

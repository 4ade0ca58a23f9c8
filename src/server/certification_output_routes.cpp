// 認定 outputs: NT-13 notices and cards, NT-06 受給資格証明書, NT-14 results to welfare, NT-15/16/17
// fee runs, renewal reminders (docs/api-certification.md "Notices, files, fees").
#include "server/routes.hpp"

namespace kaigo::server {

void add_certification_output_routes(Router& /*router*/, ServerContext& /*ctx*/) {
  // The routes are added as their services land (certification_outputs, results_to_welfare, fee_run, renewal).
}

}  // namespace kaigo::server

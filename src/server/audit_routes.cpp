// The logs of record for auditors: who read or wrote a person's data, and chain verification.
#include <fmt/format.h>

#include "audit/chained_log.hpp"
#include "linkage/exchange_store.hpp"
#include "server/access_log.hpp"
#include "server/routes.hpp"

namespace kaigo::server {

namespace {
using nlohmann::json;

json report_json(const audit::VerifyReport& r) {
  return {{"log", r.log_name},
          {"rows_checked", r.rows_checked},
          {"intact", !r.first_broken_seq},
          {"first_broken_seq", r.first_broken_seq ? json(*r.first_broken_seq) : json(nullptr)},
          {"reason", r.reason}};
}
}  // namespace

void add_audit_routes(Router& router, ServerContext& ctx) {
  router.add(Route{
      "GET", "/api/v1/persons/{person_id}/access-log", "who read or wrote this person's data (アクセス記録)",
      RoleSet{Role::auditor, Role::supervisor},
      [&ctx](ApiRequest& req) -> Result<ApiResponse> {
        const std::string& id = req.path_params.at(0);
        json items = json::array();
        auto tx = ctx.db.transaction([&](store::Connection& c) -> Result<void> {
          auto rows = c.query(
              "SELECT seq, at, user_id, action, resource, my_number_shown FROM access_log WHERE person_id = $1 "
              "ORDER BY seq DESC LIMIT 500",
              {id});
          if (!rows) return std::unexpected(rows.error());
          for (const auto& r : *rows)
            items.push_back({{"seq", r.i64(0)}, {"at", r.str(1)}, {"user_id", r.str(2)}, {"action", r.str(3)},
                             {"resource", r.str(4)}, {"my_number_shown", r.i64(5) == 1}});
          // Looking at who looked is itself a read of the person's record: log it too.
          return record_access(c, ctx.clock, req.user().user.user_id, id, AccessAction::read,
                               "GET /api/v1/persons/{person_id}/access-log", false);
        });
        if (!tx) return std::unexpected(tx.error());
        return ApiResponse::json({{"person_id", id}, {"items", items}});
      }});

  router.add(Route{"GET", "/api/v1/audit/verify", "verify the hash chains of the access and exchange logs",
                   RoleSet{Role::auditor, Role::administrator},
                   [&ctx](ApiRequest&) -> Result<ApiResponse> {
                     json logs = json::array();
                     for (const auto* spec : {&audit::access_log_spec(), &linkage::exchange_log_spec()}) {
                       auto report = audit::verify(ctx.db, *spec);
                       if (!report) return std::unexpected(report.error());
                       logs.push_back(report_json(*report));
                     }
                     return ApiResponse::json({{"logs", logs}});
                   }});
}

}  // namespace kaigo::server

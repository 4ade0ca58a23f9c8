#pragma once
// One function per route family; each registers its routes with their roles.
#include "server/router.hpp"
#include "server/server.hpp"

namespace kaigo::server {

void add_session_routes(Router& router, ServerContext& ctx);   // login, logout, me
void add_person_routes(Router& router, ServerContext& ctx);    // person search, person page
void add_flow_routes(Router& router, ServerContext& ctx);      // the flow catalog
void add_audit_routes(Router& router, ServerContext& ctx);     // access log, chain verification
void add_user_routes(Router& router, ServerContext& ctx);      // staff users (administrator)
void add_inquiry_routes(Router& router, ServerContext& ctx);   // 番号連携: inquiries, 情報提供等記録
void add_card_routes(Router& router, ServerContext& ctx);      // 被保険者証 PDF
void add_eligibility_routes(Router& router, ServerContext& ctx);    // insured register, ledgers, exemptions, 職権
void add_movement_case_routes(Router& router, ServerContext& ctx);  // counter cases SK-01, SK-04…15
void add_juki_routes(Router& router, ServerContext& ctx);           // registry loads, quarantine, SK-02
void add_premium_routes(Router& router, ServerContext& ctx);         // 賦課: assessments, table, runs, what-if
void add_zeimu_routes(Router& router, ServerContext& ctx);           // 税務連携: tax files, FK-01 requests
void add_premium_inputs_routes(Router& router, ServerContext& ctx);  // 賦課の入力 over 番号連携: FK-03…FK-10
void add_tokucho_routes(Router& router, ServerContext& ctx);          // 特別徴収: a person's collection, files, FK-15
void add_certification_output_routes(Router& router, ServerContext& ctx);  // 認定: notices, certificate, files, fees, renewals
void add_certification_application_routes(Router& router, ServerContext& ctx);  // 認定: applications, the clock, 延期通知, report
void add_certification_workflow_routes(Router& router, ServerContext& ctx);  // 認定: NT-07/09 requests, committee sessions, NT-11
void add_benefit_recipient_routes(Router& router, ServerContext& ctx);  // 給付: care plans, 給付制限, KY-02, KY-03 recipient files
void add_benefit_income_routes(Router& router, ServerContext& ctx);  // 給付: co-payment rates, income category (KY-06…15)
void add_benefit_payment_routes(Router& router, ServerContext& ctx);  // 給付: 返還金 KY-18…20, 高額医療合算 KY-21…23
void add_high_cost_routes(Router& router, ServerContext& ctx);  // 給付: 高額 KY-05/16/17, payment files KY-17/KY-20
void add_benefit_record_routes(Router& router, ServerContext& ctx);  // 給付: KY-04 benefit records and received files, KY-24 statements
void add_benefit_statement_routes(Router& router, ServerContext& ctx);  // 給付: KY-24 給付費通知 runs and the counter print
void add_simulator_routes(Router& router, ServerContext& ctx);      // demo controls of the bundled simulators
void add_system_routes(Router& router, ServerContext& ctx, Metrics& metrics);  // healthz, metrics, openapi

}  // namespace kaigo::server

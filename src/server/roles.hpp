#pragma once
// Staff roles. Every route declares the roles it admits (server/router.hpp); a user holds one or
// more roles. Names are the API/database strings; Japanese labels are the UI's.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kaigo::server {

enum class Role {
  eligibility_staff,    // 資格担当
  premium_staff,        // 賦課担当
  certification_staff,  // 認定担当
  benefit_staff,        // 給付担当
  supervisor,           // 監督者 (係長): every business screen, may show the My Number
  auditor,              // 監査担当: access and exchange logs, no business data
  administrator,        // システム管理者: users and system, no personal data
};

using RoleSet = std::set<Role>;

const std::vector<Role>& all_roles();
std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view name);
// "a,b,c" ↔ RoleSet; parse fails on an unknown name.
std::optional<RoleSet> parse_roles(std::string_view csv);
std::string roles_csv(const RoleSet& roles);

// Who may read a person's data on a business screen, and who may see the My Number unmasked
// (番号法 19条: only for the 事務 that needs it — here eligibility work and its supervisor).
const RoleSet& person_readers();
const RoleSet& my_number_viewers();
// Who issues and reissues the 被保険者証 at the counter (資格 work).
const RoleSet& card_issuers();
// Who runs premium work: assessments, the yearly run, collection, tax linkage (賦課 work).
const RoleSet& premium_workers();
// Who runs certification work: applications, assessments, committee sessions, notices, fees (認定 work).
const RoleSet& certification_workers();
// Who runs benefit work: care plans, 国保連 exchanges, co-payment rates, 高額, repayments (給付 work).
const RoleSet& benefit_workers();

}  // namespace kaigo::server

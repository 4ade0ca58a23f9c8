#include "server/roles.hpp"

namespace kaigo::server {

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles{Role::eligibility_staff, Role::premium_staff, Role::certification_staff,
                                       Role::benefit_staff,     Role::supervisor,    Role::auditor,
                                       Role::administrator};
  return roles;
}

std::string_view role_name(Role r) {
  switch (r) {
    case Role::eligibility_staff: return "eligibility_staff";
    case Role::premium_staff: return "premium_staff";
    case Role::certification_staff: return "certification_staff";
    case Role::benefit_staff: return "benefit_staff";
    case Role::supervisor: return "supervisor";
    case Role::auditor: return "auditor";
    case Role::administrator: return "administrator";
  }
  return "";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : all_roles())
    if (role_name(r) == name) return r;
  return std::nullopt;
}

std::optional<RoleSet> parse_roles(std::string_view csv) {
  RoleSet out;
  while (!csv.empty()) {
    auto comma = csv.find(',');
    auto part = csv.substr(0, comma);
    if (!part.empty()) {
      auto r = parse_role(part);
      if (!r) return std::nullopt;
      out.insert(*r);
    }
    if (comma == std::string_view::npos) break;
    csv.remove_prefix(comma + 1);
  }
  return out;
}

std::string roles_csv(const RoleSet& roles) {
  std::string out;
  for (Role r : roles) {
    if (!out.empty()) out += ',';
    out += role_name(r);
  }
  return out;
}

const RoleSet& person_readers() {
  static const RoleSet s{Role::eligibility_staff, Role::premium_staff, Role::certification_staff, Role::benefit_staff,
                         Role::supervisor};
  return s;
}

const RoleSet& my_number_viewers() {
  static const RoleSet s{Role::eligibility_staff, Role::supervisor};
  return s;
}

const RoleSet& card_issuers() {
  static const RoleSet s{Role::eligibility_staff, Role::supervisor};
  return s;
}

const RoleSet& premium_workers() {
  static const RoleSet s{Role::premium_staff, Role::supervisor};
  return s;
}

const RoleSet& certification_workers() {
  static const RoleSet s{Role::certification_staff, Role::supervisor};
  return s;
}

const RoleSet& benefit_workers() {
  static const RoleSet s{Role::benefit_staff, Role::supervisor};
  return s;
}

}  // namespace kaigo::server

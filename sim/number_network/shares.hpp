#pragma once
// Deterministic "small shares" of people for the facts the synthetic city does not hold
// (受給資格証明書 of the former city, 住所地特例, 医療保険料の滞納): a person is in a share when a
// hash of (salt, person_id) falls below the share, so the same person always gets the same answer
// on every run, backend and process — and a test can ask who is in it.
#include <cstdint>
#include <string_view>

namespace kaigo::sim::network {

// 0…9999: where the person falls for this salt (FNV-1a 64 over "salt:person_id", mod 10,000).
std::uint32_t share_point(std::string_view salt, std::string_view person_id);
// Another independent draw for the same person (e.g. the months in arrears), in [0, n).
std::uint32_t share_pick(std::string_view salt, std::string_view person_id, std::uint32_t n);

// The shares, in basis points (1/100 %), of the people a body considers (see docs/simulator.md).
inline constexpr std::uint32_t kCertificateShareBp = 3000;        // movers aged 40+: certified before
inline constexpr std::uint32_t kFormerAddressRuleShareBp = 2000;  // movers aged 40+ (被保険者 there): 住所地特例
inline constexpr std::uint32_t kArrearsShareBp = 500;             // 40–64 with medical insurance: in arrears
inline constexpr std::uint32_t kMemberElsewhereShareBp = 2500;    // mover households: a member who stayed behind (FK-06)

bool has_former_certificate(std::string_view person_id);   // before the age check
bool has_former_address_rule(std::string_view person_id);  // before the age check
bool has_arrears(std::string_view person_id);              // before the insurance check
// A household that moved in whose former city still lists a member who stayed there (住民票を
//残した世帯員): that member is in the city_household answer, not in kaigo's person table.
bool has_member_elsewhere(std::string_view household_id);

}  // namespace kaigo::sim::network

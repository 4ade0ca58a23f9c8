#include "sim/number_network/shares.hpp"

namespace kaigo::sim::network {

namespace {

std::uint64_t fnv1a(std::string_view salt, std::string_view person_id) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ULL;
  };
  for (char c : salt) mix(static_cast<unsigned char>(c));
  mix(':');
  for (char c : person_id) mix(static_cast<unsigned char>(c));
  // FNV's low bits are weak for short keys that differ in one digit: finish with a
  // splitmix64-style avalanche so consecutive person_ids spread evenly.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

}  // namespace

std::uint32_t share_point(std::string_view salt, std::string_view person_id) {
  return static_cast<std::uint32_t>(fnv1a(salt, person_id) % 10000);
}

std::uint32_t share_pick(std::string_view salt, std::string_view person_id, std::uint32_t n) {
  return n == 0 ? 0 : static_cast<std::uint32_t>(fnv1a(salt, person_id) % n);
}

bool has_former_certificate(std::string_view person_id) {
  return share_point("certificate", person_id) < kCertificateShareBp;
}
bool has_former_address_rule(std::string_view person_id) {
  return share_point("former_address_rule", person_id) < kFormerAddressRuleShareBp;
}
bool has_arrears(std::string_view person_id) { return share_point("arrears", person_id) < kArrearsShareBp; }
bool has_member_elsewhere(std::string_view household_id) {
  return share_point("member_elsewhere", household_id) < kMemberElsewhereShareBp;
}

}  // namespace kaigo::sim::network

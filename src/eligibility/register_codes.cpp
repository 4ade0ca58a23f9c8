// Storage codes of the register's own vocabularies (address fact kinds, 住所地特例 directions).
#include <fmt/format.h>

#include "eligibility/register.hpp"

namespace kaigo::eligibility {

std::string_view to_code(AddressFactKind kind) {
  switch (kind) {
    case AddressFactKind::move_in: return "move_in";
    case AddressFactKind::move_out: return "move_out";
    case AddressFactKind::emigration: return "emigration";
    case AddressFactKind::death: return "death";
  }
  return "move_in";
}

Result<AddressFactKind> parse_address_fact_kind(std::string_view code) {
  for (auto k : {AddressFactKind::move_in, AddressFactKind::move_out, AddressFactKind::emigration, AddressFactKind::death})
    if (to_code(k) == code) return k;
  return fail(ErrorKind::invalid_input, fmt::format("unknown address fact kind '{}' (move_in, move_out, emigration, death)", code),
              "kind");
}

std::string_view to_code(FormerAddressDirection direction) {
  return direction == FormerAddressDirection::ours_living_elsewhere ? "ours_living_elsewhere" : "theirs_living_here";
}

Result<FormerAddressDirection> parse_former_address_direction(std::string_view code) {
  if (code == "ours_living_elsewhere") return FormerAddressDirection::ours_living_elsewhere;
  if (code == "theirs_living_here") return FormerAddressDirection::theirs_living_here;
  return fail(ErrorKind::invalid_input,
              fmt::format("unknown 住所地特例 direction '{}' (ours_living_elsewhere, theirs_living_here)", code), "direction");
}

}  // namespace kaigo::eligibility

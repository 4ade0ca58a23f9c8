#pragma once
// Addresses in みどり市: six wards (区), six towns (町) each, 丁目-番-号 and, for about 45% of
// households, a room in a named apartment building. Postal codes are 7 digits, fictional, one per
// town and 丁目: "29" + ward (1–6) + town (0–5) + 丁目 (1–5) + "00".
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sim/prng.hpp"

namespace kaigo::sim {

struct Ward {
  std::string_view name;       // e.g. 中央区
  std::string_view ward_code;  // 3 digits, e.g. "981"
  std::uint32_t weight;        // share of the city's population
};

std::span<const Ward> wards();

struct Address {
  std::string postal_code;  // 7 digits, no hyphen
  std::string text;         // 神奈川県みどり市中央区本町3丁目12番7号 (+ " みどりハイツ205")
  std::string ward_code;
};

// One household's address, drawn by ward population share.
Address make_address(Prng& prng);

}  // namespace kaigo::sim

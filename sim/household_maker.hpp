#pragma once
// Household compositions of a large Japanese city: who lives together, their ages, sexes and
// 続柄 (relation to the 世帯主). Pure: no names, dates or I/O — the city generator adds those.
//
// The mix starts from 国勢調査 2020 for 政令指定都市 (single-person households ≈ 40%, a third of
// them 65+; couples only ≈ 20–25%; an elderly parent with an unmarried adult child is frequent;
// three generations ≈ 3%) and the weights are then fitted so that the people come out at
// ≈ 29% aged 65+, ≈ 33% aged 40–64 and ≈ 12% under 15 (人口推計 2024). Fitting the ages
// leaves couples with children at ≈ 14% of households (the census has ≈ 25%) and ≈ 2.0 people
// per household (big cities: 1.9–2.1). tests/unit/sim_household_test.cpp checks the shares.
#include <string_view>
#include <vector>

#include "sim/prng.hpp"

namespace kaigo::sim {

enum class HouseholdKind {
  young_single,            // one person, 18–64
  elderly_single,          // one person, 65+
  young_couple,            // a couple under 65, no children at home
  elderly_couple,          // a couple, head 65+
  couple_with_children,    // a couple and 1–3 children under 25
  single_parent,           // one parent and 1–2 children under 25
  three_generation,        // grandparents, parents, children
  elderly_with_adult_child // a parent (or couple) 65+ with an unmarried child 25–60
};

struct Member {
  int age = 0;                // completed years on the base date
  char sex = '1';             // '1' male, '2' female
  std::string_view relation;  // 世帯主, 妻, 夫, 子, 父, 母, 孫, 子の妻
  bool spouse_of_head = false;
};

struct Household {
  HouseholdKind kind = HouseholdKind::young_single;
  std::vector<Member> members;  // members[0] is the 世帯主
};

Household make_household(Prng& prng);

}  // namespace kaigo::sim

#include "sim/household_maker.hpp"

#include <algorithm>
#include <array>

#include "sim/age_pyramid.hpp"

namespace kaigo::sim {

namespace {

constexpr std::string_view kHead = "世帯主", kWife = "妻", kHusband = "夫", kChild = "子", kFather = "父",
                           kMother = "母", kGrandchild = "孫", kChildsWife = "子の妻";

// Households per 1,000 by kind, in the order of HouseholdKind.
constexpr std::array<std::uint32_t, 8> kKindWeights = {263, 117, 114, 155, 138, 74, 26, 82};

Member head(int age, char sex) { return Member{age, sex, kHead, false}; }

// Adds the head's spouse: a man heads 90% of couples (the 住民票 usually names him 世帯主).
void add_spouse(Prng& prng, Household& h) {
  Member& first = h.members[0];
  const bool head_male = prng.chance(90, 100);
  first.sex = head_male ? '1' : '2';
  // Wives are on average about two years younger (人口動態統計 mean age at first marriage).
  const int gap = static_cast<int>(prng.between(-2, 6));
  int age = head_male ? first.age - gap : first.age + gap;
  age = std::clamp(age, 18, kMaxAge);
  h.members.push_back(Member{age, head_male ? '2' : '1', head_male ? kWife : kHusband, true});
}

// Children of a mother of `mother_age`: born when she was 22–42, younger than `max_age`.
void add_children(Prng& prng, Household& h, int mother_age, int count, int max_age, std::string_view relation) {
  const int lo = std::max(0, mother_age - 42);
  const int hi = std::min(max_age, mother_age - 22);
  if (lo > hi) return;
  for (int i = 0; i < count; ++i) {
    const int age = static_cast<int>(prng.between(lo, hi));
    h.members.push_back(Member{age, prng.chance(512, 1000) ? '1' : '2', relation, false});
  }
}

int mother_age(const Household& h) {
  for (const auto& m : h.members)
    if (m.sex == '2' && (m.relation == kHead || m.spouse_of_head)) return m.age;
  return h.members[0].age;
}

int child_count(Prng& prng) {
  constexpr std::array<std::uint32_t, 3> kWeights = {40, 45, 15};  // 1, 2, 3 children
  return static_cast<int>(prng.pick(kWeights)) + 1;
}

}  // namespace

Household make_household(Prng& prng) {
  Household h;
  h.kind = static_cast<HouseholdKind>(prng.pick(kKindWeights));
  switch (h.kind) {
    case HouseholdKind::young_single: {
      // Young adults live alone more often than the middle-aged.
      const int age = prng.chance(45, 100) ? draw_age(prng, 18, 39) : draw_age(prng, 40, 64);
      h.members.push_back(head(age, prng.chance(54, 100) ? '1' : '2'));
      break;
    }
    case HouseholdKind::elderly_single: {
      const int age = draw_age(prng, 65, kMaxAge);
      // About two thirds of those living alone at 65+ are women (国勢調査 2020).
      const int female = std::min(950, female_per_mille(age) + 150);
      h.members.push_back(head(age, prng.chance(static_cast<std::uint64_t>(female), 1000) ? '2' : '1'));
      break;
    }
    case HouseholdKind::young_couple:
      h.members.push_back(head(prng.chance(35, 100) ? draw_age(prng, 22, 39) : draw_age(prng, 40, 64), '1'));
      add_spouse(prng, h);
      break;
    case HouseholdKind::elderly_couple:
      // Both partners alive past 90 is rare: widowhood sends the very old to the other kinds.
      h.members.push_back(head(draw_age(prng, 65, 90), '1'));
      add_spouse(prng, h);
      break;
    case HouseholdKind::couple_with_children:
      h.members.push_back(head(draw_age(prng, 30, 62), '1'));
      add_spouse(prng, h);
      add_children(prng, h, mother_age(h), child_count(prng), 24, kChild);
      break;
    case HouseholdKind::single_parent: {
      const int age = draw_age(prng, 25, 59);
      h.members.push_back(head(age, prng.chance(85, 100) ? '2' : '1'));
      add_children(prng, h, age, prng.chance(60, 100) ? 1 : 2, 24, kChild);
      break;
    }
    case HouseholdKind::three_generation:
      if (prng.chance(50, 100)) {
        // The middle generation heads the household; the head's parents live with it.
        h.members.push_back(head(draw_age(prng, 35, 55), '1'));
        add_spouse(prng, h);
        add_children(prng, h, mother_age(h), child_count(prng), 24, kChild);
        const int parent_age = std::min(kMaxAge, h.members[0].age + static_cast<int>(prng.between(25, 35)));
        if (prng.chance(60, 100)) h.members.push_back(Member{std::max(60, parent_age - 2), '2', kMother, false});
        if (prng.chance(50, 100)) h.members.push_back(Member{parent_age, '1', kFather, false});
      } else {
        // The grandparents head it; a married child and grandchildren live with them.
        h.members.push_back(head(draw_age(prng, 62, 85), '1'));
        add_spouse(prng, h);
        const int child_age = std::max(25, h.members[0].age - static_cast<int>(prng.between(25, 35)));
        h.members.push_back(Member{child_age, '1', kChild, false});
        const int in_law = std::max(22, child_age - static_cast<int>(prng.between(-2, 5)));
        h.members.push_back(Member{in_law, '2', kChildsWife, false});
        add_children(prng, h, in_law, child_count(prng), 24, kGrandchild);
      }
      break;
    case HouseholdKind::elderly_with_adult_child: {
      const int age = draw_age(prng, 65, 95);
      // A lone parent living with a child is more often the mother (she outlives her husband).
      const int female = std::min(950, female_per_mille(age) + 100);
      h.members.push_back(head(age, prng.chance(static_cast<std::uint64_t>(female), 1000) ? '2' : '1'));
      if (prng.chance(40, 100)) add_spouse(prng, h);
      const int parent = mother_age(h);
      const int child_age = std::clamp(parent - static_cast<int>(prng.between(24, 38)), 25, 64);
      h.members.push_back(Member{child_age, prng.chance(55, 100) ? '1' : '2', kChild, false});
      break;
    }
  }
  return h;
}

}  // namespace kaigo::sim

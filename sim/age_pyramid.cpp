#include "sim/age_pyramid.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace kaigo::sim {

namespace {

// Population in 10,000s by five-year group (0–4, 5–9, …, 95–99, 100+), 人口推計 2024-10-01.
constexpr std::array<std::uint32_t, 21> kBandPopulation = {
    406, 490, 530, 550, 610, 640, 650, 730, 810, 940, 970, 840, 740, 740, 900, 760, 590, 390, 200, 60, 10};

// Women per 1,000 people in each group (same source; women outlive men from the 60s on).
constexpr std::array<int, 21> kBandFemale = {
    488, 488, 488, 487, 486, 487, 490, 492, 493, 494, 495, 498, 503, 512, 530, 555, 590, 650, 740, 800, 880};

struct Cumulative {
  std::array<std::uint64_t, kMaxAge + 2> at{};  // at[a] = total weight of ages < a
  Cumulative() {
    for (int a = 0; a <= kMaxAge; ++a) at[a + 1] = at[a] + kBandPopulation[std::min(a / 5, 20)];
  }
};

const Cumulative& cumulative() {
  static const Cumulative c;
  return c;
}

}  // namespace

int draw_age(Prng& prng, int lo, int hi) {
  if (lo < 0 || hi > kMaxAge || lo > hi) throw std::invalid_argument("draw_age: bad range");
  const auto& c = cumulative().at;
  const std::uint64_t r = c[lo] + prng.below(c[hi + 1] - c[lo]);
  // The first age whose cumulative end exceeds r.
  const auto it = std::upper_bound(c.begin() + lo + 1, c.begin() + hi + 2, r);
  return static_cast<int>(it - c.begin()) - 1;
}

int female_per_mille(int age) { return kBandFemale[std::clamp(age / 5, 0, 20)]; }

char draw_sex(Prng& prng, int age) {
  return prng.chance(static_cast<std::uint64_t>(female_per_mille(age)), 1000) ? '2' : '1';
}

}  // namespace kaigo::sim

#pragma once
// The shape of a Japanese population by age and sex, used to draw ages inside a range.
//
// Source: 総務省統計局「人口推計（2024年（令和6年）10月1日現在）」表1, total population by
// five-year age group and sex, rounded to 10,000 (shares: under 15 ≈ 11%, 15–64 ≈ 60%,
// 65+ ≈ 29%). Within a five-year group every age gets the same weight. Ages 100–104 stand for
// 100 and over. The figures are approximate by design: the city only needs the shape.
#include <cstdint>

#include "sim/prng.hpp"

namespace kaigo::sim {

inline constexpr int kMaxAge = 104;

// An age in [lo, hi] (0 <= lo <= hi <= kMaxAge), drawn with the population's weight for each age.
int draw_age(Prng& prng, int lo, int hi);

// Share of women among people of this age, per mille (500 at young ages, rising to ≈ 800 at 95+).
int female_per_mille(int age);

// '1' male or '2' female (住基 code), drawn with female_per_mille(age).
char draw_sex(Prng& prng, int age);

}  // namespace kaigo::sim

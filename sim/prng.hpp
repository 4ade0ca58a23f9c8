#pragma once
// The synthetic city's only source of randomness: xoshiro256** (Blackman & Vigna, 2018) seeded
// through splitmix64, with integer-only draws. std::*_distribution is avoided on purpose: its
// algorithms are unspecified and differ between standard libraries, and the city must be
// byte-identical for the same seed on every build.
//
// Thread-safety: a Prng is a value; use one per thread.
#include <array>
#include <cstdint>
#include <span>

namespace kaigo::sim {

// splitmix64: a 64-bit state stepped by the golden gamma; used to expand a seed.
std::uint64_t splitmix64_next(std::uint64_t& state);

class Prng {
 public:
  // The four state words are the first four splitmix64 outputs from `seed` (never all zero).
  explicit Prng(std::uint64_t seed);
  // A generator in a given state (not all zero), to check the published test vectors.
  explicit Prng(const std::array<std::uint64_t, 4>& state);

  std::uint64_t next();
  // Uniform in [0, n) without modulo bias (rejection of the short top range). n > 0.
  std::uint64_t below(std::uint64_t n);
  // Uniform in [lo, hi] (inclusive). lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi);
  // True with probability num/den.
  bool chance(std::uint64_t num, std::uint64_t den);
  // An index i drawn with probability weights[i] / sum(weights). The sum must be > 0.
  std::size_t pick(std::span<const std::uint32_t> weights);

 private:
  std::uint64_t s_[4];
};

}  // namespace kaigo::sim

#include "sim/prng.hpp"

#include <stdexcept>

namespace kaigo::sim {

namespace {
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

std::uint64_t splitmix64_next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Prng::Prng(std::uint64_t seed) {
  for (auto& w : s_) w = splitmix64_next(seed);
}

Prng::Prng(const std::array<std::uint64_t, 4>& state) {
  if (state[0] == 0 && state[1] == 0 && state[2] == 0 && state[3] == 0)
    throw std::invalid_argument("xoshiro256** state must not be all zero");
  for (int i = 0; i < 4; ++i) s_[i] = state[i];
}

std::uint64_t Prng::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Prng::below(std::uint64_t n) {
  if (n == 0) throw std::invalid_argument("Prng::below(0)");
  // 2^64 mod n values at the bottom would be drawn once more often than the rest: skip them.
  const std::uint64_t threshold = (0 - n) % n;
  while (true) {
    const std::uint64_t r = next();
    if (r >= threshold) return r % n;
  }
}

std::int64_t Prng::between(std::int64_t lo, std::int64_t hi) {
  if (hi < lo) throw std::invalid_argument("Prng::between: hi < lo");
  const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
  return lo + static_cast<std::int64_t>(below(span));
}

bool Prng::chance(std::uint64_t num, std::uint64_t den) { return below(den) < num; }

std::size_t Prng::pick(std::span<const std::uint32_t> weights) {
  std::uint64_t total = 0;
  for (auto w : weights) total += w;
  if (total == 0) throw std::invalid_argument("Prng::pick: weights sum to zero");
  std::uint64_t r = below(total);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  return weights.size() - 1;  // unreachable: r < total
}

}  // namespace kaigo::sim

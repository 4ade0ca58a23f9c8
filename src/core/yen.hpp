#pragma once
// Money: integer yen. Never a floating-point type for anything that ends in yen.
#include <compare>
#include <cstdint>

namespace kaigo {

struct Yen {
  std::int64_t value = 0;

  constexpr Yen() = default;
  constexpr explicit Yen(std::int64_t v) : value(v) {}
  constexpr auto operator<=>(const Yen&) const = default;
  constexpr Yen operator+(Yen o) const { return Yen(value + o.value); }
  constexpr Yen operator-(Yen o) const { return Yen(value - o.value); }
  constexpr Yen& operator+=(Yen o) { value += o.value; return *this; }
  constexpr Yen& operator-=(Yen o) { value -= o.value; return *this; }
};

}  // namespace kaigo

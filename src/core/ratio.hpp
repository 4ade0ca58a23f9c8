#pragma once
// Exact ratios (0.455 = 455/1000) and the named rounding steps that turn a product into yen.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/yen.hpp"

namespace kaigo {

enum class RoundingMethod { floor, half_up, ceil };

// A rounding step: the unit (1, 10, 100, 1000 yen) and the method. Cities choose both in their
// ordinance (e.g. 保険料の年額は100円未満切捨て), so they come from rule files, not code.
struct Rounding {
  std::int64_t unit = 1;
  RoundingMethod method = RoundingMethod::floor;

  // Rounds num/den (den > 0) to a multiple of unit with the method. Exact: integer arithmetic.
  std::int64_t apply(std::int64_t num, std::int64_t den) const;
  static Result<Rounding> parse(std::int64_t unit, std::string_view method);
};

class Ratio {
 public:
  constexpr Ratio() = default;
  Ratio(std::int64_t num, std::int64_t den);  // normalised; throws std::invalid_argument if den == 0

  // Parses a decimal such as "0.455", "1", "2.4" exactly, or a fraction such as "7/12".
  static Result<Ratio> parse(std::string_view text);

  std::int64_t num() const { return num_; }
  std::int64_t den() const { return den_; }
  std::string str() const;  // "91/200"
  std::string decimal() const;  // "0.455" when the denominator divides a power of ten, else "n/d"

  Ratio operator*(const Ratio& o) const;
  bool operator==(const Ratio& o) const = default;
  std::strong_ordering operator<=>(const Ratio& o) const;

  // amount × ratio, rounded by the step: e.g. base 74,400 × 0.455 floored to 10 yen.
  Yen of(Yen amount, const Rounding& rounding) const;

 private:
  std::int64_t num_ = 0;
  std::int64_t den_ = 1;
};

}  // namespace kaigo

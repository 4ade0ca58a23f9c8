#include "core/ratio.hpp"

#include <charconv>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace kaigo {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool parse_digits(std::string_view s, std::int64_t& out) {
  if (s.empty() || s.size() > 15) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{};
}

}  // namespace

std::int64_t Rounding::apply(std::int64_t num, std::int64_t den) const {
  const std::int64_t d = den * unit;
  std::int64_t q = 0;
  switch (method) {
    case RoundingMethod::floor: q = floor_div(num, d); break;
    case RoundingMethod::ceil: q = -floor_div(-num, d); break;
    case RoundingMethod::half_up: q = floor_div(2 * num + d, 2 * d); break;
  }
  return q * unit;
}

Result<Rounding> Rounding::parse(std::int64_t unit, std::string_view method) {
  if (unit != 1 && unit != 10 && unit != 100 && unit != 1000)
    return fail(ErrorKind::invalid_input, fmt::format("rounding unit {} is not 1, 10, 100 or 1000", unit), "unit");
  Rounding r;
  r.unit = unit;
  if (method == "floor") r.method = RoundingMethod::floor;
  else if (method == "half_up") r.method = RoundingMethod::half_up;
  else if (method == "ceil") r.method = RoundingMethod::ceil;
  else return fail(ErrorKind::invalid_input, fmt::format("rounding method '{}' is not floor, half_up or ceil", method), "method");
  return r;
}

Ratio::Ratio(std::int64_t num, std::int64_t den) {
  if (den == 0) throw std::invalid_argument("ratio with zero denominator");
  if (den < 0) { num = -num; den = -den; }
  const std::int64_t g = std::gcd(num < 0 ? -num : num, den);
  num_ = g ? num / g : 0;
  den_ = g ? den / g : 1;
}

Result<Ratio> Ratio::parse(std::string_view t) {
  auto bad = [&] { return fail(ErrorKind::invalid_input, fmt::format("'{}' is not a ratio", t)); };
  if (auto slash = t.find('/'); slash != std::string_view::npos) {
    std::int64_t n = 0, d = 0;
    if (!parse_digits(t.substr(0, slash), n) || !parse_digits(t.substr(slash + 1), d) || d == 0) return bad();
    return Ratio(n, d);
  }
  auto dot = t.find('.');
  std::int64_t whole = 0, frac = 0, scale = 1;
  if (!parse_digits(t.substr(0, dot), whole)) return bad();
  if (dot != std::string_view::npos) {
    auto f = t.substr(dot + 1);
    if (!parse_digits(f, frac) || f.size() > 9) return bad();
    for (size_t i = 0; i < f.size(); ++i) scale *= 10;
  }
  return Ratio(whole * scale + frac, scale);
}

std::string Ratio::str() const { return fmt::format("{}/{}", num_, den_); }

std::string Ratio::decimal() const {
  std::int64_t scale = 1;
  for (int places = 0; places <= 12; ++places, scale *= 10) {
    if (scale % den_ != 0) continue;
    std::int64_t scaled = num_ * (scale / den_);
    if (places == 0) return fmt::format("{}", scaled);
    return fmt::format("{}.{:0{}}", scaled / scale, scaled % scale, places);
  }
  return str();
}

Ratio Ratio::operator*(const Ratio& o) const { return Ratio(num_ * o.num_, den_ * o.den_); }

std::strong_ordering Ratio::operator<=>(const Ratio& o) const {
  // Cross-multiplication is exact for the small ratios of this domain (denominators ≤ 10^9).
  return (num_ * o.den_) <=> (o.num_ * den_);
}

Yen Ratio::of(Yen amount, const Rounding& rounding) const {
  return Yen(rounding.apply(amount.value * num_, den_));
}

}  // namespace kaigo

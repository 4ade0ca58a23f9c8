#include "premium/premium_table_text.hpp"

#include <fmt/format.h>

namespace kaigo::premium {

std::string with_commas(std::int64_t n) {
  // Written backwards into a buffer: this runs a dozen times per assessment, a million times a run.
  char buf[32];
  char* end = buf + sizeof buf;
  char* p = end;
  // Unsigned magnitude: -INT64_MIN does not fit in int64 but does in uint64.
  std::uint64_t mag = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  int digits = 0;
  do {
    if (digits != 0 && digits % 3 == 0) *--p = ',';
    *--p = static_cast<char>('0' + mag % 10);
    mag /= 10;
    ++digits;
  } while (mag != 0);
  if (n < 0) *--p = '-';
  return std::string(p, end);
}

std::string exact_decimal(std::int64_t num, std::int64_t den) {
  if (den < 0) { num = -num; den = -den; }
  const bool negative = num < 0;
  const std::int64_t mag = negative ? -num : num;
  const std::int64_t whole = mag / den;
  std::int64_t rest = mag % den;
  std::string frac;
  // Long division: at most 12 places for a terminating decimal, otherwise three and "…".
  for (int places = 0; rest != 0 && places < 12; ++places) {
    rest *= 10;
    frac.push_back(static_cast<char>('0' + rest / den));
    rest %= den;
  }
  std::string out = with_commas(whole);
  if (rest != 0) out += "." + frac.substr(0, 3) + "…";
  else if (!frac.empty()) out += "." + frac;
  return negative ? "-" + out : out;
}

std::string man_yen(std::int64_t yen) {
  if (yen < 0) return "-" + man_yen(-yen);
  const std::int64_t oku = yen / 100'000'000;
  const std::int64_t man = (yen / 10'000) % 10'000;
  const std::int64_t rest = yen % 10'000;
  std::string out;
  if (oku != 0) out += fmt::format("{}億", oku);
  if (man != 0) out += fmt::format("{}万", man);
  if (rest == 0) return out.empty() ? "0円" : out + "円";
  if (rest % 1000 == 0) return out + fmt::format("{}千円", rest / 1000);
  return out + with_commas(rest) + "円";
}

std::string status_label(TaxStatus s) {
  switch (s) {
    case TaxStatus::household_untaxed: return "世帯全員が市町村民税非課税";
    case TaxStatus::self_untaxed_household_taxed: return "本人が市町村民税非課税 (世帯に課税者あり)";
    case TaxStatus::self_taxed: return "本人が市町村民税課税";
  }
  return "?";
}

std::string measure_label(IncomeMeasure m) {
  switch (m) {
    case IncomeMeasure::pension_revenue_plus_other: return "課税年金収入額+その他の合計所得金額";
    case IncomeMeasure::total_income: return "合計所得金額 (譲渡所得の特別控除後)";
  }
  return "?";
}

std::string rounding_label(const Rounding& r) {
  const char* method = "切捨て";
  switch (r.method) {
    case RoundingMethod::floor: method = "切捨て"; break;
    case RoundingMethod::half_up: method = "四捨五入"; break;
    case RoundingMethod::ceil: method = "切上げ"; break;
  }
  return fmt::format("{}円未満{}", with_commas(r.unit), method);
}

}  // namespace kaigo::premium

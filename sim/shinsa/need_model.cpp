// The simulated applicant's need for care (see need_model.hpp).
#include "sim/shinsa/need_model.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace kaigo::sim::shinsa {

std::vector<NeedBand> default_need_bands() {
  return {
      {80, 250, 25, 10, 5, {"none"}},                     // 非該当
      {250, 320, 140, 15, 8, {"support_1"}},              // 要支援1
      {320, 500, 340, 55, 12, {"support_2", "care_1"}},   // 要支援2 / 要介護1
      {500, 700, 165, 65, 15, {"care_2"}},                // 要介護2
      {700, 900, 130, 75, 18, {"care_3"}},                // 要介護3
      {900, 1100, 120, 80, 22, {"care_4"}},               // 要介護4
      {1100, 1700, 80, 85, 25, {"care_5"}},               // 要介護5 (the software rarely exceeds 170 分)
  };
}

std::optional<std::string> need_bands_problem(const std::vector<NeedBand>& bands) {
  if (bands.size() < 2) return std::string("need_bands must have at least two bands");
  std::uint32_t total = 0;
  for (std::size_t i = 0; i < bands.size(); ++i) {
    const NeedBand& b = bands[i];
    const std::int64_t expected_from = i == 0 ? b.from_tenths : bands[i - 1].to_tenths;
    if (b.from_tenths < 0 || b.from_tenths != expected_from)
      return fmt::format("need_bands[{}].from_tenths must be {} (contiguous, from 0 up)", i, expected_from);
    if (b.to_tenths <= b.from_tenths) return fmt::format("need_bands[{}].to_tenths must be above from_tenths", i);
    if (b.cognitive_percent > 100) return fmt::format("need_bands[{}].cognitive_percent must be 0..100", i);
    if (b.unstable_percent > 100) return fmt::format("need_bands[{}].unstable_percent must be 0..100", i);
    total += b.permille;
  }
  if (total != 1000) return fmt::format("need_bands permille must sum to 1000 (they sum to {})", total);
  return std::nullopt;
}

const std::vector<std::string_view>& dementia_levels() {
  static const std::vector<std::string_view> levels{"自立", "I", "IIa", "IIb", "IIIa", "IIIb", "IV", "M"};
  return levels;
}

const std::vector<std::string_view>& bedridden_levels() {
  static const std::vector<std::string_view> levels{"自立", "J1", "J2", "A1", "A2", "B1", "B2", "C1", "C2"};
  return levels;
}

Prng stream(std::uint64_t seed, std::string_view salt, std::string_view key) {
  // FNV-1a over "salt:key", mixed with the seed; Prng expands it through splitmix64.
  std::uint64_t h = 14695981039346656037ULL;
  auto eat = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  eat(salt);
  eat(":");
  eat(key);
  std::uint64_t state = seed ^ (h * 0x9E3779B97F4A7C15ULL);
  return Prng(splitmix64_next(state) ^ h);
}

std::string minutes_text(std::int64_t tenths) { return fmt::format("{}.{}", tenths / 10, tenths % 10); }

namespace {

std::size_t band_of_level(const std::vector<NeedBand>& bands, const std::string& level) {
  for (std::size_t i = 0; i < bands.size(); ++i)
    if (std::find(bands[i].levels.begin(), bands[i].levels.end(), level) != bands[i].levels.end()) return i;
  return bands.size();  // unknown: not used
}

std::size_t shifted(std::size_t band, int delta, std::size_t n) {
  const int b = static_cast<int>(band) + delta;
  return static_cast<std::size_t>(std::clamp(b, 0, static_cast<int>(n) - 1));
}

// Weights of the bands for an age: the model's shares tilted linearly across the bands — up for
// the very old, down for the young old and for category-2 applicants (40–64).
std::vector<std::uint32_t> tilted_weights(const std::vector<NeedBand>& bands, std::optional<int> age) {
  int tilt = 0;  // percent at the top band (and minus that at the bottom)
  if (age) tilt = std::clamp((*age - 82) * 3, -45, 30);
  const int last = static_cast<int>(bands.size()) - 1;
  std::vector<std::uint32_t> w;
  w.reserve(bands.size());
  for (int i = 0; i < static_cast<int>(bands.size()); ++i) {
    const int factor = 100 + tilt * (2 * i - last) / last;  // 100 − tilt … 100 + tilt
    w.push_back(static_cast<std::uint32_t>(bands[static_cast<std::size_t>(i)].permille * static_cast<std::uint32_t>(factor)));
  }
  return w;
}

}  // namespace

Need latent_need(std::uint64_t seed, const Subject& subject, const std::vector<NeedBand>& bands) {
  Prng prng = stream(seed, "need", subject.key);
  const std::size_t n = bands.size();
  std::optional<int> age;
  if (subject.birth_date) age = subject.on.age_of(*subject.birth_date);
  Need need;
  need.band_count = n;
  const std::size_t previous = subject.previous_level ? band_of_level(bands, *subject.previous_level) : n;
  if (previous < n && subject.kind == "renewal") {
    static constexpr std::array<std::uint32_t, 3> w{65, 25, 10};  // same, one up, one down
    const std::size_t k = prng.pick(w);
    need.band = shifted(previous, k == 0 ? 0 : (k == 1 ? 1 : -1), n);
  } else if (previous < n && subject.kind == "change") {
    // 区分変更: asked because the state changed, nearly always for the worse.
    static constexpr std::array<std::uint32_t, 4> w{60, 15, 20, 5};  // one up, two up, same, one down
    const std::size_t k = prng.pick(w);
    static constexpr std::array<int, 4> delta{1, 2, 0, -1};
    need.band = shifted(previous, delta[k], n);
  } else {
    const auto w = tilted_weights(bands, subject.category == "2" ? std::optional<int>(55) : age);
    need.band = prng.pick(w);
  }
  const NeedBand& b = bands[need.band];
  need.standard_tenths = prng.between(b.from_tenths, b.to_tenths - 1);
  need.cognitive_decline = prng.chance(b.cognitive_percent, 100);
  need.unstable_condition = prng.chance(b.unstable_percent, 100);
  // A renewal of 要介護1 in the 32–<50 band keeps the reason it was 要介護1 more often than not.
  if (subject.previous_level == "care_1" && b.levels.size() > 1 && prng.chance(7, 10)) need.cognitive_decline = true;

  // Severity across the whole range: the band plus the position inside it.
  const std::int64_t pos = (need.standard_tenths - b.from_tenths) * 1000 / (b.to_tenths - b.from_tenths);
  need.physical_permille = static_cast<int>((static_cast<std::int64_t>(need.band) * 1000 + pos) / static_cast<std::int64_t>(n));

  // 障害高齢者の日常生活自立度: scales with the band (J for the lightest, C for the heaviest).
  const std::size_t bed_top = bedridden_levels().size() - 1;
  need.bedridden = std::min(bed_top, need.band * (bed_top - 1) / (n - 1) + prng.below(2));

  // 認知症高齢者の日常生活自立度: II or above exactly when the software estimates 認知機能の低下
  // (that estimate is made from the 自立度 II+ likelihood), higher with the band.
  const std::size_t m = dementia_levels().size() - 1;  // M
  if (!need.cognitive_decline) {
    need.dementia = prng.chance(need.band <= 1 ? 70 : 35, 100) ? 0 : 1;
  } else {
    const std::size_t base = 2 + (need.band >= 2 ? (need.band - 2) * 4 / std::max<std::size_t>(1, n - 3) : 0);
    static constexpr std::array<std::uint32_t, 3> w{60, 25, 15};  // as is, one milder, one heavier
    const std::size_t k = prng.pick(w);
    std::size_t d = base;
    if (k == 1 && d > 2) --d;
    if (k == 2) ++d;
    need.dementia = std::min<std::size_t>(d, m - 1);
    if (need.band + 2 >= n && prng.chance(2, 100)) need.dementia = m;  // M: 著しい精神症状
  }
  need.cognitive_permille = static_cast<int>(std::min<std::size_t>(999, need.dementia * 1000 / m + prng.below(100)));
  return need;
}

}  // namespace kaigo::sim::shinsa

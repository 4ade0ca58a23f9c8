#pragma once
// The simulated applicant's need for care: what the home assessment finds and the doctor writes.
// A latent state drawn deterministically from the seed and the application (never from a
// sequence, so answers do not depend on the order requests arrive in): the band of the
// 要介護認定等基準時間 the national software would compute, the minutes inside it, the two flags
// it estimates (認知機能の低下, 状態の不安定性) and the two 日常生活自立度. The assessment's 74
// items and the opinion are written from it (assessment_result.hpp, opinion.hpp), so the two
// documents of one application agree with each other and with the minutes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "sim/prng.hpp"

namespace kaigo::sim::shinsa {

// One interval of the minutes model: [from_tenths, to_tenths) tenths of a minute, the share of
// assessments that fall in it, how often the national software flags 認知機能の低下 / 状態の
// 不安定性 there, and the care levels a previous certification in this band had (renewals and
// changes start from the previous level's band).
struct NeedBand {
  std::int64_t from_tenths = 0;
  std::int64_t to_tenths = 0;
  std::uint32_t permille = 0;
  std::uint32_t cognitive_percent = 0;
  std::uint32_t unstable_percent = 0;
  std::vector<std::string> levels;  // care level codes (certification::CareLevel) of this band
};

// The default model: the thresholds of the 一次判定 (25, 32, 50, 70, 90, 110 分: 要介護認定等基準時間
// の分類, 平成11年厚生省令58号) and shares close to the national distribution of 認定者 by level
// (介護保険事業状況報告 令和3年度年報: 要支援1 14%, 要支援2 14%, 要介護1 21%, 要介護2 17%,
// 要介護3 13%, 要介護4 13%, 要介護5 9%) with about 2–3% 非該当 among applications. In the 32–<50
// band the flags (55% cognitive, 12% unstable → ≈60% either) split it ≈ 14% 要支援2 : 20% 要介護1.
std::vector<NeedBand> default_need_bands();

// Checks a model: at least two bands, contiguous and increasing from 0, shares summing to 1000,
// percents ≤ 100. The message names the band ("need_bands[2].to_tenths").
std::optional<std::string> need_bands_problem(const std::vector<NeedBand>& bands);

// Who is assessed, as the counterparts know them (NT-01, else the request itself).
struct Subject {
  std::string key;                    // the application number: the same for assessment and opinion
  std::optional<Date> birth_date;
  Date on;                            // the day the age is taken (the application date)
  std::string kind;                   // new, renewal, change, ex_officio, transfer
  std::string category = "1";
  std::string place = "home";
  std::string sex = "2";
  std::optional<std::string> previous_level;
  std::optional<std::string> specified_disease;
};

// 認知症高齢者の日常生活自立度 and 障害高齢者の日常生活自立度, mildest first.
const std::vector<std::string_view>& dementia_levels();   // 自立, I, IIa, IIb, IIIa, IIIb, IV, M
const std::vector<std::string_view>& bedridden_levels();  // 自立, J1, J2, A1, A2, B1, B2, C1, C2

struct Need {
  std::size_t band = 0;
  std::size_t band_count = 0;  // bands of the model it was drawn from
  std::int64_t standard_tenths = 0;
  bool cognitive_decline = false;
  bool unstable_condition = false;
  std::size_t dementia = 0;   // index into dementia_levels()
  std::size_t bedridden = 0;  // index into bedridden_levels()
  int physical_permille = 0;  // 0…999: how much help the body needs (drives groups 1, 2, 5)
  int cognitive_permille = 0; // 0…999: how far cognition is impaired (groups 3, 4, 5)
};

// The latent need of a subject: the band drawn from the model, tilted by age (older → more need;
// a category-2 applicant aged 40–64 less), or for a renewal/change from the previous level's band
// (renewal: mostly the same, sometimes one up or down; change: mostly one up).
Need latent_need(std::uint64_t seed, const Subject& subject, const std::vector<NeedBand>& bands);

// A generator private to one thing (a subject, a request, a session): seeded from the simulator's
// seed, a salt and the thing's key, so every answer is the same whatever else happened.
Prng stream(std::uint64_t seed, std::string_view salt, std::string_view key);

// "45.3" from 453.
std::string minutes_text(std::int64_t tenths);

}  // namespace kaigo::sim::shinsa

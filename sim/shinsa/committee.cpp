// The committee deciding one session (see committee.hpp).
#include "sim/shinsa/committee.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "certification/rules.hpp"
#include "sim/shinsa/need_model.hpp"

namespace kaigo::sim::shinsa {

namespace {

using certification::CareLevel;

constexpr int kLowest = static_cast<int>(CareLevel::none);
constexpr int kHighest = static_cast<int>(CareLevel::care_5);

// Another plausible validity in [min, max]: a multiple of 6 or an end of the range, not the default.
int other_validity(Prng& prng, const SessionCase& c) {
  std::set<int> candidates{c.validity_min_months, c.validity_max_months};
  for (int m = 6; m <= c.validity_max_months; m += 6)
    if (m >= c.validity_min_months) candidates.insert(m);
  candidates.erase(c.validity_default_months);
  if (candidates.empty()) return c.validity_default_months;
  auto it = candidates.begin();
  std::advance(it, static_cast<long>(prng.below(candidates.size())));
  return *it;
}

constexpr std::array<std::string_view, 3> kUpReasons{
    "特記事項から、認知症による見守りの手間が一次判定より多いと判断した",
    "主治医意見書から、状態の不安定さによる介護の手間を考慮した",
    "特記事項から、排泄・移動の介助の頻度が高いことを確認した",
};
constexpr std::array<std::string_view, 3> kDownReasons{
    "特記事項から、介助の頻度が一次判定の想定より低いことを確認した",
    "主治医意見書から、状態が安定しており介護の手間が少ないと判断した",
    "特記事項から、福祉用具の利用により自立している動作が多いことを確認した",
};
constexpr std::array<std::string_view, 4> kRemarks{
    "", "", "要介護状態の軽減のため、通所リハビリテーションの利用が望ましい。",
    "認知症の進行予防のため、定期的な受診と見守りが望ましい。",
};

}  // namespace

Result<void> check_session(const SessionRequestDoc& session) {
  for (std::size_t i = 0; i < session.cases.size(); ++i)
    if (!certification::care_level_from_code(session.cases[i].first_stage_level))
      return fail(ErrorKind::invalid_input, fmt::format("cases[{}].first_stage_level is not a care level code", i),
                  fmt::format("cases[{}].first_stage_level", i));
  return {};
}

Result<SessionOutcome> decide_session(std::uint64_t seed, const SessionRequestDoc& session, const CommitteeOptions& options) {
  SessionOutcome out;
  // Validate every case before deciding any.
  std::vector<CareLevel> first_stage;
  for (std::size_t i = 0; i < session.cases.size(); ++i) {
    auto level = certification::care_level_from_code(session.cases[i].first_stage_level);
    if (!level)
      return fail(ErrorKind::invalid_input, fmt::format("cases[{}].first_stage_level is not a care level code", i),
                  fmt::format("cases[{}].first_stage_level", i));
    first_stage.push_back(*level);
  }

  // Attendance: the chair always; another member absent now and then while a majority remains.
  Prng attendance = stream(seed, "attendance", session.session_no);
  const std::size_t quorum = session.members.size() / 2 + 1;
  std::size_t absent = 0;
  nlohmann::ordered_json attended = nlohmann::ordered_json::array();
  for (const auto& m : session.members) {
    const bool away = m.role != "chair" && session.members.size() - absent > quorum &&
                      attendance.chance(static_cast<std::uint64_t>(options.absence_percent), 100);
    if (away) ++absent;
    else attended.push_back(m.member_code);
  }

  nlohmann::ordered_json decisions = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < session.cases.size(); ++i) {
    const SessionCase& c = session.cases[i];
    Prng prng = stream(seed, "decision", session.session_no + ":" + c.application_no);
    nlohmann::ordered_json d;
    d["application_no"] = c.application_no;
    if (prng.chance(static_cast<std::uint64_t>(options.deferred_percent), 100)) {
      d["outcome"] = "deferred";
      d["care_level"] = nullptr;
      d["validity_months"] = nullptr;
      d["remarks"] = "主治医意見書の記載内容を確認のうえ、次回以降の審査会で再審査とする。";
      d["change_reason"] = "";
      decisions.push_back(std::move(d));
      ++out.deferred;
      continue;
    }
    int level = static_cast<int>(first_stage[i]);
    std::string change_reason;
    if (prng.chance(static_cast<std::uint64_t>(options.variation_percent), 100)) {
      const bool up = level == kLowest || (level != kHighest && prng.chance(1, 2));
      level += up ? 1 : -1;
      change_reason = std::string(up ? kUpReasons[prng.below(kUpReasons.size())]
                                     : kDownReasons[prng.below(kDownReasons.size())]);
      ++out.changed;
    }
    const auto final_level = static_cast<CareLevel>(level);
    d["outcome"] = "decided";
    d["care_level"] = std::string(certification::to_code(final_level));
    if (!certification::is_certified(final_level)) {
      d["validity_months"] = nullptr;  // 非該当: no period
    } else if (final_level == first_stage[i]) {
      const bool other = prng.chance(static_cast<std::uint64_t>(options.other_validity_percent), 100);
      d["validity_months"] = other ? other_validity(prng, c) : c.validity_default_months;
    } else {
      // Another level than the first stage's: a renewal's range depends on whether it is the
      // previous level (validity_same_level / validity_other_level); else the case's range holds.
      int months = c.validity_default_months;
      const bool same_as_before = c.previous_level && *c.previous_level == certification::to_code(final_level);
      if (same_as_before && c.same_level) months = c.same_level->default_months;
      if (!same_as_before && c.other_level) months = c.other_level->default_months;
      d["validity_months"] = months;
    }
    d["remarks"] = std::string(kRemarks[prng.below(kRemarks.size())]);
    d["change_reason"] = change_reason;
    decisions.push_back(std::move(d));
    ++out.decided;
  }

  nlohmann::ordered_json& doc = out.document;
  doc["format"] = "kaigo.shinsa.decisions/1";
  doc["session_no"] = session.session_no;
  doc["held_on"] = session.held_on.iso();
  doc["attended"] = std::move(attended);
  doc["decisions"] = std::move(decisions);
  return out;
}

}  // namespace kaigo::sim::shinsa

// One 認定調査 result from the latent need (see assessment_result.hpp).
#include "sim/shinsa/assessment_result.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/name_lists.hpp"

namespace kaigo::sim::shinsa {

namespace {

struct Severity {
  int permille = 0;        // 0…999 how much the item's answer is pulled towards its last choices
  bool special = false;    // 特別な医療: "ある" only rarely
};

// How strongly an item follows the body or the mind. Paralysis, contractures and the senses are
// found in only part of those who need care; the 第4群 behaviours in part of those with dementia;
// the 第5群 IADL (買い物, 調理) are lost early.
Severity item_severity(const std::string& code, const Need& need) {
  const int p = need.physical_permille;
  const int c = need.cognitive_permille;
  if (code.starts_with("1-1-") || code.starts_with("1-2-")) return {p * 6 / 10};
  if (code == "1-12" || code == "1-13") return {std::max(p, c) / 2};
  if (code.starts_with("3-")) return {c};
  if (code.starts_with("4-")) return {c * 8 / 10};
  if (code == "5-1" || code == "5-2" || code == "5-3") return {(p + 2 * c) / 3};
  if (code == "5-4") return {c * 7 / 10};
  if (code == "5-5" || code == "5-6") return {std::min(999, p + 150)};
  if (code.starts_with("6-")) return {p, true};
  return {p};
}

std::size_t choose(Prng& prng, const Severity& s, std::size_t n) {
  if (n <= 1) return 0;
  if (s.special) {
    // 過去14日間の特別な医療: 1–6% of assessments per item, more with more need.
    return prng.chance(static_cast<std::uint64_t>(10 + s.permille / 20), 1000) ? n - 1 : 0;
  }
  const std::int64_t t = std::clamp<std::int64_t>(s.permille + prng.between(-200, 200), 0, 999);
  return static_cast<std::size_t>(t * static_cast<std::int64_t>(n) / 1000);
}

// A 特記事項 phrase for an item answered above its first choice.
std::string note_for(const certification::AssessmentItem& item, std::size_t choice) {
  std::string label;
  if (item.choice_labels.size() == item.choices.size()) label = item.choice_labels[choice];
  const std::size_t last = item.choices.size() - 1;
  std::string how;
  if (choice * 3 <= last) how = "時々見守りや声かけを要する";
  else if (choice * 3 <= last * 2) how = "一部介助を要する場面が多い";
  else how = "ほぼ全面的な介助を要する";
  if (item.code.starts_with("4-") || item.code == "3-8" || item.code == "3-9") how = "家族の話では週に数回みられる";
  else if (item.code.starts_with("3-")) how = "調査時の質問に正しく答えられなかった";
  if (item.code.starts_with("6-")) how = "過去14日間に処置あり";
  if (label.empty()) return fmt::format("（{} {}）{}。", item.code, item.name, how);
  return fmt::format("（{} {}）「{}」を選択。{}。", item.code, item.name, label, how);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> assessment_items(std::uint64_t seed, const std::string& request_no,
                                                                  const Need& need,
                                                                  const std::vector<certification::AssessmentItem>& items) {
  Prng prng = stream(seed, "items", request_no);
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    const std::size_t k = choose(prng, item_severity(item.code, need), item.choices.size());
    out.emplace_back(item.code, item.choices.empty() ? std::string() : item.choices[k]);
  }
  return out;
}

std::string staff_name(std::uint64_t seed, const std::string& key) {
  Prng prng = stream(seed, "staff", key);
  const auto family = family_names();
  const auto& f = family[prng.pick(weights_of(family))];
  const char sex = prng.chance(1, 2) ? '1' : '2';
  const auto given = given_names(sex, static_cast<int>(prng.between(1960, 1990)));
  const auto& g = given[prng.pick(weights_of(given))];
  return fmt::format("{} {}", f.kanji, g.kanji);
}

nlohmann::ordered_json assessment_result(std::uint64_t seed, const AssessmentVisit& visit, const Need& need,
                                         const std::vector<certification::AssessmentItem>& items) {
  const auto answers = assessment_items(seed, visit.request_no, need, items);
  nlohmann::ordered_json item_json = nlohmann::ordered_json::object();
  // The 特記事項: where it was done, then up to three items needing the most help.
  std::vector<std::pair<int, std::size_t>> heavy;  // (‰ of the item's range, item index)
  for (std::size_t i = 0; i < items.size(); ++i) {
    item_json[answers[i].first] = answers[i].second;
    const auto& choices = items[i].choices;
    const auto it = std::find(choices.begin(), choices.end(), answers[i].second);
    const auto k = static_cast<std::size_t>(it - choices.begin());
    if (k > 0 && choices.size() > 1) heavy.emplace_back(static_cast<int>(k * 1000 / (choices.size() - 1)), i);
  }
  std::stable_sort(heavy.begin(), heavy.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  Prng prng = stream(seed, "notes", visit.request_no);
  std::string notes = visit.place == "facility" ? "調査は入所施設にて、本人と施設職員の同席で実施。"
                                                : (prng.chance(3, 4) ? "調査は自宅にて、本人と家族の同席で実施。"
                                                                     : "調査は自宅にて、本人のみで実施。");
  if (heavy.empty()) notes += "日常生活はおおむね自立している。";
  for (std::size_t i = 0; i < heavy.size() && i < 3; ++i) {
    const auto& item = items[heavy[i].second];
    const auto& choices = item.choices;
    const auto k = static_cast<std::size_t>(std::find(choices.begin(), choices.end(), answers[heavy[i].second].second) -
                                            choices.begin());
    notes += note_for(item, k);
  }
  if (need.unstable_condition) notes += "状態が不安定で、短期間に介護の手間が変わる可能性がある。";

  nlohmann::ordered_json r;
  r["request_no"] = visit.request_no;
  r["application_no"] = visit.application_no;
  r["assessed_on"] = visit.assessed_on.iso();
  r["assessor_name"] =
      visit.assessor_name.empty() ? staff_name(seed, "assessor:" + visit.contractor_code + ":" + visit.request_no)
                                  : visit.assessor_name;
  r["items"] = std::move(item_json);
  r["special_notes"] = notes;
  r["standard_minutes"] = minutes_text(need.standard_tenths);
  r["cognitive_decline"] = need.cognitive_decline;
  r["unstable_condition"] = need.unstable_condition;
  r["dementia_independence"] = std::string(dementia_levels()[need.dementia]);
  r["bedridden_independence"] = std::string(bedridden_levels()[need.bedridden]);
  return r;
}

}  // namespace kaigo::sim::shinsa

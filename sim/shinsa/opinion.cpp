// One 主治医意見書 from the latent need (see opinion.hpp).
#include "sim/shinsa/opinion.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "sim/shinsa/assessment_result.hpp"

namespace kaigo::sim::shinsa {

namespace {

struct Diagnosis {
  std::string_view name;
  std::uint32_t weight;
};

// The diagnoses written most often on 主治医意見書 of older applicants (rough weights).
constexpr std::array<Diagnosis, 14> kBodily{{
    {"脳梗塞後遺症", 14}, {"変形性膝関節症", 12}, {"腰部脊柱管狭窄症", 9}, {"骨粗鬆症", 10},
    {"大腿骨頸部骨折術後", 7}, {"慢性心不全", 8}, {"高血圧症", 16}, {"2型糖尿病", 9}, {"慢性腎臓病", 5},
    {"パーキンソン病", 4}, {"慢性閉塞性肺疾患", 3}, {"関節リウマチ", 3}, {"廃用症候群", 6}, {"脳出血後遺症", 3},
}};
constexpr std::array<Diagnosis, 4> kDementia{{
    {"アルツハイマー型認知症", 60}, {"血管性認知症", 20}, {"レビー小体型認知症", 10}, {"混合型認知症", 10},
}};

template <std::size_t N>
std::string_view draw(Prng& prng, const std::array<Diagnosis, N>& list) {
  std::array<std::uint32_t, N> w{};
  for (std::size_t i = 0; i < N; ++i) w[i] = list[i].weight;
  return list[prng.pick(w)].name;
}

// "がん（医師が…に限る。）" → "がん": a diagnosis line, not the article's wording.
std::string diagnosis_of(std::string_view disease_name) {
  const auto cut = disease_name.find("（");
  return std::string(cut == std::string_view::npos ? disease_name : disease_name.substr(0, cut));
}

std::size_t nudged(Prng& prng, std::size_t index, std::size_t size) {
  // The doctor sees the patient in the clinic: 15% of opinions put the 自立度 a step apart.
  if (!prng.chance(15, 100)) return index;
  if (index == 0) return 1;
  if (index + 1 >= size) return index - 1;
  return prng.chance(1, 2) ? index + 1 : index - 1;
}

std::string remarks_for(const Need& need) {
  std::string r;
  const std::size_t top = need.band_count - 1;
  if (need.band <= 1) r = "日常生活はほぼ自立している。転倒予防のため運動機能の維持が望ましい。";
  else if (need.band == 2) r = "歩行が不安定で転倒の危険がある。通所リハビリテーションの利用が望ましい。";
  else if (need.band + 2 <= top) r = "日常生活の多くに介助を要する。訪問介護・通所介護の利用が望ましい。";
  else r = "ほぼ全介助の状態である。訪問看護・短期入所生活介護の利用を検討されたい。";
  if (need.cognitive_decline) r += "認知症の進行に伴い、常時の見守りを要する。";
  if (need.unstable_condition) r += "病状が不安定で、継続的な医学的管理を要する。";
  return r;
}

}  // namespace

nlohmann::ordered_json opinion(std::uint64_t seed, const OpinionVisit& visit, const Subject& subject, const Need& need,
                               const std::vector<certification::SpecifiedDisease>& diseases) {
  Prng prng = stream(seed, "opinion", visit.request_no);
  std::vector<std::string> diagnoses;
  std::optional<std::string> specified;
  if (subject.category == "2") {
    // 介護保険法7条3項2号: a category-2 applicant is certified only for a 特定疾病, which the
    // doctor names. The application's code when it gave one, else one drawn from the list.
    const certification::SpecifiedDisease* d = nullptr;
    if (subject.specified_disease)
      for (const auto& x : diseases)
        if (x.code == *subject.specified_disease) d = &x;
    if (!d && !diseases.empty()) d = &diseases[prng.below(diseases.size())];
    if (d) {
      specified = d->code;
      diagnoses.push_back(diagnosis_of(d->name));
    } else if (subject.specified_disease) {
      specified = subject.specified_disease;
    }
  }
  if (need.cognitive_decline) diagnoses.emplace_back(draw(prng, kDementia));
  const std::size_t extra = 1 + prng.below(need.band >= 3 ? 3 : 2);  // 1–2, or 1–3 for heavier need
  for (std::size_t i = 0; i < extra && diagnoses.size() < 3; ++i) {
    std::string name(draw(prng, kBodily));
    if (std::find(diagnoses.begin(), diagnoses.end(), name) == diagnoses.end()) diagnoses.push_back(std::move(name));
  }

  nlohmann::ordered_json o;
  o["request_no"] = visit.request_no;
  o["application_no"] = visit.application_no;
  o["written_on"] = visit.written_on.iso();
  o["institution_code"] = visit.institution_code;
  o["doctor_name"] = visit.doctor_name.empty()
                         ? staff_name(seed, "doctor:" + visit.institution_code) + " 医師"
                         : visit.doctor_name;
  o["diagnoses"] = diagnoses;
  o["specified_disease"] = specified ? nlohmann::ordered_json(*specified) : nlohmann::ordered_json(nullptr);
  o["dementia_independence"] = std::string(dementia_levels()[nudged(prng, need.dementia, dementia_levels().size())]);
  o["bedridden_independence"] = std::string(bedridden_levels()[nudged(prng, need.bedridden, bedridden_levels().size())]);
  o["remarks"] = remarks_for(need);
  return o;
}

}  // namespace kaigo::sim::shinsa

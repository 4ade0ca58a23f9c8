#pragma once
// One 主治医意見書 as the committee-support system passes it on, written for NT-10
// (kaigo.shinsa.opinions/1, docs/shinsa-layout.md) from the applicant's latent need: plausible
// diagnoses (for a category-2 applicant the application's 特定疾病 first), the doctor's view of
// the two 自立度 (mostly the assessment's, sometimes a step apart) and remarks.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certification/codes.hpp"
#include "core/date.hpp"
#include "sim/shinsa/need_model.hpp"

namespace kaigo::sim::shinsa {

struct OpinionVisit {
  std::string request_no;
  std::string application_no;
  std::string institution_code;
  std::string doctor_name;
  Date written_on;
};

// One element of NT-10's "opinions". `diseases` names the 特定疾病 codes (config).
nlohmann::ordered_json opinion(std::uint64_t seed, const OpinionVisit& visit, const Subject& subject, const Need& need,
                               const std::vector<certification::SpecifiedDisease>& diseases);

}  // namespace kaigo::sim::shinsa

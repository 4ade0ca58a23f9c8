#pragma once
// One 認定調査 result as the national software (要介護認定等基準時間の算出) exports it, written
// for NT-08 (kaigo.shinsa.assessment_results/1, docs/shinsa-layout.md) from the applicant's
// latent need: every item of config/codes/assessment_items.tsv with one of its choices, the
// 特記事項, the minutes, the two flags and the two 自立度.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certification/codes.hpp"
#include "core/date.hpp"
#include "sim/shinsa/need_model.hpp"

namespace kaigo::sim::shinsa {

struct AssessmentVisit {
  std::string request_no;
  std::string application_no;
  std::string contractor_code;
  std::string assessor_name;  // as requested, or one the contractor sends
  std::string place;          // home / facility
  Date assessed_on;
};

// The choice of every item (codes in the list's order), drawn from the need: groups 1 and 2 from
// the body, 3 and 4 from cognition, 5 from both, 特別な医療 rarely.
std::vector<std::pair<std::string, std::string>> assessment_items(std::uint64_t seed, const std::string& request_no,
                                                                  const Need& need,
                                                                  const std::vector<certification::AssessmentItem>& items);

// One element of NT-08's "results".
nlohmann::ordered_json assessment_result(std::uint64_t seed, const AssessmentVisit& visit, const Need& need,
                                         const std::vector<certification::AssessmentItem>& items);

// A name for an assessor or a doctor the request left empty: a family and a given name of the
// synthetic city's lists, fixed by the key.
std::string staff_name(std::uint64_t seed, const std::string& key);

}  // namespace kaigo::sim::shinsa

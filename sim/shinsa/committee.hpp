#pragma once
// The 介護認定審査会 deciding one session (NT-11 in, NT-12 out: kaigo.shinsa.decisions/1,
// docs/shinsa-layout.md). Each case's level is the first stage's, moved one level up or down
// with probability variation_percent (二次判定: 特記事項・主治医意見書から介護の手間を判断し直す,
// 介護保険法27条5項); deferred_percent of the cases are sent back for 再審査; the validity is the
// case's default months, sometimes another value within the case's range (only when the level
// stays the first stage's, the range kaigo computed for it; a renewal moved to another level takes
// the default of validity_same_level / validity_other_level); members are absent now and then,
// never so many that the panel loses its quorum (過半数, 介護保険法施行令9条).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "sim/shinsa/requests.hpp"

namespace kaigo::sim::shinsa {

struct CommitteeOptions {
  int variation_percent = 10;
  int deferred_percent = 2;
  int absence_percent = 5;           // each member but the chair
  int other_validity_percent = 15;   // a validity other than the default
};

struct SessionOutcome {
  nlohmann::ordered_json document;  // the NT-12 document
  int decided = 0;
  int deferred = 0;
  int changed = 0;  // decided at a level other than the first stage
};

// invalid_input naming cases[i].first_stage_level for a level code that does not exist (checked
// when the request arrives, so a bad session is refused then and never blocks the days after).
Result<void> check_session(const SessionRequestDoc& session);
Result<SessionOutcome> decide_session(std::uint64_t seed, const SessionRequestDoc& session, const CommitteeOptions& options);

}  // namespace kaigo::sim::shinsa

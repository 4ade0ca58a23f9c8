#pragma once
// FK-12 / FK-13 保険料賦課情報: the current assessments changed since the last file, sent to the
// welfare system (fukushi) and to the city's tax system (zeimu) as CSV files
// (docs/fukushi-layout.md "FK-12", docs/zeimu-layout.md "FK-13"; layout in zeimu_file.hpp).
//
// Each flow keeps a cursor in event_cursor ('FK-12', 'FK-13'): the last premium_assessment
// .assessment_id it has looked at. A run takes the assessments after it (at most `limit`, by id),
// sends the current revision among them (is_current = 1: a revision superseded within the same
// window is not sent, its successor is), and moves the cursor in the same transaction as the
// outbound exchange — so a crash sends nothing twice and loses nothing.
//  * FK-13 (tax): every current assessment changed (the 市民税 課 uses the premium for the
//    社会保険料控除 of the payers and its own 市民税 work);
//  * FK-12 (welfare): only those of persons with 生活保護 / 支援給付 (public_assistance) during the
//    assessment's fiscal year — welfare pays the premium of its cases (介護保険料加算, 代理納付) and
//    needs no one else's (the same minimisation as SK-20).
// When nothing qualifies the cursor still moves and no exchange is made.
#include <cstdint>
#include <optional>

#include "core/clock.hpp"
#include "store/database.hpp"

namespace kaigo::premium {

struct AssessmentsSent {
  std::int64_t scanned = 0;  // assessment rows after the cursor looked at
  std::int64_t rows = 0;     // rows in the file
  std::optional<std::int64_t> exchange_id;  // none when nothing qualified
};

// FK-12 to fukushi.
Result<AssessmentsSent> send_assessments_to_welfare(store::Database& db, const Clock& clock, int limit = 500000);
// FK-13 to zeimu.
Result<AssessmentsSent> send_assessments_to_tax(store::Database& db, const Clock& clock, int limit = 500000);

}  // namespace kaigo::premium

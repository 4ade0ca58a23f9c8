#pragma once
// recipient_event (migration 016): the published changes of the benefit side that KY-02 (care
// plans to welfare / committee support) and KY-03 (recipient records to the 国保連) read after
// their cursors. A writer holds number_sequence 'recipient_event_lock' until it commits (as the
// certification_event writers hold theirs), so events become visible in event_id order and a
// consumer's cursor never passes an event committed late with a smaller id.
#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

// Takes the writers' lock (UPDATE … next_value + 1) inside the caller's transaction.
Result<void> lock_recipient_events(store::Connection& c);

// Takes the lock and inserts one event. kind: care_plan, copayment_rate, benefit_restriction.
Result<std::int64_t> add_recipient_event(store::Connection& c, const Clock& clock, const std::string& person_id,
                                         const std::string& kind, std::int64_t ref_id);

}  // namespace kaigo::benefit

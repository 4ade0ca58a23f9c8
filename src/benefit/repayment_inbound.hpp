#pragma once
// The payments side's inbound files (KY-19 bank, KY-21 / KY-23 国保) in benefit_inbound_file:
// a file is validated whole by its flow's validator; the inbox handler refuses a file with any
// fault (the inbox rolls everything back and quarantines the exchange), and
// record_rejected_inbound() then writes the benefit_inbound_file row 'rejected' with every fault
// (benefit_inbound_error) for staff. The same bytes twice (flow, sha256) change nothing.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "linkage/exchange.hpp"
#include "store/database.hpp"

namespace kaigo::benefit {

// One fault: 1-based line (0: the file as a whole), the field (日本語 name or JSON path), what is
// wrong, without personal data.
struct InboundFault {
  std::int64_t line = 0;
  std::string field;
  std::string message;
};

// The error an inbox handler returns for a file with faults: invalid_input naming the first
// fault ("line 3: 納付書番号: …") and how many there are.
Error faults_error(const std::vector<InboundFault>& faults);

// The applied file of this flow with the same bytes, if any.
Result<std::optional<std::int64_t>> applied_file(store::Connection& c, const std::string& flow_id,
                                                 const std::string& payload);

// Inserts the 'applied' benefit_inbound_file row and returns its file_id.
Result<std::int64_t> insert_applied_file(store::Connection& c, const Clock& clock, const std::string& flow_id,
                                         const linkage::Exchange& e, const std::string& layout_version,
                                         std::int64_t record_count, const std::string& summary_json);

// Validates a rejected exchange's payload again to list its faults.
using FaultLister = std::function<Result<std::vector<InboundFault>>(store::Connection&, const linkage::Exchange&)>;

// For every inbound exchange of `flow_id` that the inbox rejected and that has no
// benefit_inbound_file row yet: a 'rejected' row (quarantine_path "exchange:<id>") with its
// faults. Returns how many were recorded.
Result<int> record_rejected_inbound(store::Database& db, const Clock& clock, const std::string& flow_id,
                                    const FaultLister& list_faults);

}  // namespace kaigo::benefit

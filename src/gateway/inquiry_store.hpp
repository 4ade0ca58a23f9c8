#pragma once
// SQL of the inquiry table shared by the gateway's services: row mapping, batched updates
// (one statement per batch, never one round trip per row) and the lease claim.
#include <string>
#include <vector>

#include "gateway/inquiry_service.hpp"
#include "store/database.hpp"

namespace kaigo::gateway::detail {

// Far in the future: an exchange claimed with this lease is never sent by the linkage dispatcher
// (the gateway sends its own documents).
inline constexpr std::int64_t kNever = 253402300799;  // 9999-12-31T23:59:59Z

extern const char* const kInquiryColumns;
Result<Inquiry> inquiry_from_row(const store::Row& r);

// UPDATE inquiry SET <set> FROM (VALUES (…), …) AS v WHERE inquiry.inquiry_id = v.column1 AND <where>
// `types` are the SQL types of the VALUES columns (the first is the inquiry_id, BIGINT); <set> and
// <where> refer to them as v.column2, …; `extra` parameters follow the values and are referred to
// in <set>/<where> as {extra1}, {extra2}… (sent as extra columns of every row, because SQLite numbers
// $n parameters by first appearance). Chunked; returns the
// number of rows changed.
Result<std::int64_t> update_from_values(store::Connection& c, const std::string& set, const std::string& where,
                                        const std::vector<std::string>& types, const std::vector<store::Params>& rows,
                                        const store::Params& extra);

// The open statuses, as an SQL list.
inline constexpr const char* kOpenStatuses = "('queued', 'submitted', 'pending', 'manual_pending')";

}  // namespace kaigo::gateway::detail

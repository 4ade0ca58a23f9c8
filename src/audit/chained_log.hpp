#pragma once
// Logs of record (the access log and the exchange log): append-only tables in which each row
// carries the SHA-256 of its own content and the previous row's hash, so that an edited, deleted
// or inserted row breaks the chain and `kaigo audit verify` names it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace kaigo::audit {

struct ChainSpec {
  std::string log_name;              // row in log_chain
  std::string table;                 // has columns seq, <columns…>, prev_hash, row_hash
  std::vector<std::string> columns;  // the content columns, in hashing order
};

const ChainSpec& access_log_spec();

// Appends one row; must run inside a transaction (it locks the chain head). Returns its seq.
Result<std::int64_t> append(store::Connection& c, const ChainSpec& spec, const store::Params& values);
// Appends several rows in order with one lock of the chain head and multi-row inserts (a search
// that shows 50 people logs 50 reads in three statements, not 150). Returns the last seq (the
// head's seq when rows is empty).
Result<std::int64_t> append_many(store::Connection& c, const ChainSpec& spec, const std::vector<store::Params>& rows);

struct VerifyReport {
  std::string log_name;
  std::int64_t rows_checked = 0;
  std::optional<std::int64_t> first_broken_seq;  // empty when intact
  std::string reason;
};

// Recomputes every row's hash in order and checks the chain head. Streams; O(1) memory.
Result<VerifyReport> verify(store::Database& db, const ChainSpec& spec);

}  // namespace kaigo::audit

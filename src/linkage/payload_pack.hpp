#pragma once
// How an exchange keeps a large payload: zstd-compressed, as base64 text in exchange.payload_packed
// (migration 019). A month's 国保連 給付実績 file is ~140 MB of CSV; packed it is ~26 MB, which
// the database writes (and SQLite walks past on every status change) instead of the whole text.
// Payloads up to kPackAbove bytes stay plain text in exchange.payload, readable in SQL.
// The store carries text and integers only (store/database.hpp), hence base64 rather than a BLOB.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace kaigo::linkage {

inline constexpr std::size_t kPackAbove = 1u << 20;

inline bool packs(std::string_view payload) { return payload.size() > kPackAbove; }

// zstd level 1 (~0.3 s for 140 MB on one core), then base64.
std::string pack_payload(std::string_view payload);
// The payload again; an error when the text is not what pack_payload wrote.
Result<std::string> unpack_payload(std::string_view packed);

}  // namespace kaigo::linkage

#pragma once
#include <memory>
#include <string>

#include "store/database.hpp"

namespace kaigo::store {

// PostgreSQL through libpq. `conninfo` is a postgresql:// URL or a libpq key=value string.
// One connection is opened at once, so a wrong URL or a server that is down fails here:
// invalid_input when the URL cannot be parsed, unavailable (naming host:port, never the
// password) when the server cannot be reached. describe() never shows the password.
//
// How values travel:
// - Parameters are sent as text with no declared type, so the server infers each one from its
//   context (`id = $1` makes $1 a bigint). A parameter with no context, such as a bare
//   `$1 IS NULL`, cannot be inferred: write `CAST($1 AS TEXT) IS NULL` (valid on SQLite too).
// - Result columns of type smallint, integer and bigint arrive as int64; boolean as 0/1; NULL as
//   monostate; everything else as text.
// - query_each streams in libpq's single-row mode (a million rows never sit in memory). Stopping
//   early still reads and discards the rest, so put a LIMIT on large queries read partly.
// - bulk_insert uses COPY … FROM STDIN (text format), sent in 1 MiB chunks; a failure or an
//   exception from the row source aborts the COPY, so no row of it is kept.
// - Connections use client_encoding UTF8 whatever the URL says; notices are discarded.
//
// Errors by SQLSTATE: class 23 (unique, foreign key, not null, check), 40001 and 40P01 →
// conflict; class 08, 53, 57P01–57P03 and a lost connection → unavailable (the pool then drops
// the connection and opens a new one next time); class 22 → invalid_input; others → internal.
// Messages carry the server's primary message only, never its DETAIL (which repeats row values),
// and blank the quoted input in class-22 messages; Error::field names the constraint or column.
Result<std::unique_ptr<Database>> open_postgresql(const std::string& conninfo, int pool_size);

}  // namespace kaigo::store

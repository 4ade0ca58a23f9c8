#pragma once
// Error values for expected failures (bad input, not found, conflict, counterpart refused).
// Exceptions are kept for bugs and broken invariants only. The mapping of a kind to an HTTP
// status lives in http_status() and nowhere else.
#include <expected>
#include <string>
#include <utility>

namespace kaigo {

enum class ErrorKind {
  invalid_input,     // a request or file failed validation (400)
  unauthenticated,   // no or expired session (401)
  forbidden,         // role does not admit the action (403)
  not_found,         // the thing asked for does not exist (404)
  conflict,          // duplicate, stale version, state does not allow it (409)
  too_many_requests, // throttled (429)
  unavailable,       // database or counterpart down (503)
  internal,          // a bug; logged without personal data (500)
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;  // for staff; never contains personal data
  std::string field;    // the field, column or line at fault, when there is one
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for returning an error from a function whose Result<T> type is deduced.
inline std::unexpected<Error> fail(ErrorKind kind, std::string message, std::string field = {}) {
  return std::unexpected(Error{kind, std::move(message), std::move(field)});
}

int http_status(ErrorKind kind);
const char* to_string(ErrorKind kind);

}  // namespace kaigo

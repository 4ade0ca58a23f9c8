#pragma once
// Staff passwords: argon2id (RFC 9106) with the OWASP Password Storage Cheat Sheet's minimum
// configuration (m = 19 MiB, t = 2, p = 1), stored as the standard encoded string so the
// parameters can be raised later without breaking old hashes.
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace kaigo::server {

Result<std::string> hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& encoded);
// At least 10 characters (NIST SP 800-63B asks for 8 minimum; the city's policy says 10).
Result<void> check_password_policy(std::string_view password);

}  // namespace kaigo::server

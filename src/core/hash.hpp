#pragma once
// SHA-256 and hex helpers shared by the logs of record, payload hashes and idempotency keys.
#include <string>
#include <string_view>

namespace kaigo {

std::string sha256_hex(std::string_view data);
std::string to_hex(std::string_view bytes);
std::string from_hex(std::string_view hex);  // empty on malformed input
// Cryptographically random bytes (session ids, CSRF tokens, nonces).
std::string random_bytes(std::size_t n);

}  // namespace kaigo

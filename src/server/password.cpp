#include "server/password.hpp"

#include <argon2.h>

#include "core/hash.hpp"

namespace kaigo::server {

namespace {
constexpr uint32_t kTimeCost = 2, kMemoryKiB = 19 * 1024, kParallelism = 1, kHashLen = 32, kSaltLen = 16;
}

Result<std::string> hash_password(std::string_view password) {
  const std::string salt = random_bytes(kSaltLen);
  const size_t len = argon2_encodedlen(kTimeCost, kMemoryKiB, kParallelism, kSaltLen, kHashLen, Argon2_id);
  std::string encoded(len, '\0');
  const int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kParallelism, password.data(), password.size(), salt.data(),
                                       salt.size(), kHashLen, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return fail(ErrorKind::internal, argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(std::string_view password, const std::string& encoded) {
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

Result<void> check_password_policy(std::string_view password) {
  if (password.size() < 10) return fail(ErrorKind::invalid_input, "the password must be at least 10 characters", "password");
  if (password.size() > 256) return fail(ErrorKind::invalid_input, "the password must be at most 256 characters", "password");
  return {};
}

}  // namespace kaigo::server

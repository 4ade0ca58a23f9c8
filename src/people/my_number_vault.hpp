#pragma once
// The My Number (個人番号) at rest: AES-256-GCM with a 256-bit key that lives outside the
// repository and the database (a key file readable only by the service account, or the
// KAIGO_MY_NUMBER_KEY environment variable, 64 hex digits). Each value gets a fresh 96-bit
// nonce; the person_id is bound as associated data so a ciphertext moved to another person's
// row fails to decrypt. Thread-safe (no shared mutable state).
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace kaigo::people {

class MyNumberVault {
 public:
  // key: 32 raw bytes. key_id names the key (first 8 hex digits of its SHA-256) for rotation.
  explicit MyNumberVault(std::string key);

  // Loads the key: from `key_file` if given, else $KAIGO_MY_NUMBER_KEY, else `default_file`,
  // creating that file with a new random key (mode 0600) when create_if_missing is set.
  static Result<MyNumberVault> load(const std::string& key_file, const std::string& default_file, bool create_if_missing);

  const std::string& key_id() const { return key_id_; }

  // A 12-digit My Number with a valid check digit (番号法施行令 8条) is required.
  Result<std::string> encrypt(std::string_view person_id, std::string_view my_number) const;  // hex
  Result<std::string> decrypt(std::string_view person_id, std::string_view ciphertext_hex) const;

  // "********1234": only the last four digits, for every screen that does not need the number.
  static std::string mask(std::string_view my_number);
  static bool valid_my_number(std::string_view digits);
  // The check digit for 11 digits (used by the synthetic city to make valid numbers).
  static int check_digit(std::string_view first11);

 private:
  std::string key_;
  std::string key_id_;
};

}  // namespace kaigo::people

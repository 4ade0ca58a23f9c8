#include "people/my_number_vault.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "core/hash.hpp"

namespace kaigo::people {

namespace {
constexpr size_t kKeyBytes = 32, kNonceBytes = 12, kTagBytes = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

Result<std::string> key_from_hex(const std::string& hex, const std::string& where) {
  std::string key = from_hex(trim(hex));
  if (key.size() != kKeyBytes)
    return fail(ErrorKind::invalid_input, fmt::format("the My Number key in {} must be 64 hexadecimal digits", where), "key");
  return key;
}
}  // namespace

MyNumberVault::MyNumberVault(std::string key) : key_(std::move(key)), key_id_(sha256_hex(key_).substr(0, 8)) {}

Result<MyNumberVault> MyNumberVault::load(const std::string& key_file, const std::string& default_file, bool create_if_missing) {
  auto read_file = [](const std::string& path) -> Result<std::string> {
    std::ifstream in(path);
    if (!in) return fail(ErrorKind::unavailable, fmt::format("cannot read the My Number key file {}", path), "key_file");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  if (!key_file.empty()) {
    auto text = read_file(key_file);
    if (!text) return std::unexpected(text.error());
    auto key = key_from_hex(*text, key_file);
    if (!key) return std::unexpected(key.error());
    return MyNumberVault(*key);
  }
  if (const char* env = std::getenv("KAIGO_MY_NUMBER_KEY"); env && *env) {
    auto key = key_from_hex(env, "KAIGO_MY_NUMBER_KEY");
    if (!key) return std::unexpected(key.error());
    return MyNumberVault(*key);
  }
  if (!std::filesystem::exists(default_file)) {
    if (!create_if_missing)
      return fail(ErrorKind::unavailable, fmt::format("no My Number key: give --key-file, set KAIGO_MY_NUMBER_KEY or create {}", default_file), "key_file");
    std::error_code ec;
    auto parent = std::filesystem::path(default_file).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    const mode_t old = umask(077);
    {
      std::ofstream out(default_file);
      out << to_hex(random_bytes(kKeyBytes)) << "\n";
    }
    umask(old);
  }
  auto text = read_file(default_file);
  if (!text) return std::unexpected(text.error());
  auto key = key_from_hex(*text, default_file);
  if (!key) return std::unexpected(key.error());
  return MyNumberVault(*key);
}

int MyNumberVault::check_digit(std::string_view d) {
  // 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 第8条:
  // check = 11 − (Σ Pn × Qn mod 11), 0 when the remainder is ≤ 1; Pn is the n-th digit from the
  // right of the 11 digits, Qn = n + 1 for n ≤ 6, n − 5 for n ≥ 7.
  int sum = 0;
  for (int n = 1; n <= 11; ++n) {
    const int p = d[11 - n] - '0';
    const int q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const int r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

bool MyNumberVault::valid_my_number(std::string_view d) {
  if (d.size() != 12) return false;
  for (char c : d)
    if (c < '0' || c > '9') return false;
  return check_digit(d.substr(0, 11)) == d[11] - '0';
}

std::string MyNumberVault::mask(std::string_view n) {
  if (n.size() < 4) return std::string(n.size(), '*');
  return std::string(n.size() - 4, '*') + std::string(n.substr(n.size() - 4));
}

Result<std::string> MyNumberVault::encrypt(std::string_view person_id, std::string_view my_number) const {
  if (!valid_my_number(my_number)) return fail(ErrorKind::invalid_input, "not a valid 12-digit My Number (check digit)", "my_number");
  const std::string nonce = random_bytes(kNonceBytes);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(my_number.size(), '\0');
  unsigned char tag[kTagBytes];
  int len = 0, fin = 0;
  auto u = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u(key_), u(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(person_id.data()),
                        static_cast<int>(person_id.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                        reinterpret_cast<const unsigned char*>(my_number.data()), static_cast<int>(my_number.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) != 1)
    return fail(ErrorKind::internal, "encryption failed");
  return to_hex(nonce + out + std::string(reinterpret_cast<char*>(tag), kTagBytes));
}

Result<std::string> MyNumberVault::decrypt(std::string_view person_id, std::string_view ciphertext_hex) const {
  const std::string raw = from_hex(ciphertext_hex);
  if (raw.size() <= kNonceBytes + kTagBytes) return fail(ErrorKind::internal, "stored My Number is malformed");
  const std::string nonce = raw.substr(0, kNonceBytes);
  const std::string body = raw.substr(kNonceBytes, raw.size() - kNonceBytes - kTagBytes);
  std::string tag = raw.substr(raw.size() - kTagBytes);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(body.size(), '\0');
  int len = 0, fin = 0;
  auto u = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u(key_), u(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(person_id.data()),
                        static_cast<int>(person_id.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, u(body), static_cast<int>(body.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &fin) != 1)
    return fail(ErrorKind::internal, "stored My Number does not decrypt with this key (wrong key or tampered row)");
  return out;
}

}  // namespace kaigo::people

#include "linkage/payload_pack.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <zstd.h>

namespace kaigo::linkage {

std::string pack_payload(std::string_view payload) {
  std::string z(ZSTD_compressBound(payload.size()), '\0');
  // With the frame's checksum, a damaged packed payload fails to unpack instead of reading wrong.
  const std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  ZSTD_CCtx_setParameter(cx.get(), ZSTD_c_compressionLevel, 1);
  ZSTD_CCtx_setParameter(cx.get(), ZSTD_c_checksumFlag, 1);
  const std::size_t n = ZSTD_compress2(cx.get(), z.data(), z.size(), payload.data(), payload.size());
  // Compressing into a buffer of ZSTD_compressBound bytes cannot fail short of memory.
  if (ZSTD_isError(n)) throw std::runtime_error(ZSTD_getErrorName(n));
  std::string out(4 * ((n + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(z.data()),
                  static_cast<int>(n));
  return out;
}

Result<std::string> unpack_payload(std::string_view packed) {
  if (packed.size() % 4 != 0) return fail(ErrorKind::internal, "a packed payload is not base64", "payload_packed");
  std::string z(packed.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(z.data()), reinterpret_cast<const unsigned char*>(packed.data()),
                                static_cast<int>(packed.size()));
  if (n < 0) return fail(ErrorKind::internal, "a packed payload is not base64", "payload_packed");
  // EVP_DecodeBlock counts the '=' padding as zero bytes.
  std::size_t size = static_cast<std::size_t>(n);
  for (auto it = packed.rbegin(); it != packed.rend() && *it == '='; ++it) --size;
  const unsigned long long plain = ZSTD_getFrameContentSize(z.data(), size);
  if (plain == ZSTD_CONTENTSIZE_ERROR || plain == ZSTD_CONTENTSIZE_UNKNOWN)
    return fail(ErrorKind::internal, "a packed payload is not a zstd frame", "payload_packed");
  std::string out(plain, '\0');
  const std::size_t got = ZSTD_decompress(out.data(), out.size(), z.data(), size);
  if (ZSTD_isError(got) || got != plain) return fail(ErrorKind::internal, "a packed payload does not decompress", "payload_packed");
  return out;
}

}  // namespace kaigo::linkage

// Large exchange payloads are kept zstd-compressed as base64 (linkage/payload_pack.hpp): what is
// packed unpacks to the same bytes, and text that is not a packed payload is an error, not garbage.
#include <gtest/gtest.h>

#include "linkage/payload_pack.hpp"

namespace kaigo::linkage {
namespace {

std::string csv_like(std::size_t bytes) {
  std::string s;
  for (std::size_t i = 0; s.size() < bytes; ++i) s += "\"2\",\"K2026100000" + std::to_string(i) + "\",\"介護\"\r\n";
  return s;
}

TEST(PayloadPack, RoundTripsTextOfEverySizeAroundBase64Padding) {
  for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 100u}) {
    const std::string text = csv_like(n).substr(0, n);
    auto back = unpack_payload(pack_payload(text));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, text) << n;
  }
}

TEST(PayloadPack, OnlyPayloadsAboveOneMebibyteArePackedAndTheyShrink) {
  EXPECT_FALSE(packs(std::string(kPackAbove, 'x')));
  const std::string big = csv_like(kPackAbove + 1);
  EXPECT_TRUE(packs(big));
  const std::string packed = pack_payload(big);
  EXPECT_LT(packed.size(), big.size() / 4);
  auto back = unpack_payload(packed);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, big);
}

TEST(PayloadPack, TextThatIsNotAPackedPayloadIsAnError) {
  EXPECT_FALSE(unpack_payload("abc"));                  // not base64 (length)
  EXPECT_FALSE(unpack_payload("!!!!"));                 // not base64 (characters)
  EXPECT_FALSE(unpack_payload("aGVsbG8gd29ybGQh"));     // base64 of "hello world!", not zstd
  std::string packed = pack_payload(csv_like(5000));
  packed[packed.size() / 2] = packed[packed.size() / 2] == 'A' ? 'B' : 'A';  // one damaged character
  EXPECT_FALSE(unpack_payload(packed));  // the frame's checksum catches it
}

}  // namespace
}  // namespace kaigo::linkage

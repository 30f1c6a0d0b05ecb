#include "broker/log/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace runnel::broker {
namespace {

TEST(Crc32c, KnownVectors) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c_portable("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(""), 0u);
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4
  EXPECT_EQ(crc32c(std::string(32, '\xff')), 0x62A8AB43u);
}

TEST(Crc32c, HardwareAndPortableAgreeOnOddLengths) {
  if (!crc32c_sse42_available()) GTEST_SKIP() << "no SSE4.2";
  std::mt19937 random(42);
  for (size_t length : {1, 3, 7, 8, 9, 15, 17, 63, 255, 1001, 4097, 65537}) {
    std::string bytes(length, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    // Unaligned starts too.
    for (size_t skip = 0; skip < 3 && skip < length; ++skip) {
      std::string_view view = std::string_view(bytes).substr(skip);
      EXPECT_EQ(crc32c_sse42(view), crc32c_portable(view)) << length << " skip " << skip;
    }
  }
}

}  // namespace
}  // namespace runnel::broker

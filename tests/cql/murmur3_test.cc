#include "cql/murmur3.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "cql/value.h"

namespace runnel::cql {
namespace {

// Expected tokens from the DataStax Python driver's own implementation
// (cassandra.metadata.Murmur3Token.from_key), which matches Cassandra's
// Murmur3Partitioner including the sign-extended tail bytes.
TEST(Murmur3Test, MatchesCassandraTokens) {
  EXPECT_EQ(murmur3_token("a"), -8839064797231613815LL);
  EXPECT_EQ(murmur3_token("hello"), -3758069500696749310LL);
  EXPECT_EQ(murmur3_token("0123456789abcdef"), 5467490433528156583LL);
  EXPECT_EQ(murmur3_token(std::string("\xff\xfe\x80"
                                      "abcdefghijklmnopq")),
            8049054078245769369LL);
  EXPECT_EQ(murmur3_token(*encode_uuid("123e4567-e89b-12d3-a456-426614174000")),
            -44119901388393997LL);
  std::string high_bytes;
  for (int b = 200; b < 231; ++b) high_bytes.push_back(static_cast<char>(b));
  EXPECT_EQ(murmur3_token(high_bytes), 4398332801500074197LL);
}

TEST(Murmur3Test, IntKeysHashTheirFourBytes) {
  // cassandra.metadata.Murmur3Token.from_key(struct.pack('>i', 1)).
  EXPECT_EQ(murmur3_token(encode_int(1)), -4069959284402364209LL);
}

TEST(Murmur3Test, NeverReturnsTheMinimumToken) {
  // Any token is in (Long.MIN_VALUE, Long.MAX_VALUE]; sample many keys.
  for (int i = 0; i < 10000; ++i) {
    EXPECT_NE(murmur3_token(std::to_string(i)), std::numeric_limits<std::int64_t>::min());
  }
}

}  // namespace
}  // namespace runnel::cql

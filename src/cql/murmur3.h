// Tokens of Cassandra's Murmur3Partitioner: MurmurHash3_x64_128 (seed 0)
// of the serialized partition key, with Cassandra's quirk of sign-extending
// the tail bytes, taking the first 64-bit half as a signed token.
#pragma once

#include <cstdint>
#include <string_view>

namespace runnel::cql {

// Long.MIN_VALUE is reserved as the minimum token, so a key hashing to it
// gets Long.MAX_VALUE, as Cassandra does.
std::int64_t murmur3_token(std::string_view partition_key);

}  // namespace runnel::cql

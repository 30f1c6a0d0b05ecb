// The RocksDB key layout of table data. Every key of a table starts with
// 'T' and the table's 8-byte id, so a table is one contiguous range (DROP and
// TRUNCATE delete it with one DeleteRange). Within it, partitions are in
// token order, then by partition key; within a partition the header (the
// partition tombstone and range tombstones) comes first, then rows in
// clustering order:
//
//   'T' table_id(8) token(8, sign bit flipped) escaped(partition key) 0x00
//   'T' table_id(8) token(8, sign bit flipped) escaped(partition key) 0x01 clustering
//
// A table without clustering columns never has a header: its partition is
// one row, and deleting it writes a row tombstone (reads of such a table
// look for no header).
//
// The partition key is Cassandra's serialized form (composite keys: per
// component a 2-byte length, the bytes, 0x00), escaped so that no key is a
// prefix of another's. Clustering values use an order-preserving encoding
// per type, inverted for DESC columns, so RocksDB's byte order is CQL's
// clustering order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cql/data_type.h"

namespace runnel::store::storage {

inline constexpr char kPartitionHeader = '\x00';
inline constexpr char kRow = '\x01';

// Cassandra's serialization of a partition key (what Murmur3 hashes).
std::string serialize_partition_key(const std::vector<std::string>& components);
// The components back; nullopt when `serialized` is not `count` components.
std::optional<std::vector<std::string>> split_partition_key(std::string_view serialized,
                                                            std::size_t count);

std::string table_prefix(std::uint64_t table_id);
std::string partition_prefix(std::uint64_t table_id, std::int64_t token,
                             std::string_view serialized_partition_key);

// Appends `bytes` so that escaped strings sort as the originals and none is
// a prefix of another: 0x00 -> 0x00 0xff, terminated by 0x00 0x01.
void append_escaped(std::string& out, std::string_view bytes);
// Reads one escaped string from the front of `in` and advances past it.
std::optional<std::string> read_escaped(std::string_view& in);

struct ClusteringColumn {
  runnel::cql::DataType type;
  bool descending = false;
};

void append_clustering_value(std::string& out, const ClusteringColumn& column,
                             std::string_view value);
// The values of an encoded clustering key (after the kRow byte).
std::optional<std::vector<std::string>> decode_clustering(
    std::string_view encoded, const std::vector<ClusteringColumn>& columns);

// The parts of a row key after table_prefix.
struct DecodedKey {
  std::int64_t token = 0;
  std::string partition_key;  // serialized
  bool is_row = false;
  std::string_view clustering;  // encoded, points into the key
};
std::optional<DecodedKey> decode_key(std::string_view key);

std::string encode_token(std::int64_t token);
std::int64_t decode_token(std::string_view bytes);  // REQUIRES: 8 bytes

// The smallest key greater than every key starting with `prefix`.
std::string prefix_successor(std::string prefix);

}  // namespace runnel::store::storage

// What a row key's value holds: the row's cells with their write
// timestamps, its liveness marker (written by INSERT) and its row tombstone.
// Records written to the same key are merged cell by cell, last write wins
// (RocksDB's merge operator calls merge()), so a write never reads first.
// Partition headers hold the partition tombstone and range tombstones and
// merge the same way.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runnel::store::storage {

inline constexpr std::int64_t kNoDeletion = std::numeric_limits<std::int64_t>::min();

struct Liveness {
  std::int64_t timestamp = 0;  // microseconds since the epoch
  std::int32_t ttl = 0;        // seconds, 0 for none
  // Milliseconds since the epoch, 0 for never: a TTL of n seconds lives n
  // whole seconds from its write, whatever the fraction of the second then.
  std::int64_t expires_at = 0;

  bool is_live(std::int64_t now_millis) const { return expires_at == 0 || now_millis < expires_at; }
  friend bool operator==(const Liveness&, const Liveness&) = default;
};

struct Cell {
  std::string column;
  Liveness liveness;
  bool tombstone = false;  // a deleted (or null-written) cell
  std::string value;
};

struct RowRecord {
  std::optional<Liveness> marker;
  std::int64_t deletion = kNoDeletion;  // row tombstone timestamp
  std::vector<Cell> cells;              // sorted by column, one per column
};

std::string encode_row(const RowRecord& row);
std::optional<RowRecord> decode_row(std::string_view bytes);

// The winner of two writes of the same cell: the later timestamp; on a tie
// a tombstone, then the greater value, then the later expiry (Cassandra's
// rules), so merging is commutative.
const Cell& reconcile(const Cell& a, const Cell& b);
// Both records as one; data older than or as old as a tombstone is dropped.
RowRecord merge(const RowRecord& a, const RowRecord& b);

// Deletes rows whose clustering starts with `prefix` and whose next
// clustering value lies within the bounds.
struct RangeTombstone {
  std::vector<std::string> prefix;
  std::optional<std::string> lower;
  bool lower_inclusive = true;
  std::optional<std::string> upper;
  bool upper_inclusive = true;
  std::int64_t timestamp = 0;
  friend bool operator==(const RangeTombstone&, const RangeTombstone&) = default;
};

struct PartitionHeader {
  std::int64_t deletion = kNoDeletion;
  std::vector<RangeTombstone> ranges;
};

std::string encode_header(const PartitionHeader& header);
std::optional<PartitionHeader> decode_header(std::string_view bytes);
PartitionHeader merge(const PartitionHeader& a, const PartitionHeader& b);

}  // namespace runnel::store::storage

// Reads a table's live rows in key order (token, partition key,
// clustering) from a range of its keys, resolving each row against its
// partition's tombstones (partition, range, row) and TTLs: what it returns
// holds only cells a read may see.
#pragma once

#include <rocksdb/iterator.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/storage/database.h"
#include "store/storage/keys.h"
#include "store/storage/row_record.h"

namespace runnel::store::storage {

struct StoredRow {
  std::string key;  // the row's RocksDB key: where a page resumes
  std::int64_t token = 0;
  std::string partition_key;  // serialized
  std::vector<std::string> clustering;
  RowRecord record;  // visible cells only; marker set when it is live
};

class TableScan {
 public:
  // Scans keys in [lower, upper) of one table, at the
  // wall-clock millisecond `now_millis` (what has expired).
  TableScan(const Database& database, std::vector<ClusteringColumn> clustering, std::string lower,
            std::string upper, std::int64_t now_millis);

  // The next live row, or nullopt at the end; an error for a record that
  // cannot be decoded or a RocksDB failure.
  Result<std::optional<StoredRow>> next();

 private:
  const Database& database_;
  std::vector<ClusteringColumn> clustering_;
  std::int64_t now_millis_;
  std::unique_ptr<rocksdb::Iterator> iterator_;
  bool started_ = false;
  std::string current_partition_;  // the prefix of the partition whose header is loaded
  PartitionHeader header_;
};

// The one row at `row_key`, read with point lookups (its partition header,
// then its record) rather than an iterator: the fast path of reads and
// conditions that name a whole primary key.
Result<std::optional<StoredRow>> read_row(const Database& database,
                                          const std::vector<ClusteringColumn>& clustering,
                                          std::string_view row_key, std::int64_t now_millis);

}  // namespace runnel::store::storage

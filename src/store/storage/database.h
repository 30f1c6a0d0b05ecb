// The store's RocksDB: opened with the cell-merging merge operator
// (row_record.h), bloom filters and a block cache for point reads (rows
// found in the cache cost neither a file read nor a checksum). Every
// write is synced before it returns (RocksDB groups concurrent synced writes
// into one fsync), so an acknowledged write survives kill -9.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace runnel::store::storage {

class Database {
 public:
  // Opens (creating) the RocksDB at `path`, with a block cache of at most
  // `cache_bytes`.
  static Result<std::unique_ptr<Database>> open(const std::string& path, std::size_t cache_bytes);
  ~Database();

  Status write(rocksdb::WriteBatch& batch);
  // The value at `key`, nullopt when absent.
  Result<std::optional<std::string>> get(std::string_view key) const;
  // Caller owns the iterator; it sees keys in [lower, upper).
  std::unique_ptr<rocksdb::Iterator> scan(const std::string& lower, const std::string& upper) const;
  // Removes every key in [lower, upper), durably.
  Status delete_range(const std::string& lower, const std::string& upper);
  Status flush();

 private:
  explicit Database(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace runnel::store::storage

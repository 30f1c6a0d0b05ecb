#include "store/storage/database.h"

#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/table.h>

#include <algorithm>

#include "store/storage/row_record.h"

namespace runnel::store::storage {
namespace {

// Merges row records (and partition headers) written to the same key.
class CellMergeOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* merged, rocksdb::Logger*) const override {
    if (existing == nullptr) {
      merged->assign(value.data(), value.size());
      return true;
    }
    std::string_view left(existing->data(), existing->size());
    std::string_view right(value.data(), value.size());
    if (auto a = decode_row(left)) {
      auto b = decode_row(right);
      if (!b) return false;
      *merged = encode_row(merge(*a, *b));
      return true;
    }
    auto a = decode_header(left);
    auto b = decode_header(right);
    if (!a || !b) return false;
    *merged = encode_header(merge(*a, *b));
    return true;
  }
  const char* Name() const override { return "runnel.CellMergeOperator"; }
};

Status from_rocksdb(const rocksdb::Status& status) {
  if (status.ok()) return Status::ok();
  return internal_error("RocksDB: " + status.ToString());
}

}  // namespace

Result<std::unique_ptr<Database>> Database::open(const std::string& path, std::size_t cache_bytes) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.merge_operator = std::make_shared<CellMergeOperator>();
  options.IncreaseParallelism(2);
  options.max_background_jobs = 2;
  // Memory: two 32 MiB memtables, and the block cache, which only reads
  // fill (neither writes, flushes nor compactions do).
  options.write_buffer_size = 32 << 20;
  options.max_write_buffer_number = 2;
  options.enable_pipelined_write = true;
  // Point reads mostly miss partition headers: a memtable bloom filter
  // answers those without searching the skiplist.
  options.memtable_whole_key_filtering = true;
  options.memtable_prefix_bloom_size_ratio = 0.05;
  // Young data (L0, L1) is rewritten soon and read most: left uncompressed,
  // so neither flushes nor reads spend time in a codec. Older levels use
  // LZ4, as Cassandra does, or Snappy where this RocksDB lacks LZ4.
  auto supported = rocksdb::GetSupportedCompressions();
  bool lz4 =
      std::find(supported.begin(), supported.end(), rocksdb::kLZ4Compression) != supported.end();
  options.compression_per_level.assign(
      options.num_levels, lz4 ? rocksdb::kLZ4Compression : rocksdb::kSnappyCompression);
  options.compression_per_level[0] = rocksdb::kNoCompression;
  options.compression_per_level[1] = rocksdb::kNoCompression;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_cache = rocksdb::NewLRUCache(cache_bytes);
  // A hash index in each data block: a point read finds its key without a
  // binary search of the block's restart points.
  table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::DB* db = nullptr;
  auto status = rocksdb::DB::Open(options, path, &db);
  if (!status.ok())
    return internal_error("cannot open the store at " + path + ": " + status.ToString());
  return std::unique_ptr<Database>(new Database(std::unique_ptr<rocksdb::DB>(db)));
}

Database::~Database() = default;

Status Database::write(rocksdb::WriteBatch& batch) {
  rocksdb::WriteOptions options;
  options.sync = true;
  return from_rocksdb(db_->Write(options, &batch));
}

Result<std::optional<std::string>> Database::get(std::string_view key) const {
  std::string value;
  auto status = db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return std::optional<std::string>();
  if (!status.ok()) return from_rocksdb(status);
  return std::optional<std::string>(std::move(value));
}

namespace {
// An iterator that owns its bounds (ReadOptions keeps only pointers).
class BoundedIterator : public rocksdb::Iterator {
 public:
  BoundedIterator(rocksdb::DB* db, std::string lower, std::string upper)
      : lower_(std::move(lower)), upper_(std::move(upper)) {
    rocksdb::ReadOptions options;
    lower_slice_ = rocksdb::Slice(lower_);
    upper_slice_ = rocksdb::Slice(upper_);
    options.iterate_lower_bound = &lower_slice_;
    options.iterate_upper_bound = &upper_slice_;
    inner_.reset(db->NewIterator(options));
  }
  bool Valid() const override { return inner_->Valid(); }
  void SeekToFirst() override { inner_->SeekToFirst(); }
  void SeekToLast() override { inner_->SeekToLast(); }
  void Seek(const rocksdb::Slice& target) override { inner_->Seek(target); }
  void SeekForPrev(const rocksdb::Slice& target) override { inner_->SeekForPrev(target); }
  void Next() override { inner_->Next(); }
  void Prev() override { inner_->Prev(); }
  rocksdb::Slice key() const override { return inner_->key(); }
  rocksdb::Slice value() const override { return inner_->value(); }
  rocksdb::Status status() const override { return inner_->status(); }

 private:
  std::string lower_;
  std::string upper_;
  rocksdb::Slice lower_slice_;
  rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> inner_;
};
}  // namespace

std::unique_ptr<rocksdb::Iterator> Database::scan(const std::string& lower,
                                                  const std::string& upper) const {
  return std::make_unique<BoundedIterator>(db_.get(), lower, upper);
}

Status Database::delete_range(const std::string& lower, const std::string& upper) {
  rocksdb::WriteOptions options;
  options.sync = true;
  return from_rocksdb(db_->DeleteRange(options, db_->DefaultColumnFamily(), lower, upper));
}

Status Database::flush() {
  if (auto status = db_->FlushWAL(true); !status.ok()) return from_rocksdb(status);
  return from_rocksdb(db_->Flush(rocksdb::FlushOptions()));
}

}  // namespace runnel::store::storage

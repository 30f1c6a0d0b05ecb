// Store::open and Session: the store as the CQL server sees it (session.h),
// over the executor, the schema store and the RocksDB in <data_dir>/store.
#include <filesystem>

#include "store/executor/executor.h"
#include "store/schema/schema_store.h"
#include "store/session.h"
#include "store/storage/database.h"

namespace runnel::store {
namespace {

// The node's host id, kept in the store so it survives restarts.
Result<std::string> host_id(storage::Database& database) {
  const std::string key("S\x00host_id", 9);
  auto stored = database.get(key);
  if (!stored) return stored.status();
  if (stored->has_value() && (*stored)->size() == 16) return **stored;
  std::string id = schema::random_uuid();
  rocksdb::WriteBatch batch;
  batch.Put(key, id);
  if (auto status = database.write(batch); !status.is_ok()) return status;
  return id;
}

class StoreSession : public Session {
 public:
  explicit StoreSession(executor::Executor& executor) : executor_(executor) {}

  Outcome query(std::string_view cql, const QueryParameters& parameters) override {
    return executor_.query(cql, keyspace_, parameters);
  }
  std::variant<Prepared, CqlError> prepare(std::string_view cql) override {
    return executor_.prepare(cql, keyspace_);
  }
  Outcome execute(std::string_view prepared_id, const QueryParameters& parameters) override {
    return executor_.execute(prepared_id, keyspace_, parameters);
  }
  Outcome batch(cql::BatchType type, const std::vector<BatchStatement>& statements,
                cql::Consistency, std::optional<std::int64_t> default_timestamp) override {
    return executor_.batch(type, statements, keyspace_, default_timestamp);
  }
  const std::string& keyspace() const override { return keyspace_; }

 private:
  executor::Executor& executor_;
  std::string keyspace_;
};

class RocksStore : public Store {
 public:
  RocksStore(std::unique_ptr<storage::Database> database,
             std::unique_ptr<schema::SchemaStore> schema, schema::NodeInfo node)
      : database_(std::move(database)),
        schema_(std::move(schema)),
        executor_(executor::StoreParts{*database_, *schema_, std::move(node)}) {}

  std::unique_ptr<Session> open_session() override {
    return std::make_unique<StoreSession>(executor_);
  }
  bool is_single_partition_read(std::string_view prepared_id) const override {
    return executor_.is_single_partition_read(prepared_id);
  }
  Status close() override { return database_->flush(); }

 private:
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<schema::SchemaStore> schema_;
  executor::Executor executor_;
};

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const StoreOptions& options) {
  std::filesystem::path path = std::filesystem::path(options.data_dir) / "store";
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) return internal_error("cannot create " + path.string() + ": " + error.message());
  auto database = storage::Database::open(path.string(), options.cache_bytes);
  if (!database) return database.status();
  auto schema = schema::SchemaStore::open(**database);
  if (!schema) return schema.status();
  auto id = host_id(**database);
  if (!id) return id.status();
  schema::NodeInfo node{options.listen_address, *id};
  return std::unique_ptr<Store>(
      new RocksStore(std::move(*database), std::move(*schema), std::move(node)));
}

}  // namespace runnel::store

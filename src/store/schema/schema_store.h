// The keyspaces and tables: kept in RocksDB under 'S' keys (one record per
// keyspace and per table), loaded at open, changed under one lock, read as
// immutable Catalog snapshots. The system keyspaces (system_tables.h) are
// part of every snapshot and cannot be changed.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "store/schema/table.h"
#include "store/session.h"
#include "store/storage/database.h"

namespace runnel::store::schema {

class SchemaStore {
 public:
  static Result<std::unique_ptr<SchemaStore>> open(storage::Database& database);

  std::shared_ptr<const Catalog> catalog() const;

  // Each returns the change made, nothing when IF [NOT] EXISTS made it a
  // no-op, or the error Cassandra gives.
  using Change = std::variant<std::optional<SchemaChange>, CqlError>;
  Change create_keyspace(KeyspaceDef keyspace, bool if_not_exists);
  Change drop_keyspace(const std::string& name, bool if_exists);
  Change create_table(TableDef table, bool if_not_exists);
  Change drop_table(const std::string& keyspace, const std::string& name, bool if_exists);

 private:
  explicit SchemaStore(storage::Database& database) : database_(database) {}
  Status load();
  // REQUIRES: mutex_ held.
  void publish(Catalog next);

  storage::Database& database_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Catalog> catalog_;
};

// A random (version 4) uuid's 16 bytes.
std::string random_uuid();

}  // namespace runnel::store::schema

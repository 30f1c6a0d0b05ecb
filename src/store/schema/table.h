// Keyspaces and tables as the store knows them. A Catalog is an immutable
// snapshot: schema changes build a new one, so readers keep a consistent
// view without locks.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cql/data_type.h"

namespace runnel::store::schema {

enum class ColumnKind { kPartitionKey, kClustering, kRegular, kStatic };

struct ColumnDef {
  std::string name;
  runnel::cql::DataType type;
  // The type as system_schema shows it, frozen<> kept: "list<frozen<list<int>>>".
  std::string type_name;
  ColumnKind kind = ColumnKind::kRegular;
  int position = -1;        // within the partition key or clustering; -1 for others
  bool descending = false;  // clustering order

  bool is_frozen_collection() const { return type_name.rfind("frozen<", 0) == 0; }
};

struct TableDef {
  std::string keyspace;
  std::string name;
  std::uint64_t storage_id = 0;  // the key prefix of its rows (storage/keys.h)
  std::string id;                // 16 bytes: system_schema.tables.id
  // Partition key columns in order, then clustering columns in order, then
  // the others by name: the order of SELECT *.
  std::vector<ColumnDef> columns;
  std::size_t partition_key_count = 0;
  std::size_t clustering_count = 0;
  std::map<std::string, std::string> options;  // WITH options as written
  bool is_virtual = false;                     // a system table whose rows are computed

  // The column's index in `columns`, or -1.
  int find(const std::string& column) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == column) return static_cast<int>(i);
    }
    return -1;
  }
};

struct KeyspaceDef {
  std::string name;
  std::map<std::string, std::string> replication;
  bool durable_writes = true;
  std::map<std::string, std::shared_ptr<const TableDef>> tables;
  bool is_system = false;
};

struct Catalog {
  std::map<std::string, KeyspaceDef> keyspaces;
  std::string schema_version;  // 16 bytes; changes with every schema change

  const KeyspaceDef* keyspace(const std::string& name) const {
    auto it = keyspaces.find(name);
    return it == keyspaces.end() ? nullptr : &it->second;
  }
  std::shared_ptr<const TableDef> table(const std::string& keyspace_name,
                                        const std::string& table_name) const {
    const auto* found = keyspace(keyspace_name);
    if (found == nullptr) return nullptr;
    auto it = found->tables.find(table_name);
    return it == found->tables.end() ? nullptr : it->second;
  }
};

}  // namespace runnel::store::schema

#include "store/schema/schema_store.h"

#include <random>

#include "store/schema/system_tables.h"
#include "store/storage/byte_io.h"
#include "store/storage/keys.h"

namespace runnel::store::schema {
namespace {

using storage::Reader;
using storage::Writer;

const std::string kKeyspacePrefix = std::string("S\x01", 2);
const std::string kTablePrefix = std::string("S\x02", 2);

std::string keyspace_key(const std::string& name) { return kKeyspacePrefix + name; }
std::string table_key(const std::string& keyspace, const std::string& name) {
  return kTablePrefix + keyspace + std::string(1, '\0') + name;
}

void write_map(Writer& writer, const std::map<std::string, std::string>& map) {
  writer.i32(static_cast<std::int32_t>(map.size()));
  for (const auto& [key, value] : map) {
    writer.bytes(key);
    writer.bytes(value);
  }
}

std::map<std::string, std::string> read_map(Reader& reader) {
  std::map<std::string, std::string> map;
  std::int32_t count = reader.i32();
  for (std::int32_t i = 0; i < count && reader.ok(); ++i) {
    std::string key = reader.bytes();
    map[key] = reader.bytes();
  }
  return map;
}

std::string encode_keyspace(const KeyspaceDef& keyspace) {
  Writer writer;
  writer.bytes(keyspace.name);
  write_map(writer, keyspace.replication);
  writer.u8(keyspace.durable_writes ? 1 : 0);
  return writer.take();
}

std::optional<KeyspaceDef> decode_keyspace(std::string_view bytes) {
  Reader reader(bytes);
  KeyspaceDef keyspace;
  keyspace.name = reader.bytes();
  keyspace.replication = read_map(reader);
  keyspace.durable_writes = reader.u8() != 0;
  if (!reader.ok()) return std::nullopt;
  return keyspace;
}

std::string encode_table(const TableDef& table) {
  Writer writer;
  writer.bytes(table.keyspace);
  writer.bytes(table.name);
  writer.i64(static_cast<std::int64_t>(table.storage_id));
  writer.bytes(table.id);
  writer.i32(static_cast<std::int32_t>(table.columns.size()));
  for (const auto& column : table.columns) {
    writer.bytes(column.name);
    writer.bytes(column.type_name.empty() ? column.type.cql_name() : column.type_name);
    writer.u8(static_cast<std::uint8_t>(column.kind));
    writer.i32(column.position);
    writer.u8(column.descending ? 1 : 0);
  }
  writer.i32(static_cast<std::int32_t>(table.partition_key_count));
  writer.i32(static_cast<std::int32_t>(table.clustering_count));
  write_map(writer, table.options);
  return writer.take();
}

std::optional<TableDef> decode_table(std::string_view bytes) {
  Reader reader(bytes);
  TableDef table;
  table.keyspace = reader.bytes();
  table.name = reader.bytes();
  table.storage_id = static_cast<std::uint64_t>(reader.i64());
  table.id = reader.bytes();
  std::int32_t count = reader.i32();
  for (std::int32_t i = 0; i < count && reader.ok(); ++i) {
    ColumnDef column;
    column.name = reader.bytes();
    column.type_name = reader.bytes();
    auto type = runnel::cql::DataType::parse(column.type_name);
    if (!type) return std::nullopt;
    column.type = std::move(*type);
    column.kind = static_cast<ColumnKind>(reader.u8());
    column.position = reader.i32();
    column.descending = reader.u8() != 0;
    table.columns.push_back(std::move(column));
  }
  table.partition_key_count = static_cast<std::size_t>(reader.i32());
  table.clustering_count = static_cast<std::size_t>(reader.i32());
  table.options = read_map(reader);
  if (!reader.ok()) return std::nullopt;
  return table;
}

CqlError invalid(std::string message) {
  return CqlError{runnel::cql::ErrorCode::kInvalid, std::move(message), {}, {}, {}};
}

}  // namespace

std::string random_uuid() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  std::string bytes(16, '\0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = generator();
    for (int i = 0; i < 8; ++i) bytes[half * 8 + i] = static_cast<char>(bits >> (8 * i));
  }
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  return bytes;
}

Result<std::unique_ptr<SchemaStore>> SchemaStore::open(storage::Database& database) {
  std::unique_ptr<SchemaStore> store(new SchemaStore(database));
  if (auto status = store->load(); !status.is_ok()) return status;
  return store;
}

Status SchemaStore::load() {
  Catalog catalog;
  add_system_keyspaces(catalog);
  {
    auto it = database_.scan(kKeyspacePrefix, storage::prefix_successor(kKeyspacePrefix));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto keyspace = decode_keyspace(std::string_view(it->value().data(), it->value().size()));
      if (!keyspace) return data_loss("a keyspace record in the store cannot be read");
      std::string name = keyspace->name;
      catalog.keyspaces[name] = std::move(*keyspace);
    }
  }
  auto it = database_.scan(kTablePrefix, storage::prefix_successor(kTablePrefix));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto table = decode_table(std::string_view(it->value().data(), it->value().size()));
    if (!table) return data_loss("a table record in the store cannot be read");
    auto keyspace = catalog.keyspaces.find(table->keyspace);
    if (keyspace == catalog.keyspaces.end()) continue;
    std::string name = table->name;
    keyspace->second.tables[name] = std::make_shared<const TableDef>(std::move(*table));
  }
  std::lock_guard lock(mutex_);
  publish(std::move(catalog));
  return Status::ok();
}

std::shared_ptr<const Catalog> SchemaStore::catalog() const {
  std::lock_guard lock(mutex_);
  return catalog_;
}

void SchemaStore::publish(Catalog next) {
  next.schema_version = random_uuid();
  catalog_ = std::make_shared<const Catalog>(std::move(next));
}

SchemaStore::Change SchemaStore::create_keyspace(KeyspaceDef keyspace, bool if_not_exists) {
  std::lock_guard lock(mutex_);
  const KeyspaceDef* existing = catalog_->keyspace(keyspace.name);
  if (existing != nullptr && existing->is_system) {
    return invalid(keyspace.name + " keyspace is not user-modifiable");
  }
  if (existing != nullptr) {
    if (if_not_exists) return std::optional<SchemaChange>();
    return CqlError{runnel::cql::ErrorCode::kAlreadyExists,
                    "Cannot add existing keyspace \"" + keyspace.name + "\"", keyspace.name, "",
                    ""};
  }
  rocksdb::WriteBatch batch;
  batch.Put(keyspace_key(keyspace.name), encode_keyspace(keyspace));
  if (auto status = database_.write(batch); !status.is_ok()) {
    return CqlError{runnel::cql::ErrorCode::kServerError, status.message(), {}, {}, {}};
  }
  Catalog next = *catalog_;
  std::string name = keyspace.name;
  next.keyspaces[name] = std::move(keyspace);
  publish(std::move(next));
  return std::optional<SchemaChange>(SchemaChange{"CREATED", "KEYSPACE", name, ""});
}

SchemaStore::Change SchemaStore::drop_keyspace(const std::string& name, bool if_exists) {
  std::lock_guard lock(mutex_);
  const KeyspaceDef* keyspace = catalog_->keyspace(name);
  if (keyspace == nullptr) {
    if (if_exists) return std::optional<SchemaChange>();
    return CqlError{runnel::cql::ErrorCode::kConfigError,
                    "Cannot drop non existing keyspace '" + name + "'.",
                    {},
                    {},
                    {}};
  }
  if (keyspace->is_system) {
    return CqlError{runnel::cql::ErrorCode::kUnauthorized,
                    name + " keyspace is not user-modifiable",
                    {},
                    {},
                    {}};
  }
  rocksdb::WriteBatch batch;
  batch.Delete(keyspace_key(name));
  for (const auto& [table_name, table] : keyspace->tables) {
    batch.Delete(table_key(name, table_name));
  }
  if (auto status = database_.write(batch); !status.is_ok()) {
    return CqlError{runnel::cql::ErrorCode::kServerError, status.message(), {}, {}, {}};
  }
  for (const auto& [table_name, table] : keyspace->tables) {
    std::string prefix = storage::table_prefix(table->storage_id);
    if (auto status = database_.delete_range(prefix, storage::prefix_successor(prefix));
        !status.is_ok()) {
      return CqlError{runnel::cql::ErrorCode::kServerError, status.message(), {}, {}, {}};
    }
  }
  Catalog next = *catalog_;
  next.keyspaces.erase(name);
  publish(std::move(next));
  return std::optional<SchemaChange>(SchemaChange{"DROPPED", "KEYSPACE", name, ""});
}

SchemaStore::Change SchemaStore::create_table(TableDef table, bool if_not_exists) {
  std::lock_guard lock(mutex_);
  const KeyspaceDef* keyspace = catalog_->keyspace(table.keyspace);
  if (keyspace == nullptr) {
    return CqlError{runnel::cql::ErrorCode::kConfigError,
                    "Keyspace " + table.keyspace + " doesn't exist",
                    {},
                    {},
                    {}};
  }
  if (keyspace->is_system) {
    return CqlError{runnel::cql::ErrorCode::kUnauthorized,
                    table.keyspace + " keyspace is not user-modifiable",
                    {},
                    {},
                    {}};
  }
  if (keyspace->tables.count(table.name) != 0) {
    if (if_not_exists) return std::optional<SchemaChange>();
    return CqlError{runnel::cql::ErrorCode::kAlreadyExists,
                    "Cannot add already existing table \"" + table.name + "\" to keyspace \"" +
                        table.keyspace + "\"",
                    table.keyspace, table.name, ""};
  }
  table.id = random_uuid();
  std::uint64_t storage_id = 0;
  for (int i = 0; i < 8; ++i)
    storage_id = (storage_id << 8) | static_cast<unsigned char>(table.id[i]);
  table.storage_id = storage_id;
  rocksdb::WriteBatch batch;
  batch.Put(table_key(table.keyspace, table.name), encode_table(table));
  if (auto status = database_.write(batch); !status.is_ok()) {
    return CqlError{runnel::cql::ErrorCode::kServerError, status.message(), {}, {}, {}};
  }
  Catalog next = *catalog_;
  SchemaChange change{"CREATED", "TABLE", table.keyspace, table.name};
  std::string name = table.name;
  std::string keyspace_name = table.keyspace;
  next.keyspaces[keyspace_name].tables[name] = std::make_shared<const TableDef>(std::move(table));
  publish(std::move(next));
  return std::optional<SchemaChange>(std::move(change));
}

SchemaStore::Change SchemaStore::drop_table(const std::string& keyspace_name,
                                            const std::string& name, bool if_exists) {
  std::lock_guard lock(mutex_);
  const KeyspaceDef* keyspace = catalog_->keyspace(keyspace_name);
  if (keyspace == nullptr) {
    if (if_exists) return std::optional<SchemaChange>();
    return invalid("Keyspace '" + keyspace_name + "' does not exist");
  }
  auto table = catalog_->table(keyspace_name, name);
  if (table == nullptr) {
    if (if_exists) return std::optional<SchemaChange>();
    return invalid("unconfigured table " + name);
  }
  if (keyspace->is_system) {
    return CqlError{runnel::cql::ErrorCode::kUnauthorized,
                    keyspace_name + " keyspace is not user-modifiable",
                    {},
                    {},
                    {}};
  }
  rocksdb::WriteBatch batch;
  batch.Delete(table_key(keyspace_name, name));
  if (auto status = database_.write(batch); !status.is_ok()) {
    return CqlError{runnel::cql::ErrorCode::kServerError, status.message(), {}, {}, {}};
  }
  std::string prefix = storage::table_prefix(table->storage_id);
  if (auto status = database_.delete_range(prefix, storage::prefix_successor(prefix));
      !status.is_ok()) {
    return CqlError{runnel::cql::ErrorCode::kServerError, status.message(), {}, {}, {}};
  }
  Catalog next = *catalog_;
  next.keyspaces[keyspace_name].tables.erase(name);
  publish(std::move(next));
  return std::optional<SchemaChange>(SchemaChange{"DROPPED", "TABLE", keyspace_name, name});
}

}  // namespace runnel::store::schema

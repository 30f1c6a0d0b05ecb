#include "store/schema/system_tables.h"

#include <algorithm>

#include "cql/value.h"

namespace runnel::store::schema {
namespace {

using runnel::cql::DataType;
using Row = std::vector<std::optional<std::string>>;

struct ColumnSpec {
  const char* name;
  const char* type;
};

// A virtual table: its partition key columns, clustering columns, and the
// others (sorted by name here, as Cassandra orders regular columns).
std::shared_ptr<const TableDef> virtual_table(const std::string& keyspace, const std::string& name,
                                              std::vector<ColumnSpec> partition_key,
                                              std::vector<ColumnSpec> clustering,
                                              std::vector<ColumnSpec> regular) {
  auto table = std::make_shared<TableDef>();
  table->keyspace = keyspace;
  table->name = name;
  table->is_virtual = true;
  table->id = std::string(16, '\0');
  for (std::size_t i = 0; i < name.size(); ++i) table->id[i % 16] ^= name[i];
  table->partition_key_count = partition_key.size();
  table->clustering_count = clustering.size();
  auto add = [&](const ColumnSpec& spec, ColumnKind kind, int position) {
    table->columns.push_back(
        ColumnDef{spec.name, DataType::parse(spec.type).value(), spec.type, kind, position, false});
  };
  for (std::size_t i = 0; i < partition_key.size(); ++i) {
    add(partition_key[i], ColumnKind::kPartitionKey, static_cast<int>(i));
  }
  for (std::size_t i = 0; i < clustering.size(); ++i) {
    add(clustering[i], ColumnKind::kClustering, static_cast<int>(i));
  }
  std::sort(regular.begin(), regular.end(), [](const ColumnSpec& a, const ColumnSpec& b) {
    return std::string_view(a.name) < b.name;
  });
  for (const auto& spec : regular) add(spec, ColumnKind::kRegular, -1);
  return table;
}

const std::vector<ColumnSpec> kTableOptionColumns = {
    {"bloom_filter_fp_chance", "double"},
    {"caching", "frozen<map<text, text>>"},
    {"cdc", "boolean"},
    {"comment", "text"},
    {"compaction", "frozen<map<text, text>>"},
    {"compression", "frozen<map<text, text>>"},
    {"crc_check_chance", "double"},
    {"dclocal_read_repair_chance", "double"},
    {"default_time_to_live", "int"},
    {"extensions", "frozen<map<text, blob>>"},
    {"gc_grace_seconds", "int"},
    {"max_index_interval", "int"},
    {"memtable_flush_period_in_ms", "int"},
    {"min_index_interval", "int"},
    {"read_repair_chance", "double"},
    {"speculative_retry", "text"},
};

std::vector<ColumnSpec> with_options(std::vector<ColumnSpec> columns) {
  columns.insert(columns.end(), kTableOptionColumns.begin(), kTableOptionColumns.end());
  return columns;
}

KeyspaceDef system_keyspace(const std::string& name) {
  KeyspaceDef keyspace;
  keyspace.name = name;
  keyspace.is_system = true;
  keyspace.replication = {{"class", "org.apache.cassandra.locator.LocalStrategy"}};
  return keyspace;
}

void add(KeyspaceDef& keyspace, std::shared_ptr<const TableDef> table) {
  keyspace.tables[table->name] = std::move(table);
}

std::string text(std::string_view value) { return std::string(value); }

std::string text_map(const std::map<std::string, std::string>& map) {
  std::vector<std::string> elements;
  for (const auto& [key, value] : map) {
    elements.push_back(key);
    elements.push_back(value);
  }
  return runnel::cql::encode_collection(elements, true);
}

std::string text_set(std::vector<std::string> elements) {
  std::sort(elements.begin(), elements.end());
  return runnel::cql::encode_collection(elements, false);
}

// Fills a row by column name; columns not set stay null.
class RowBuilder {
 public:
  explicit RowBuilder(const TableDef& table) : table_(table), row_(table.columns.size()) {}
  RowBuilder& set(const std::string& column, std::string value) {
    int index = table_.find(column);
    if (index >= 0) row_[static_cast<std::size_t>(index)] = std::move(value);
    return *this;
  }
  Row take() { return std::move(row_); }

 private:
  const TableDef& table_;
  Row row_;
};

void set_table_options(RowBuilder& row, const TableDef& table) {
  auto option = [&](const std::string& name, const std::string& fallback) {
    auto it = table.options.find(name);
    return it == table.options.end() ? fallback : it->second;
  };
  row.set("bloom_filter_fp_chance", runnel::cql::encode_double(0.01))
      .set("caching", text_map({{"keys", "ALL"}, {"rows_per_partition", "NONE"}}))
      .set("cdc", runnel::cql::encode_boolean(false))
      .set("comment", option("comment", ""))
      .set("compaction",
           text_map({{"class", "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"},
                     {"max_threshold", "32"},
                     {"min_threshold", "4"}}))
      .set("compression", text_map({{"chunk_length_in_kb", "64"},
                                    {"class", "org.apache.cassandra.io.compress.LZ4Compressor"}}))
      .set("crc_check_chance", runnel::cql::encode_double(1.0))
      .set("dclocal_read_repair_chance", runnel::cql::encode_double(0.1))
      .set("default_time_to_live",
           runnel::cql::encode_int(std::atoi(option("default_time_to_live", "0").c_str())))
      .set("extensions", runnel::cql::encode_collection({}, true))
      .set("gc_grace_seconds",
           runnel::cql::encode_int(std::atoi(option("gc_grace_seconds", "864000").c_str())))
      .set("max_index_interval", runnel::cql::encode_int(2048))
      .set("memtable_flush_period_in_ms", runnel::cql::encode_int(0))
      .set("min_index_interval", runnel::cql::encode_int(128))
      .set("read_repair_chance", runnel::cql::encode_double(0.0))
      .set("speculative_retry", "99PERCENTILE");
}

std::string_view kind_name(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kPartitionKey:
      return "partition_key";
    case ColumnKind::kClustering:
      return "clustering";
    case ColumnKind::kStatic:
      return "static";
    case ColumnKind::kRegular:
      break;
  }
  return "regular";
}

std::vector<const TableDef*> all_tables(const Catalog& catalog) {
  std::vector<const TableDef*> tables;
  for (const auto& [keyspace_name, keyspace] : catalog.keyspaces) {
    for (const auto& [table_name, table] : keyspace.tables) tables.push_back(table.get());
  }
  return tables;
}

}  // namespace

void add_system_keyspaces(Catalog& catalog) {
  KeyspaceDef system = system_keyspace("system");
  add(system, virtual_table("system", "local", {{"key", "text"}}, {},
                            {{"bootstrapped", "text"},
                             {"broadcast_address", "inet"},
                             {"cluster_name", "text"},
                             {"cql_version", "text"},
                             {"data_center", "text"},
                             {"gossip_generation", "int"},
                             {"host_id", "uuid"},
                             {"listen_address", "inet"},
                             {"native_protocol_version", "text"},
                             {"partitioner", "text"},
                             {"rack", "text"},
                             {"release_version", "text"},
                             {"rpc_address", "inet"},
                             {"schema_version", "uuid"},
                             {"thrift_version", "text"},
                             {"tokens", "set<text>"},
                             {"truncated_at", "map<uuid, blob>"}}));
  add(system, virtual_table("system", "peers", {{"peer", "inet"}}, {},
                            {{"data_center", "text"},
                             {"host_id", "uuid"},
                             {"preferred_ip", "inet"},
                             {"rack", "text"},
                             {"release_version", "text"},
                             {"rpc_address", "inet"},
                             {"schema_version", "uuid"},
                             {"tokens", "set<text>"}}));
  add(system, virtual_table("system", "peers_v2", {{"peer", "inet"}}, {{"peer_port", "int"}},
                            {{"data_center", "text"},
                             {"host_id", "uuid"},
                             {"native_address", "inet"},
                             {"native_port", "int"},
                             {"preferred_ip", "inet"},
                             {"preferred_port", "int"},
                             {"rack", "text"},
                             {"release_version", "text"},
                             {"schema_version", "uuid"},
                             {"tokens", "set<text>"}}));
  catalog.keyspaces["system"] = std::move(system);

  KeyspaceDef schema = system_keyspace("system_schema");
  add(schema,
      virtual_table("system_schema", "keyspaces", {{"keyspace_name", "text"}}, {},
                    {{"durable_writes", "boolean"}, {"replication", "frozen<map<text, text>>"}}));
  add(schema, virtual_table("system_schema", "tables", {{"keyspace_name", "text"}},
                            {{"table_name", "text"}},
                            with_options({{"flags", "frozen<set<text>>"}, {"id", "uuid"}})));
  add(schema, virtual_table("system_schema", "columns", {{"keyspace_name", "text"}},
                            {{"table_name", "text"}, {"column_name", "text"}},
                            {{"clustering_order", "text"},
                             {"column_name_bytes", "blob"},
                             {"kind", "text"},
                             {"position", "int"},
                             {"type", "text"}}));
  add(schema, virtual_table("system_schema", "dropped_columns", {{"keyspace_name", "text"}},
                            {{"table_name", "text"}, {"column_name", "text"}},
                            {{"dropped_time", "timestamp"}, {"kind", "text"}, {"type", "text"}}));
  add(schema, virtual_table("system_schema", "triggers", {{"keyspace_name", "text"}},
                            {{"table_name", "text"}, {"trigger_name", "text"}},
                            {{"options", "frozen<map<text, text>>"}}));
  add(schema,
      virtual_table("system_schema", "views", {{"keyspace_name", "text"}}, {{"view_name", "text"}},
                    with_options({{"base_table_id", "uuid"},
                                  {"base_table_name", "text"},
                                  {"id", "uuid"},
                                  {"include_all_columns", "boolean"},
                                  {"where_clause", "text"}})));
  add(schema, virtual_table(
                  "system_schema", "types", {{"keyspace_name", "text"}}, {{"type_name", "text"}},
                  {{"field_names", "frozen<list<text>>"}, {"field_types", "frozen<list<text>>"}}));
  add(schema, virtual_table("system_schema", "functions", {{"keyspace_name", "text"}},
                            {{"function_name", "text"}, {"argument_types", "frozen<list<text>>"}},
                            {{"argument_names", "frozen<list<text>>"},
                             {"body", "text"},
                             {"called_on_null_input", "boolean"},
                             {"language", "text"},
                             {"return_type", "text"}}));
  add(schema, virtual_table("system_schema", "aggregates", {{"keyspace_name", "text"}},
                            {{"aggregate_name", "text"}, {"argument_types", "frozen<list<text>>"}},
                            {{"final_func", "text"},
                             {"initcond", "text"},
                             {"return_type", "text"},
                             {"state_func", "text"},
                             {"state_type", "text"}}));
  add(schema, virtual_table("system_schema", "indexes", {{"keyspace_name", "text"}},
                            {{"table_name", "text"}, {"index_name", "text"}},
                            {{"kind", "text"}, {"options", "frozen<map<text, text>>"}}));
  catalog.keyspaces["system_schema"] = std::move(schema);

  for (const char* name : {"system_auth", "system_distributed", "system_traces"}) {
    KeyspaceDef keyspace = system_keyspace(name);
    keyspace.replication = {{"class", "org.apache.cassandra.locator.SimpleStrategy"},
                            {"replication_factor", "1"}};
    catalog.keyspaces[name] = std::move(keyspace);
  }
}

std::vector<Row> system_rows(const TableDef& table, const Catalog& catalog, const NodeInfo& node) {
  std::vector<Row> rows;
  auto address = runnel::cql::encode_inet(node.address);
  std::string inet = address ? *address : runnel::cql::encode_inet("127.0.0.1").value();
  const std::string name = table.keyspace + "." + table.name;
  if (name == "system.local") {
    RowBuilder row(table);
    row.set("key", "local")
        .set("bootstrapped", "COMPLETED")
        .set("broadcast_address", inet)
        .set("cluster_name", "runnel")
        .set("cql_version", "3.4.4")
        .set("data_center", "datacenter1")
        .set("gossip_generation", runnel::cql::encode_int(1))
        .set("host_id", node.host_id)
        .set("listen_address", inet)
        .set("native_protocol_version", "4")
        .set("partitioner", "org.apache.cassandra.dht.Murmur3Partitioner")
        .set("rack", "rack1")
        .set("release_version", kReleaseVersion)
        .set("rpc_address", inet)
        .set("schema_version", catalog.schema_version)
        .set("thrift_version", "20.1.0")
        .set("tokens", text_set({"0"}));
    rows.push_back(row.take());
  } else if (name == "system_schema.keyspaces") {
    for (const auto& [keyspace_name, keyspace] : catalog.keyspaces) {
      RowBuilder row(table);
      row.set("keyspace_name", keyspace_name)
          .set("durable_writes", runnel::cql::encode_boolean(keyspace.durable_writes))
          .set("replication", text_map(keyspace.replication));
      rows.push_back(row.take());
    }
  } else if (name == "system_schema.tables") {
    for (const TableDef* described : all_tables(catalog)) {
      RowBuilder row(table);
      row.set("keyspace_name", described->keyspace)
          .set("table_name", described->name)
          .set("flags", text_set({"compound"}))
          .set("id", described->id);
      set_table_options(row, *described);
      rows.push_back(row.take());
    }
  } else if (name == "system_schema.columns") {
    for (const TableDef* described : all_tables(catalog)) {
      std::vector<const ColumnDef*> columns;
      for (const auto& column : described->columns) columns.push_back(&column);
      std::sort(columns.begin(), columns.end(),
                [](const ColumnDef* a, const ColumnDef* b) { return a->name < b->name; });
      for (const ColumnDef* column : columns) {
        RowBuilder row(table);
        row.set("keyspace_name", described->keyspace)
            .set("table_name", described->name)
            .set("column_name", column->name)
            .set("clustering_order", column->kind != ColumnKind::kClustering ? "none"
                                     : column->descending                    ? "desc"
                                                                             : "asc")
            .set("column_name_bytes", column->name)
            .set("kind", text(kind_name(column->kind)))
            .set("position", runnel::cql::encode_int(column->position))
            .set("type", column->type_name.empty() ? column->type.cql_name() : column->type_name);
        rows.push_back(row.take());
      }
    }
  }
  return rows;
}

}  // namespace runnel::store::schema

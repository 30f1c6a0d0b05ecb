#include "store/executor/schema_statements.h"

#include <algorithm>
#include <set>

#include "cql/value.h"
#include "store/executor/request_error.h"
#include "store/storage/keys.h"

namespace runnel::store::executor {
namespace {

using runnel::cql::DataType;
using schema::ColumnDef;
using schema::ColumnKind;

Outcome from_change(schema::SchemaStore::Change change) {
  if (auto* error = std::get_if<CqlError>(&change)) return std::move(*error);
  auto& made = std::get<std::optional<SchemaChange>>(change);
  if (!made) return Void{};
  return std::move(*made);
}

// A property's value as text: strings and numbers as written.
std::string property_text(const cql3::Term& term) { return term.text; }

std::map<std::string, std::string> replication_of(const cql3::Property& property) {
  std::map<std::string, std::string> replication;
  if (property.value.kind != cql3::Term::Kind::kMap)
    throw_error(runnel::cql::ErrorCode::kSyntaxError, "Invalid replication: expected a map");
  for (std::size_t i = 0; i + 1 < property.value.elements.size(); i += 2) {
    replication[property.value.elements[i].text] = property.value.elements[i + 1].text;
  }
  return replication;
}

// A written type as system_schema shows it: native names canonical
// (varchar is text), frozen<> kept, ", " between parameters.
std::string schema_type_name(std::string_view written) {
  auto open = written.find('<');
  if (open == std::string_view::npos) {
    auto type = DataType::parse(written);
    return type ? type->cql_name() : std::string(written);
  }
  std::string name(written.substr(0, open));
  std::string_view inner = written.substr(open + 1, written.size() - open - 2);
  std::string out = name + "<";
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= inner.size(); ++i) {
    if (i < inner.size() && inner[i] == '<') ++depth;
    if (i < inner.size() && inner[i] == '>') --depth;
    if (i == inner.size() || (inner[i] == ',' && depth == 0)) {
      std::string_view part = inner.substr(start, i - start);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (start != 0) out += ", ";
      out += schema_type_name(part);
      start = i + 1;
    }
  }
  return out + ">";
}

void check_name(const std::string& name, const std::string& what) {
  bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  std::string lowered = what;
  lowered[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(lowered[0])));
  if (!valid) {
    // Cassandra 3.11 explains the rule for tables only.
    throw_invalid("\"" + name + "\" is not a valid " + lowered + " name" +
                  (what == "Table"
                       ? " (must be alphanumeric character or underscore only: [a-zA-Z_0-9]+)"
                       : ""));
  }
  if (name.size() > 48) {
    throw_invalid(what + " names shouldn't be more than 48 characters long (got \"" + name + "\")");
  }
}

}  // namespace

Outcome create_keyspace(const Context& context, const cql3::CreateKeyspace& statement) {
  check_name(statement.name, "Keyspace");
  schema::KeyspaceDef keyspace;
  keyspace.name = statement.name;
  for (const auto& property : statement.properties) {
    if (property.name == "replication") {
      keyspace.replication = replication_of(property);
    } else if (property.name == "durable_writes") {
      keyspace.durable_writes = property.value.text != "false";
    } else {
      throw_error(runnel::cql::ErrorCode::kSyntaxError, "Unknown property '" + property.name + "'");
    }
  }
  auto strategy = keyspace.replication.find("class");
  if (strategy == keyspace.replication.end()) {
    throw_error(runnel::cql::ErrorCode::kConfigError, "Missing replication strategy class");
  }
  // Cassandra shows the strategy's full class name.
  if (strategy->second.find('.') == std::string::npos) {
    strategy->second = "org.apache.cassandra.locator." + strategy->second;
  }
  const std::string& strategy_class = strategy->second;
  if (strategy_class != "org.apache.cassandra.locator.SimpleStrategy" &&
      strategy_class != "org.apache.cassandra.locator.NetworkTopologyStrategy") {
    throw_error(runnel::cql::ErrorCode::kConfigError,
                "Unable to find replication strategy class '" + strategy_class + "'");
  }
  if (strategy_class == "org.apache.cassandra.locator.SimpleStrategy" &&
      keyspace.replication.count("replication_factor") == 0) {
    throw_error(runnel::cql::ErrorCode::kConfigError,
                "SimpleStrategy requires a replication_factor strategy option.");
  }
  return from_change(
      context.store.schema.create_keyspace(std::move(keyspace), statement.if_not_exists));
}

Outcome drop_keyspace(const Context& context, const cql3::DropKeyspace& statement) {
  return from_change(context.store.schema.drop_keyspace(statement.name, statement.if_exists));
}

Outcome create_table(const Context& context, const cql3::CreateTable& statement) {
  const std::string& keyspace =
      statement.table.keyspace.empty() ? context.keyspace : statement.table.keyspace;
  if (keyspace.empty()) {
    throw_invalid(
        "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
  }
  check_name(statement.table.name, "Table");
  schema::TableDef table;
  table.keyspace = keyspace;
  table.name = statement.table.name;
  if (statement.multiple_primary_keys)
    throw_invalid("Multiple PRIMARY KEYs specifed (exactly one required)");
  std::map<std::string, DataType> types;
  std::map<std::string, std::string> type_names;
  std::set<std::string> frozen;
  std::vector<std::string> order;
  for (const auto& column : statement.columns) {
    auto type = DataType::parse(column.type);
    if (!type) throw_error(runnel::cql::ErrorCode::kSyntaxError, "Unknown type " + column.type);
    if (type->kind == runnel::cql::TypeKind::kCounter)
      throw_invalid("Counter columns are not supported by this store");
    if (!types.emplace(column.name, std::move(*type)).second) {
      throw_invalid("Multiple definition of identifier " + column.name);
    }
    // Static columns would need cells shared by a partition's rows, which
    // the storage does not keep: refused rather than stored per row.
    if (column.is_static)
      throw_invalid("Static columns are not supported by this store (" + column.name + ")");
    type_names[column.name] = schema_type_name(column.type);
    std::string lowered = column.type;
    for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered.rfind("frozen<", 0) == 0) frozen.insert(column.name);
    order.push_back(column.name);
  }
  if (statement.partition_key.empty())
    throw_invalid("No PRIMARY KEY specifed (exactly one required)");
  std::set<std::string> key_columns;
  auto add_key = [&](const std::string& name, ColumnKind kind, int position) {
    auto type = types.find(name);
    if (type == types.end())
      throw_invalid("Unknown definition " + name + " referenced in PRIMARY KEY");
    if (!key_columns.insert(name).second)
      throw_invalid("Duplicate definition for " + name + " in PRIMARY KEY");
    if (type->second.is_collection() && !frozen.count(name)) {
      throw_invalid("Invalid non-frozen collection type for PRIMARY KEY component " + name);
    }
    table.columns.push_back(ColumnDef{name, type->second, type_names[name], kind, position, false});
  };
  for (std::size_t i = 0; i < statement.partition_key.size(); ++i) {
    add_key(statement.partition_key[i], ColumnKind::kPartitionKey, static_cast<int>(i));
  }
  for (std::size_t i = 0; i < statement.clustering.size(); ++i) {
    add_key(statement.clustering[i], ColumnKind::kClustering, static_cast<int>(i));
  }
  table.partition_key_count = statement.partition_key.size();
  table.clustering_count = statement.clustering.size();
  // Cassandra 3.11's checks, in its order.
  const auto& ordering = statement.clustering_order;
  if (ordering.size() > statement.clustering.size()) {
    throw_invalid("Only clustering key columns can be defined in CLUSTERING ORDER directive");
  }
  for (std::size_t i = 0; i < ordering.size(); ++i) {
    const std::string& expected = statement.clustering[i];
    if (ordering[i].first != expected) {
      bool listed = std::any_of(ordering.begin(), ordering.end(),
                                [&](const auto& entry) { return entry.first == expected; });
      if (listed) {
        throw_invalid(
            "The order of columns in the CLUSTERING ORDER directive must be the one of the "
            "clustering key (" +
            expected + " must appear before " + ordering[i].first + ")");
      }
      throw_invalid("Missing CLUSTERING ORDER for column " + expected);
    }
    table.columns[table.partition_key_count + i].descending = ordering[i].second;
  }
  // Regular columns by name: Cassandra's order of SELECT * (its
  // Columns.selectOrderIterator).
  std::sort(order.begin(), order.end());
  for (const auto& name : order) {
    if (key_columns.count(name) != 0) continue;
    table.columns.push_back(
        ColumnDef{name, types[name], type_names[name], ColumnKind::kRegular, -1, false});
  }
  static const std::set<std::string> kTableOptions = {"bloom_filter_fp_chance",
                                                      "caching",
                                                      "cdc",
                                                      "comment",
                                                      "compaction",
                                                      "compression",
                                                      "crc_check_chance",
                                                      "dclocal_read_repair_chance",
                                                      "default_time_to_live",
                                                      "extensions",
                                                      "gc_grace_seconds",
                                                      "id",
                                                      "max_index_interval",
                                                      "memtable_flush_period_in_ms",
                                                      "min_index_interval",
                                                      "read_repair_chance",
                                                      "speculative_retry"};
  for (const auto& property : statement.properties) {
    if (kTableOptions.count(property.name) == 0) {
      throw_error(runnel::cql::ErrorCode::kSyntaxError, "Unknown property '" + property.name + "'");
    }
    table.options[property.name] = property_text(property.value);
  }
  return from_change(context.store.schema.create_table(std::move(table), statement.if_not_exists));
}

Outcome drop_table(const Context& context, const cql3::DropTable& statement) {
  const std::string& keyspace =
      statement.table.keyspace.empty() ? context.keyspace : statement.table.keyspace;
  if (keyspace.empty()) {
    throw_invalid(
        "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
  }
  return from_change(
      context.store.schema.drop_table(keyspace, statement.table.name, statement.if_exists));
}

Outcome truncate_table(const Context& context, const cql3::TruncateTable& statement) {
  auto table = resolve_writable_table(context, statement.table);
  std::string prefix = storage::table_prefix(table->storage_id);
  if (auto status = context.store.database.delete_range(prefix, storage::prefix_successor(prefix));
      !status.is_ok()) {
    throw_error(runnel::cql::ErrorCode::kTruncateError, status.message());
  }
  return Void{};
}

}  // namespace runnel::store::executor

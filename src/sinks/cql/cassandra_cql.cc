#include "sinks/cql/cassandra_cql.h"

#include <algorithm>
#include <limits>

#include "cql/value.h"

namespace runnel::sinks {
namespace {

bool is_plain_identifier(std::string_view name) {
  if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string qualified(const CassandraTable& target) {
  return cql_identifier(target.keyspace) + "." + cql_identifier(target.table);
}

std::string offsets_table(std::string_view keyspace) {
  return cql_identifier(keyspace) + "." + std::string(kCassandraOffsetsTable);
}

std::string field_list(const stream::Schema& schema) {
  std::string list;
  for (const stream::SchemaField& field : schema.fields) {
    if (!list.empty()) list += ", ";
    list += cql_identifier(field.name);
  }
  return list;
}

Status wrong_kind(const stream::SchemaField& field) {
  return invalid_argument("cassandra: field " + field.name + " holds a value that is not " +
                          std::string(stream::field_type_name(field.type)));
}

// Floors, so that a timestamp before 1970 keeps its millisecond.
int64_t micros_to_millis(int64_t micros) {
  int64_t millis = micros / 1000;
  if (micros % 1000 < 0) --millis;
  return millis;
}

Result<std::string> serialize(const stream::SchemaField& field, const stream::Value& value) {
  switch (field.type) {
    case stream::FieldType::kText:
      if (auto* text = std::get_if<std::string>(&value)) return *text;
      return wrong_kind(field);
    case stream::FieldType::kUuid:
      if (auto* text = std::get_if<std::string>(&value)) {
        auto bytes = cql::encode_uuid(*text);
        if (!bytes)
          return invalid_argument("cassandra: field " + field.name + ": " +
                                  bytes.status().message());
        return bytes;
      }
      return wrong_kind(field);
    case stream::FieldType::kInt:
      if (auto* number = std::get_if<int64_t>(&value)) {
        if (*number < std::numeric_limits<int32_t>::min() ||
            *number > std::numeric_limits<int32_t>::max()) {
          return invalid_argument("cassandra: field " + field.name + ": " +
                                  std::to_string(*number) + " is out of range for int");
        }
        return cql::encode_int(static_cast<int32_t>(*number));
      }
      return wrong_kind(field);
    case stream::FieldType::kBigint:
      if (auto* number = std::get_if<int64_t>(&value)) return cql::encode_bigint(*number);
      return wrong_kind(field);
    case stream::FieldType::kTimestamp:
      if (auto* micros = std::get_if<int64_t>(&value)) {
        return cql::encode_timestamp(micros_to_millis(*micros));
      }
      return wrong_kind(field);
    case stream::FieldType::kDouble:
      if (auto* number = std::get_if<double>(&value)) return cql::encode_double(*number);
      return wrong_kind(field);
    case stream::FieldType::kBoolean:
      if (auto* flag = std::get_if<bool>(&value)) return cql::encode_boolean(*flag);
      return wrong_kind(field);
  }
  return wrong_kind(field);
}

}  // namespace

std::string cql_identifier(std::string_view name) {
  if (is_plain_identifier(name)) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string_view cql_type(stream::FieldType type) {
  switch (type) {
    case stream::FieldType::kText:
      return "text";
    case stream::FieldType::kInt:
      return "int";
    case stream::FieldType::kBigint:
      return "bigint";
    case stream::FieldType::kDouble:
      return "double";
    case stream::FieldType::kBoolean:
      return "boolean";
    case stream::FieldType::kUuid:
      return "uuid";
    case stream::FieldType::kTimestamp:
      return "timestamp";
  }
  return "blob";
}

Status check_cql_name(std::string_view what, std::string_view name) {
  bool valid =
      !name.empty() && name.size() <= 48 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
      });
  if (valid) return Status::ok();
  return invalid_argument("cassandra: " + std::string(what) + " '" + std::string(name) +
                          "' is not 1 to 48 letters, digits or underscores");
}

std::string create_keyspace_cql(std::string_view keyspace, std::string_view replication) {
  return "CREATE KEYSPACE IF NOT EXISTS " + cql_identifier(keyspace) +
         " WITH replication = " + std::string(replication);
}

std::string create_table_cql(const CassandraTable& target, const stream::Schema& schema) {
  std::string cql = "CREATE TABLE IF NOT EXISTS " + qualified(target) + " (";
  for (const stream::SchemaField& field : schema.fields) {
    cql += cql_identifier(field.name) + " " + std::string(cql_type(field.type)) + ", ";
  }
  cql += "PRIMARY KEY ((";
  for (size_t i = 0; i < schema.primary_key.size(); ++i) {
    if (i > 0) cql += ", ";
    cql += cql_identifier(schema.primary_key[i]);
  }
  return cql + ")))";
}

std::string insert_cql(const CassandraTable& target, const stream::Schema& schema) {
  std::string markers;
  for (size_t i = 0; i < schema.fields.size(); ++i) markers += i == 0 ? "?" : ", ?";
  return "INSERT INTO " + qualified(target) + " (" + field_list(schema) + ") VALUES (" + markers +
         ")";
}

std::string create_offsets_table_cql(std::string_view keyspace) {
  return "CREATE TABLE IF NOT EXISTS " + offsets_table(keyspace) +
         " (job text, topic text, partition int, next_offset bigint, "
         "PRIMARY KEY ((job), topic, partition))";
}

std::string upsert_offset_cql(std::string_view keyspace) {
  return "INSERT INTO " + offsets_table(keyspace) +
         " (job, topic, partition, next_offset) VALUES (?, ?, ?, ?)";
}

std::string select_offsets_cql(std::string_view keyspace) {
  return "SELECT topic, partition, next_offset FROM " + offsets_table(keyspace) + " WHERE job = ?";
}

Result<std::vector<store::BoundValue>> bind_row(const stream::Schema& schema,
                                                const stream::Row& row) {
  std::vector<store::BoundValue> values;
  values.reserve(schema.fields.size());
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const stream::SchemaField& field = schema.fields[i];
    if (std::holds_alternative<std::monostate>(row.values[i])) {
      if (std::find(schema.primary_key.begin(), schema.primary_key.end(), field.name) !=
          schema.primary_key.end()) {
        return invalid_argument("cassandra: key field " + field.name + " is null");
      }
      values.push_back(store::BoundValue::null());
      continue;
    }
    auto bytes = serialize(field, row.values[i]);
    if (!bytes) return bytes.status();
    values.push_back(store::BoundValue::set(std::move(bytes).value()));
  }
  return values;
}

}  // namespace runnel::sinks

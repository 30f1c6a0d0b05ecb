#include "sinks/cql/cassandra_cql.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "cql/value.h"
#include "sinks/row_json.h"

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

bool is_text(cql::TypeKind kind) {
  return kind == cql::TypeKind::kVarchar || kind == cql::TypeKind::kAscii;
}

// Whether values of a field of this type can be written to a column of
// this kind: its own, text, and the widenings of cassandra_cql.h.
bool converts(stream::FieldType field, cql::TypeKind column) {
  if (is_text(column)) return true;
  switch (field) {
    case stream::FieldType::kText:
    case stream::FieldType::kUuid:
      return column == cql::TypeKind::kUuid || column == cql::TypeKind::kTimeuuid;
    case stream::FieldType::kInt:
      return column == cql::TypeKind::kInt || column == cql::TypeKind::kBigint;
    case stream::FieldType::kBigint:
      return column == cql::TypeKind::kBigint;
    case stream::FieldType::kDouble:
      return column == cql::TypeKind::kDouble;
    case stream::FieldType::kBoolean:
      return column == cql::TypeKind::kBoolean;
    case stream::FieldType::kTimestamp:
      return column == cql::TypeKind::kTimestamp;
  }
  return false;
}

std::string as_text(const stream::Value& value, stream::FieldType type) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
  if (const auto* number = std::get_if<double>(&value)) {
    char digits[32];
    auto end = std::to_chars(digits, digits + sizeof digits, *number).ptr;
    return std::string(digits, end);
  }
  const auto number = std::get<int64_t>(value);
  return type == stream::FieldType::kTimestamp ? format_timestamp(number) : std::to_string(number);
}

// Whether the value holds the C++ type of its field's FieldType.
bool holds_field_type(const stream::SchemaField& field, const stream::Value& value) {
  switch (field.type) {
    case stream::FieldType::kText:
    case stream::FieldType::kUuid:
      return std::holds_alternative<std::string>(value);
    case stream::FieldType::kInt:
    case stream::FieldType::kBigint:
    case stream::FieldType::kTimestamp:
      return std::holds_alternative<int64_t>(value);
    case stream::FieldType::kDouble:
      return std::holds_alternative<double>(value);
    case stream::FieldType::kBoolean:
      return std::holds_alternative<bool>(value);
  }
  return false;
}

// REQUIRES: holds_field_type(field, value) and converts(field.type, column).
Result<std::string> serialize(const stream::SchemaField& field, const stream::Value& value,
                              cql::TypeKind column) {
  switch (column) {
    case cql::TypeKind::kVarchar:
    case cql::TypeKind::kAscii:
      return as_text(value, field.type);
    case cql::TypeKind::kUuid:
    case cql::TypeKind::kTimeuuid: {
      auto bytes = cql::encode_uuid(std::get<std::string>(value));
      if (!bytes) {
        return invalid_argument("cassandra: field " + field.name + ": " + bytes.status().message());
      }
      return bytes;
    }
    case cql::TypeKind::kInt: {
      int64_t number = std::get<int64_t>(value);
      if (number < std::numeric_limits<int32_t>::min() ||
          number > std::numeric_limits<int32_t>::max()) {
        return invalid_argument("cassandra: field " + field.name + ": " + std::to_string(number) +
                                " is out of range for int");
      }
      return cql::encode_int(static_cast<int32_t>(number));
    }
    case cql::TypeKind::kBigint:
      return cql::encode_bigint(std::get<int64_t>(value));
    case cql::TypeKind::kTimestamp:
      return cql::encode_timestamp(micros_to_millis(std::get<int64_t>(value)));
    case cql::TypeKind::kDouble:
      return cql::encode_double(std::get<double>(value));
    case cql::TypeKind::kBoolean:
      return cql::encode_boolean(std::get<bool>(value));
    default:
      return wrong_kind(field);
  }
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

Status check_column(const stream::SchemaField& field, const cql::DataType& column) {
  if (converts(field.type, column.kind)) return Status::ok();
  return invalid_argument("cassandra: field " + field.name + " (" +
                          std::string(stream::field_type_name(field.type)) +
                          ") cannot be written to its column of type " + column.cql_name());
}

std::vector<cql::DataType> native_columns(const stream::Schema& schema) {
  std::vector<cql::DataType> columns;
  for (const stream::SchemaField& field : schema.fields) {
    auto type = cql::DataType::parse(cql_type(field.type));
    columns.push_back(type ? *type : cql::DataType::of(cql::TypeKind::kBlob));
  }
  return columns;
}

Result<std::vector<store::BoundValue>> bind_row(const stream::Schema& schema,
                                                const std::vector<cql::DataType>& columns,
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
    if (!holds_field_type(field, row.values[i])) return wrong_kind(field);
    auto bytes = serialize(field, row.values[i], columns[i].kind);
    if (!bytes) return bytes.status();
    values.push_back(store::BoundValue::set(std::move(bytes).value()));
  }
  return values;
}

}  // namespace runnel::sinks

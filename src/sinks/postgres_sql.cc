#include "sinks/postgres_sql.h"

#include <algorithm>

namespace runnel::sinks {
namespace {

std::string field_list(const stream::Schema& schema, std::string_view prefix = "") {
  std::string out;
  for (const stream::SchemaField& field : schema.fields) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += quote_identifier(field.name);
  }
  return out;
}

std::string key_list(const stream::Schema& schema) {
  std::string out;
  for (const std::string& key : schema.primary_key) {
    if (!out.empty()) out += ", ";
    out += quote_identifier(key);
  }
  return out;
}

bool is_key(const stream::Schema& schema, const std::string& field) {
  return std::find(schema.primary_key.begin(), schema.primary_key.end(), field) !=
         schema.primary_key.end();
}

}  // namespace

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string qualified(const TableName& name) {
  return quote_identifier(name.schema_name) + "." + quote_identifier(name.table);
}

std::string qualified_offsets(const TableName& target) {
  return qualified({target.schema_name, std::string(kOffsetsTable)});
}

std::string_view postgres_type(stream::FieldType type) {
  switch (type) {
    case stream::FieldType::kText:
      return "text";
    case stream::FieldType::kInt:
      return "integer";
    case stream::FieldType::kBigint:
      return "bigint";
    case stream::FieldType::kDouble:
      return "double precision";
    case stream::FieldType::kBoolean:
      return "boolean";
    case stream::FieldType::kUuid:
      return "uuid";
    case stream::FieldType::kTimestamp:
      return "timestamptz";
  }
  return "text";
}

std::string create_table_sql(const TableName& target, const stream::Schema& schema) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + qualified(target) + " (";
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const stream::SchemaField& field = schema.fields[i];
    if (i > 0) sql += ", ";
    sql += quote_identifier(field.name);
    sql += ' ';
    sql += postgres_type(field.type);
    if (field.required) sql += " NOT NULL";
  }
  if (!schema.primary_key.empty()) sql += ", PRIMARY KEY (" + key_list(schema) + ")";
  sql += ")";
  return sql;
}

std::string create_offsets_table_sql(const TableName& target) {
  return "CREATE TABLE IF NOT EXISTS " + qualified_offsets(target) +
         " (job text, topic text, partition int, next_offset bigint NOT NULL,"
         " PRIMARY KEY (job, topic, partition))";
}

std::string create_staging_sql(const TableName& target) {
  return "CREATE TEMP TABLE IF NOT EXISTS " + quote_identifier(kStagingTable) + " (" +
         quote_identifier(kOrdinalColumn) + " bigint, LIKE " + qualified(target) +
         ") ON COMMIT DELETE ROWS";
}

std::string copy_target_sql(const TableName& target, const stream::Schema& schema) {
  return "COPY " + qualified(target) + " (" + field_list(schema) + ") FROM STDIN";
}

std::string copy_staging_sql(const stream::Schema& schema) {
  return "COPY " + quote_identifier(kStagingTable) + " (" + quote_identifier(kOrdinalColumn) +
         ", " + field_list(schema) + ") FROM STDIN";
}

std::string upsert_from_staging_sql(const TableName& target, const stream::Schema& schema) {
  std::string sql = "INSERT INTO " + qualified(target) + " (" + field_list(schema) + ") SELECT ";
  if (schema.primary_key.empty()) {
    return sql + field_list(schema) + " FROM " + quote_identifier(kStagingTable);
  }
  sql += "DISTINCT ON (" + key_list(schema) + ") " + field_list(schema) + " FROM " +
         quote_identifier(kStagingTable) + " ORDER BY " + key_list(schema) + ", " +
         quote_identifier(kOrdinalColumn) + " DESC ON CONFLICT (" + key_list(schema) + ") DO ";
  std::string updates;
  for (const stream::SchemaField& field : schema.fields) {
    if (is_key(schema, field.name)) continue;
    if (!updates.empty()) updates += ", ";
    updates += quote_identifier(field.name) + " = EXCLUDED." + quote_identifier(field.name);
  }
  return sql + (updates.empty() ? "NOTHING" : "UPDATE SET " + updates);
}

std::string upsert_offset_sql(const TableName& target) {
  return "INSERT INTO " + qualified_offsets(target) +
         " (job, topic, partition, next_offset) VALUES ($1, $2, $3, $4)"
         " ON CONFLICT (job, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset";
}

std::string select_offsets_sql(const TableName& target) {
  return "SELECT topic, partition, next_offset FROM " + qualified_offsets(target) +
         " WHERE job = $1 ORDER BY topic, partition";
}

std::string_view select_columns_sql() {
  return "SELECT column_name, udt_name FROM information_schema.columns"
         " WHERE table_schema = $1 AND table_name = $2";
}

}  // namespace runnel::sinks

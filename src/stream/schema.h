// A record schema, as Spark's StructType: named, typed fields, each required
// or nullable, and the primary key that sinks upsert by. Values decoded
// against it travel as Rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace runnel::stream {

enum class FieldType {
  kText,
  kInt,     // 32-bit
  kBigint,  // 64-bit
  kDouble,
  kBoolean,
  kUuid,       // canonical 8-4-4-4-12 hex text
  kTimestamp,  // ISO 8601 text in JSON; microseconds since the epoch in a Row
};

std::string_view field_type_name(FieldType type);  // "text", "int", ...

struct SchemaField {
  std::string name;
  FieldType type = FieldType::kText;
  bool required = false;  // a required field that is missing or null fails decoding
};

struct Schema {
  std::string name;  // e.g. "created_user"
  std::vector<SchemaField> fields;
  std::vector<std::string> primary_key;  // field names; sinks upsert by it

  // Index of a field by name, or nullopt.
  std::optional<size_t> index_of(std::string_view field) const;
};

// One field's value: null, or the C++ type of its FieldType: text and uuid
// as std::string, int and bigint as int64_t, double, boolean as bool,
// timestamp as int64_t microseconds since the Unix epoch (UTC).
using Value = std::variant<std::monostate, std::string, int64_t, double, bool>;

// Values in the schema's field order.
struct Row {
  std::vector<Value> values;
};

// The created user of ARCHITECTURE.md: id (uuid, the key), first_name,
// last_name, gender, address, post_code, email, username, dob,
// registered_date, phone, picture.
Schema created_user_schema();

}  // namespace runnel::stream

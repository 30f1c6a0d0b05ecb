#include "stream/schema.h"

namespace runnel::stream {

std::string_view field_type_name(FieldType type) {
  switch (type) {
    case FieldType::kText:
      return "text";
    case FieldType::kInt:
      return "int";
    case FieldType::kBigint:
      return "bigint";
    case FieldType::kDouble:
      return "double";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kUuid:
      return "uuid";
    case FieldType::kTimestamp:
      return "timestamp";
  }
  return "unknown";
}

std::optional<size_t> Schema::index_of(std::string_view field) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) return i;
  }
  return std::nullopt;
}

Schema created_user_schema() {
  auto text = [](const char* name, bool required = false) {
    return SchemaField{name, FieldType::kText, required};
  };
  return Schema{
      "created_user",
      {
          {"id", FieldType::kUuid, true},
          text("first_name", true),
          text("last_name", true),
          text("gender"),
          text("address"),
          text("post_code"),
          text("email"),
          text("username"),
          {"dob", FieldType::kTimestamp, false},
          {"registered_date", FieldType::kTimestamp, false},
          text("phone"),
          text("picture"),
      },
      {"id"},
  };
}

}  // namespace runnel::stream

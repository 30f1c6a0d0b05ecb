#include "sinks/copy_binary.h"

#include <bit>
#include <cstdint>
#include <type_traits>
#include <variant>

#include "cql/value.h"
#include "sinks/copy_text.h"

namespace runnel::sinks {
namespace {

// PostgreSQL's epoch, 2000-01-01 UTC, in microseconds since the Unix epoch.
constexpr int64_t kPostgresEpochMicros = 946'684'800'000'000;

// Writes `value` at `to` in network byte order.
template <typename Integer>
void put_big_endian(Integer value, char* to) {
  auto bits = static_cast<std::make_unsigned_t<Integer>>(value);
  for (size_t i = sizeof bits; i-- > 0;) {
    to[i] = static_cast<char>(bits & 0xff);
    bits >>= 8;
  }
}

template <typename Integer>
void append_big_endian(Integer value, std::string& out) {
  char bytes[sizeof value];
  put_big_endian(value, bytes);
  out.append(bytes, sizeof bytes);
}

// The 16 bytes of a canonical uuid (8-4-4-4-12 hex digits), as PostgreSQL
// stores it.
Status append_uuid(const std::string& text, std::string& out) {
  char bytes[16];
  if (!cql::parse_uuid(text, bytes)) {
    return invalid_argument("invalid input syntax for type uuid: \"" + text + "\"");
  }
  append_big_endian(int32_t{16}, out);
  out.append(bytes, sizeof bytes);
  return Status::ok();
}

template <typename Wanted>
const Wanted* value_of(const stream::Value& value) {
  return std::get_if<Wanted>(&value);
}

Status append_field(BinaryColumn column, const stream::SchemaField& field,
                    const stream::Value& value, std::string& out) {
  if (std::holds_alternative<std::monostate>(value)) {
    append_big_endian(int32_t{-1}, out);
    return Status::ok();
  }
  auto wrong_type = [&] {
    return invalid_argument("field " + field.name + " holds no " +
                            std::string(stream::field_type_name(field.type)) + " value");
  };
  switch (column) {
    case BinaryColumn::kText: {
      // The length goes in front once the text is there.
      const size_t length_at = out.size();
      out.append(4, '\0');
      append_text_form(field.type, value, out);
      put_big_endian(static_cast<int32_t>(out.size() - length_at - 4), out.data() + length_at);
      return Status::ok();
    }
    case BinaryColumn::kInt4: {
      const auto* number = value_of<int64_t>(value);
      if (!number) return wrong_type();
      if (*number < INT32_MIN || *number > INT32_MAX) {
        return invalid_argument("value \"" + std::to_string(*number) +
                                "\" is out of range for type integer (field " + field.name + ")");
      }
      append_big_endian(int32_t{4}, out);
      append_big_endian(static_cast<int32_t>(*number), out);
      return Status::ok();
    }
    case BinaryColumn::kInt8:
    case BinaryColumn::kTimestamp: {
      const auto* number = value_of<int64_t>(value);
      if (!number) return wrong_type();
      append_big_endian(int32_t{8}, out);
      append_big_endian(column == BinaryColumn::kInt8 ? *number : *number - kPostgresEpochMicros,
                        out);
      return Status::ok();
    }
    case BinaryColumn::kFloat8: {
      const auto* real = value_of<double>(value);
      if (!real) return wrong_type();
      append_big_endian(int32_t{8}, out);
      append_big_endian(std::bit_cast<int64_t>(*real), out);
      return Status::ok();
    }
    case BinaryColumn::kBool: {
      const auto* boolean = value_of<bool>(value);
      if (!boolean) return wrong_type();
      append_big_endian(int32_t{1}, out);
      out += *boolean ? '\1' : '\0';
      return Status::ok();
    }
    case BinaryColumn::kUuid: {
      const auto* text = value_of<std::string>(value);
      if (!text) return wrong_type();
      return append_uuid(*text, out);
    }
  }
  return wrong_type();
}

Status append_fields(const stream::Schema& schema, const std::vector<BinaryColumn>& columns,
                     const stream::Row& row, std::string& out) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (Status status = append_field(columns[i], schema.fields[i], row.values[i], out);
        !status.is_ok()) {
      return status;
    }
  }
  return Status::ok();
}

}  // namespace

std::optional<BinaryColumn> binary_column(stream::FieldType type, std::string_view udt_name) {
  using stream::FieldType;
  if (udt_name == "text" || udt_name == "varchar") return BinaryColumn::kText;
  if (udt_name == "int4" && type == FieldType::kInt) return BinaryColumn::kInt4;
  if (udt_name == "int8" && (type == FieldType::kInt || type == FieldType::kBigint)) {
    return BinaryColumn::kInt8;
  }
  if (udt_name == "float8" && type == FieldType::kDouble) return BinaryColumn::kFloat8;
  if (udt_name == "bool" && type == FieldType::kBoolean) return BinaryColumn::kBool;
  if (udt_name == "uuid" && type == FieldType::kUuid) return BinaryColumn::kUuid;
  if ((udt_name == "timestamptz" || udt_name == "timestamp") && type == FieldType::kTimestamp) {
    return BinaryColumn::kTimestamp;
  }
  return std::nullopt;
}

void append_copy_binary_header(std::string& out) {
  static constexpr char kSignature[] = "PGCOPY\n\377\r\n";
  out.append(kSignature, sizeof kSignature);  // with its closing \0
  append_big_endian(int32_t{0}, out);         // flags: no OIDs
  append_big_endian(int32_t{0}, out);         // no header extension
}

void append_copy_binary_trailer(std::string& out) { append_big_endian(int16_t{-1}, out); }

Status append_copy_binary_row(const stream::Schema& schema,
                              const std::vector<BinaryColumn>& columns, const stream::Row& row,
                              std::string& out) {
  append_big_endian(static_cast<int16_t>(columns.size()), out);
  return append_fields(schema, columns, row, out);
}

Status append_copy_binary_row(const stream::Schema& schema,
                              const std::vector<BinaryColumn>& columns, int64_t ordinal,
                              const stream::Row& row, std::string& out) {
  append_big_endian(static_cast<int16_t>(columns.size() + 1), out);
  append_big_endian(int32_t{8}, out);
  append_big_endian(ordinal, out);
  return append_fields(schema, columns, row, out);
}

}  // namespace runnel::sinks

// Rows in PostgreSQL's binary COPY format: a signature header, then per row
// a field count and each field as a length and its bytes in the column
// type's own binary form (network byte order), -1 for null, and a trailer.
// The server skips parsing text, which is most of what a text COPY costs it
// (uuid, timestamptz), so binary is the sink's usual format. Binary input is
// strict about types, so each field is written as the type of the column it
// lands in, and a table with a column of any other type is written in text
// (copy_text.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "stream/schema.h"

namespace runnel::sinks {

// The binary forms the sink writes.
enum class BinaryColumn {
  kText,       // text, varchar: the value's COPY text, unescaped, as UTF-8
  kInt4,       // int
  kInt8,       // int, bigint
  kFloat8,     // double
  kBool,       // boolean
  kUuid,       // uuid: 16 bytes
  kTimestamp,  // timestamptz, timestamp: microseconds since 2000-01-01 UTC
};

// How a field of `type` is written into a column whose type is named
// `udt_name` (information_schema.columns.udt_name: "int4", "timestamptz",
// ...); nullopt when binary COPY cannot write it there.
std::optional<BinaryColumn> binary_column(stream::FieldType type, std::string_view udt_name);

void append_copy_binary_header(std::string& out);
void append_copy_binary_trailer(std::string& out);

// Appends `row` with a column per field, in schema order. A value its
// column cannot take (an int beyond 32 bits, a uuid that is no uuid, a value
// of another type) is an invalid argument naming it, as PostgreSQL would
// refuse it; `out` then holds a partial row and must be dropped.
// REQUIRES: row.values.size() == schema.fields.size() == columns.size(),
// and columns from binary_column().
Status append_copy_binary_row(const stream::Schema& schema,
                              const std::vector<BinaryColumn>& columns, const stream::Row& row,
                              std::string& out);
// The same with `ordinal` as a leading bigint column (the staging table's).
Status append_copy_binary_row(const stream::Schema& schema,
                              const std::vector<BinaryColumn>& columns, int64_t ordinal,
                              const stream::Row& row, std::string& out);

}  // namespace runnel::sinks

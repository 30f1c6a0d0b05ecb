// Rows in PostgreSQL's COPY text format: one line per row, columns separated
// by tabs, \N for null, and backslash, tab, newline and carriage return
// escaped with a backslash, so any text survives the trip byte for byte.
// Timestamps travel as ISO 8601 UTC with microseconds, doubles in their
// shortest exact form, booleans as t and f.
#pragma once

#include <cstdint>
#include <string>

#include "stream/schema.h"

namespace runnel::sinks {

// Appends `ordinal`, a tab, then `row`'s values in schema order, and a
// newline. REQUIRES: row.values.size() == schema.fields.size().
void append_copy_row(const stream::Schema& schema, int64_t ordinal, const stream::Row& row,
                     std::string& out);
// The same without the ordinal: a row of the target table itself.
void append_copy_row(const stream::Schema& schema, const stream::Row& row, std::string& out);

// Appends a value as COPY text writes it, before escaping; nothing for null.
void append_text_form(stream::FieldType type, const stream::Value& value, std::string& out);

// Appends `text` with COPY's escapes (no quotes: the format has none).
void append_copy_text(std::string_view text, std::string& out);

}  // namespace runnel::sinks

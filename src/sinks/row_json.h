// A Row as a JSON object keyed by its schema's field names: the format of
// the JSON-lines file sink and the console sink. Timestamps are written as
// ISO 8601 UTC with microseconds, as they came in.
#pragma once

#include <string>

#include "stream/schema.h"

namespace runnel::sinks {

// Appends `row` as one JSON object (no newline) to `out`.
void append_row_json(const stream::Schema& schema, const stream::Row& row, std::string& out);

// "2024-05-01T12:34:56.789000Z" for microseconds since the Unix epoch.
std::string format_timestamp(int64_t micros);

}  // namespace runnel::sinks

// Decodes a Kafka record's value, one JSON object, into a Row of a Schema,
// as Spark's from_json does with a StructType: fields are matched by name in
// any order, unknown fields are ignored (but must be valid JSON), and a
// missing field or JSON null is a null value unless the field is required.
//
// JSON types per field type: text is a string; int and bigint are integers
// that fit 32 and 64 bits; double is any number; boolean is true or false;
// uuid is a string in canonical 8-4-4-4-12 hex form in any case (stored in
// lower case); timestamp is an ISO 8601 string,
// YYYY-MM-DDTHH:MM:SS[.f up to 6 digits](Z|±hh:mm), or an integer of epoch
// milliseconds (stored as microseconds since the epoch, UTC).
//
// A record that does not decode yields an invalid-argument Status whose
// message is one line saying what is wrong and where, e.g.
//   not valid JSON: <simdjson's message> at byte 17
//   field 'id': expected uuid, got "abc"
//   field 'first_name': required but missing
// Any input, however malformed, gives a Row or such an error.
#pragma once

#include <memory>
#include <string_view>

#include "common/status.h"
#include "stream/schema.h"

namespace runnel::stream {

// One decoder per thread: not safe for concurrent use. It keeps its JSON
// parser and buffers across calls, so steady-state decoding allocates only
// the Row it returns.
class RecordDecoder {
 public:
  // REQUIRES: field names in `schema` are distinct.
  explicit RecordDecoder(Schema schema);
  RecordDecoder(RecordDecoder&&) noexcept;
  RecordDecoder& operator=(RecordDecoder&&) noexcept;
  ~RecordDecoder();

  Result<Row> decode(std::string_view json);

  const Schema& schema() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace runnel::stream

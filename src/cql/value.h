// Serialized CQL values: the contents of a protocol [bytes] value (spec
// section 6), for every type of data_type.h. A null value is not a
// serialized value; callers represent it as an absent optional.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "cql/data_type.h"

namespace runnel::cql {

std::string encode_int(std::int32_t value);
std::string encode_bigint(std::int64_t value);  // also counter and time (ns since midnight)
std::string encode_smallint(std::int16_t value);
std::string encode_tinyint(std::int8_t value);
std::string encode_boolean(bool value);
std::string encode_double(double value);
std::string encode_float(float value);
std::string encode_timestamp(std::int64_t millis_since_epoch);
std::string encode_date(std::int32_t days_since_epoch);  // stored as 2^31 + days
// "2f1b8c9e-...": the 16 bytes; an error for text that is not a UUID.
Result<std::string> encode_uuid(std::string_view text);
// As encode_uuid, into `bytes` without allocating; false for text that is
// not a canonical UUID (8-4-4-4-12 hex digits, either case).
bool parse_uuid(std::string_view text, char (&bytes)[16]);

// "127.0.0.1", "::1": 4 or 16 bytes; an error for text that is neither.
Result<std::string> encode_inet(std::string_view text);
// A list's or set's elements (or a map's keys and values, alternating) as
// one serialized collection: [int n] then n [int length][bytes].
std::string encode_collection(const std::vector<std::string>& elements, bool is_map);
// The elements back (2n for a map); nullopt when the framing is broken.
std::optional<std::vector<std::string_view>> decode_collection(std::string_view bytes, bool is_map);

std::int32_t decode_int(std::string_view bytes);     // REQUIRES: bytes.size() == 4
std::int64_t decode_bigint(std::string_view bytes);  // REQUIRES: bytes.size() == 8
std::string format_uuid(std::string_view bytes);     // REQUIRES: bytes.size() == 16

// Ok when `bytes` is a well-formed value of `type` (lengths, UTF-8 of text,
// ASCII of ascii, collection framing); else invalid_argument naming the type.
Status validate(const DataType& type, std::string_view bytes);

// <0, 0, >0 as Cassandra orders two values of `type` (clustering order,
// range conditions). REQUIRES: both are valid values of `type`.
int compare(const DataType& type, std::string_view a, std::string_view b);

// The value as cqlsh prints it: text unquoted, uuids in lower case,
// timestamps as "2024-01-31 12:00:00.000000+0000", collections as
// ['a', 'b'], {1, 2}, {'k': 1}.
std::string format(const DataType& type, std::string_view bytes);

}  // namespace runnel::cql

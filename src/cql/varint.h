// Arbitrary-precision integers as CQL serializes varint (two's complement,
// big-endian, minimal length) and decimal (a 4-byte scale, then the unscaled
// value as a varint): parsing from and formatting to decimal text, and
// numeric comparison.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace runnel::cql {

// "-123456789012345678901234567890" -> its varint bytes.
Result<std::string> encode_varint(std::string_view decimal_text);
// REQUIRES: bytes is a non-empty varint.
std::string format_varint(std::string_view bytes);
int compare_varint(std::string_view a, std::string_view b);

// "-12.345", "1e10", "0.001" -> its decimal bytes.
Result<std::string> encode_decimal(std::string_view decimal_text);
// REQUIRES: bytes.size() >= 5.
std::string format_decimal(std::string_view bytes);
int compare_decimal(std::string_view a, std::string_view b);

}  // namespace runnel::cql

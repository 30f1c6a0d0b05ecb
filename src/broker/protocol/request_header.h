// The header in front of every request, and the one in front of every
// response. Header versions follow from the API's own version: flexible API
// versions use request header v2 and response header v1, except that
// ApiVersions responses always use header v0 (a client must be able to read
// them before it knows what the broker supports).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "broker/protocol/wire.h"

namespace runnel::broker {

struct RequestHeader {
  int16_t api_key = 0;
  int16_t api_version = 0;
  int32_t correlation_id = 0;
  std::optional<std::string> client_id;
};

// Reads the fixed part of a header: key, version, correlation id and client
// id (which is never compact). `in` is left at the tagged fields, if any.
RequestHeader read_request_header(WireReader& in);

}  // namespace runnel::broker

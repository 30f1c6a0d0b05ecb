// A TCP endpoint as given on the command line: "host:port", "[v6]:port" or
// ":port" (loopback).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace runnel {

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;

  std::string to_string() const;
};

// Parses "host:port". A missing host means 127.0.0.1; port 0 asks the
// system for a free port.
Result<Endpoint> parse_endpoint(std::string_view text);

}  // namespace runnel

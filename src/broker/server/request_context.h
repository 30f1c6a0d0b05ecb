// What a handler knows about the request it is answering besides its body.
#pragma once

#include <string>

#include "broker/protocol/request_header.h"

namespace runnel::broker {

class Broker;

struct RequestContext {
  RequestHeader header;
  std::string client_host;  // the peer's address, for DescribeGroups
  Broker& broker;

  int16_t api_version() const { return header.api_version; }
};

}  // namespace runnel::broker

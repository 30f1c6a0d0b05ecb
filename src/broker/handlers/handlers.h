// One handler per Kafka API, each in its own file (handlers/<api>.cc). A
// handler takes the decoded request and returns the response to encode; the
// connection (server/connection.cc) does the framing, decoding, version checks
// and encoding, so a handler is only the API's meaning.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "broker/protocol/messages/api_versions.h"
#include "broker/server/request_context.h"

namespace runnel::broker {

boost::asio::awaitable<ApiVersionsResponse> handle(const ApiVersionsRequest& request,
                                                   RequestContext& context);

}  // namespace runnel::broker

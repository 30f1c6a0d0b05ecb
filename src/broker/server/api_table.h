// The APIs the broker serves, with their versions: what ApiVersions
// advertises, and how the connection decodes, handles and encodes each.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "broker/protocol/api_key.h"
#include "broker/protocol/messages/api_versions.h"
#include "broker/protocol/schema.h"
#include "broker/protocol/wire.h"
#include "broker/server/request_context.h"

namespace runnel::broker {

struct ApiEntry {
  ApiKey key;
  Versions versions;
  Versions flexible_versions;
  // Decodes the request body from `in`, runs the handler and encodes the
  // response body into `out`. Returns false when the body is malformed
  // (the reason is in `in.error()`); sets `respond` to false for requests
  // that get no response (Produce with acks=0).
  boost::asio::awaitable<bool> (*serve)(WireReader& in, RequestContext& context, std::string& out,
                                        bool& respond);
};

// nullptr for an API key the broker does not serve.
const ApiEntry* find_api(int16_t api_key);
// What ApiVersions answers: every served API with its versions, except
// that Produce is listed from v0 although only v3+ is served (a v0-v2
// request still closes the connection as an unsupported version).
// librdkafka before 2.10 compresses with gzip, snappy or lz4 only when the
// broker lists Produce v0 and otherwise silently sends uncompressed batches;
// Kafka 4.0 lists v0 for the same reason (KAFKA-18659). Clients use the
// highest common version, so none sends v0-v2 to a broker offering v9.
ApiVersionsResponse advertised_api_versions();

}  // namespace runnel::broker

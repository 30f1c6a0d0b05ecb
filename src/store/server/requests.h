// The bodies of the requests the CQL server serves (native protocol v4,
// section 4.1), decoded from a frame body. A body that is cut short or holds
// a value the spec does not allow leaves the reader failed; the connection
// then answers with a protocol error naming reader.error().
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cql/wire_reader.h"
#include "store/session.h"

namespace runnel::store::server {

struct QueryRequest {
  std::string cql;
  QueryParameters parameters;
  bool skip_metadata = false;
};

struct ExecuteRequest {
  std::string prepared_id;
  QueryParameters parameters;
  bool skip_metadata = false;
};

struct BatchRequest {
  cql::BatchType type = cql::BatchType::kLogged;
  std::vector<BatchStatement> statements;
  cql::Consistency consistency = cql::Consistency::kOne;
  std::optional<cql::Consistency> serial_consistency;
  std::optional<std::int64_t> default_timestamp;
};

// `version` is the connection's protocol version: v3 has no unset values.
QueryRequest read_query(cql::WireReader& reader, int version);
ExecuteRequest read_execute(cql::WireReader& reader, int version);
BatchRequest read_batch(cql::WireReader& reader, int version);
// PREPARE: the query text.
std::string read_prepare(cql::WireReader& reader);
// STARTUP: the options (CQL_VERSION, COMPRESSION, DRIVER_NAME...).
std::map<std::string, std::string> read_startup(cql::WireReader& reader);
// AUTH_RESPONSE: the SASL token; null reads as empty.
std::string read_auth_response(cql::WireReader& reader);
// REGISTER: the event types.
std::vector<std::string> read_register(cql::WireReader& reader);

}  // namespace runnel::store::server

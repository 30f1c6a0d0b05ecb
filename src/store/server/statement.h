// Runs one statement request (QUERY, PREPARE, EXECUTE, BATCH) on a Session
// and encodes the response frame. Called on a worker thread: the store may
// block on a sync.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "cql/frame.h"
#include "store/server/requests.h"
#include "store/session.h"

namespace runnel::store::server {

struct PrepareRequest {
  std::string cql;
};

using StatementRequest = std::variant<QueryRequest, PrepareRequest, ExecuteRequest, BatchRequest>;

struct StatementResponse {
  std::string frame;  // RESULT or ERROR, header included
  // Set when the statement changed the schema (pushed as an event) or the
  // keyspace (USE: the connection's keyspace from now on).
  std::optional<SchemaChange> schema_change;
  std::optional<std::string> keyspace;
};

// Runs `request` on `session` in `keyspace` (the connection's, empty for
// none): the session is switched to it first if it is in another one, since
// a connection spreads its requests over several sessions. The response
// goes to the request's stream, in its version, compressed as agreed.
// Exceptions from the store become a Server_error response.
StatementResponse run_statement(Session& session, const std::string& keyspace,
                                const StatementRequest& request,
                                const cql::FrameHeader& request_header,
                                cql::Compression compression);

// Whether `cql` is a USE statement, which changes the keyspace of the
// requests after it and so must not run concurrently with them.
bool is_use_statement(std::string_view cql);

}  // namespace runnel::store::server

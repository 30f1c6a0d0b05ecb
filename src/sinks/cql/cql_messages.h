// The client's side of the CQL native protocol v4 messages
// (doc/native_protocol_v4.spec, section 4): the bodies of the requests it
// sends (STARTUP, AUTH_RESPONSE, QUERY, PREPARE, EXECUTE, BATCH) and the
// RESULT and ERROR bodies it receives, decoded into the store's protocol
// types (store/session.h), which the server encodes from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"
#include "cql/codes.h"
#include "store/session.h"

namespace runnel::sinks {

// A RESULT (any kind) or an ERROR, as the server answered a request.
using CqlResponse = std::variant<store::Void, store::Rows, store::SetKeyspace, store::SchemaChange,
                                 store::Prepared, store::CqlError>;

// STARTUP: {"CQL_VERSION": "3.0.0"}, no compression.
std::string startup_body();
// AUTH_RESPONSE with PasswordAuthenticator's SASL PLAIN token:
// "\0user\0password".
std::string auth_response_body(std::string_view user, std::string_view password);
// QUERY: the statement's text and its <query_parameters>.
std::string query_body(std::string_view cql, const store::QueryParameters& parameters);
std::string prepare_body(std::string_view cql);
// EXECUTE: the prepared id and the <query_parameters>; with skip_metadata
// the node answers Rows without column specs (the client has them from
// PREPARE).
std::string execute_body(std::string_view prepared_id, const store::QueryParameters& parameters,
                         bool skip_metadata);
// One statement of a BATCH, by reference: a QUERY text or a prepared id,
// and its values.
struct BatchStatementRef {
  bool prepared = false;
  std::string_view query_or_id;
  const std::vector<store::BoundValue>* values = nullptr;
};

// BATCH of QUERY texts and prepared ids, with their values (no names).
std::string batch_body(cql::BatchType type, const std::vector<BatchStatementRef>& statements,
                       cql::Consistency consistency, std::optional<std::int64_t> default_timestamp);

// Decodes the body of a RESULT or ERROR frame. data_loss when the body is
// malformed (cut short, an unknown result kind) or the opcode is another.
Result<CqlResponse> decode_response(cql::Opcode opcode, std::string_view body);

// The name the DataStax drivers give the error ("InvalidRequest",
// "SyntaxException", "WriteTimeout", ...).
std::string_view error_name(cql::ErrorCode code);
// As cqlsh prints it: InvalidRequest: Error from server: code=2200
// [Invalid query] message="..."
std::string describe(const store::CqlError& error);

}  // namespace runnel::sinks

#include "store/server/statement.h"

#include <cctype>
#include <exception>

#include "store/server/responses.h"

namespace runnel::store::server {
namespace {

// The keyspace as a CQL identifier: bare when it would read back the same
// (lower case letters, digits, underscores), else double-quoted.
std::string cql_identifier(const std::string& name) {
  bool bare = !name.empty() && std::islower(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (!(std::islower(u) || std::isdigit(u) || c == '_')) bare = false;
  }
  if (bare) return name;
  std::string quoted = "\"";
  for (char c : name) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

struct Encoded {
  cql::Opcode opcode = cql::Opcode::kError;
  std::string body;
};

Encoded encode(const Outcome& outcome, bool skip_metadata, StatementResponse& response) {
  bool is_error = false;
  std::string body = outcome_body(outcome, skip_metadata, &is_error);
  if (const auto* change = std::get_if<SchemaChange>(&outcome)) response.schema_change = *change;
  if (const auto* set = std::get_if<SetKeyspace>(&outcome)) response.keyspace = set->keyspace;
  return {is_error ? cql::Opcode::kError : cql::Opcode::kResult, std::move(body)};
}

Encoded run(Session& session, const StatementRequest& request, int version,
            StatementResponse& response) {
  if (const auto* query = std::get_if<QueryRequest>(&request)) {
    return encode(session.query(query->cql, query->parameters), query->skip_metadata, response);
  }
  if (const auto* execute = std::get_if<ExecuteRequest>(&request)) {
    return encode(session.execute(execute->prepared_id, execute->parameters),
                  execute->skip_metadata, response);
  }
  if (const auto* batch = std::get_if<BatchRequest>(&request)) {
    return encode(
        session.batch(batch->type, batch->statements, batch->consistency, batch->default_timestamp),
        false, response);
  }
  const auto& prepare = std::get<PrepareRequest>(request);
  auto prepared = session.prepare(prepare.cql);
  if (const auto* error = std::get_if<CqlError>(&prepared)) {
    return {cql::Opcode::kError, error_body(*error)};
  }
  return {cql::Opcode::kResult, prepared_body(std::get<Prepared>(prepared), version)};
}

}  // namespace

StatementResponse run_statement(Session& session, const std::string& keyspace,
                                const StatementRequest& request,
                                const cql::FrameHeader& request_header,
                                cql::Compression compression) {
  StatementResponse response;
  Encoded encoded;
  try {
    std::optional<CqlError> use_error;
    if (!keyspace.empty() && session.keyspace() != keyspace) {
      Outcome use = session.query("USE " + cql_identifier(keyspace), QueryParameters{});
      if (auto* error = std::get_if<CqlError>(&use)) use_error = std::move(*error);
    }
    encoded = use_error ? Encoded{cql::Opcode::kError, error_body(*use_error)}
                        : run(session, request, request_header.version, response);
  } catch (const std::exception& e) {
    encoded = {cql::Opcode::kError,
               error_body(CqlError{cql::ErrorCode::kServerError, e.what(), {}, {}, {}})};
  }
  cql::FrameHeader header{request_header.version, true,           0,
                          request_header.stream,  encoded.opcode, 0};
  response.frame = cql::encode_frame(header, encoded.body, compression);
  return response;
}

bool is_use_statement(std::string_view cql) {
  std::size_t i = 0;
  while (i < cql.size() && std::isspace(static_cast<unsigned char>(cql[i]))) ++i;
  if (cql.size() - i < 4) return false;
  auto lower = [&](std::size_t k) { return std::tolower(static_cast<unsigned char>(cql[k])); };
  if (lower(i) != 'u' || lower(i + 1) != 's' || lower(i + 2) != 'e') return false;
  char next = cql[i + 3];
  return std::isspace(static_cast<unsigned char>(next)) || next == '"';
}

}  // namespace runnel::store::server

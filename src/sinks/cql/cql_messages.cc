#include "sinks/cql/cql_messages.h"

#include <cstdio>

#include "cql/codes.h"
#include "cql/frame.h"
#include "cql/wire_reader.h"
#include "cql/wire_writer.h"

namespace runnel::sinks {
namespace {

// A [value]: the bytes after their length, or -1 for null, -2 for unset.
void write_value(cql::WireWriter& out, const store::BoundValue& value) {
  switch (value.state) {
    case store::BoundValue::State::kSet:
      out.write_bytes(std::string_view(value.bytes));
      return;
    case store::BoundValue::State::kNull:
      out.write_int(-1);
      return;
    case store::BoundValue::State::kUnset:
      out.write_int(-2);
      return;
  }
}

void write_values(cql::WireWriter& out, const std::vector<store::BoundValue>& values,
                  const std::vector<std::string>& names) {
  out.write_short(static_cast<std::uint16_t>(values.size()));
  for (size_t i = 0; i < values.size(); ++i) {
    if (!names.empty()) out.write_string(names[i]);
    write_value(out, values[i]);
  }
}

void write_query_parameters(cql::WireWriter& out, const store::QueryParameters& parameters,
                            bool skip_metadata = false) {
  std::uint8_t flags = skip_metadata ? cql::kQuerySkipMetadata : 0;
  if (!parameters.values.empty()) flags |= cql::kQueryValues;
  if (!parameters.value_names.empty()) flags |= cql::kQueryValueNames;
  if (parameters.page_size > 0) flags |= cql::kQueryPageSize;
  if (parameters.paging_state) flags |= cql::kQueryPagingState;
  if (parameters.serial_consistency) flags |= cql::kQuerySerialConsistency;
  if (parameters.default_timestamp) flags |= cql::kQueryDefaultTimestamp;
  out.write_consistency(parameters.consistency);
  out.write_byte(flags);
  if (flags & cql::kQueryValues) write_values(out, parameters.values, parameters.value_names);
  if (flags & cql::kQueryPageSize) out.write_int(parameters.page_size);
  if (flags & cql::kQueryPagingState) out.write_bytes(std::string_view(*parameters.paging_state));
  if (flags & cql::kQuerySerialConsistency) out.write_consistency(*parameters.serial_consistency);
  if (flags & cql::kQueryDefaultTimestamp) out.write_long(*parameters.default_timestamp);
}

// Column specs of rows or prepared metadata, after their flags and count.
std::vector<store::ColumnSpec> read_column_specs(cql::WireReader& in, std::int32_t flags,
                                                 std::int32_t count) {
  std::vector<store::ColumnSpec> columns;
  std::string keyspace;
  std::string table;
  if (flags & cql::kRowsGlobalTablesSpec) {
    keyspace = in.read_string();
    table = in.read_string();
  }
  for (std::int32_t i = 0; i < count && in.ok(); ++i) {
    store::ColumnSpec column;
    if (flags & cql::kRowsGlobalTablesSpec) {
      column.keyspace = keyspace;
      column.table = table;
    } else {
      column.keyspace = in.read_string();
      column.table = in.read_string();
    }
    column.name = in.read_string();
    column.type = in.read_option();
    columns.push_back(std::move(column));
  }
  return columns;
}

// <metadata> of a Rows result (4.2.5.2); the column count is returned
// separately because a no_metadata answer has no specs to count.
std::vector<store::ColumnSpec> read_rows_metadata(cql::WireReader& in, std::int32_t& count,
                                                  std::optional<std::string>& paging_state) {
  std::int32_t flags = in.read_int();
  count = in.read_int();
  if (count < 0) in.fail("negative column count");
  if (flags & cql::kRowsHasMorePages) paging_state = in.read_bytes();
  if (flags & cql::kRowsNoMetadata) return {};
  return read_column_specs(in, flags, count);
}

store::Rows read_rows(cql::WireReader& in) {
  store::Rows rows;
  std::int32_t column_count = 0;
  rows.columns = read_rows_metadata(in, column_count, rows.paging_state);
  std::int32_t row_count = in.read_int();
  if (row_count < 0) in.fail("negative row count");
  for (std::int32_t r = 0; r < row_count && in.ok(); ++r) {
    std::vector<std::optional<std::string>> row;
    row.reserve(column_count);
    for (std::int32_t c = 0; c < column_count && in.ok(); ++c) row.push_back(in.read_bytes());
    rows.rows.push_back(std::move(row));
  }
  return rows;
}

store::Prepared read_prepared(cql::WireReader& in) {
  store::Prepared prepared;
  prepared.id = in.read_short_bytes();
  std::int32_t flags = in.read_int();
  std::int32_t count = in.read_int();
  std::int32_t key_count = in.read_int();
  if (count < 0 || key_count < 0) in.fail("negative count in prepared metadata");
  for (std::int32_t i = 0; i < key_count && in.ok(); ++i) {
    prepared.partition_key_indexes.push_back(in.read_short());
  }
  prepared.bound_columns = read_column_specs(in, flags, count);
  std::int32_t result_count = 0;
  std::optional<std::string> unused_paging_state;
  prepared.result_columns = read_rows_metadata(in, result_count, unused_paging_state);
  return prepared;
}

store::SchemaChange read_schema_change(cql::WireReader& in) {
  store::SchemaChange change;
  change.change_type = in.read_string();
  change.target = in.read_string();
  change.keyspace = in.read_string();
  if (change.target != "KEYSPACE") change.name = in.read_string();
  if (change.target == "FUNCTION" || change.target == "AGGREGATE") in.read_string_list();
  return change;
}

Result<CqlResponse> read_result(cql::WireReader& in) {
  auto kind = static_cast<cql::ResultKind>(in.read_int());
  if (!in.ok()) return data_loss("cql: RESULT: " + in.error());
  CqlResponse response;
  switch (kind) {
    case cql::ResultKind::kVoid:
      response = store::Void{};
      break;
    case cql::ResultKind::kRows:
      response = read_rows(in);
      break;
    case cql::ResultKind::kSetKeyspace:
      response = store::SetKeyspace{in.read_string()};
      break;
    case cql::ResultKind::kPrepared:
      response = read_prepared(in);
      break;
    case cql::ResultKind::kSchemaChange:
      response = read_schema_change(in);
      break;
    default:
      return data_loss("cql: RESULT of unknown kind " + std::to_string(static_cast<int>(kind)));
  }
  if (!in.ok()) return data_loss("cql: RESULT: " + in.error());
  return response;
}

// The extra fields of an error (section 9) are read so that a cut-short
// body is noticed; only those the client acts on are kept.
Result<CqlResponse> read_error(cql::WireReader& in) {
  store::CqlError error;
  error.code = static_cast<cql::ErrorCode>(in.read_int());
  error.message = in.read_string();
  switch (error.code) {
    case cql::ErrorCode::kAlreadyExists:
      error.keyspace = in.read_string();
      error.table = in.read_string();
      break;
    case cql::ErrorCode::kUnprepared:
      error.unprepared_id = in.read_short_bytes();
      break;
    default:
      break;
  }
  if (!in.ok()) return data_loss("cql: ERROR: " + in.error());
  return CqlResponse(std::move(error));
}

// The bracketed summary the DataStax Python driver prints after the code.
std::string_view error_summary(cql::ErrorCode code) {
  switch (code) {
    case cql::ErrorCode::kServerError:
      return "Server error";
    case cql::ErrorCode::kProtocolError:
      return "Protocol error";
    case cql::ErrorCode::kBadCredentials:
      return "Bad credentials";
    case cql::ErrorCode::kUnavailable:
      return "Unavailable exception";
    case cql::ErrorCode::kOverloaded:
      return "Coordinator node overloaded";
    case cql::ErrorCode::kIsBootstrapping:
      return "Coordinator node is bootstrapping";
    case cql::ErrorCode::kTruncateError:
      return "Error during truncate";
    case cql::ErrorCode::kWriteTimeout:
    case cql::ErrorCode::kReadTimeout:
      return "Coordinator node timed out waiting for replica nodes' responses";
    case cql::ErrorCode::kReadFailure:
      return "Replica(s) failed to execute read";
    case cql::ErrorCode::kFunctionFailure:
      return "User Defined Function failure";
    case cql::ErrorCode::kWriteFailure:
      return "Replica(s) failed to execute write";
    case cql::ErrorCode::kSyntaxError:
      return "Syntax error in CQL query";
    case cql::ErrorCode::kUnauthorized:
      return "Unauthorized";
    case cql::ErrorCode::kInvalid:
      return "Invalid query";
    case cql::ErrorCode::kConfigError:
      return "Query invalid because of configuration issue";
    case cql::ErrorCode::kAlreadyExists:
      return "Already exists";
    case cql::ErrorCode::kUnprepared:
      return "Query not prepared";
  }
  return "Unknown error";
}

}  // namespace

std::string startup_body() {
  std::string body;
  cql::WireWriter(body).write_string_map({{"CQL_VERSION", "3.0.0"}});
  return body;
}

std::string auth_response_body(std::string_view user, std::string_view password) {
  std::string token;
  token += '\0';
  token += user;
  token += '\0';
  token += password;
  std::string body;
  cql::WireWriter(body).write_bytes(std::string_view(token));
  return body;
}

std::string query_body(std::string_view cql, const store::QueryParameters& parameters) {
  std::string body;
  cql::WireWriter out(body);
  out.write_long_string(cql);
  write_query_parameters(out, parameters);
  return body;
}

std::string prepare_body(std::string_view cql) {
  std::string body;
  cql::WireWriter(body).write_long_string(cql);
  return body;
}

std::string execute_body(std::string_view prepared_id, const store::QueryParameters& parameters,
                         bool skip_metadata) {
  std::string body;
  cql::WireWriter out(body);
  out.write_short_bytes(prepared_id);
  write_query_parameters(out, parameters, skip_metadata);
  return body;
}

std::string batch_body(cql::BatchType type, const std::vector<BatchStatementRef>& statements,
                       cql::Consistency consistency,
                       std::optional<std::int64_t> default_timestamp) {
  // Sized up front: a batch of many rows is one allocation, not a string
  // doubling (and copying) as it grows.
  size_t size = 1 + 2 + 1 + 1 + 8;
  for (const BatchStatementRef& statement : statements) {
    size += 1 + 4 + statement.query_or_id.size() + 2;
    for (const store::BoundValue& value : *statement.values) size += 4 + value.bytes.size();
  }
  std::string body;
  body.reserve(size);
  cql::WireWriter out(body);
  out.write_byte(static_cast<std::uint8_t>(type));
  out.write_short(static_cast<std::uint16_t>(statements.size()));
  for (const BatchStatementRef& statement : statements) {
    out.write_byte(statement.prepared ? 1 : 0);
    if (statement.prepared) {
      out.write_short_bytes(statement.query_or_id);
    } else {
      out.write_long_string(statement.query_or_id);
    }
    write_values(out, *statement.values, {});
  }
  out.write_consistency(consistency);
  out.write_byte(default_timestamp ? cql::kQueryDefaultTimestamp : 0);
  if (default_timestamp) out.write_long(*default_timestamp);
  return body;
}

Result<CqlResponse> decode_response(cql::Opcode opcode, std::string_view body) {
  cql::WireReader in(body);
  if (opcode == cql::Opcode::kResult) return read_result(in);
  if (opcode == cql::Opcode::kError) return read_error(in);
  return data_loss("cql: expected RESULT or ERROR, got " + std::string(cql::opcode_name(opcode)));
}

std::string_view error_name(cql::ErrorCode code) {
  switch (code) {
    case cql::ErrorCode::kServerError:
      return "ServerError";
    case cql::ErrorCode::kProtocolError:
      return "ProtocolError";
    case cql::ErrorCode::kBadCredentials:
      return "AuthenticationFailed";
    case cql::ErrorCode::kUnavailable:
      return "Unavailable";
    case cql::ErrorCode::kOverloaded:
      return "OverloadedErrorMessage";
    case cql::ErrorCode::kIsBootstrapping:
      return "IsBootstrappingErrorMessage";
    case cql::ErrorCode::kTruncateError:
      return "TruncateError";
    case cql::ErrorCode::kWriteTimeout:
      return "WriteTimeout";
    case cql::ErrorCode::kReadTimeout:
      return "ReadTimeout";
    case cql::ErrorCode::kReadFailure:
      return "ReadFailure";
    case cql::ErrorCode::kFunctionFailure:
      return "FunctionFailure";
    case cql::ErrorCode::kWriteFailure:
      return "WriteFailure";
    case cql::ErrorCode::kSyntaxError:
      return "SyntaxException";
    case cql::ErrorCode::kUnauthorized:
      return "Unauthorized";
    case cql::ErrorCode::kInvalid:
      return "InvalidRequest";
    case cql::ErrorCode::kConfigError:
      return "ConfigurationException";
    case cql::ErrorCode::kAlreadyExists:
      return "AlreadyExists";
    case cql::ErrorCode::kUnprepared:
      return "Unprepared";
  }
  return "UnknownError";
}

std::string describe(const store::CqlError& error) {
  char code[16];
  std::snprintf(code, sizeof code, "%04x", static_cast<unsigned>(error.code));
  return std::string(error_name(error.code)) + ": Error from server: code=" + code + " [" +
         std::string(error_summary(error.code)) + "] message=\"" + error.message + "\"";
}

}  // namespace runnel::sinks

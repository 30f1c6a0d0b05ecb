#include "store/server/responses.h"

#include <cstdint>

#include "cql/codes.h"
#include "cql/wire_writer.h"

namespace runnel::store::server {
namespace {

using cql::ErrorCode;
using cql::WireWriter;

bool share_one_table(const std::vector<ColumnSpec>& columns) {
  if (columns.empty()) return false;
  for (const auto& column : columns) {
    if (column.keyspace != columns[0].keyspace || column.table != columns[0].table) return false;
  }
  return true;
}

// [<global_table_spec>]<col_spec_1>...<col_spec_n>
void write_column_specs(WireWriter& writer, const std::vector<ColumnSpec>& columns, bool global) {
  if (global) {
    writer.write_string(columns[0].keyspace);
    writer.write_string(columns[0].table);
  }
  for (const auto& column : columns) {
    if (!global) {
      writer.write_string(column.keyspace);
      writer.write_string(column.table);
    }
    writer.write_string(column.name);
    writer.write_option(column.type);
  }
}

// <flags><columns_count>[<paging_state>][<global_table_spec>?<col_spec_i>...]
void write_metadata(WireWriter& writer, const std::vector<ColumnSpec>& columns,
                    const std::optional<std::string>& paging_state, bool skip_metadata) {
  std::int32_t flags = 0;
  bool global = share_one_table(columns);
  if (skip_metadata) {
    flags |= cql::kRowsNoMetadata;
  } else if (global) {
    flags |= cql::kRowsGlobalTablesSpec;
  }
  if (paging_state) flags |= cql::kRowsHasMorePages;
  writer.write_int(flags);
  writer.write_int(static_cast<std::int32_t>(columns.size()));
  if (paging_state) writer.write_bytes(std::string_view(*paging_state));
  if (!skip_metadata) write_column_specs(writer, columns, global);
}

void write_rows(WireWriter& writer, const Rows& rows, bool skip_metadata) {
  writer.write_int(static_cast<std::int32_t>(cql::ResultKind::kRows));
  write_metadata(writer, rows.columns, rows.paging_state, skip_metadata);
  writer.write_int(static_cast<std::int32_t>(rows.rows.size()));
  for (const auto& row : rows.rows) {
    for (const auto& cell : row) {
      writer.write_bytes(cell ? std::optional<std::string_view>(*cell) : std::nullopt);
    }
  }
}

// <change_type><target><options>, as in the Schema_change result and event.
void write_schema_change(WireWriter& writer, const SchemaChange& change) {
  writer.write_string(change.change_type);
  writer.write_string(change.target);
  writer.write_string(change.keyspace);
  if (change.target != "KEYSPACE") writer.write_string(change.name);
}

}  // namespace

std::string error_body(const CqlError& error) {
  std::string body;
  WireWriter writer(body);
  writer.write_int(static_cast<std::int32_t>(error.code));
  writer.write_string(error.message);
  switch (error.code) {
    case ErrorCode::kUnavailable:  // <cl><required><alive>
      writer.write_consistency(cql::Consistency::kOne);
      writer.write_int(1);
      writer.write_int(0);
      break;
    case ErrorCode::kWriteTimeout:  // <cl><received><blockfor><writeType>
      writer.write_consistency(cql::Consistency::kOne);
      writer.write_int(0);
      writer.write_int(1);
      writer.write_string("SIMPLE");
      break;
    case ErrorCode::kReadTimeout:  // <cl><received><blockfor><data_present>
      writer.write_consistency(cql::Consistency::kOne);
      writer.write_int(0);
      writer.write_int(1);
      writer.write_byte(0);
      break;
    case ErrorCode::kReadFailure:  // <cl><received><blockfor><numfailures><data_present>
      writer.write_consistency(cql::Consistency::kOne);
      writer.write_int(0);
      writer.write_int(1);
      writer.write_int(1);
      writer.write_byte(0);
      break;
    case ErrorCode::kWriteFailure:  // <cl><received><blockfor><numfailures><writeType>
      writer.write_consistency(cql::Consistency::kOne);
      writer.write_int(0);
      writer.write_int(1);
      writer.write_int(1);
      writer.write_string("SIMPLE");
      break;
    case ErrorCode::kFunctionFailure:  // <keyspace><function><arg_types>
      writer.write_string(error.keyspace);
      writer.write_string("");
      writer.write_string_list({});
      break;
    case ErrorCode::kAlreadyExists:  // <ks><table>
      writer.write_string(error.keyspace);
      writer.write_string(error.table);
      break;
    case ErrorCode::kUnprepared:  // <id>
      writer.write_short_bytes(error.unprepared_id);
      break;
    default:
      break;
  }
  return body;
}

std::string protocol_error_body(std::string_view message) {
  return error_body(CqlError{ErrorCode::kProtocolError, std::string(message), {}, {}, {}});
}

std::string authenticate_body(std::string_view authenticator) {
  std::string body;
  WireWriter(body).write_string(authenticator);
  return body;
}

std::string supported_body(const std::map<std::string, std::vector<std::string>>& options) {
  std::string body;
  WireWriter(body).write_string_multimap(options);
  return body;
}

std::string auth_success_body() {
  std::string body;
  WireWriter(body).write_bytes(std::nullopt);
  return body;
}

std::string outcome_body(const Outcome& outcome, bool skip_metadata, bool* is_error) {
  std::string body;
  WireWriter writer(body);
  *is_error = false;
  if (const auto* error = std::get_if<CqlError>(&outcome)) {
    *is_error = true;
    return error_body(*error);
  }
  if (std::holds_alternative<Void>(outcome)) {
    writer.write_int(static_cast<std::int32_t>(cql::ResultKind::kVoid));
  } else if (const auto* rows = std::get_if<Rows>(&outcome)) {
    write_rows(writer, *rows, skip_metadata);
  } else if (const auto* set_keyspace = std::get_if<SetKeyspace>(&outcome)) {
    writer.write_int(static_cast<std::int32_t>(cql::ResultKind::kSetKeyspace));
    writer.write_string(set_keyspace->keyspace);
  } else if (const auto* change = std::get_if<SchemaChange>(&outcome)) {
    writer.write_int(static_cast<std::int32_t>(cql::ResultKind::kSchemaChange));
    write_schema_change(writer, *change);
  }
  return body;
}

std::string prepared_body(const Prepared& prepared, int version) {
  std::string body;
  WireWriter writer(body);
  writer.write_int(static_cast<std::int32_t>(cql::ResultKind::kPrepared));
  writer.write_short_bytes(prepared.id);
  // <metadata>: the bound markers.
  bool global = share_one_table(prepared.bound_columns);
  writer.write_int(global ? cql::kRowsGlobalTablesSpec : 0);
  writer.write_int(static_cast<std::int32_t>(prepared.bound_columns.size()));
  if (version >= 4) {
    writer.write_int(static_cast<std::int32_t>(prepared.partition_key_indexes.size()));
    for (std::uint16_t index : prepared.partition_key_indexes) writer.write_short(index);
  }
  write_column_specs(writer, prepared.bound_columns, global);
  // <result_metadata>: a SELECT's columns, else No_metadata and none.
  if (prepared.result_columns.empty()) {
    writer.write_int(cql::kRowsNoMetadata);
    writer.write_int(0);
  } else {
    write_metadata(writer, prepared.result_columns, std::nullopt, false);
  }
  return body;
}

std::string schema_change_event_body(const SchemaChange& change) {
  std::string body;
  WireWriter writer(body);
  writer.write_string("SCHEMA_CHANGE");
  write_schema_change(writer, change);
  return body;
}

}  // namespace runnel::store::server

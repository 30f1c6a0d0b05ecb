#include "sinks/cql/cql_messages.h"

#include <gtest/gtest.h>

#include <string>

#include "cql/wire_reader.h"
#include "cql/wire_writer.h"

namespace runnel::sinks {
namespace {

using namespace std::string_literals;

TEST(CqlRequests, StartupAsksForCql3WithoutCompression) {
  std::string body = startup_body();
  cql::WireReader in(body);
  auto options = in.read_string_map();
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in.remaining(), 0u);
  EXPECT_EQ(options, (std::map<std::string, std::string>{{"CQL_VERSION", "3.0.0"}}));
}

TEST(CqlRequests, AuthResponseIsASaslPlainToken) {
  EXPECT_EQ(auth_response_body("cassandra", "s3cret"),
            "\x00\x00\x00\x11\x00"
            "cassandra\x00s3cret"s);
}

TEST(CqlRequests, QueryWithoutParametersIsTextConsistencyAndNoFlags) {
  store::QueryParameters parameters;
  parameters.consistency = cql::Consistency::kQuorum;
  EXPECT_EQ(query_body("SELECT 1", parameters),
            "\x00\x00\x00\x08SELECT 1"
            "\x00\x04\x00"s);
}

TEST(CqlRequests, QueryCarriesValuesPageSizePagingStateAndTimestampInSpecOrder) {
  store::QueryParameters parameters;
  parameters.consistency = cql::Consistency::kLocalOne;
  parameters.values = {store::BoundValue::set("\x00\x00\x00\x07"s), store::BoundValue::null(),
                       store::BoundValue::unset()};
  parameters.page_size = 100;
  parameters.paging_state = "PS";
  parameters.serial_consistency = cql::Consistency::kLocalSerial;
  parameters.default_timestamp = 1700000000000000;
  std::string body = query_body("Q", parameters);
  cql::WireReader in(body);
  EXPECT_EQ(in.read_long_string(), "Q");
  EXPECT_EQ(in.read_consistency(), cql::Consistency::kLocalOne);
  EXPECT_EQ(in.read_byte(), 0x01 | 0x04 | 0x08 | 0x10 | 0x20);
  EXPECT_EQ(in.read_short(), 3);
  EXPECT_EQ(in.read_value(), (cql::WireValue{cql::WireValue::State::kSet, "\x00\x00\x00\x07"s}));
  EXPECT_EQ(in.read_value().state, cql::WireValue::State::kNull);
  EXPECT_EQ(in.read_value().state, cql::WireValue::State::kUnset);
  EXPECT_EQ(in.read_int(), 100);
  EXPECT_EQ(in.read_bytes(), "PS");
  EXPECT_EQ(in.read_consistency(), cql::Consistency::kLocalSerial);
  EXPECT_EQ(in.read_long(), 1700000000000000);
  ASSERT_TRUE(in.ok()) << in.error();
  EXPECT_EQ(in.remaining(), 0u);
}

TEST(CqlRequests, NamedValuesSetTheNamesFlagAndPrecedeEachValue) {
  store::QueryParameters parameters;
  parameters.values = {store::BoundValue::set("v")};
  parameters.value_names = {"name"};
  std::string body = execute_body("0123456789abcdef", parameters, false);
  cql::WireReader in(body);
  EXPECT_EQ(in.read_short_bytes(), "0123456789abcdef");
  EXPECT_EQ(in.read_consistency(), cql::Consistency::kOne);
  EXPECT_EQ(in.read_byte(), 0x01 | 0x40);
  EXPECT_EQ(in.read_short(), 1);
  EXPECT_EQ(in.read_string(), "name");
  EXPECT_EQ(in.read_bytes(), "v");
  ASSERT_TRUE(in.ok()) << in.error();
  EXPECT_EQ(in.remaining(), 0u);
}

TEST(CqlRequests, BatchListsPreparedAndTextStatementsThenConsistencyAndTimestamp) {
  std::vector<store::BatchStatement> statements = {
      {true,
       "ID",
       {store::BoundValue::set("a"), store::BoundValue::null(), store::BoundValue::unset()}},
      {false, "INSERT INTO t (k) VALUES (1)", {}},
  };
  std::vector<BatchStatementRef> refs;
  for (const auto& statement : statements) {
    refs.push_back({statement.prepared, statement.query_or_id, &statement.values});
  }
  std::string body =
      batch_body(cql::BatchType::kUnlogged, refs, cql::Consistency::kLocalQuorum, 42);
  cql::WireReader in(body);
  EXPECT_EQ(in.read_byte(), 1);  // unlogged
  EXPECT_EQ(in.read_short(), 2);
  EXPECT_EQ(in.read_byte(), 1);  // prepared
  EXPECT_EQ(in.read_short_bytes(), "ID");
  EXPECT_EQ(in.read_short(), 3);
  EXPECT_EQ(in.read_bytes(), "a");
  EXPECT_EQ(in.read_bytes(), std::nullopt);
  EXPECT_EQ(in.read_int(), -2);  // unset
  EXPECT_EQ(in.read_byte(), 0);  // text
  EXPECT_EQ(in.read_long_string(), "INSERT INTO t (k) VALUES (1)");
  EXPECT_EQ(in.read_short(), 0);
  EXPECT_EQ(in.read_consistency(), cql::Consistency::kLocalQuorum);
  EXPECT_EQ(in.read_byte(), 0x20);
  EXPECT_EQ(in.read_long(), 42);
  ASSERT_TRUE(in.ok()) << in.error();
  EXPECT_EQ(in.remaining(), 0u);
}

cql::DataType text_list() {
  return cql::DataType{cql::TypeKind::kList, {cql::DataType::of(cql::TypeKind::kVarchar)}, {}};
}

std::string result_header(cql::ResultKind kind) {
  std::string body;
  cql::WireWriter(body).write_int(static_cast<std::int32_t>(kind));
  return body;
}

TEST(CqlResults, VoidSetKeyspaceAndSchemaChangeDecode) {
  auto void_result = decode_response(cql::Opcode::kResult, result_header(cql::ResultKind::kVoid));
  ASSERT_TRUE(void_result.is_ok());
  EXPECT_TRUE(std::holds_alternative<store::Void>(*void_result));

  std::string set_keyspace = result_header(cql::ResultKind::kSetKeyspace);
  cql::WireWriter(set_keyspace).write_string("spark_streams");
  auto keyspace = decode_response(cql::Opcode::kResult, set_keyspace);
  ASSERT_TRUE(keyspace.is_ok());
  EXPECT_EQ(std::get<store::SetKeyspace>(*keyspace).keyspace, "spark_streams");

  std::string change = result_header(cql::ResultKind::kSchemaChange);
  cql::WireWriter out(change);
  out.write_string("CREATED");
  out.write_string("TABLE");
  out.write_string("ks");
  out.write_string("users");
  auto table = decode_response(cql::Opcode::kResult, change);
  ASSERT_TRUE(table.is_ok());
  const auto& schema_change = std::get<store::SchemaChange>(*table);
  EXPECT_EQ(schema_change.change_type, "CREATED");
  EXPECT_EQ(schema_change.target, "TABLE");
  EXPECT_EQ(schema_change.keyspace, "ks");
  EXPECT_EQ(schema_change.name, "users");
}

TEST(CqlResults, RowsWithGlobalTableSpecNullsAndPagingState) {
  std::string body = result_header(cql::ResultKind::kRows);
  cql::WireWriter out(body);
  out.write_int(0x0001 | 0x0002);  // global tables spec, has more pages
  out.write_int(2);
  out.write_bytes("next"s);
  out.write_string("ks");
  out.write_string("t");
  out.write_string("k");
  out.write_option(cql::DataType::of(cql::TypeKind::kInt));
  out.write_string("v");
  out.write_option(text_list());
  out.write_int(2);
  out.write_bytes("\x00\x00\x00\x01"s);
  out.write_bytes("L"s);
  out.write_bytes("\x00\x00\x00\x02"s);
  out.write_bytes(std::nullopt);

  auto response = decode_response(cql::Opcode::kResult, body);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  const auto& rows = std::get<store::Rows>(*response);
  ASSERT_EQ(rows.columns.size(), 2u);
  EXPECT_EQ(rows.columns[0].keyspace, "ks");
  EXPECT_EQ(rows.columns[1].table, "t");
  EXPECT_EQ(rows.columns[1].name, "v");
  EXPECT_EQ(rows.columns[1].type, text_list());
  EXPECT_EQ(rows.paging_state, "next");
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_EQ(rows.rows[0][1], "L");
  EXPECT_EQ(rows.rows[1][1], std::nullopt);
}

TEST(CqlResults, RowsWithPerColumnTableSpecs) {
  std::string body = result_header(cql::ResultKind::kRows);
  cql::WireWriter out(body);
  out.write_int(0);
  out.write_int(1);
  out.write_string("system");
  out.write_string("local");
  out.write_string("key");
  out.write_option(cql::DataType::of(cql::TypeKind::kVarchar));
  out.write_int(0);
  auto response = decode_response(cql::Opcode::kResult, body);
  ASSERT_TRUE(response.is_ok());
  const auto& rows = std::get<store::Rows>(*response);
  ASSERT_EQ(rows.columns.size(), 1u);
  EXPECT_EQ(rows.columns[0].keyspace, "system");
  EXPECT_EQ(rows.columns[0].name, "key");
  EXPECT_TRUE(rows.rows.empty());
  EXPECT_FALSE(rows.paging_state);
}

TEST(CqlResults, PreparedCarriesIdMarkersPartitionKeyAndResultColumns) {
  std::string body = result_header(cql::ResultKind::kPrepared);
  cql::WireWriter out(body);
  out.write_short_bytes("0123456789abcdef");
  out.write_int(0x0001);  // bound columns: global spec
  out.write_int(2);
  out.write_int(1);  // one partition key marker
  out.write_short(0);
  out.write_string("ks");
  out.write_string("t");
  out.write_string("id");
  out.write_option(cql::DataType::of(cql::TypeKind::kUuid));
  out.write_string("name");
  out.write_option(cql::DataType::of(cql::TypeKind::kVarchar));
  out.write_int(0x0004);  // result metadata: none
  out.write_int(0);

  auto response = decode_response(cql::Opcode::kResult, body);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  const auto& prepared = std::get<store::Prepared>(*response);
  EXPECT_EQ(prepared.id, "0123456789abcdef");
  ASSERT_EQ(prepared.bound_columns.size(), 2u);
  EXPECT_EQ(prepared.bound_columns[0].type, cql::DataType::of(cql::TypeKind::kUuid));
  EXPECT_EQ(prepared.partition_key_indexes, std::vector<std::uint16_t>{0});
  EXPECT_TRUE(prepared.result_columns.empty());
}

TEST(CqlResults, ErrorsKeepCodeMessageAndTheirFields) {
  std::string body;
  cql::WireWriter out(body);
  out.write_int(static_cast<std::int32_t>(cql::ErrorCode::kUnprepared));
  out.write_string("unknown statement");
  out.write_short_bytes("IDID");
  auto unprepared = decode_response(cql::Opcode::kError, body);
  ASSERT_TRUE(unprepared.is_ok());
  EXPECT_EQ(std::get<store::CqlError>(*unprepared).code, cql::ErrorCode::kUnprepared);
  EXPECT_EQ(std::get<store::CqlError>(*unprepared).unprepared_id, "IDID");

  std::string exists;
  cql::WireWriter exists_out(exists);
  exists_out.write_int(static_cast<std::int32_t>(cql::ErrorCode::kAlreadyExists));
  exists_out.write_string("Cannot add existing keyspace \"ks\"");
  exists_out.write_string("ks");
  exists_out.write_string("");
  auto already = decode_response(cql::Opcode::kError, exists);
  ASSERT_TRUE(already.is_ok());
  const auto& error = std::get<store::CqlError>(*already);
  EXPECT_EQ(error.keyspace, "ks");
  EXPECT_EQ(describe(error),
            "AlreadyExists: Error from server: code=2400 [Already exists] message=\"Cannot add "
            "existing keyspace \"ks\"\"");
}

TEST(CqlResults, ErrorNamesAreTheDriversOnes) {
  EXPECT_EQ(error_name(cql::ErrorCode::kInvalid), "InvalidRequest");
  EXPECT_EQ(error_name(cql::ErrorCode::kSyntaxError), "SyntaxException");
  EXPECT_EQ(error_name(cql::ErrorCode::kWriteTimeout), "WriteTimeout");
  EXPECT_EQ(describe({cql::ErrorCode::kInvalid, "unconfigured table nope", {}, {}, {}}),
            "InvalidRequest: Error from server: code=2200 [Invalid query] "
            "message=\"unconfigured table nope\"");
}

TEST(CqlResults, MalformedBodiesAreDataLossNotCrashes) {
  std::string rows = result_header(cql::ResultKind::kRows);
  cql::WireWriter(rows).write_int(0);  // flags, then nothing
  auto cut = decode_response(cql::Opcode::kResult, rows);
  ASSERT_FALSE(cut.is_ok());
  EXPECT_EQ(cut.status().code(), StatusCode::kDataLoss);

  auto unknown = decode_response(cql::Opcode::kResult, result_header(cql::ResultKind{99}));
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_NE(unknown.status().message().find("unknown kind 99"), std::string::npos);

  std::string huge = result_header(cql::ResultKind::kRows);
  cql::WireWriter huge_out(huge);
  huge_out.write_int(0x0004);
  huge_out.write_int(1);
  huge_out.write_int(2000000000);  // rows claimed, none present
  auto claimed = decode_response(cql::Opcode::kResult, huge);
  EXPECT_EQ(claimed.status().code(), StatusCode::kDataLoss);

  auto ready = decode_response(cql::Opcode::kReady, "");
  EXPECT_EQ(ready.status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace runnel::sinks

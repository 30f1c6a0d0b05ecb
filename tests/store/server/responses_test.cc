#include "store/server/responses.h"

#include <gtest/gtest.h>

#include "cql/wire_reader.h"

namespace runnel::store::server {
namespace {

using cql::DataType;
using cql::TypeKind;

ColumnSpec column(std::string table, std::string name, TypeKind kind) {
  return ColumnSpec{"ks", std::move(table), std::move(name), DataType::of(kind)};
}

TEST(ResponsesTest, RowsOfOneTableUseTheGlobalTableSpec) {
  Rows rows;
  rows.columns = {column("t", "id", TypeKind::kInt), column("t", "name", TypeKind::kVarchar)};
  rows.rows = {{std::string("\x00\x00\x00\x01", 4), std::nullopt}};
  rows.paging_state = "next";
  bool is_error = true;
  std::string body = outcome_body(rows, false, &is_error);
  EXPECT_FALSE(is_error);
  cql::WireReader reader(body);
  EXPECT_EQ(reader.read_int(), 2);
  EXPECT_EQ(reader.read_int(), 0x0001 | 0x0002);
  EXPECT_EQ(reader.read_int(), 2);
  EXPECT_EQ(reader.read_bytes(), std::optional<std::string>("next"));
  EXPECT_EQ(reader.read_string(), "ks");
  EXPECT_EQ(reader.read_string(), "t");
  EXPECT_EQ(reader.read_string(), "id");
  EXPECT_EQ(reader.read_option().kind, TypeKind::kInt);
  EXPECT_EQ(reader.read_string(), "name");
  EXPECT_EQ(reader.read_option().kind, TypeKind::kVarchar);
  EXPECT_EQ(reader.read_int(), 1);
  EXPECT_EQ(reader.read_bytes(), std::optional<std::string>(std::string("\x00\x00\x00\x01", 4)));
  EXPECT_EQ(reader.read_bytes(), std::nullopt);
  EXPECT_TRUE(reader.ok());
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(ResponsesTest, RowsOfSeveralTablesNameEachColumnsTable) {
  Rows rows;
  rows.columns = {column("a", "x", TypeKind::kInt), column("b", "y", TypeKind::kInt)};
  bool is_error = false;
  std::string body = outcome_body(rows, false, &is_error);
  cql::WireReader reader(body);
  reader.read_int();
  EXPECT_EQ(reader.read_int(), 0);
  EXPECT_EQ(reader.read_int(), 2);
  EXPECT_EQ(reader.read_string(), "ks");
  EXPECT_EQ(reader.read_string(), "a");
  EXPECT_EQ(reader.read_string(), "x");
}

TEST(ResponsesTest, SkipMetadataLeavesOnlyFlagsAndCount) {
  Rows rows;
  rows.columns = {column("t", "id", TypeKind::kInt)};
  bool is_error = false;
  std::string body = outcome_body(rows, true, &is_error);
  cql::WireReader reader(body);
  reader.read_int();
  EXPECT_EQ(reader.read_int(), 0x0004);
  EXPECT_EQ(reader.read_int(), 1);
  EXPECT_EQ(reader.read_int(), 0);  // rows
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(ResponsesTest, PreparedHasPartitionKeyIndexesInV4Only) {
  Prepared prepared;
  prepared.id = std::string(16, '\x01');
  prepared.bound_columns = {column("t", "name", TypeKind::kVarchar),
                            column("t", "id", TypeKind::kUuid)};
  prepared.partition_key_indexes = {1};
  std::string v4 = prepared_body(prepared, 4);
  cql::WireReader reader(v4);
  EXPECT_EQ(reader.read_int(), 4);
  EXPECT_EQ(reader.read_short_bytes(), prepared.id);
  EXPECT_EQ(reader.read_int(), 0x0001);
  EXPECT_EQ(reader.read_int(), 2);
  EXPECT_EQ(reader.read_int(), 1);    // pk_count
  EXPECT_EQ(reader.read_short(), 1);  // pk_index
  reader.read_string();
  reader.read_string();
  EXPECT_EQ(reader.read_string(), "name");
  reader.read_option();
  EXPECT_EQ(reader.read_string(), "id");
  reader.read_option();
  EXPECT_EQ(reader.read_int(), 0x0004);  // no result metadata
  EXPECT_EQ(reader.read_int(), 0);
  EXPECT_TRUE(reader.ok());
  EXPECT_EQ(reader.remaining(), 0u);

  std::string v3 = prepared_body(prepared, 3);
  EXPECT_EQ(v3.size(), v4.size() - 6);
}

TEST(ResponsesTest, SchemaChangeOfAKeyspaceHasNoName) {
  bool is_error = false;
  std::string body =
      outcome_body(SchemaChange{"CREATED", "KEYSPACE", "spark_streams", ""}, false, &is_error);
  cql::WireReader reader(body);
  EXPECT_EQ(reader.read_int(), 5);
  EXPECT_EQ(reader.read_string(), "CREATED");
  EXPECT_EQ(reader.read_string(), "KEYSPACE");
  EXPECT_EQ(reader.read_string(), "spark_streams");
  EXPECT_EQ(reader.remaining(), 0u);
  std::string event = schema_change_event_body(SchemaChange{"DROPPED", "TABLE", "ks", "t"});
  cql::WireReader event_reader(event);
  EXPECT_EQ(event_reader.read_string(), "SCHEMA_CHANGE");
  event_reader.read_string();
  event_reader.read_string();
  event_reader.read_string();
  EXPECT_EQ(event_reader.read_string(), "t");
}

TEST(ResponsesTest, ErrorsWithExtrasTheDriversRead) {
  bool is_error = false;
  std::string body =
      outcome_body(CqlError{cql::ErrorCode::kWriteTimeout, "slow", {}, {}, {}}, false, &is_error);
  EXPECT_TRUE(is_error);
  cql::WireReader reader(body);
  EXPECT_EQ(reader.read_int(), 0x1100);
  EXPECT_EQ(reader.read_string(), "slow");
  reader.read_consistency();
  reader.read_int();
  reader.read_int();
  EXPECT_EQ(reader.read_string(), "SIMPLE");
  EXPECT_TRUE(reader.ok());
  EXPECT_EQ(reader.remaining(), 0u);
}

}  // namespace
}  // namespace runnel::store::server

#include "store/server/requests.h"

#include <gtest/gtest.h>

#include "cql/wire_writer.h"

namespace runnel::store::server {
namespace {

TEST(RequestsTest, QueryWithEveryParameterFlag) {
  std::string body;
  cql::WireWriter writer(body);
  writer.write_long_string("SELECT * FROM t WHERE k = :k");
  writer.write_consistency(cql::Consistency::kLocalQuorum);
  writer.write_byte(0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x20 | 0x40);
  writer.write_short(3);
  writer.write_string("k");
  writer.write_value({cql::WireValue::State::kSet, "abc"});
  writer.write_string("n");
  writer.write_value({cql::WireValue::State::kNull, {}});
  writer.write_string("u");
  writer.write_value({cql::WireValue::State::kUnset, {}});
  writer.write_int(100);
  writer.write_bytes(std::string_view("state"));
  writer.write_consistency(cql::Consistency::kLocalSerial);
  writer.write_long(1700000000000000);

  cql::WireReader reader(body);
  QueryRequest query = read_query(reader, 4);
  ASSERT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(query.cql, "SELECT * FROM t WHERE k = :k");
  EXPECT_TRUE(query.skip_metadata);
  const QueryParameters& p = query.parameters;
  EXPECT_EQ(p.consistency, cql::Consistency::kLocalQuorum);
  EXPECT_EQ(p.value_names, (std::vector<std::string>{"k", "n", "u"}));
  ASSERT_EQ(p.values.size(), 3u);
  EXPECT_EQ(p.values[0].state, BoundValue::State::kSet);
  EXPECT_EQ(p.values[0].bytes, "abc");
  EXPECT_EQ(p.values[1].state, BoundValue::State::kNull);
  EXPECT_EQ(p.values[2].state, BoundValue::State::kUnset);
  EXPECT_EQ(p.page_size, 100);
  EXPECT_EQ(p.paging_state, std::optional<std::string>("state"));
  EXPECT_EQ(p.serial_consistency, cql::Consistency::kLocalSerial);
  EXPECT_EQ(p.default_timestamp, 1700000000000000);
}

TEST(RequestsTest, QueryWithoutFlagsHasDefaults) {
  std::string body;
  cql::WireWriter writer(body);
  writer.write_long_string("SELECT 1");
  writer.write_consistency(cql::Consistency::kOne);
  writer.write_byte(0);
  cql::WireReader reader(body);
  QueryRequest query = read_query(reader, 4);
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE(query.skip_metadata);
  EXPECT_TRUE(query.parameters.values.empty());
  EXPECT_EQ(query.parameters.page_size, -1);
  EXPECT_FALSE(query.parameters.paging_state);
}

TEST(RequestsTest, UnsetValuesNeedV4) {
  std::string body;
  cql::WireWriter writer(body);
  writer.write_short_bytes("id");
  writer.write_consistency(cql::Consistency::kOne);
  writer.write_byte(0x01);
  writer.write_short(1);
  writer.write_value({cql::WireValue::State::kUnset, {}});
  cql::WireReader v3(body);
  read_execute(v3, 3);
  EXPECT_FALSE(v3.ok());
  cql::WireReader v4(body);
  ExecuteRequest execute = read_execute(v4, 4);
  EXPECT_TRUE(v4.ok());
  EXPECT_EQ(execute.prepared_id, "id");
}

TEST(RequestsTest, NegativeDefaultTimestampIsRefused) {
  std::string body;
  cql::WireWriter writer(body);
  writer.write_long_string("INSERT");
  writer.write_consistency(cql::Consistency::kOne);
  writer.write_byte(0x20);
  writer.write_long(-1);
  cql::WireReader reader(body);
  read_query(reader, 4);
  EXPECT_FALSE(reader.ok());
}

TEST(RequestsTest, BatchOfQueriesAndPreparedIds) {
  std::string body;
  cql::WireWriter writer(body);
  writer.write_byte(1);  // unlogged
  writer.write_short(2);
  writer.write_byte(0);
  writer.write_long_string("INSERT INTO t (k) VALUES (1)");
  writer.write_short(0);
  writer.write_byte(1);
  writer.write_short_bytes("prepared");
  writer.write_short(2);
  writer.write_value({cql::WireValue::State::kSet, "\x00\x00\x00\x02"});
  writer.write_value({cql::WireValue::State::kNull, {}});
  writer.write_consistency(cql::Consistency::kQuorum);
  writer.write_byte(0x20);
  writer.write_long(42);
  cql::WireReader reader(body);
  BatchRequest batch = read_batch(reader, 4);
  ASSERT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(batch.type, cql::BatchType::kUnlogged);
  ASSERT_EQ(batch.statements.size(), 2u);
  EXPECT_FALSE(batch.statements[0].prepared);
  EXPECT_EQ(batch.statements[0].query_or_id, "INSERT INTO t (k) VALUES (1)");
  EXPECT_TRUE(batch.statements[1].prepared);
  EXPECT_EQ(batch.statements[1].values.size(), 2u);
  EXPECT_EQ(batch.consistency, cql::Consistency::kQuorum);
  EXPECT_EQ(batch.default_timestamp, 42);
}

TEST(RequestsTest, BatchWithABadKindOrTypeIsRefused) {
  std::string bad_kind;
  cql::WireWriter kind_writer(bad_kind);
  kind_writer.write_byte(0);
  kind_writer.write_short(1);
  kind_writer.write_byte(7);
  cql::WireReader kind_reader(bad_kind);
  read_batch(kind_reader, 4);
  EXPECT_FALSE(kind_reader.ok());
  EXPECT_NE(kind_reader.error().find("kind 7"), std::string::npos);

  std::string bad_type("\x05\x00\x00", 3);
  cql::WireReader type_reader(bad_type);
  read_batch(type_reader, 4);
  EXPECT_FALSE(type_reader.ok());
}

}  // namespace
}  // namespace runnel::store::server

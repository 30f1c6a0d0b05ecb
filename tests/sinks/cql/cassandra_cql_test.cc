#include "sinks/cql/cassandra_cql.h"

#include <gtest/gtest.h>

#include <string>

namespace runnel::sinks {
namespace {

using namespace std::string_literals;
using stream::FieldType;

stream::Schema every_type() {
  return {"t",
          {{"id", FieldType::kUuid, true},
           {"n", FieldType::kInt},
           {"big", FieldType::kBigint},
           {"x", FieldType::kDouble},
           {"ok", FieldType::kBoolean},
           {"at", FieldType::kTimestamp},
           {"Note", FieldType::kText}},
          {"id", "n"}};
}

TEST(CassandraCql, FieldTypesMapToTheirCqlTypes) {
  EXPECT_EQ(cql_type(FieldType::kText), "text");
  EXPECT_EQ(cql_type(FieldType::kInt), "int");
  EXPECT_EQ(cql_type(FieldType::kBigint), "bigint");
  EXPECT_EQ(cql_type(FieldType::kDouble), "double");
  EXPECT_EQ(cql_type(FieldType::kBoolean), "boolean");
  EXPECT_EQ(cql_type(FieldType::kUuid), "uuid");
  EXPECT_EQ(cql_type(FieldType::kTimestamp), "timestamp");
}

TEST(CassandraCql, TableDdlHasEveryFieldAndThePrimaryKeyAsPartitionKey) {
  EXPECT_EQ(create_table_cql({"ks", "users"}, every_type()),
            "CREATE TABLE IF NOT EXISTS ks.users (id uuid, n int, big bigint, x double, "
            "ok boolean, at timestamp, \"Note\" text, PRIMARY KEY ((id, n)))");
  EXPECT_EQ(insert_cql({"ks", "users"}, every_type()),
            "INSERT INTO ks.users (id, n, big, x, ok, at, \"Note\") VALUES (?, ?, ?, ?, ?, ?, ?)");
  EXPECT_EQ(create_keyspace_cql("spark_streams",
                                "{'class': 'SimpleStrategy', 'replication_factor': '1'}"),
            "CREATE KEYSPACE IF NOT EXISTS spark_streams WITH replication = {'class': "
            "'SimpleStrategy', 'replication_factor': '1'}");
}

TEST(CassandraCql, OffsetsTableIsOnePartitionPerJob) {
  EXPECT_EQ(create_offsets_table_cql("ks"),
            "CREATE TABLE IF NOT EXISTS ks.runnel_offsets (job text, topic text, partition int, "
            "next_offset bigint, PRIMARY KEY ((job), topic, partition))");
  EXPECT_EQ(upsert_offset_cql("ks"),
            "INSERT INTO ks.runnel_offsets (job, topic, partition, next_offset) VALUES (?, ?, ?, "
            "?)");
  EXPECT_EQ(select_offsets_cql("ks"),
            "SELECT topic, partition, next_offset FROM ks.runnel_offsets WHERE job = ?");
}

TEST(CassandraCql, IdentifiersAreQuotedOnlyWhenTheyMustBe) {
  EXPECT_EQ(cql_identifier("first_name"), "first_name");
  EXPECT_EQ(cql_identifier("FirstName"), "\"FirstName\"");
  EXPECT_EQ(cql_identifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(cql_identifier("1st"), "\"1st\"");
  EXPECT_TRUE(check_cql_name("keyspace", "spark_streams").is_ok());
  EXPECT_EQ(check_cql_name("keyspace", "bad-name").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(check_cql_name("table", std::string(49, 'a')).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(check_cql_name("table", "").code(), StatusCode::kInvalidArgument);
}

TEST(CassandraCql, RowsBindAsSerializedValuesOfTheirCqlTypes) {
  stream::Row row{{std::string("0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f"), int64_t{-2},
                   int64_t{1} << 40, 1.5, true, int64_t{-1500}, std::monostate{}}};
  auto values = bind_row(every_type(), native_columns(every_type()), row);
  ASSERT_TRUE(values.is_ok()) << values.status().to_string();
  ASSERT_EQ(values->size(), 7u);
  EXPECT_EQ((*values)[0].bytes,
            "\x0b\x5c\x9f\x6e\x2f\x6d\x4d\x1b\x9f\x1e\x7c\x3a\x1d\x2b\x4e\x5f"s);
  EXPECT_EQ((*values)[1].bytes, "\xff\xff\xff\xfe"s);
  EXPECT_EQ((*values)[2].bytes, "\x00\x00\x01\x00\x00\x00\x00\x00"s);
  EXPECT_EQ((*values)[3].bytes, "\x3f\xf8\x00\x00\x00\x00\x00\x00"s);
  EXPECT_EQ((*values)[4].bytes, "\x01"s);
  // -1500 microseconds is -1.5 ms: floored to -2 ms.
  EXPECT_EQ((*values)[5].bytes, "\xff\xff\xff\xff\xff\xff\xff\xfe"s);
  EXPECT_EQ((*values)[6].state, store::BoundValue::State::kNull);
}

TEST(CassandraCql, BadValuesAreInvalidArgumentsNamingTheField) {
  auto schema = every_type();
  stream::Row row{{std::string("0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f"), int64_t{1}, int64_t{1}, 1.0,
                   true, int64_t{0}, std::string("x")}};

  stream::Row out_of_range = row;
  out_of_range.values[1] = int64_t{1} << 31;
  auto range = bind_row(schema, native_columns(schema), out_of_range);
  EXPECT_EQ(range.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(range.status().message().find("field n"), std::string::npos);

  stream::Row bad_uuid = row;
  bad_uuid.values[0] = std::string("not-a-uuid");
  EXPECT_EQ(bind_row(schema, native_columns(schema), bad_uuid).status().code(),
            StatusCode::kInvalidArgument);

  stream::Row wrong_kind = row;
  wrong_kind.values[3] = std::string("1.0");
  auto kind = bind_row(schema, native_columns(schema), wrong_kind);
  EXPECT_NE(kind.status().message().find("field x holds a value that is not double"),
            std::string::npos);

  stream::Row null_key = row;
  null_key.values[1] = std::monostate{};
  EXPECT_EQ(bind_row(schema, native_columns(schema), null_key).status().message(),
            "cassandra: key field n is null");
}

TEST(CassandraCql, FieldsGoIntoTextColumnsAsTextAndIntsIntoBigints) {
  // The classic project's table: every column but id is text.
  stream::Schema schema{"t",
                        {{"id", FieldType::kUuid, true},
                         {"dob", FieldType::kTimestamp},
                         {"n", FieldType::kInt},
                         {"x", FieldType::kDouble},
                         {"ok", FieldType::kBoolean},
                         {"key", FieldType::kText}},
                        {"id"}};
  auto text = cql::DataType::of(cql::TypeKind::kVarchar);
  std::vector<cql::DataType> columns = {text, text, cql::DataType::of(cql::TypeKind::kBigint),
                                        text, text, cql::DataType::of(cql::TypeKind::kUuid)};
  for (size_t i = 0; i < columns.size(); ++i) {
    EXPECT_TRUE(check_column(schema.fields[i], columns[i]).is_ok()) << i;
  }
  stream::Row row{{std::string("0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f"), int64_t{1714566896789012},
                   int64_t{7}, 0.1, false, std::string("6ab09bec-e68e-48d9-a5f8-97e6fb4c9b47")}};
  auto values = bind_row(schema, columns, row);
  ASSERT_TRUE(values.is_ok()) << values.status().to_string();
  EXPECT_EQ((*values)[0].bytes, "0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f");
  EXPECT_EQ((*values)[1].bytes, "2024-05-01T12:34:56.789012Z");
  EXPECT_EQ((*values)[2].bytes, "\x00\x00\x00\x00\x00\x00\x00\x07"s);
  EXPECT_EQ((*values)[3].bytes, "0.1");
  EXPECT_EQ((*values)[4].bytes, "false");
  EXPECT_EQ((*values)[5].bytes.size(), 16u);
}

TEST(CassandraCql, ColumnsAFieldCannotGoIntoAreRefusedByName) {
  stream::SchemaField dob{"dob", FieldType::kTimestamp, false};
  Status status = check_column(dob, cql::DataType::of(cql::TypeKind::kInt));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "cassandra: field dob (timestamp) cannot be written to its column of type int");
  EXPECT_FALSE(
      check_column({"n", FieldType::kBigint, false}, cql::DataType::of(cql::TypeKind::kInt))
          .is_ok());
  EXPECT_FALSE(check_column({"b", FieldType::kBoolean, false},
                            cql::DataType::list_of(cql::DataType::of(cql::TypeKind::kBoolean)))
                   .is_ok());
}

}  // namespace
}  // namespace runnel::sinks

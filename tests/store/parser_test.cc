#include "store/cql/parser.h"

#include <gtest/gtest.h>

namespace runnel::store::cql3 {
namespace {

TEST(ParserTest, ParsesTheClassicStatements) {
  auto keyspace = parse_statement(
      "CREATE KEYSPACE IF NOT EXISTS spark_streams WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': '1'};");
  ASSERT_TRUE(keyspace.is_ok()) << keyspace.status().message();
  const auto& create = std::get<CreateKeyspace>(keyspace->statement);
  EXPECT_TRUE(create.if_not_exists);
  EXPECT_EQ(create.name, "spark_streams");
  ASSERT_EQ(create.properties.size(), 1u);
  EXPECT_EQ(create.properties[0].value.kind, Term::Kind::kMap);

  auto table = parse_statement(
      "CREATE TABLE IF NOT EXISTS spark_streams.created_users (id UUID PRIMARY KEY, first_name "
      "TEXT)");
  ASSERT_TRUE(table.is_ok());
  const auto& create_table = std::get<CreateTable>(table->statement);
  EXPECT_EQ(create_table.table.keyspace, "spark_streams");
  EXPECT_EQ(create_table.partition_key, std::vector<std::string>{"id"});
  EXPECT_EQ(create_table.columns[1].type, "text");
}

TEST(ParserTest, CompositeKeysClusteringOrderAndOptions) {
  auto parsed = parse_statement(
      "create table t (a int, b text, c int, d int, v text, primary key ((a, b), c, d)) "
      "with clustering order by (c desc, d asc) and comment = 'x' and gc_grace_seconds = 10");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  const auto& create = std::get<CreateTable>(parsed->statement);
  EXPECT_EQ(create.partition_key, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(create.clustering, (std::vector<std::string>{"c", "d"}));
  ASSERT_EQ(create.clustering_order.size(), 2u);
  EXPECT_TRUE(create.clustering_order[0].second);
  EXPECT_EQ(create.properties.size(), 2u);
}

TEST(ParserTest, MarkersCommentsQuotedNamesAndLiterals) {
  auto parsed = parse_statement(
      "/* c */ INSERT INTO \"Mixed\" (k, \"Col\", m) -- trailing\n VALUES (?, :named, {'a': "
      "-1.5e3}) "
      "USING TTL 10 AND TIMESTAMP ?; // done");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  const auto& insert = std::get<Insert>(parsed->statement);
  EXPECT_EQ(insert.table.name, "Mixed");
  EXPECT_EQ(insert.columns[1], "Col");
  EXPECT_EQ(parsed->marker_names, (std::vector<std::string>{"", "named", ""}));
  EXPECT_EQ(insert.values[2].elements[1].text, "-1.5e3");
  EXPECT_EQ(insert.using_.ttl->text, "10");
}

TEST(ParserTest, SelectClauses) {
  auto parsed = parse_statement(
      "SELECT COUNT(*) AS n, writetime(v), ttl(v) FROM ks.t WHERE k IN (1, 2) AND c >= 3 ORDER BY "
      "c DESC "
      "LIMIT 5 ALLOW FILTERING");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  const auto& select = std::get<Select>(parsed->statement);
  EXPECT_EQ(select.selectors[0].kind, Selector::Kind::kCount);
  EXPECT_EQ(select.selectors[0].alias, "n");
  EXPECT_EQ(select.where[0].op, Operator::kIn);
  EXPECT_EQ(select.where[0].in_values.size(), 2u);
  EXPECT_TRUE(select.order_by[0].second);
  EXPECT_TRUE(select.allow_filtering);
}

TEST(ParserTest, BatchesOfWrites) {
  auto parsed = parse_statement(
      "BEGIN UNLOGGED BATCH INSERT INTO t (k) VALUES (1); UPDATE t SET l = l + [1], m['k'] = 2 "
      "WHERE k = 1; "
      "DELETE FROM t WHERE k = 2; APPLY BATCH");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  const auto& batch = std::get<Batch>(parsed->statement);
  EXPECT_EQ(batch.type, runnel::cql::BatchType::kUnlogged);
  ASSERT_EQ(batch.statements.size(), 3u);
  const auto& update = std::get<Update>(batch.statements[1]);
  EXPECT_EQ(update.assignments[0].kind, Assignment::Kind::kAdd);
  EXPECT_EQ(update.assignments[1].kind, Assignment::Kind::kSetElement);
}

TEST(ParserTest, SyntaxErrorsNameTheLineAndColumn) {
  auto parsed = parse_statement("SELECT * FORM t");
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_EQ(parsed.status().message().rfind("line 1:9 ", 0), 0u) << parsed.status().message();
  EXPECT_FALSE(parse_statement("SELECT * FROM t WHERE k = 'unterminated").is_ok());
  EXPECT_FALSE(parse_statement("CREATE TABLE select (k int PRIMARY KEY)").is_ok());
  EXPECT_FALSE(parse_statement("").is_ok());
  EXPECT_FALSE(parse_statement("\x01\x02").is_ok());
}

TEST(ParserTest, RefusesHostileNestingWithoutExhaustingTheStack) {
  std::string deep = "INSERT INTO t (k, v) VALUES (1, " + std::string(100000, '[') + ")";
  auto parsed = parse_statement(deep);
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_NE(parsed.status().message().find("line 1:"), std::string::npos);
  std::string deep_type = "CREATE TABLE t (k int PRIMARY KEY, v ";
  for (int i = 0; i < 10000; ++i) deep_type += "list<";
  EXPECT_FALSE(parse_statement(deep_type).is_ok());
}

}  // namespace
}  // namespace runnel::store::cql3

#include <gmock/gmock.h>

#include "store_testing.h"

namespace runnel::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Formatted = std::vector<std::vector<std::string>>;

class SessionTest : public testing::StoreTest {
 protected:
  void create_classic() {
    ok("CREATE KEYSPACE IF NOT EXISTS spark_streams WITH replication = {'class': 'SimpleStrategy', "
       "'replication_factor': '1'};");
    ok("CREATE TABLE IF NOT EXISTS spark_streams.created_users (id UUID PRIMARY KEY, first_name "
       "TEXT, "
       "last_name TEXT, gender TEXT, address TEXT, post_code TEXT, email TEXT, username TEXT, dob "
       "TEXT, "
       "registered_date TEXT, phone TEXT, picture TEXT);");
  }
};

TEST_F(SessionTest, ClassicDdlThenPreparedInsertsAndPagedSelect) {
  create_classic();
  auto prepared = session_->prepare(
      "INSERT INTO spark_streams.created_users (id, first_name, last_name) VALUES (?, ?, ?)");
  ASSERT_TRUE(std::holds_alternative<Prepared>(prepared));
  const auto& metadata = std::get<Prepared>(prepared);
  EXPECT_EQ(metadata.id.size(), 16u);
  ASSERT_EQ(metadata.bound_columns.size(), 3u);
  EXPECT_EQ(metadata.bound_columns[0].name, "id");
  EXPECT_EQ(metadata.bound_columns[0].type.kind, cql::TypeKind::kUuid);
  EXPECT_THAT(metadata.partition_key_indexes, ElementsAre(0));
  for (int i = 0; i < 25; ++i) {
    char uuid[37];
    std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", i);
    QueryParameters parameters;
    parameters.values = {BoundValue::set(*cql::encode_uuid(uuid)),
                         BoundValue::set("first" + std::to_string(i)),
                         BoundValue::set("last" + std::to_string(i))};
    Outcome outcome = session_->execute(metadata.id, parameters);
    ASSERT_TRUE(std::holds_alternative<Void>(outcome));
  }
  std::set<std::string> seen;
  std::optional<std::string> state;
  int pages = 0;
  do {
    Outcome outcome =
        run("SELECT first_name, last_name FROM spark_streams.created_users", {}, 10, state);
    ASSERT_TRUE(std::holds_alternative<Rows>(outcome));
    const auto& page = std::get<Rows>(outcome);
    for (const auto& row : page.rows) EXPECT_TRUE(seen.insert(*row[0]).second) << *row[0];
    state = page.paging_state;
    ++pages;
  } while (state && pages < 10);
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(formatted(rows("SELECT COUNT(*) FROM spark_streams.created_users")),
            (Formatted{{"25"}}));
}

TEST_F(SessionTest, ClusteringOrderRangesAndDeletes) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("USE ks");
  ok("CREATE TABLE t (p int, c int, v text, PRIMARY KEY (p, c)) WITH CLUSTERING ORDER BY (c DESC)");
  for (int c = 1; c <= 5; ++c)
    ok("INSERT INTO t (p, c, v) VALUES (1, " + std::to_string(c) + ", 'v')");
  EXPECT_EQ(formatted(rows("SELECT c FROM t WHERE p = 1")),
            (Formatted{{"5"}, {"4"}, {"3"}, {"2"}, {"1"}}));
  EXPECT_EQ(formatted(rows("SELECT c FROM t WHERE p = 1 ORDER BY c ASC LIMIT 2")),
            (Formatted{{"1"}, {"2"}}));
  EXPECT_EQ(formatted(rows("SELECT c FROM t WHERE p = 1 AND c > 2 AND c <= 4")),
            (Formatted{{"4"}, {"3"}}));
  ok("DELETE FROM t WHERE p = 1 AND c >= 4");
  EXPECT_EQ(formatted(rows("SELECT c FROM t WHERE p = 1")), (Formatted{{"3"}, {"2"}, {"1"}}));
  ok("DELETE FROM t WHERE p = 1 AND c = 2");
  EXPECT_EQ(formatted(rows("SELECT c FROM t WHERE p = 1")), (Formatted{{"3"}, {"1"}}));
  ok("DELETE FROM t WHERE p = 1");
  EXPECT_TRUE(rows("SELECT c FROM t WHERE p = 1").rows.empty());
  ok("INSERT INTO t (p, c, v) VALUES (1, 9, 'back')");
  EXPECT_EQ(formatted(rows("SELECT c, v FROM t WHERE p = 1")), (Formatted{{"9", "back"}}));
}

TEST_F(SessionTest, LastWriteWinsByTimestampAndTtl) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("CREATE TABLE ks.t (k text PRIMARY KEY, v int)");
  ok("INSERT INTO ks.t (k, v) VALUES ('a', 1) USING TIMESTAMP 100");
  ok("INSERT INTO ks.t (k, v) VALUES ('a', 2) USING TIMESTAMP 50");
  EXPECT_EQ(formatted(rows("SELECT v, WRITETIME(v) FROM ks.t WHERE k = 'a'")),
            (Formatted{{"1", "100"}}));
  // A TTL counts whole seconds from the write, whatever the fraction of the
  // second it landed in: a 1-second TTL is visible right after its write.
  for (int i = 0; i < 20; ++i) {
    ok("INSERT INTO ks.t (k, v) VALUES ('short', 1) USING TTL 1");
    EXPECT_EQ(rows("SELECT v FROM ks.t WHERE k = 'short'").rows.size(), 1u);
  }
  ok("INSERT INTO ks.t (k, v) VALUES ('b', 3) USING TTL 100");
  auto ttl = formatted(rows("SELECT TTL(v) FROM ks.t WHERE k = 'b'"));
  ASSERT_EQ(ttl.size(), 1u);
  EXPECT_GE(std::stoi(ttl[0][0]), 99);
}

TEST_F(SessionTest, ConditionalInsertReturnsApplied) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
  auto first = rows("INSERT INTO ks.t (k, v) VALUES (1, 'x') IF NOT EXISTS");
  EXPECT_EQ(first.columns[0].name, "[applied]");
  EXPECT_EQ(formatted(first), (Formatted{{"True"}}));
  auto second = rows("INSERT INTO ks.t (k, v) VALUES (1, 'y') IF NOT EXISTS");
  EXPECT_EQ(formatted(second), (Formatted{{"False", "1", "x"}}));
}

TEST_F(SessionTest, ErrorsAsCassandraSendsThem) {
  EXPECT_EQ(error("SELEC * FROM x").code, cql::ErrorCode::kSyntaxError);
  EXPECT_EQ(error("SELECT * FROM nope.t").message, "Keyspace nope does not exist");
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  auto exists = error(
      "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  EXPECT_EQ(exists.code, cql::ErrorCode::kAlreadyExists);
  EXPECT_EQ(exists.keyspace, "ks");
  EXPECT_EQ(error("SELECT * FROM ks.t").message, "unconfigured table t");
  ok("CREATE TABLE ks.t (id int PRIMARY KEY, v int)");
  EXPECT_EQ(error("SELECT z FROM ks.t").message, "Undefined column name z");
  EXPECT_EQ(error("INSERT INTO ks.t (v) VALUES (1)").message,
            "Some partition key parts are missing: id");
  EXPECT_THAT(error("SELECT * FROM ks.t WHERE v = 1").message, HasSubstr("ALLOW FILTERING"));
  EXPECT_EQ(error("INSERT INTO ks.t (id, v) VALUES (?, ?)",
                  {BoundValue::set("abc"), BoundValue::set("1234")})
                .message,
            "Expected 4 or 0 byte int (3)");
  QueryParameters none;
  EXPECT_EQ(std::get<CqlError>(session_->execute("0123456789abcdef", none)).code,
            cql::ErrorCode::kUnprepared);
}

TEST_F(SessionTest, PreparedStatementsKeepTheKeyspaceOfTheirPrepare) {
  for (const char* keyspace : {"one", "two"}) {
    ok(std::string("CREATE KEYSPACE ") + keyspace +
       " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    ok(std::string("CREATE TABLE ") + keyspace + ".t (k int PRIMARY KEY, v text)");
  }
  ok("USE one");
  auto prepared = std::get<Prepared>(session_->prepare("INSERT INTO t (k, v) VALUES (?, ?)"));
  ok("USE two");
  BatchStatement statement{
      true, prepared.id, {BoundValue::set(cql::encode_int(1)), BoundValue::set("b")}};
  Outcome outcome =
      session_->batch(cql::BatchType::kUnlogged, {statement}, cql::Consistency::kOne, std::nullopt);
  ASSERT_TRUE(std::holds_alternative<Void>(outcome));
  QueryParameters parameters;
  parameters.values = {BoundValue::set(cql::encode_int(2)), BoundValue::set("e")};
  ASSERT_TRUE(std::holds_alternative<Void>(session_->execute(prepared.id, parameters)));
  EXPECT_EQ(formatted(rows("SELECT k, v FROM one.t")).size(), 2u);
  EXPECT_TRUE(rows("SELECT k FROM two.t").rows.empty());
}

// The server runs these on the connection's thread, so only a SELECT whose
// partition key is fixed by = may say yes.
TEST_F(SessionTest, SinglePartitionReadsAreTheSelectsThatFixThePartitionKey) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("CREATE TABLE ks.users (id uuid PRIMARY KEY, name text)");
  ok("CREATE TABLE ks.events (a int, b int, at int, v text, PRIMARY KEY ((a, b), at))");
  auto single = [&](const std::string& cql) {
    auto prepared = session_->prepare(cql);
    if (auto* error = std::get_if<CqlError>(&prepared)) {
      ADD_FAILURE() << cql << " -> " << error->message;
      return false;
    }
    return store_->is_single_partition_read(std::get<Prepared>(prepared).id);
  };
  EXPECT_TRUE(single("SELECT name FROM ks.users WHERE id = ?"));
  EXPECT_TRUE(single("SELECT * FROM ks.events WHERE a = 1 AND b = ? AND at > 3"));
  EXPECT_TRUE(single("SELECT * FROM ks.events WHERE b = 2 AND a = 1 AND v = 'x' ALLOW FILTERING"));
  EXPECT_FALSE(single("SELECT name FROM ks.users WHERE id IN ?"));
  EXPECT_FALSE(single("SELECT name FROM ks.users"));
  EXPECT_FALSE(single("SELECT name FROM ks.users WHERE token(id) = ?"));
  EXPECT_FALSE(single("SELECT * FROM ks.events WHERE a = 1 ALLOW FILTERING"));
  EXPECT_FALSE(single("INSERT INTO ks.users (id, name) VALUES (?, ?)"));
  EXPECT_FALSE(single("DELETE FROM ks.users WHERE id = ?"));
  EXPECT_FALSE(store_->is_single_partition_read("no such id"));
}

TEST_F(SessionTest, StaticColumnsAreRefusedNotStoredPerRow) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  EXPECT_EQ(error("CREATE TABLE ks.t (k int, c int, s text STATIC, PRIMARY KEY (k, c))").message,
            "Static columns are not supported by this store (s)");
}

TEST_F(SessionTest, InProductsAreBounded) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("CREATE TABLE ks.t (a int, b int, c int, PRIMARY KEY ((a, b), c))");
  std::string list = "(";
  for (int i = 0; i < 300; ++i) list += (i ? "," : "") + std::to_string(i);
  list += ")";
  // 300 x 300 partitions is beyond the limit: an error, not 90,000 reads.
  EXPECT_THAT(error("SELECT * FROM ks.t WHERE a IN " + list + " AND b IN " + list).message,
              HasSubstr("the limit is 65536"));
  EXPECT_TRUE(rows("SELECT * FROM ks.t WHERE a IN " + list + " AND b = 1").rows.empty());
}

TEST_F(SessionTest, SchemaAndRowsSurviveReopen) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
  ok("INSERT INTO ks.t (k, v) VALUES (7, 'kept')");
  reopen();
  EXPECT_EQ(formatted(rows("SELECT v FROM ks.t WHERE k = 7")), (Formatted{{"kept"}}));
}

TEST_F(SessionTest, SystemTablesDescribeTheSchema) {
  auto local = rows("SELECT * FROM system.local WHERE key='local'");
  ASSERT_EQ(local.rows.size(), 1u);
  create_classic();
  auto columns = rows(
      "SELECT column_name, kind, type FROM system_schema.columns WHERE keyspace_name = "
      "'spark_streams' AND "
      "table_name = 'created_users'");
  EXPECT_EQ(columns.rows.size(), 12u);
  EXPECT_EQ(
      formatted(rows("SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = "
                     "'spark_streams'")),
      (Formatted{{"spark_streams"}}));
}

}  // namespace
}  // namespace runnel::store

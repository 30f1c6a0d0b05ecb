// Statements mangled at random (bytes flipped, cut, spliced) go through a
// real Store: each gets an answer, never a crash, and the store still
// serves correct rows afterwards.
#include <gtest/gtest.h>

#include <random>

#include "store_testing.h"

namespace runnel::store {
namespace {

class HostileInputTest : public testing::StoreTest {};

TEST_F(HostileInputTest, MangledStatementsGetAnswersNotCrashes) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("USE ks");
  ok("CREATE TABLE t (k int, c text, v list<int>, m map<text, int>, PRIMARY KEY (k, c)) "
     "WITH CLUSTERING ORDER BY (c DESC)");
  ok("INSERT INTO t (k, c, v, m) VALUES (1, 'a', [1, 2], {'x': 1})");
  const std::vector<std::string> seeds = {
      "SELECT k, c, writetime(v), ttl(m) FROM t WHERE k IN (1, 2) AND c > 'a' ORDER BY c ASC LIMIT "
      "3",
      "INSERT INTO t (k, c, v, m) VALUES (2, 'b', [3], {'y': 2}) IF NOT EXISTS USING TTL 100",
      "UPDATE t USING TIMESTAMP 5 SET v = v + [4], m['z'] = 3 WHERE k = 1 AND c = 'a' IF m['x'] = "
      "1",
      "DELETE m['x'], v[0] FROM t WHERE k = 1 AND c = 'a'",
      "BEGIN UNLOGGED BATCH INSERT INTO t (k, c) VALUES (3, 'c'); DELETE FROM t WHERE k = 3 AND c "
      "> 'a'; "
      "APPLY BATCH",
      "SELECT COUNT(*) FROM t WHERE token(k) > token(0) AND (c) >= ('a') ALLOW FILTERING",
      "CREATE TABLE IF NOT EXISTS u (a frozen<map<text, list<int>>>, b decimal, PRIMARY KEY ((a, "
      "b)))",
  };
  std::mt19937 random(20261127);
  int answered = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string statement = seeds[random() % seeds.size()];
    int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !statement.empty(); ++e) {
      std::size_t at = random() % statement.size();
      switch (random() % 4) {
        case 0:
          statement[at] = static_cast<char>(random() % 256);
          break;
        case 1:
          statement.erase(at, random() % 8);
          break;
        case 2:
          statement.insert(at, seeds[random() % seeds.size()].substr(0, random() % 20));
          break;
        case 3:
          statement.resize(at);
          break;
      }
    }
    Outcome outcome = run(statement);
    ++answered;
    if (auto* error = std::get_if<CqlError>(&outcome)) {
      EXPECT_FALSE(error->message.empty()) << statement;
    }
  }
  EXPECT_EQ(answered, 3000);
  EXPECT_FALSE(rows("SELECT k FROM ks.t").columns.empty());
}

TEST_F(HostileInputTest, MalformedBoundValuesAreInvalidNotCrashes) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("CREATE TABLE ks.t (k int PRIMARY KEY, l list<text>, m map<int, text>, d decimal, u "
     "timeuuid)");
  const std::vector<std::string> garbage = {std::string("\xff\xff\xff\xff", 4),
                                            std::string("\0\0\0\5", 4),
                                            std::string("\0\0\0\1\0\0\0\xff", 8), "x", ""};
  for (const auto& bytes : garbage) {
    for (const char* column : {"l", "m", "d", "u"}) {
      Outcome outcome = run(std::string("INSERT INTO ks.t (k, ") + column + ") VALUES (1, ?)",
                            {BoundValue::set(bytes)});
      if (auto* error = std::get_if<CqlError>(&outcome)) {
        EXPECT_EQ(error->code, cql::ErrorCode::kInvalid) << column;
      }
    }
  }
  // Empty values are legal for these types; whatever was accepted reads back.
  EXPECT_EQ(rows("SELECT * FROM ks.t WHERE k = 1").rows.size(), 1u);
}

}  // namespace
}  // namespace runnel::store

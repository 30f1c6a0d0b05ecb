// The PostgreSQL sink against a real PostgreSQL 15 server (postgres_server.h):
// DDL, every type, upserts, offsets, failed writes, and restarts and lost
// connections at every point of the transaction.
#include "sinks/postgres_sink.h"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <limits>
#include <thread>

#include "commit_cutting_proxy.h"
#include "every_type_schema.h"
#include "postgres_server.h"
#include "sinks/pg_connection.h"

namespace runnel::sinks {
namespace {

using namespace std::chrono_literals;
using stream::Batch;
using stream::FieldType;
using stream::Row;
using stream::SourceOffset;
using stream::Value;
using testing::CommitCuttingProxy;
using testing::every_type_schema;
using testing::PostgresServer;

#define ASSERT_OK(expression)                                              \
  do {                                                                     \
    const ::runnel::Status assert_ok_status = (expression);                \
    ASSERT_TRUE(assert_ok_status.is_ok()) << assert_ok_status.to_string(); \
  } while (false)

// No key: every row inserted is a new row, so a batch written twice shows.
stream::Schema event_schema() {
  return {"event", {{"seq", FieldType::kBigint, true}, {"payload", FieldType::kText}}, {}};
}

std::string uuid(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", n);
  return text;
}

Row user(int n, std::string name, Value note = std::monostate{}) {
  return Row{{uuid(n), std::move(name), int64_t{n}, int64_t{n} * 1'000'000'000'000, n + 0.5,
              n % 2 == 0, int64_t{1714566896789012} + n, std::move(note)}};
}

Batch events(int64_t id, int64_t first_seq, int count) {
  Batch batch{id, {}, {{"events", 0, first_seq + count}}};
  for (int i = 0; i < count; ++i) {
    batch.rows.push_back(Row{{first_seq + i, "event " + std::to_string(first_seq + i)}});
  }
  return batch;
}

class PostgresSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = PostgresServer::shared();
    ASSERT_TRUE(server.is_ok()) << server.status().to_string();
    server_ = *server;
    database_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : database_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_OK(server_->create_database(database_));
    auto connection = PgConnection::connect(server_->url(database_));
    ASSERT_TRUE(connection.is_ok()) << connection.status().to_string();
    db_.emplace(std::move(connection).value());
  }

  void TearDown() override {
    // A test that stopped the server leaves it running for the next one.
    if (server_ != nullptr && !PgConnection::connect(server_->url()).is_ok()) {
      EXPECT_TRUE(server_->start().is_ok());
    }
  }

  PostgresSinkConfig config() const {
    PostgresSinkConfig config;
    config.url = server_->url(database_);
    config.first_backoff = 20ms;
    config.max_backoff = 500ms;
    config.give_up_after = 30s;
    return config;
  }

  // The sink of the tests that write events.
  PostgresSinkConfig event_config() const {
    PostgresSinkConfig config = this->config();
    config.target.table = "events";
    return config;
  }

  // Rows of `sql`, with nulls as "NULL". Reconnects if the server restarted.
  std::vector<std::vector<std::string>> query(const std::string& sql) {
    auto rows = db_->query(sql);
    if (!rows && !db_->is_open()) {
      db_.emplace(std::move(PgConnection::connect(server_->url(database_))).value());
      rows = db_->query(sql);
    }
    EXPECT_TRUE(rows.is_ok()) << rows.status().to_string();
    std::vector<std::vector<std::string>> out;
    if (!rows) return out;
    for (const PgRow& row : *rows) {
      auto& values = out.emplace_back();
      for (const auto& value : row) values.push_back(value.value_or("NULL"));
    }
    return out;
  }
  std::string scalar(const std::string& sql) {
    auto rows = query(sql);
    return rows.size() == 1 && rows[0].size() == 1 ? rows[0][0] : "<not one value>";
  }

  void expect_every_type_round_trips();

  PostgresServer* server_ = nullptr;
  std::string database_;
  std::optional<PgConnection> db_;
};

TEST_F(PostgresSinkTest, CreatesTheTableAndTheOffsetsTableWithTheirTypes) {
  PostgresSink sink(config());
  auto offsets = sink.open(every_type_schema(), "job");
  ASSERT_TRUE(offsets.is_ok()) << offsets.status().to_string();
  EXPECT_TRUE(offsets->empty());

  using Columns = std::vector<std::vector<std::string>>;
  auto columns = [&](const std::string& table) {
    return query(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = '" +
        table + "' ORDER BY ordinal_position");
  };
  auto key = [&](const std::string& table) {
    return query(
        "SELECT k.column_name FROM information_schema.table_constraints c"
        " JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)"
        " WHERE c.table_name = '" +
        table +
        "' AND c.constraint_type = 'PRIMARY KEY'"
        " ORDER BY k.ordinal_position");
  };
  EXPECT_EQ(columns("created_users"), (Columns{{"id", "uuid", "NO"},
                                               {"name", "text", "NO"},
                                               {"n", "integer", "YES"},
                                               {"big", "bigint", "YES"},
                                               {"x", "double precision", "YES"},
                                               {"ok", "boolean", "YES"},
                                               {"at", "timestamp with time zone", "YES"},
                                               {"note", "text", "YES"}}));
  EXPECT_EQ(key("created_users"), (Columns{{"id"}}));
  EXPECT_EQ(columns("runnel_offsets"), (Columns{{"job", "text", "NO"},
                                                {"topic", "text", "NO"},
                                                {"partition", "integer", "NO"},
                                                {"next_offset", "bigint", "NO"}}));
  EXPECT_EQ(key("runnel_offsets"), (Columns{{"job"}, {"topic"}, {"partition"}}));
}

TEST_F(PostgresSinkTest, CreatesTheCreatedUserTableInAnotherSchema) {
  PostgresSinkConfig settings = config();
  settings.target = {"spark_streams", "Created Users"};
  ASSERT_OK(db_->execute("CREATE SCHEMA spark_streams"));
  PostgresSink sink(settings);
  ASSERT_TRUE(sink.open(stream::created_user_schema(), "users_to_store").is_ok());
  EXPECT_EQ(scalar("SELECT count(*) FROM information_schema.columns"
                   " WHERE table_schema = 'spark_streams' AND table_name = 'Created Users'"),
            "12");
  EXPECT_EQ(scalar("SELECT count(*) FROM spark_streams.runnel_offsets"), "0");
}

// Writes rows of every type, with nulls and text that needs escaping, and
// reads them back as PostgreSQL's text.
void PostgresSinkTest::expect_every_type_round_trips() {
  PostgresSink sink(config());
  ASSERT_TRUE(sink.open(every_type_schema(), "job").is_ok());
  const std::string tricky =
      "tab\there\nnew line\r\nback\\slash \\N 'single' \"double\" \xC3\xBC\xC3\xB1\xC3\xAF "
      "\xF0\x9F\x98\x80 ,;|";
  Batch batch{
      0,
      {Row{{uuid(1), tricky, int64_t{std::numeric_limits<int32_t>::min()},
            std::numeric_limits<int64_t>::max(), 0.1, true, int64_t{1714566896789012},
            std::string("\\")}},
       Row{{uuid(2), std::string(""), int64_t{std::numeric_limits<int32_t>::max()},
            std::numeric_limits<int64_t>::min(), -1.5e-300, false, int64_t{-1}, std::string("")}},
       Row{{uuid(3), std::string("nulls"), std::monostate{}, std::monostate{}, std::monostate{},
            std::monostate{}, std::monostate{}, std::monostate{}}},
       Row{{uuid(4), std::string("\\N"), int64_t{0}, int64_t{0},
            std::numeric_limits<double>::infinity(), false, int64_t{0}, std::string("NULL")}}},
      {{"users_created", 0, 4}}};
  ASSERT_OK(sink.write(batch));

  auto rows = query(
      "SELECT id::text, name, n::text, big::text, x::text, ok::text,"
      " (extract(epoch FROM at) * 1000000)::bigint::text, note FROM created_users ORDER BY id");
  using Rows = std::vector<std::vector<std::string>>;
  EXPECT_EQ(
      rows,
      (Rows{{uuid(1), tricky, "-2147483648", "9223372036854775807", "0.1", "true",
             "1714566896789012", "\\"},
            {uuid(2), "", "2147483647", "-9223372036854775808", "-1.5e-300", "false", "-1", ""},
            {uuid(3), "nulls", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
            {uuid(4), "\\N", "0", "0", "Infinity", "false", "0", "NULL"}}));
  // A text "NULL" is text, not null.
  EXPECT_EQ(scalar("SELECT count(*) FROM created_users WHERE note IS NULL"), "1");
}

// The table the sink creates has a binary form for every column: rows go in
// binary COPY.
TEST_F(PostgresSinkTest, RowsRoundTripWithEveryTypeAndNullsInBinary) {
  expect_every_type_round_trips();
}

// A numeric column has no binary form the sink writes: the same rows go in
// text COPY, and read back the same.
TEST_F(PostgresSinkTest, RowsRoundTripWithEveryTypeAndNullsInText) {
  ASSERT_TRUE(db_->execute("CREATE TABLE created_users (id uuid PRIMARY KEY, name text NOT NULL,"
                           " n integer, big numeric, x double precision, ok boolean,"
                           " at timestamptz, note text)")
                  .is_ok());
  expect_every_type_round_trips();
}

// As in the classic project's table, whose dates are text: a timestamp goes
// into a text column as its ISO 8601 text, and an int into a bigint.
TEST_F(PostgresSinkTest, FieldsGoIntoColumnsOfAWiderTypeAsThatType) {
  ASSERT_TRUE(db_->execute("CREATE TABLE created_users (id uuid PRIMARY KEY, name varchar(20),"
                           " n bigint, big bigint, x double precision, ok text, at text,"
                           " note text)")
                  .is_ok());
  PostgresSink sink(config());
  ASSERT_TRUE(sink.open(every_type_schema(), "job").is_ok());
  ASSERT_OK(sink.write(Batch{0, {user(1, "a"), user(2, "b")}, {}}));
  using Rows = std::vector<std::vector<std::string>>;
  EXPECT_EQ(query("SELECT name, n::text, ok, at FROM created_users ORDER BY id"),
            (Rows{{"a", "1", "f", "2024-05-01T12:34:56.789013Z"},
                  {"b", "2", "t", "2024-05-01T12:34:56.789014Z"}}));
}

TEST_F(PostgresSinkTest, UpsertOverwritesByKeyAndTheLastDuplicateInABatchWins) {
  PostgresSink sink(config());
  ASSERT_TRUE(sink.open(every_type_schema(), "job").is_ok());
  ASSERT_OK(sink.write(Batch{0, {user(1, "first", "kept?"), user(2, "two")}, {}}));
  ASSERT_OK(sink.write(
      Batch{1, {user(1, "second"), user(3, "three-a"), user(1, "third"), user(3, "three-b")}, {}}));
  using Rows = std::vector<std::vector<std::string>>;
  // Every non-key column is overwritten, a null included.
  EXPECT_EQ(
      query("SELECT id::text, name, note FROM created_users ORDER BY id"),
      (Rows{{uuid(1), "third", "NULL"}, {uuid(2), "two", "NULL"}, {uuid(3), "three-b", "NULL"}}));
}

TEST_F(PostgresSinkTest, OffsetsAreStoredWithTheRowsAndReturnedByANewSink) {
  {
    PostgresSink sink(config());
    ASSERT_TRUE(sink.open(every_type_schema(), "users_to_store").is_ok());
    ASSERT_OK(
        sink.write(Batch{0, {user(1, "a")}, {{"users_created", 0, 10}, {"users_created", 1, 5}}}));
    ASSERT_OK(sink.write(Batch{1, {user(2, "b")}, {{"users_created", 0, 20}}}));
    // A batch of records that all went to the dead-letter topic: offsets only.
    ASSERT_OK(sink.write(Batch{2, {}, {{"users_created", 2, 7}}}));
  }
  PostgresSink reopened(config());
  auto offsets = reopened.open(every_type_schema(), "users_to_store");
  ASSERT_TRUE(offsets.is_ok()) << offsets.status().to_string();
  EXPECT_EQ(*offsets,
            (std::vector<SourceOffset>{
                {"users_created", 0, 20}, {"users_created", 1, 5}, {"users_created", 2, 7}}));
  PostgresSink other_job(config());
  auto none = other_job.open(every_type_schema(), "another_job");
  ASSERT_TRUE(none.is_ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(PostgresSinkTest, AFailedWriteLeavesNeitherRowsNorOffsets) {
  PostgresSink sink(config());
  ASSERT_TRUE(sink.open(every_type_schema(), "job").is_ok());
  ASSERT_OK(sink.write(Batch{0, {user(1, "a")}, {{"t", 0, 1}}}));
  std::string before = "[" + uuid(1) + "] t/0/1";
  auto state = [&] {
    std::string text = "[";
    for (const auto& row : query("SELECT id::text FROM created_users ORDER BY id")) text += row[0];
    text += "]";
    for (const auto& row : query("SELECT topic, partition, next_offset FROM runnel_offsets")) {
      text += " " + row[0] + "/" + row[1] + "/" + row[2];
    }
    return text;
  };

  Row missing_name = user(2, "b");
  missing_name.values[1] = std::monostate{};
  Status status = sink.write(Batch{1, {user(3, "c"), missing_name}, {{"t", 0, 3}}});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.to_string();
  EXPECT_NE(status.message().find("name"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("23502"), std::string::npos) << status.message();
  EXPECT_EQ(state(), before);

  Row bad_uuid = user(4, "d");
  bad_uuid.values[0] = std::string("not-a-uuid");
  status = sink.write(Batch{2, {bad_uuid}, {{"t", 0, 4}}});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.to_string();
  EXPECT_NE(status.message().find("not-a-uuid"), std::string::npos) << status.message();
  EXPECT_EQ(state(), before);

  Row out_of_range = user(5, "e");
  out_of_range.values[2] = int64_t{1} << 40;
  status = sink.write(Batch{3, {out_of_range}, {{"t", 0, 5}}});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.to_string();
  EXPECT_EQ(state(), before);

  status = sink.write(Batch{4, {Row{{uuid(6)}}}, {{"t", 0, 6}}});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.to_string();
  EXPECT_EQ(state(), before);

  // The session is still good for the next batch.
  ASSERT_OK(sink.write(Batch{5, {user(7, "g")}, {{"t", 0, 7}}}));
  EXPECT_EQ(state(), "[" + uuid(1) + uuid(7) + "] t/0/7");
}

TEST_F(PostgresSinkTest, OpenRejectsAnExistingTableThatLacksAField) {
  ASSERT_OK(db_->execute("CREATE TABLE created_users (id uuid PRIMARY KEY, name text)"));
  PostgresSink sink(config());
  auto offsets = sink.open(every_type_schema(), "job");
  ASSERT_FALSE(offsets.is_ok());
  EXPECT_EQ(offsets.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(offsets.status().message().find("field n"), std::string::npos)
      << offsets.status().message();
}

TEST_F(PostgresSinkTest, WritesAfterTheServerRestartedBetweenBatches) {
  PostgresSink sink(event_config());
  ASSERT_TRUE(sink.open(event_schema(), "job").is_ok());
  ASSERT_OK(sink.write(events(0, 0, 100)));
  ASSERT_OK(server_->restart());
  ASSERT_OK(sink.write(events(1, 100, 100)));
  EXPECT_EQ(scalar("SELECT count(*) || ' ' || count(DISTINCT seq) || ' ' || max(seq) FROM events"),
            "200 200 199");
  EXPECT_EQ(scalar("SELECT next_offset FROM runnel_offsets"), "200");
}

TEST_F(PostgresSinkTest, AWriteWaitsForTheServerToComeBack) {
  PostgresSink sink(event_config());
  ASSERT_TRUE(sink.open(event_schema(), "job").is_ok());
  ASSERT_OK(sink.write(events(0, 0, 10)));
  ASSERT_OK(server_->stop());
  Status written = internal_error("not run");
  std::thread writer([&] { written = sink.write(events(1, 10, 10)); });
  std::this_thread::sleep_for(1s);
  Status started = server_->start();
  writer.join();
  ASSERT_OK(started);
  ASSERT_OK(written);
  EXPECT_EQ(scalar("SELECT count(*) || ' ' || count(DISTINCT seq) FROM events"), "20 20");
  EXPECT_EQ(scalar("SELECT next_offset FROM runnel_offsets"), "20");
}

TEST_F(PostgresSinkTest, RestartsDuringWritesLoseAndDoubleNothing) {
  PostgresSink sink(event_config());
  ASSERT_TRUE(sink.open(event_schema(), "job").is_ok());
  // Batches go in back to back until three restarts have happened meanwhile.
  std::atomic<bool> restarts_done{false};
  Status restarted;
  std::thread restarter([&] {
    for (int i = 0; i < 3 && restarted.is_ok(); ++i) {
      std::this_thread::sleep_for(300ms);
      restarted = server_->restart();
    }
    restarts_done = true;
  });
  constexpr int kRows = 2000;
  int batches = 0;
  for (; !restarts_done || batches < 10; ++batches) {
    Status status = sink.write(events(batches, int64_t{batches} * kRows, kRows));
    ASSERT_TRUE(status.is_ok()) << "batch " << batches << ": " << status.to_string();
  }
  restarter.join();
  ASSERT_OK(restarted);
  std::string rows = std::to_string(batches * kRows);
  EXPECT_EQ(scalar("SELECT count(*) || ' ' || count(DISTINCT seq) FROM events"), rows + " " + rows);
  EXPECT_EQ(scalar("SELECT next_offset FROM runnel_offsets"), rows);
}

TEST_F(PostgresSinkTest, ACommitWhoseAnswerWasLostIsNotRedone) {
  CommitCuttingProxy proxy(server_->port());
  PostgresSinkConfig settings = event_config();
  settings.url = "postgresql://postgres@127.0.0.1:" + std::to_string(proxy.port()) + "/" +
                 database_ + "?sslmode=disable";
  PostgresSink sink(settings);
  ASSERT_TRUE(sink.open(event_schema(), "job").is_ok());
  ASSERT_OK(sink.write(events(0, 0, 10)));
  proxy.arm(CommitCuttingProxy::Cut::kAfterCommitAnswered);
  ASSERT_OK(sink.write(events(1, 10, 10)));
  EXPECT_EQ(proxy.cuts(), 1);
  EXPECT_EQ(scalar("SELECT count(*) || ' ' || count(DISTINCT seq) FROM events"), "20 20");
  EXPECT_EQ(scalar("SELECT next_offset FROM runnel_offsets"), "20");
}

TEST_F(PostgresSinkTest, ACommitThatNeverArrivedIsRedone) {
  CommitCuttingProxy proxy(server_->port());
  PostgresSinkConfig settings = event_config();
  settings.url = "postgresql://postgres@127.0.0.1:" + std::to_string(proxy.port()) + "/" +
                 database_ + "?sslmode=disable";
  PostgresSink sink(settings);
  ASSERT_TRUE(sink.open(event_schema(), "job").is_ok());
  ASSERT_OK(sink.write(events(0, 0, 10)));
  proxy.arm(CommitCuttingProxy::Cut::kBeforeCommit);
  ASSERT_OK(sink.write(events(1, 10, 10)));
  EXPECT_EQ(proxy.cuts(), 1);
  EXPECT_EQ(scalar("SELECT count(*) || ' ' || count(DISTINCT seq) FROM events"), "20 20");
  EXPECT_EQ(scalar("SELECT next_offset FROM runnel_offsets"), "20");
}

TEST_F(PostgresSinkTest, GivesUpClearlyWhenTheServerStaysDown) {
  PostgresSinkConfig settings = event_config();
  settings.give_up_after = 1s;
  PostgresSink sink(settings);
  ASSERT_TRUE(sink.open(event_schema(), "job").is_ok());
  ASSERT_OK(server_->stop());
  auto started = std::chrono::steady_clock::now();
  Status status = sink.write(events(0, 0, 10));
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.to_string();
  EXPECT_NE(status.message().find("gave up after"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("connect"), std::string::npos) << status.message();
  EXPECT_LT(waited, 20s);

  // Once the server is back, the same batch goes in, once.
  ASSERT_OK(server_->start());
  ASSERT_OK(sink.write(events(0, 0, 10)));
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), "10");
}

TEST_F(PostgresSinkTest, RequestStopEndsTheReconnectWait) {
  PostgresSink sink(event_config());
  ASSERT_TRUE(sink.open(event_schema(), "job").is_ok());
  ASSERT_OK(server_->stop());
  std::thread stopper([&] {
    std::this_thread::sleep_for(300ms);
    sink.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  Status status = sink.write(events(0, 0, 10));
  stopper.join();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.to_string();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
}

}  // namespace
}  // namespace runnel::sinks

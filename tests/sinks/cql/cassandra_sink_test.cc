#include "sinks/cql/cassandra_sink.h"

#include <gtest/gtest.h>

#include <future>
#include <set>
#include <thread>

#include "cql/value.h"
#include "scripted_node.h"

namespace runnel::sinks {
namespace {

using namespace std::chrono_literals;
using stream::FieldType;

stream::Schema keyed_schema() {
  return {"t", {{"id", FieldType::kInt, true}, {"v", FieldType::kText}}, {"id"}};
}

stream::Batch batch_of(std::int64_t id, std::vector<std::pair<int, std::string>> rows,
                       std::int64_t end) {
  stream::Batch batch;
  batch.id = id;
  for (auto& [key, value] : rows) batch.rows.push_back({{std::int64_t{key}, value}});
  batch.end_offsets = {{"users_created", 0, end}};
  return batch;
}

// Starts the node, which prepares the sink's INSERT with the types of
// keyed_schema's table.
void start(ScriptedNode& node) {
  {
    std::lock_guard lock(node.store.mutex);
    node.store.bound_types["INSERT INTO ks.t (id, v) VALUES (?, ?)"] = {
        cql::DataType::of(cql::TypeKind::kInt), cql::DataType::of(cql::TypeKind::kVarchar)};
  }
  node.start();
}

CassandraSinkConfig config_for(const ScriptedNode& node) {
  CassandraSinkConfig config;
  config.contact_points = node.endpoint().to_string();
  config.target = {"ks", "t"};
  config.rows_per_request = 3;
  config.max_requests_in_flight = 2;
  config.first_backoff = 10ms;
  config.give_up_after = 500ms;
  return config;
}

// The key of every row a batch statement carried, and whether it was the
// offsets statement.
struct Arrival {
  bool offsets = false;
  std::vector<std::int32_t> keys;
  std::optional<std::int64_t> timestamp;
};

std::vector<Arrival> arrivals(ScriptedStore& store) {
  std::lock_guard lock(store.mutex);
  std::vector<Arrival> out;
  for (const auto& batch : store.batches) {
    Arrival arrival;
    arrival.timestamp = batch.timestamp;
    for (const auto& statement : batch.statements) {
      arrival.offsets =
          store.texts[statement.query_or_id].find("runnel_offsets") != std::string::npos;
      if (!arrival.offsets) arrival.keys.push_back(cql::decode_int(statement.values[0].bytes));
    }
    out.push_back(std::move(arrival));
  }
  return out;
}

TEST(CassandraSink, RowsGoInBoundedBatchesAndTheOffsetsOnlyAfterAllOfThem) {
  ScriptedNode node;
  start(node);
  CassandraSink sink(config_for(node));
  auto offsets = sink.open(keyed_schema(), "job");
  ASSERT_TRUE(offsets.is_ok()) << offsets.status().to_string();
  EXPECT_TRUE(offsets->empty());

  ASSERT_TRUE(
      sink.write(batch_of(1, {{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}, {5, "e"}, {6, "f"}, {7, "g"}},
                          7))
          .is_ok());
  auto first = arrivals(node.store);
  ASSERT_EQ(first.size(), 4u);  // 3 + 3 + 1 rows, then the offsets
  std::multiset<std::int32_t> keys;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_FALSE(first[i].offsets);
    EXPECT_LE(first[i].keys.size(), 3u);
    keys.insert(first[i].keys.begin(), first[i].keys.end());
    EXPECT_EQ(first[i].timestamp, first[3].timestamp);
  }
  EXPECT_EQ(keys, (std::multiset<std::int32_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_TRUE(first[3].offsets);

  // Of two rows with one key, only the later is sent; the next batch's
  // timestamp is later.
  ASSERT_TRUE(sink.write(batch_of(2, {{8, "old"}, {9, "x"}, {8, "new"}}, 10)).is_ok());
  auto second = arrivals(node.store);
  ASSERT_EQ(second.size(), 6u);
  EXPECT_EQ(second[4].keys, (std::vector<std::int32_t>{9, 8}));
  EXPECT_GT(*second[4].timestamp, *first[3].timestamp);
  std::lock_guard lock(node.store.mutex);
  EXPECT_EQ(node.store.batches[4].statements[1].values[1].bytes, "new");
}

TEST(CassandraSink, AFailedRowWriteNeverStoresTheOffsets) {
  ScriptedNode node;
  start(node);
  CassandraSink sink(config_for(node));
  ASSERT_TRUE(sink.open(keyed_schema(), "job").is_ok());
  {
    std::lock_guard lock(node.store.mutex);
    node.store.failing_batches = cql::ErrorCode::kInvalid;
  }
  Status invalid = sink.write(batch_of(1, {{1, "a"}}, 1));
  EXPECT_EQ(invalid.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(invalid.message().find("InvalidRequest"), std::string::npos) << invalid.message();
  {
    std::lock_guard lock(node.store.mutex);
    node.store.failing_batches = cql::ErrorCode::kWriteTimeout;
  }
  // Retried until the give-up time, then unavailable: the job may retry.
  Status timed_out = sink.write(batch_of(1, {{1, "a"}}, 1));
  EXPECT_EQ(timed_out.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(arrivals(node.store).empty());
}

TEST(CassandraSink, BadRowsAndSchemasFailBeforeAnythingIsSent) {
  ScriptedNode node;
  start(node);
  CassandraSink keyless(config_for(node));
  auto opened = keyless.open({"t", {{"v", FieldType::kText}}, {}}, "job");
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);

  CassandraSinkConfig bad_keyspace = config_for(node);
  bad_keyspace.target.keyspace = "no-dashes";
  EXPECT_EQ(CassandraSink(bad_keyspace).open(keyed_schema(), "job").status().code(),
            StatusCode::kInvalidArgument);

  CassandraSink sink(config_for(node));
  ASSERT_TRUE(sink.open(keyed_schema(), "job").is_ok());
  stream::Batch short_row = batch_of(1, {{1, "a"}}, 1);
  short_row.rows.push_back({{std::int64_t{2}}});
  EXPECT_EQ(sink.write(short_row).code(), StatusCode::kInvalidArgument);
  stream::Batch out_of_range = batch_of(2, {{1, "a"}}, 2);
  out_of_range.rows[0].values[0] = std::int64_t{1} << 40;
  EXPECT_EQ(sink.write(out_of_range).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(arrivals(node.store).empty());
}

TEST(CassandraSink, AnExistingTableWithAnIncompatibleColumnFailsOpen) {
  ScriptedNode node;
  {
    std::lock_guard lock(node.store.mutex);
    node.store.bound_types["INSERT INTO ks.t (id, v) VALUES (?, ?)"] = {
        cql::DataType::of(cql::TypeKind::kInt), cql::DataType::of(cql::TypeKind::kInt)};
  }
  node.start();
  auto opened = CassandraSink(config_for(node)).open(keyed_schema(), "job");
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(opened.status().message(),
            "cassandra: field v (text) cannot be written to its column of type int");
}

TEST(CassandraSink, AnUnreachableStoreFailsOpenAfterTheGiveUpTime) {
  ScriptedNode gone;
  gone.start();
  CassandraSinkConfig config = config_for(gone);
  gone.stop();
  config.give_up_after = 300ms;
  auto started = std::chrono::steady_clock::now();
  auto opened = CassandraSink(config).open(keyed_schema(), "job");
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(opened.status().message().find("Connection refused"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(CassandraSink, RequestStopEndsTheWaitForAnUnreachableStore) {
  ScriptedNode gone;
  gone.start();
  CassandraSinkConfig config = config_for(gone);
  gone.stop();
  config.give_up_after = 60s;
  CassandraSink sink(config);
  auto opened = std::async(std::launch::async, [&] { return sink.open(keyed_schema(), "job"); });
  std::this_thread::sleep_for(300ms);
  sink.request_stop();
  ASSERT_EQ(opened.wait_for(10s), std::future_status::ready);  // not after 60 s
  auto status = opened.get().status();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("stopped before connecting again"), std::string::npos)
      << status.message();
}

}  // namespace
}  // namespace runnel::sinks

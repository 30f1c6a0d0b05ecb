// StreamingQuery end to end against a real `runnel broker`: records produced
// with librdkafka reach an in-memory sink once each, undecodable ones reach
// the dead-letter topic, and offsets (stored by the sink or committed to the
// group) make a later run continue exactly where the last one stopped.
#include "stream/streaming_query.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "collecting_sink.h"
#include "common/kafka_client.h"
#include "test_broker.h"

namespace runnel::stream {
namespace {

using namespace std::chrono_literals;
using testing::CollectedBatches;
using testing::CollectingSink;
using testing::TestBroker;

constexpr auto kRunDeadline = 60s;

// Field positions in created_user_schema().
constexpr std::size_t kId = 0;
constexpr std::size_t kFirstName = 1;
constexpr std::size_t kLastName = 2;

// A created user whose first name names its partition and whose last name
// is its sequence number there, so tests can check order and completeness.
std::string user_json(std::int32_t partition, int sequence) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", partition * 1000000 + sequence);
  return std::string("{\"id\":\"") + id + "\",\"first_name\":\"p" + std::to_string(partition) +
         "\",\"last_name\":\"" + std::to_string(sequence) + "\",\"email\":\"u@example.com\"}";
}

const std::string& text(const Row& row, std::size_t field) {
  return std::get<std::string>(row.values.at(field));
}

class StreamingQueryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { broker_ = new TestBroker(); }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    topic_ = std::string("t_") + info->name();
    auto admin = kafka::Admin::create(kafka_properties());
    ASSERT_TRUE(admin.is_ok()) << admin.status().to_string();
    auto status = admin->create_topic(
        {.name = topic_, .partitions = 3, .replication_factor = 1, .configs = {}}, 10s);
    ASSERT_TRUE(status.is_ok()) << status.to_string();
  }

  static kafka::Properties kafka_properties() {
    return {{"bootstrap.servers", broker_->bootstrap()}};
  }

  QueryOptions options(Trigger trigger = Trigger::kUntilCaughtUp) const {
    QueryOptions options;
    options.job = "job_" + topic_;
    options.kafka = kafka_properties();
    options.topics = {topic_};
    options.schema = created_user_schema();
    options.trigger = trigger;
    options.threads = 2;
    options.batch = {.max_records = 100, .max_wait = 200ms};
    options.sink_retry = {.attempts = 4, .initial_backoff = 10ms, .max_backoff = 50ms};
    options.kafka_timeout = 10s;
    return options;
  }

  // Produces `count` users to each partition, numbered from `first`.
  void produce_users(int first, int count) {
    auto producer = kafka::Producer::create(kafka_properties());
    ASSERT_TRUE(producer.is_ok()) << producer.status().to_string();
    for (std::int32_t partition = 0; partition < 3; ++partition) {
      for (int i = first; i < first + count; ++i) {
        auto status = producer->produce({.topic = topic_,
                                         .partition = partition,
                                         .key = "k" + std::to_string(i),
                                         .value = user_json(partition, i),
                                         .headers = {}});
        ASSERT_TRUE(status.is_ok()) << status.to_string();
      }
    }
    auto status = producer->flush(10s);
    ASSERT_TRUE(status.is_ok()) << status.to_string();
  }

  void produce(std::int32_t partition, std::optional<std::string> value) {
    auto producer = kafka::Producer::create(kafka_properties());
    ASSERT_TRUE(producer.is_ok());
    ASSERT_TRUE(producer
                    ->produce({.topic = topic_,
                               .partition = partition,
                               .key = "key",
                               .value = std::move(value),
                               .headers = {}})
                    .is_ok());
    ASSERT_TRUE(producer->flush(10s).is_ok());
  }

  // Runs a query to its end, stopping it (and failing the test) if it has
  // not ended within kRunDeadline.
  static Status run_bounded(StreamingQuery& query) {
    auto done = std::async(std::launch::async, [&] { return query.run(); });
    if (done.wait_for(kRunDeadline) != std::future_status::ready) {
      ADD_FAILURE() << "query did not end within the deadline";
      query.stop();
    }
    return done.get();
  }

  static std::unique_ptr<StreamingQuery> make_query(QueryOptions options,
                                                    std::shared_ptr<CollectedBatches> state,
                                                    bool stores_offsets) {
    std::vector<std::unique_ptr<Sink>> sinks;
    sinks.push_back(std::make_unique<CollectingSink>(std::move(state), stores_offsets));
    return std::make_unique<StreamingQuery>(std::move(options), std::move(sinks));
  }

  // Per partition ("p0", ...), the sequence numbers in the order the sink got them.
  static std::map<std::string, std::vector<int>> sequences(const std::vector<Row>& rows) {
    std::map<std::string, std::vector<int>> by_partition;
    for (const auto& row : rows) {
      by_partition[text(row, kFirstName)].push_back(std::stoi(text(row, kLastName)));
    }
    return by_partition;
  }

  static std::vector<int> range(int first, int count) {
    std::vector<int> numbers;
    for (int i = first; i < first + count; ++i) numbers.push_back(i);
    return numbers;
  }

  static TestBroker* broker_;
  std::string topic_;
};

TestBroker* StreamingQueryTest::broker_ = nullptr;

TEST_F(StreamingQueryTest, DeliversEveryRecordOnceInPartitionOrderUntilCaughtUp) {
  produce_users(0, 250);
  auto state = std::make_shared<CollectedBatches>();
  auto query = make_query(options(), state, false);
  ASSERT_TRUE(run_bounded(*query).is_ok());

  const auto by_partition = sequences(state->rows());
  ASSERT_EQ(by_partition.size(), 3u);
  for (const auto& [partition, numbers] : by_partition) {
    EXPECT_EQ(numbers, range(0, 250)) << partition;
  }
  std::set<std::string> ids;
  for (const auto& row : state->rows()) ids.insert(text(row, kId));
  EXPECT_EQ(ids.size(), 750u);

  const auto batches = state->snapshot();
  EXPECT_GE(batches.size(), 8u);  // 750 records, at most 100 a batch
  for (std::size_t i = 0; i < batches.size(); ++i) {
    EXPECT_EQ(batches[i].id, static_cast<std::int64_t>(i));
    EXPECT_LE(batches[i].rows.size(), 100u);
  }
  std::map<std::int32_t, std::int64_t> ends;
  for (const auto& batch : batches) {
    for (const auto& end : batch.end_offsets) ends[end.partition] = end.next_offset;
  }
  EXPECT_EQ(ends, (std::map<std::int32_t, std::int64_t>{{0, 250}, {1, 250}, {2, 250}}));

  const QueryProgress progress = query->progress();
  EXPECT_EQ(progress.state, QueryState::kFinished);
  EXPECT_EQ(progress.total_input_rows, 750);
  EXPECT_EQ(progress.total_output_rows, 750);
  EXPECT_EQ(progress.total_dead_letters, 0);
  EXPECT_EQ(progress.batch_id, static_cast<std::int64_t>(batches.size()) - 1);
  EXPECT_EQ(progress.input_rows, static_cast<std::int64_t>(batches.back().rows.size()));
  ASSERT_EQ(progress.partitions.size(), 3u);
  for (const auto& partition : progress.partitions) {
    EXPECT_EQ(partition.next_offset, 250);
    EXPECT_EQ(partition.high_watermark, 250);
    EXPECT_EQ(partition.lag, 0);
  }
  EXPECT_EQ(progress.total_lag(), 0);
}

// The next batch is read and decoded while one is written, but a sink never
// gets two batches at once, nor out of order.
TEST_F(StreamingQueryTest, ASlowSinkGetsOneBatchAtATimeInOrder) {
  produce_users(0, 200);
  auto state = std::make_shared<CollectedBatches>();
  state->write_time = 5ms;
  auto query = make_query(options(), state, true);
  ASSERT_TRUE(run_bounded(*query).is_ok());

  EXPECT_EQ(state->most_writes_at_once, 1);
  const auto batches = state->snapshot();
  ASSERT_GE(batches.size(), 6u);  // 600 records, at most 100 a batch
  for (std::size_t i = 0; i < batches.size(); ++i) {
    EXPECT_EQ(batches[i].id, static_cast<std::int64_t>(i));
  }
  for (const auto& [partition, numbers] : sequences(state->rows())) {
    EXPECT_EQ(numbers, range(0, 200)) << partition;
  }
  EXPECT_EQ(query->progress().total_output_rows, 600);
}

TEST_F(StreamingQueryTest, UndecodableRecordsGoToTheDeadLetterTopic) {
  produce(1, user_json(1, 0));
  produce(1, std::string("not json"));
  produce(1, std::string("{\"first_name\":\"no id\",\"last_name\":\"x\"}"));
  produce(1, std::nullopt);
  produce(1, user_json(1, 1));
  auto state = std::make_shared<CollectedBatches>();
  auto query = make_query(options(), state, false);
  ASSERT_TRUE(run_bounded(*query).is_ok());

  EXPECT_EQ(sequences(state->rows()), (std::map<std::string, std::vector<int>>{{"p1", {0, 1}}}));
  const QueryProgress progress = query->progress();
  EXPECT_EQ(progress.total_input_rows, 5);
  EXPECT_EQ(progress.total_output_rows, 2);
  EXPECT_EQ(progress.total_dead_letters, 3);

  auto consumer = kafka::Consumer::create(kafka_properties());
  ASSERT_TRUE(consumer.is_ok());
  ASSERT_TRUE(consumer->assign({{topic_ + ".dlq", 0, kafka::kEarliest}}).is_ok());
  std::vector<kafka::ConsumedRecord> letters;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (letters.size() < 3 && std::chrono::steady_clock::now() < deadline) {
    auto record = consumer->poll(200ms);
    ASSERT_TRUE(record.is_ok()) << record.status().to_string();
    if (*record && (*record)->kind == kafka::ConsumedRecord::Kind::kRecord) {
      letters.push_back(std::move(**record));
    }
  }
  ASSERT_EQ(letters.size(), 3u);
  const std::vector<std::optional<std::string>> values = {
      "not json", "{\"first_name\":\"no id\",\"last_name\":\"x\"}", std::nullopt};
  for (std::size_t i = 0; i < letters.size(); ++i) {
    EXPECT_EQ(letters[i].value, values[i]);
    EXPECT_EQ(letters[i].key, "key");
    std::map<std::string, std::string> headers;
    for (const auto& header : letters[i].headers) headers[header.key] = header.value.value_or("");
    EXPECT_EQ(headers["runnel.dlq.topic"], topic_);
    EXPECT_EQ(headers["runnel.dlq.partition"], "1");
    EXPECT_EQ(headers["runnel.dlq.offset"], std::to_string(i + 1));
    EXPECT_FALSE(headers["runnel.dlq.reason"].empty());
  }
}

TEST_F(StreamingQueryTest, ResumesExactlyFromSinkStoredOffsets) {
  produce_users(0, 200);
  auto state = std::make_shared<CollectedBatches>();
  // As if an earlier run had stored partition 0 up to 120 and partition 2 up
  // to 200; partition 1 has nothing stored and starts at the earliest.
  state->stored_offsets = {{topic_, 0, 120}, {topic_, 2, 200}};
  auto first = make_query(options(), state, true);
  ASSERT_TRUE(run_bounded(*first).is_ok());
  EXPECT_EQ(sequences(state->rows()), (std::map<std::string, std::vector<int>>{
                                          {"p0", range(120, 80)}, {"p1", range(0, 200)}}));

  produce_users(200, 50);
  state->batches.clear();
  auto second = make_query(options(), state, true);
  ASSERT_TRUE(run_bounded(*second).is_ok());
  EXPECT_EQ(sequences(state->rows()),
            (std::map<std::string, std::vector<int>>{
                {"p0", range(200, 50)}, {"p1", range(200, 50)}, {"p2", range(200, 50)}}));
}

TEST_F(StreamingQueryTest, SeveralSinksStartFromTheLeastTheyAllStoredAndEachGetsEveryBatch) {
  produce_users(0, 60);
  auto ahead = std::make_shared<CollectedBatches>();
  ahead->stored_offsets = {{topic_, 0, 50}, {topic_, 2, 60}};
  auto behind = std::make_shared<CollectedBatches>();
  behind->stored_offsets = {{topic_, 0, 30}, {topic_, 1, 10}, {topic_, 2, 40}};
  auto console = std::make_shared<CollectedBatches>();
  std::vector<std::unique_ptr<Sink>> sinks;
  sinks.push_back(std::make_unique<CollectingSink>(ahead, true));
  sinks.push_back(std::make_unique<CollectingSink>(console, false));
  sinks.push_back(std::make_unique<CollectingSink>(behind, true));
  StreamingQuery query(options(), std::move(sinks));
  ASSERT_TRUE(run_bounded(query).is_ok());

  // Partition 1 is stored by one sink only: it starts at the earliest.
  const std::map<std::string, std::vector<int>> expected{
      {"p0", range(30, 30)}, {"p1", range(0, 60)}, {"p2", range(40, 20)}};
  EXPECT_EQ(sequences(ahead->rows()), expected);
  EXPECT_EQ(sequences(console->rows()), expected);
  EXPECT_EQ(sequences(behind->rows()), expected);
  EXPECT_EQ(ahead->snapshot().size(), behind->snapshot().size());
}

TEST_F(StreamingQueryTest, GroupCommitsLetASecondRunContinueAfterTheFirst) {
  produce_users(0, 100);
  auto state = std::make_shared<CollectedBatches>();
  auto first = make_query(options(), state, false);
  ASSERT_TRUE(run_bounded(*first).is_ok());
  EXPECT_EQ(state->rows().size(), 300u);

  produce_users(100, 40);
  state->batches.clear();
  auto second = make_query(options(), state, false);
  ASSERT_TRUE(run_bounded(*second).is_ok());
  EXPECT_EQ(sequences(state->rows()),
            (std::map<std::string, std::vector<int>>{
                {"p0", range(100, 40)}, {"p1", range(100, 40)}, {"p2", range(100, 40)}}));
}

TEST_F(StreamingQueryTest, SinkFailingTwiceThenSucceedingLosesAndRepeatsNothing) {
  produce_users(0, 150);
  auto state = std::make_shared<CollectedBatches>();
  state->failures_to_come = 2;
  auto query = make_query(options(), state, true);
  ASSERT_TRUE(run_bounded(*query).is_ok());
  for (const auto& [partition, numbers] : sequences(state->rows())) {
    EXPECT_EQ(numbers, range(0, 150)) << partition;
  }
  EXPECT_EQ(state->rows().size(), 450u);
  EXPECT_EQ(state->write_attempts, static_cast<int>(state->batches.size()) + 2);
}

TEST_F(StreamingQueryTest, SinkFailingForeverStopsTheQueryWithoutAcknowledging) {
  produce_users(0, 30);
  auto failing = std::make_shared<CollectedBatches>();
  failing->failures_to_come = -1;
  auto query = make_query(options(), failing, false);
  const Status status = run_bounded(*query);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("sink collecting failed batch 0 (attempt 4 of 4)"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(failing->write_attempts, 4);
  EXPECT_EQ(query->progress().state, QueryState::kFailed);

  // Nothing was committed: the next run reads everything.
  auto state = std::make_shared<CollectedBatches>();
  auto again = make_query(options(), state, false);
  ASSERT_TRUE(run_bounded(*again).is_ok());
  EXPECT_EQ(state->rows().size(), 90u);
}

TEST_F(StreamingQueryTest, StopCutsASinkRetryShortAndReportsTheFailure) {
  produce_users(0, 10);
  auto state = std::make_shared<CollectedBatches>();
  state->failures_to_come = -1;
  QueryOptions patient = options();
  patient.sink_retry = {.attempts = 3, .initial_backoff = 60s, .max_backoff = 60s};
  auto query = make_query(patient, state, false);
  auto done = std::async(std::launch::async, [&] { return query->run(); });
  ASSERT_TRUE(state->await_write_attempt(20s));
  query->stop();
  ASSERT_EQ(done.wait_for(10s), std::future_status::ready);
  const Status status = done.get();
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("stopped before retrying"), std::string::npos)
      << status.message();
  EXPECT_EQ(state->write_attempts, 1);
}

// A sink waiting inside write() for its destination (PostgreSQL or
// Cassandra reconnecting) is told to stop too, so stop() ends the query
// without sitting out the sink's own give-up time.
TEST_F(StreamingQueryTest, StopEndsASinksOwnWaitForItsDestination) {
  produce_users(0, 10);
  auto state = std::make_shared<CollectedBatches>();
  state->writes_wait_for_stop = true;
  auto query = make_query(options(Trigger::kContinuous), state, true);
  auto done = std::async(std::launch::async, [&] { return query->run(); });
  ASSERT_TRUE(state->await_write_attempt(20s));
  query->stop();
  if (done.wait_for(10s) != std::future_status::ready) {
    std::lock_guard lock(state->mutex);
    ++state->stop_requests;  // lets the query end, so the test fails rather than hangs
    state->stop_requested.notify_all();
    FAIL() << "stop() left the sink waiting for its destination";
  }
  const Status status = done.get();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.to_string();
  EXPECT_NE(status.message().find("stopped waiting"), std::string::npos) << status.message();
  std::lock_guard lock(state->mutex);
  EXPECT_EQ(state->stop_requests, 1);
  EXPECT_TRUE(state->batches.empty());
  EXPECT_TRUE(state->stored_offsets.empty());
}

TEST_F(StreamingQueryTest, UntilCaughtUpFromLatestReadsNothingAlreadyThere) {
  produce_users(0, 50);
  auto state = std::make_shared<CollectedBatches>();
  QueryOptions latest = options();
  latest.starting_offsets = StartingOffsets::kLatest;
  auto query = make_query(latest, state, false);
  ASSERT_TRUE(run_bounded(*query).is_ok());
  EXPECT_TRUE(state->rows().empty());
  const QueryProgress progress = query->progress();
  EXPECT_EQ(progress.state, QueryState::kFinished);
  EXPECT_EQ(progress.batch_id, -1);
  EXPECT_EQ(progress.total_input_rows, 0);
  ASSERT_EQ(progress.partitions.size(), 3u);
  for (const auto& partition : progress.partitions) EXPECT_EQ(partition.lag, 0);
}

TEST_F(StreamingQueryTest, StopEndsAContinuousQueryPromptly) {
  auto state = std::make_shared<CollectedBatches>();
  auto query = make_query(options(Trigger::kContinuous), state, false);
  auto done = std::async(std::launch::async, [&] { return query->run(); });
  produce_users(0, 20);
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (state->rows().size() < 60 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(state->rows().size(), 60u);
  EXPECT_EQ(query->progress().state, QueryState::kRunning);
  query->stop();
  ASSERT_EQ(done.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(done.get().is_ok());
  EXPECT_EQ(query->progress().state, QueryState::kFinished);
  EXPECT_EQ(query->progress().total_input_rows, 60);
}

TEST_F(StreamingQueryTest, ARebalanceDuringABatchRepeatsNoRecord) {
  auto state = std::make_shared<CollectedBatches>();
  QueryOptions slow_batches = options(Trigger::kContinuous);
  slow_batches.batch = {.max_records = 100000, .max_wait = 3s};
  slow_batches.kafka["heartbeat.interval.ms"] = "100";  // learns of the rebalance at once
  auto query = make_query(slow_batches, state, true);
  auto done = std::async(std::launch::async, [&] { return query->run(); });
  produce_users(0, 100);

  // Another member joins the job's group while the first batch is being
  // collected, takes partitions away, and leaves: they come back to the
  // query, which must continue after the records it already holds.
  auto member = kafka::Consumer::create({{"bootstrap.servers", broker_->bootstrap()},
                                         {"group.id", slow_batches.job},
                                         {"enable.auto.commit", "false"},
                                         {"auto.offset.reset", "latest"}});
  ASSERT_TRUE(member.is_ok());
  ASSERT_TRUE(member->subscribe({topic_}).is_ok());
  const auto joined_by = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < joined_by) {
    ASSERT_TRUE(member->poll(100ms).is_ok());
    auto assignment = member->assignment();
    if (assignment.is_ok() && !assignment->empty()) break;
  }
  ASSERT_TRUE(member->close().is_ok());

  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (state->rows().size() < 300 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  std::this_thread::sleep_for(500ms);  // time for a duplicate to show
  query->stop();
  ASSERT_EQ(done.wait_for(20s), std::future_status::ready);
  EXPECT_TRUE(done.get().is_ok());
  EXPECT_EQ(sequences(state->rows()),
            (std::map<std::string, std::vector<int>>{
                {"p0", range(0, 100)}, {"p1", range(0, 100)}, {"p2", range(0, 100)}}));
}

TEST_F(StreamingQueryTest, AMissingTopicIsAnError) {
  auto state = std::make_shared<CollectedBatches>();
  QueryOptions missing = options();
  missing.topics = {"no_such_topic"};
  auto query = make_query(std::move(missing), state, false);
  const Status status = run_bounded(*query);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(status.message().find("no_such_topic"), std::string::npos);
}

}  // namespace
}  // namespace runnel::stream

// Dead letters: the record built for "<topic>.dlq", and its way through a
// real runnel broker (run in this process on a loopback port) with
// librdkafka's producer and consumer.
#include "stream/dead_letter.h"

#include <gtest/gtest.h>

#include <chrono>

#include "stream/record_decoder.h"
#include "test_broker.h"

namespace runnel::stream {
namespace {

using namespace std::chrono_literals;

using Headers = std::vector<kafka::Header>;

TEST(DeadLetter, TopicIsTheSourceTopicWithDlq) {
  EXPECT_EQ(dead_letter_topic("users_created"), "users_created.dlq");
  EXPECT_EQ(dead_letter_topic("a.b"), "a.b.dlq");
}

TEST(DeadLetter, RecordKeepsTheBytesAndSaysWhyAndWhence) {
  DeadLetter letter;
  letter.key = std::string("k\0ey", 4);
  letter.value = std::string("\xFF\x00{\"id\":", 8);
  letter.reason = "field 'id': expected uuid, got \"abc\"";
  letter.topic = "users_created";
  letter.partition = 3;
  letter.offset = 9876543210;
  letter.timestamp_ms = 1714566896789;

  const kafka::ProducerRecord record = to_producer_record(letter);
  EXPECT_EQ(record.topic, "users_created.dlq");
  EXPECT_EQ(record.partition, kafka::kAnyPartition);
  EXPECT_EQ(record.key, letter.key);
  EXPECT_EQ(record.value, letter.value);
  EXPECT_EQ(record.timestamp_ms, 1714566896789);
  ASSERT_EQ(record.headers.size(), 4u);
  const Headers expected{{"runnel.dlq.reason", "field 'id': expected uuid, got \"abc\""},
                         {"runnel.dlq.topic", "users_created"},
                         {"runnel.dlq.partition", "3"},
                         {"runnel.dlq.offset", "9876543210"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(record.headers[i].key, expected[i].key);
    EXPECT_EQ(record.headers[i].value, expected[i].value);
  }
}

TEST(DeadLetter, NullKeyAndValueStayNullAndOriginalHeadersComeFirst) {
  kafka::ConsumedRecord consumed;
  consumed.topic = "events";
  consumed.partition = 0;
  consumed.offset = 0;
  consumed.timestamp_ms = -1;
  consumed.headers = {{"trace", "abc"}, {"empty", std::nullopt}};

  const DeadLetter letter = dead_letter_of(consumed, "not valid JSON: empty input");
  EXPECT_EQ(letter.reason, "not valid JSON: empty input");
  EXPECT_EQ(letter.topic, "events");
  EXPECT_EQ(letter.timestamp_ms, -1);

  const kafka::ProducerRecord record = to_producer_record(letter);
  EXPECT_EQ(record.topic, "events.dlq");
  EXPECT_EQ(record.key, std::nullopt);
  EXPECT_EQ(record.value, std::nullopt);
  EXPECT_LE(record.timestamp_ms, 0);  // stamped when produced
  ASSERT_EQ(record.headers.size(), 6u);
  EXPECT_EQ(record.headers[0].key, "trace");
  EXPECT_EQ(record.headers[0].value, "abc");
  EXPECT_EQ(record.headers[1].key, "empty");
  EXPECT_EQ(record.headers[1].value, std::nullopt);
  EXPECT_EQ(record.headers[2].key, "runnel.dlq.reason");
  EXPECT_EQ(record.headers[3].value, "events");
  EXPECT_EQ(record.headers[4].value, "0");
  EXPECT_EQ(record.headers[5].value, "0");
}

// A runnel broker on a free loopback port with a fresh data directory, for
// the fixture's lifetime.
class DeadLetterThroughBroker : public ::testing::Test {
 protected:
  void SetUp() override { bootstrap_ = broker_.bootstrap(); }

  kafka::Producer producer() {
    Result<kafka::Producer> producer =
        kafka::Producer::create({{"bootstrap.servers", bootstrap_}, {"acks", "all"}});
    EXPECT_TRUE(producer.is_ok()) << producer.status().to_string();
    return std::move(producer).value();
  }

  // The records of partition 0 of `topic` from its start, polling until
  // `count` arrived or 30 s passed.
  std::vector<kafka::ConsumedRecord> read(const std::string& topic, size_t count) {
    Result<kafka::Consumer> consumer = kafka::Consumer::create({{"bootstrap.servers", bootstrap_}});
    EXPECT_TRUE(consumer.is_ok()) << consumer.status().to_string();
    if (!consumer) return {};
    EXPECT_TRUE(consumer->assign({{topic, 0, kafka::kEarliest}}).is_ok());
    std::vector<kafka::ConsumedRecord> records;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (records.size() < count && std::chrono::steady_clock::now() < deadline) {
      Result<std::optional<kafka::ConsumedRecord>> polled = consumer->poll(200ms);
      EXPECT_TRUE(polled.is_ok()) << polled.status().to_string();
      if (!polled) break;
      if (*polled && (*polled)->kind == kafka::ConsumedRecord::Kind::kRecord) {
        records.push_back(std::move(**polled));
      }
    }
    EXPECT_TRUE(consumer->close().is_ok());
    return records;
  }

  testing::TestBroker broker_;
  std::string bootstrap_;
};

// The streaming job's path for a bad record: read it, fail to decode it,
// dead-letter it; the dead-letter topic then holds the same bytes with the
// decoder's reason and the source position.
TEST_F(DeadLetterThroughBroker, UndecodableRecordLandsInDlqWithItsReasonAndSource) {
  kafka::Producer source = producer();
  const std::string bad_value = R"({"id":"abc","first_name":"Ada","last_name":"Lovelace"})";
  ASSERT_TRUE(source
                  .produce({.topic = "users_created",
                            .partition = 0,
                            .key = "abc",
                            .value = bad_value,
                            .headers = {{"origin", "test"}},
                            .timestamp_ms = 1714566896789})
                  .is_ok());
  ASSERT_TRUE(source.flush(30s).is_ok());

  const std::vector<kafka::ConsumedRecord> consumed = read("users_created", 1);
  ASSERT_EQ(consumed.size(), 1u);
  RecordDecoder decoder(created_user_schema());
  const Result<Row> row = decoder.decode(*consumed[0].value);
  ASSERT_FALSE(row.is_ok());
  const DeadLetter letter = dead_letter_of(consumed[0], row.status().message());

  kafka::Producer dead_letters = producer();
  ASSERT_TRUE(dead_letters.produce(to_producer_record(letter)).is_ok());
  ASSERT_TRUE(dead_letters.flush(30s).is_ok());
  EXPECT_EQ(dead_letters.delivered(), 1);

  const std::vector<kafka::ConsumedRecord> landed = read("users_created.dlq", 1);
  ASSERT_EQ(landed.size(), 1u);
  const kafka::ConsumedRecord& record = landed[0];
  EXPECT_EQ(record.key, "abc");
  EXPECT_EQ(record.value, bad_value);
  EXPECT_EQ(record.timestamp_ms, 1714566896789);
  const Headers expected{{"origin", "test"},
                         {"runnel.dlq.reason", "field 'id': expected uuid, got \"abc\""},
                         {"runnel.dlq.topic", "users_created"},
                         {"runnel.dlq.partition", "0"},
                         {"runnel.dlq.offset", "0"}};
  ASSERT_EQ(record.headers.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(record.headers[i].key, expected[i].key);
    EXPECT_EQ(record.headers[i].value, expected[i].value);
  }
}

TEST_F(DeadLetterThroughBroker, BinaryBytesAndNullKeySurvive) {
  DeadLetter letter;
  letter.value = std::string("\x00\x01\xFE\xFF garbage", 12);
  letter.reason = "not valid JSON: The input is not valid UTF-8";
  letter.topic = "raw";
  letter.partition = 2;
  letter.offset = 41;

  kafka::Producer dead_letters = producer();
  ASSERT_TRUE(dead_letters.produce(to_producer_record(letter)).is_ok());
  ASSERT_TRUE(dead_letters.flush(30s).is_ok());

  const std::vector<kafka::ConsumedRecord> landed = read("raw.dlq", 1);
  ASSERT_EQ(landed.size(), 1u);
  EXPECT_EQ(landed[0].key, std::nullopt);
  EXPECT_EQ(landed[0].value, letter.value);
  EXPECT_GT(landed[0].timestamp_ms, 0);  // stamped by the producer
  ASSERT_EQ(landed[0].headers.size(), 4u);
  EXPECT_EQ(landed[0].headers[0].value, letter.reason);
  EXPECT_EQ(landed[0].headers[1].value, "raw");
  EXPECT_EQ(landed[0].headers[2].value, "2");
  EXPECT_EQ(landed[0].headers[3].value, "41");
}

}  // namespace
}  // namespace runnel::stream

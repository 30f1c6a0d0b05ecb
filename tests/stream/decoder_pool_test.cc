#include "stream/decoder_pool.h"

#include <gtest/gtest.h>

#include <string>

namespace runnel::stream {
namespace {

Schema numbered_schema() { return Schema{"numbered", {{"n", FieldType::kBigint, true}}, {"n"}}; }

kafka::ConsumedRecord record(std::int32_t partition, std::int64_t offset,
                             std::optional<std::string> value) {
  kafka::ConsumedRecord consumed;
  consumed.topic = "numbers";
  consumed.partition = partition;
  consumed.offset = offset;
  consumed.value = std::move(value);
  return consumed;
}

TEST(DecoderPoolTest, ManyWorkersKeepEveryPartitionsOrder) {
  MicroBatch batch;
  // Interleaved as a consumer delivers them: partition 0 busy, 1 sparse.
  for (int i = 0; i < 1000; ++i) {
    batch.add(record(0, i, "{\"n\":" + std::to_string(i) + "}"));
    if (i % 100 == 0) batch.add(record(1, i / 100, "{\"n\":" + std::to_string(100000 + i) + "}"));
  }
  DecoderPool pool(numbered_schema(), 4);
  for (int round = 0; round < 3; ++round) {
    const DecodedBatch decoded = pool.decode(batch);
    ASSERT_TRUE(decoded.failures.empty());
    ASSERT_EQ(decoded.rows.size(), 1010u);
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(std::get<int64_t>(decoded.rows[i].values[0]), i);
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ(std::get<int64_t>(decoded.rows[1000 + i].values[0]), 100000 + i * 100);
    }
  }
}

TEST(DecoderPoolTest, FailuresNameTheirRecordsInOrder) {
  MicroBatch batch;
  batch.add(record(2, 10, "{\"n\":1}"));
  batch.add(record(2, 11, "garbage"));
  batch.add(record(2, 12, std::nullopt));
  batch.add(record(2, 13, "{\"n\":2}"));
  batch.add(record(2, 14, "{}"));
  DecoderPool pool(numbered_schema(), 3);
  const DecodedBatch decoded = pool.decode(batch);
  ASSERT_EQ(decoded.rows.size(), 2u);
  ASSERT_EQ(decoded.failures.size(), 3u);
  EXPECT_EQ(decoded.failures[0].record_index, 1u);
  EXPECT_EQ(decoded.failures[1].record_index, 2u);
  EXPECT_EQ(decoded.failures[1].reason, "record has no value");
  EXPECT_EQ(decoded.failures[2].record_index, 4u);
  EXPECT_NE(decoded.failures[2].reason.find("'n'"), std::string::npos)
      << decoded.failures[2].reason;
  EXPECT_EQ(batch.end_offsets(), (std::vector<SourceOffset>{{"numbers", 2, 15}}));
}

TEST(DecoderPoolTest, AnEmptyBatchDecodesToNothing) {
  DecoderPool pool(numbered_schema(), 2);
  const DecodedBatch decoded = pool.decode(MicroBatch());
  EXPECT_TRUE(decoded.rows.empty());
  EXPECT_TRUE(decoded.failures.empty());
}

}  // namespace
}  // namespace runnel::stream

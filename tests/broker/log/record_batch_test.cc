#include "broker/log/record_batch.h"

#include <gtest/gtest.h>

#include <limits>

#include "broker/log/record_batch_builder.h"
#include "broker/protocol/wire.h"

namespace runnel::broker {
namespace {

TEST(RecordBatch, BuiltBatchParsesAndValidates) {
  BatchSpec spec;
  spec.base_timestamp = 1000;
  spec.producer_id = 7;
  spec.producer_epoch = 2;
  spec.base_sequence = 10;
  spec.records = {{"k", "v", 0, {{"h", "x"}}}, {std::nullopt, std::nullopt, 5, {}}, {"a", "bb", 3, {}}};
  std::string batch = build_record_batch(spec);

  auto split = split_batches(batch);
  ASSERT_TRUE(split.is_ok()) << split.status().to_string();
  ASSERT_EQ(split->size(), 1u);
  const BatchHeader& h = split->front();
  EXPECT_EQ(h.size(), static_cast<int64_t>(batch.size()));
  EXPECT_EQ(h.magic, 2);
  EXPECT_EQ(h.last_offset_delta, 2);
  EXPECT_EQ(h.records_count, 3);
  EXPECT_EQ(h.base_timestamp, 1000);
  EXPECT_EQ(h.max_timestamp, 1005);
  EXPECT_EQ(h.producer_id, 7);
  EXPECT_EQ(h.producer_epoch, 2);
  EXPECT_EQ(h.base_sequence, 10);
  EXPECT_EQ(h.last_sequence(), 12);
  EXPECT_TRUE(h.is_idempotent());
}

TEST(RecordBatch, RecordsAreVarintEncodedAsKafkaSpecifies) {
  BatchSpec spec;
  spec.records = {{"key", "value", 0, {}}};
  std::string batch = build_record_batch(spec);
  WireReader reader(std::string_view(batch).substr(kBatchHeaderSize));
  int32_t length = reader.read_varint();
  EXPECT_EQ(static_cast<size_t>(length), reader.remaining());
  EXPECT_EQ(reader.read_int8(), 0);      // attributes
  EXPECT_EQ(reader.read_varlong(), 0);   // timestamp delta
  EXPECT_EQ(reader.read_varint(), 0);    // offset delta
  EXPECT_EQ(reader.read_varint(), 3);
  EXPECT_EQ(reader.read_raw(3), "key");
  EXPECT_EQ(reader.read_varint(), 5);
  EXPECT_EQ(reader.read_raw(5), "value");
  EXPECT_EQ(reader.read_varint(), 0);    // headers
  EXPECT_TRUE(reader.ok());
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(RecordBatch, SplitsConcatenatedBatches) {
  std::string records = build_simple_batch(2, 1) + build_simple_batch(5, 2) + build_simple_batch(1, 3);
  auto split = split_batches(records);
  ASSERT_TRUE(split.is_ok());
  ASSERT_EQ(split->size(), 3u);
  EXPECT_EQ((*split)[1].records_count, 5);
  EXPECT_EQ((*split)[2].max_timestamp, 3);
}

TEST(RecordBatch, RejectsCorruptionTruncationAndWrongMagic) {
  std::string batch = build_simple_batch(3, 1);
  std::string corrupt = batch;
  corrupt[corrupt.size() - 2] ^= 0x01;
  EXPECT_FALSE(split_batches(corrupt).is_ok());
  EXPECT_FALSE(split_batches(batch.substr(0, batch.size() - 1)).is_ok());
  EXPECT_FALSE(split_batches(batch + "xyz").is_ok());
  EXPECT_FALSE(split_batches("").is_ok());
  std::string magic = batch;
  magic[16] = 1;
  EXPECT_FALSE(split_batches(magic).is_ok());
  std::string length = batch;
  length[11] = 10;  // batchLength shorter than a header
  length[10] = length[9] = length[8] = 0;
  EXPECT_FALSE(split_batches(length).is_ok());
}

TEST(RecordBatch, BaseOffsetIsRewrittenOutsideTheCrc) {
  std::string batch = build_simple_batch(3, 1);
  set_base_offset(batch.data(), 0x0102030405060708);
  auto split = split_batches(batch);
  ASSERT_TRUE(split.is_ok());
  EXPECT_EQ(split->front().base_offset, 0x0102030405060708);
  EXPECT_EQ(split->front().last_offset(), 0x0102030405060708 + 2);
}

TEST(RecordBatch, LastSequenceWrapsAtInt32Max) {
  BatchHeader h;
  h.base_sequence = std::numeric_limits<int32_t>::max() - 1;
  h.last_offset_delta = 3;
  EXPECT_EQ(h.last_sequence(), 1);
  h.base_sequence = std::numeric_limits<int32_t>::max();
  h.last_offset_delta = 0;
  EXPECT_EQ(h.last_sequence(), std::numeric_limits<int32_t>::max());
}

}  // namespace
}  // namespace runnel::broker

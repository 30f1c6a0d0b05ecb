#include "broker/log/producer_state.h"

#include <gtest/gtest.h>

#include <limits>

namespace runnel::broker {
namespace {

BatchHeader batch(int16_t epoch, int32_t first_sequence, int32_t records, int64_t base_offset = 0) {
  BatchHeader h;
  h.producer_id = 1;
  h.producer_epoch = epoch;
  h.base_sequence = first_sequence;
  h.last_offset_delta = records - 1;
  h.records_count = records;
  h.base_offset = base_offset;
  return h;
}

TEST(ProducerState, NewProducerMustStartAtZero) {
  ProducerState state;
  EXPECT_EQ(state.check(batch(0, 1, 1)).error, ErrorCode::kOutOfOrderSequenceNumber);
  EXPECT_EQ(state.check(batch(0, 0, 1)).error, ErrorCode::kNone);
}

TEST(ProducerState, SequencesFollowOnAndGapsAreOutOfOrder) {
  ProducerState state;
  state.record(batch(0, 0, 3, 100));
  EXPECT_EQ(state.check(batch(0, 3, 2)).error, ErrorCode::kNone);
  EXPECT_EQ(state.check(batch(0, 4, 2)).error, ErrorCode::kOutOfOrderSequenceNumber);
  EXPECT_EQ(state.check(batch(0, 1, 2)).error, ErrorCode::kOutOfOrderSequenceNumber);
}

TEST(ProducerState, DuplicatesOfTheLastFiveBatchesReturnTheirOffsets) {
  ProducerState state;
  for (int i = 0; i < 7; ++i) state.record(batch(0, i * 2, 2, 10 * i));
  for (int i = 2; i < 7; ++i) {
    SequenceVerdict verdict = state.check(batch(0, i * 2, 2));
    EXPECT_EQ(verdict.error, ErrorCode::kNone);
    ASSERT_TRUE(verdict.duplicate_of.has_value()) << i;
    EXPECT_EQ(verdict.duplicate_of->base_offset, 10 * i);
    EXPECT_EQ(verdict.duplicate_of->last_offset, 10 * i + 1);
  }
  // Older than the last five: no longer recognised.
  EXPECT_EQ(state.check(batch(0, 2, 2)).error, ErrorCode::kOutOfOrderSequenceNumber);
}

TEST(ProducerState, EpochRules) {
  ProducerState state;
  state.record(batch(5, 0, 3));
  EXPECT_EQ(state.check(batch(4, 3, 1)).error, ErrorCode::kInvalidProducerEpoch);
  EXPECT_EQ(state.check(batch(6, 3, 1)).error, ErrorCode::kOutOfOrderSequenceNumber);
  EXPECT_EQ(state.check(batch(6, 0, 1)).error, ErrorCode::kNone);
  state.record(batch(6, 0, 1));
  EXPECT_EQ(state.epoch(), 6);
  EXPECT_EQ(state.check(batch(6, 1, 1)).error, ErrorCode::kNone);
  EXPECT_EQ(state.check(batch(5, 3, 1)).error, ErrorCode::kInvalidProducerEpoch);
}

TEST(ProducerState, SequenceWrapsToZero) {
  ProducerState state;
  state.record(batch(0, 0, 1));
  state.record(batch(0, std::numeric_limits<int32_t>::max() - 1, 2));  // as replayed from a log
  EXPECT_EQ(state.check(batch(0, 0, 1)).error, ErrorCode::kNone);
}

TEST(ProducerStateTable, ReplayIgnoresNonIdempotentBatches) {
  ProducerStateTable table;
  BatchHeader plain;
  table.replay(plain);
  EXPECT_EQ(table.size(), 0u);
  table.replay(batch(0, 0, 2));
  EXPECT_EQ(table.get(1).check(batch(0, 2, 1)).error, ErrorCode::kNone);
}

}  // namespace
}  // namespace runnel::broker

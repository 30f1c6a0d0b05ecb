#include "broker/log/partition_log.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>

#include "broker/log/record_batch_builder.h"
#include "log_test_support.h"

namespace runnel::broker {
namespace {

std::string batch_with_value(size_t value_bytes, int64_t timestamp, int records = 1) {
  BatchSpec spec;
  spec.base_timestamp = timestamp;
  for (int i = 0; i < records; ++i) spec.records.push_back({std::nullopt, std::string(value_bytes, 'x'), 0, {}});
  return build_record_batch(spec);
}

std::unique_ptr<PartitionLog> open_log(const TempDir& dir, LogConfig config = {}) {
  auto log = PartitionLog::open(dir.path(), config);
  EXPECT_TRUE(log.is_ok()) << log.status().to_string();
  return log.is_ok() ? std::move(*log) : nullptr;
}

// Every batch in the log, read from its start in steps of at most max_bytes.
std::vector<BatchHeader> read_all(const PartitionLog& log, int32_t max_bytes = 1 << 20) {
  std::vector<BatchHeader> out;
  int64_t offset = log.log_start_offset();
  while (offset < log.log_end_offset()) {
    ReadResult r = log.read(offset, max_bytes, log.log_end_offset());
    EXPECT_EQ(r.error, ErrorCode::kNone);
    auto headers = headers_of(r.records);
    if (headers.empty()) {
      ADD_FAILURE() << "no batches at offset " << offset;
      break;
    }
    for (const BatchHeader& h : headers) out.push_back(h);
    offset = headers.back().last_offset() + 1;
  }
  return out;
}

TEST(PartitionLog, AssignsOffsetsAndWritesThemIntoTheBatches) {
  TempDir dir;
  auto log = open_log(dir);
  AppendResult first = log->append(build_simple_batch(3, 10));
  EXPECT_EQ(first.error, ErrorCode::kNone);
  EXPECT_EQ(first.base_offset, 0);
  EXPECT_EQ(first.last_offset, 2);
  AppendResult second = log->append(build_simple_batch(2, 20) + build_simple_batch(4, 30));
  EXPECT_EQ(second.base_offset, 3);
  EXPECT_EQ(second.last_offset, 8);
  EXPECT_EQ(log->log_end_offset(), 9);

  ReadResult r = log->read(0, 1 << 20, 9);
  auto headers = headers_of(r.records);
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers[0].base_offset, 0);
  EXPECT_EQ(headers[1].base_offset, 3);
  EXPECT_EQ(headers[2].base_offset, 5);
  EXPECT_EQ(headers[2].records_count, 4);
}

TEST(PartitionLog, RoundTripsAcrossSegmentRolls) {
  TempDir dir;
  LogConfig config;
  config.segment_bytes = 2000;
  config.index_interval_bytes = 300;
  auto log = open_log(dir, config);
  std::vector<std::string> appended;
  for (int i = 0; i < 60; ++i) {
    std::string batch = batch_with_value(50 + i * 3, 1000 + i, 1 + i % 3);
    AppendResult r = log->append(batch);
    ASSERT_EQ(r.error, ErrorCode::kNone);
    set_base_offset(batch.data(), r.base_offset);
    appended.push_back(batch);
  }
  EXPECT_GT(files_with_extension(dir.path(), ".log").size(), 5u);
  for (const auto& file : files_with_extension(dir.path(), ".log")) {
    EXPECT_LE(std::filesystem::file_size(file), 2000u);
  }
  // Read everything back, batch by batch, byte for byte.
  int64_t offset = 0;
  for (const std::string& expected : appended) {
    ReadResult r = log->read(offset, 1, log->log_end_offset());
    ASSERT_EQ(r.error, ErrorCode::kNone);
    ASSERT_EQ(r.records, expected) << "at offset " << offset;
    offset = parse_batch_header(expected).last_offset() + 1;
  }
  EXPECT_EQ(offset, log->log_end_offset());
  EXPECT_EQ(read_all(*log, 700).size(), appended.size());
}

TEST(PartitionLog, ReadFromTheMiddleOfABatchReturnsThatWholeBatch) {
  TempDir dir;
  LogConfig config;
  config.index_interval_bytes = 1;
  auto log = open_log(dir, config);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(log->append(build_simple_batch(5, i)).error, ErrorCode::kNone);
  for (int64_t offset = 0; offset < 50; ++offset) {
    auto headers = headers_of(log->read(offset, 1, 50).records);
    ASSERT_EQ(headers.size(), 1u);
    EXPECT_EQ(headers[0].base_offset, offset / 5 * 5);
  }
}

TEST(PartitionLog, MaxBytesIsRespectedButTheFirstBatchAlwaysReturned) {
  TempDir dir;
  auto log = open_log(dir);
  std::string batch = batch_with_value(500, 1);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(log->append(batch).error, ErrorCode::kNone);
  EXPECT_EQ(headers_of(log->read(0, 10, 10).records).size(), 1u);
  EXPECT_EQ(headers_of(log->read(0, static_cast<int32_t>(batch.size()) * 3 + 1, 10).records).size(), 3u);
  EXPECT_EQ(headers_of(log->read(0, static_cast<int32_t>(batch.size()) * 3 - 1, 10).records).size(), 2u);
  EXPECT_EQ(log->read(4, 1 << 20, 10).records.size(), batch.size() * 6);
}

TEST(PartitionLog, ReadStopsAtMaxOffset) {
  TempDir dir;
  auto log = open_log(dir);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(log->append(build_simple_batch(2, i)).error, ErrorCode::kNone);
  auto headers = headers_of(log->read(0, 1 << 20, 6).records);
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers.back().last_offset(), 5);
  ReadResult at_max = log->read(6, 1 << 20, 6);
  EXPECT_EQ(at_max.error, ErrorCode::kNone);
  EXPECT_TRUE(at_max.records.empty());
}

TEST(PartitionLog, OffsetsOutsideTheLogAreOutOfRange) {
  TempDir dir;
  auto log = open_log(dir);
  ASSERT_EQ(log->append(build_simple_batch(3, 1)).error, ErrorCode::kNone);
  EXPECT_EQ(log->read(4, 100, 3).error, ErrorCode::kOffsetOutOfRange);
  EXPECT_EQ(log->read(-1, 100, 3).error, ErrorCode::kOffsetOutOfRange);
  ReadResult at_end = log->read(3, 100, 3);
  EXPECT_EQ(at_end.error, ErrorCode::kNone);
  EXPECT_TRUE(at_end.records.empty());
}

TEST(PartitionLog, ReopenKeepsEverything) {
  TempDir dir;
  LogConfig config;
  config.segment_bytes = 1500;
  config.index_interval_bytes = 200;
  std::string before;
  {
    auto log = open_log(dir, config);
    for (int i = 0; i < 30; ++i) ASSERT_EQ(log->append(batch_with_value(100, i, 2)).error, ErrorCode::kNone);
    before = log->read(0, 1 << 20, 60).records;
  }
  auto log = open_log(dir, config);
  EXPECT_EQ(log->log_start_offset(), 0);
  EXPECT_EQ(log->log_end_offset(), 60);
  EXPECT_EQ(log->durable_offset(), 60);
  EXPECT_EQ(log->read(0, 1 << 20, 60).records, before);
  EXPECT_EQ(read_all(*log, 300).size(), 30u);
  AppendResult next = log->append(build_simple_batch(1, 99));
  EXPECT_EQ(next.base_offset, 60);
}

TEST(PartitionLog, RejectsBatchesLargerThanMaxMessageBytes) {
  TempDir dir;
  LogConfig config;
  config.max_message_bytes = 1000;
  auto log = open_log(dir, config);
  AppendResult r = log->append(build_simple_batch(1, 1) + batch_with_value(2000, 1));
  EXPECT_EQ(r.error, ErrorCode::kMessageTooLarge);
  EXPECT_EQ(log->log_end_offset(), 0);
  EXPECT_EQ(log->size_bytes(), 0);
}

TEST(PartitionLog, RejectsACorruptBatchAndAppendsNothing) {
  TempDir dir;
  auto log = open_log(dir);
  ASSERT_EQ(log->append(build_simple_batch(2, 1)).error, ErrorCode::kNone);
  std::string corrupt = build_simple_batch(2, 2);
  corrupt[corrupt.size() - 1] ^= 0x40;
  AppendResult r = log->append(build_simple_batch(3, 1) + corrupt);
  EXPECT_EQ(r.error, ErrorCode::kCorruptMessage);
  EXPECT_EQ(log->append(build_simple_batch(3, 1).substr(0, 70)).error, ErrorCode::kCorruptMessage);
  EXPECT_EQ(log->log_end_offset(), 2);
  EXPECT_EQ(headers_of(log->read(0, 1 << 20, 10).records).size(), 1u);
}

TEST(PartitionLog, AFailedWriteLeavesTheLogUnchanged) {
  TempDir dir;
  auto log = open_log(dir);
  ASSERT_EQ(log->append(batch_with_value(100, 1)).error, ErrorCode::kNone);
  int64_t size = log->size_bytes();
  auto segment = files_with_extension(dir.path(), ".log").front();
  ASSERT_EQ(static_cast<int64_t>(std::filesystem::file_size(segment)), size);

  // Writing beyond RLIMIT_FSIZE fails with EFBIG once SIGXFSZ is ignored.
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit limited = saved;
  limited.rlim_cur = static_cast<rlim_t>(size + 50);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limited), 0);
  AppendResult failed = log->append(batch_with_value(1000, 2));
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
  std::signal(SIGXFSZ, previous_handler);

  EXPECT_EQ(failed.error, ErrorCode::kKafkaStorageError);
  EXPECT_EQ(log->log_end_offset(), 1);
  EXPECT_EQ(log->size_bytes(), size);
  EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(segment)), size);
  AppendResult next = log->append(batch_with_value(10, 3));
  EXPECT_EQ(next.error, ErrorCode::kNone);
  EXPECT_EQ(next.base_offset, 1);
  EXPECT_EQ(read_all(*log).size(), 2u);
}

TEST(PartitionLog, FindsOffsetsByTimestamp) {
  TempDir dir;
  LogConfig config;
  config.segment_bytes = 1000;
  config.index_interval_bytes = 150;
  auto log = open_log(dir, config);
  // Batch i holds offsets 2i, 2i+1 with max timestamp 1000 + 10i.
  for (int i = 0; i < 40; ++i) {
    BatchSpec spec;
    spec.base_timestamp = 995 + 10 * i;
    spec.records = {{std::nullopt, "a", 5, {}}, {std::nullopt, "b", 0, {}}};
    ASSERT_EQ(log->append(build_record_batch(spec)).error, ErrorCode::kNone);
  }
  ASSERT_GT(files_with_extension(dir.path(), ".log").size(), 2u);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(log->offset_for_timestamp(1000 + 10 * i), 2 * i) << i;
    EXPECT_EQ(log->offset_for_timestamp(1000 + 10 * i - 3), 2 * i) << i;
  }
  EXPECT_EQ(log->offset_for_timestamp(0), 0);
  EXPECT_EQ(log->offset_for_timestamp(1000 + 10 * 39 + 1), -1);

  log.reset();
  log = open_log(dir, config);
  EXPECT_EQ(log->offset_for_timestamp(1155), 32);
}

TEST(PartitionLog, FlushMakesEverythingDurable) {
  TempDir dir;
  auto log = open_log(dir);
  ASSERT_EQ(log->append(build_simple_batch(4, 1)).error, ErrorCode::kNone);
  EXPECT_EQ(log->durable_offset(), 0);
  auto durable = log->flush();
  ASSERT_TRUE(durable.is_ok());
  EXPECT_EQ(*durable, 4);
  EXPECT_EQ(log->durable_offset(), 4);
}

TEST(PartitionLog, RemoveDeletesTheDirectory) {
  TempDir dir;
  auto path = dir.path() / "topic-0";
  auto log = PartitionLog::open(path, {});
  ASSERT_TRUE(log.is_ok());
  ASSERT_EQ((*log)->append(build_simple_batch(1, 1)).error, ErrorCode::kNone);
  EXPECT_TRUE((*log)->remove().is_ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_NE((*log)->append(build_simple_batch(1, 1)).error, ErrorCode::kNone);
}

}  // namespace
}  // namespace runnel::broker

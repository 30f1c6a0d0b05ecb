// The records one micro-batch read, before decoding: grouped by partition in
// the order the partitions first appeared, each partition's records in
// offset order (as the consumer delivers them).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/kafka_client.h"
#include "stream/sink.h"

namespace runnel::stream {

struct PartitionRecords {
  std::string topic;
  std::int32_t partition = 0;
  std::vector<kafka::ConsumedRecord> records;
};

class MicroBatch {
 public:
  using Clock = std::chrono::steady_clock;

  // REQUIRES: `record` is a record (not a partition end) and follows every
  // record of its partition added before.
  void add(kafka::ConsumedRecord record);

  bool empty() const { return record_count_ == 0; }
  std::int64_t record_count() const { return record_count_; }
  // When the first record was added. REQUIRES: !empty()
  Clock::time_point first_record_at() const { return first_record_at_; }
  const std::vector<PartitionRecords>& partitions() const { return partitions_; }

  // Per partition read: the offset after its last record.
  std::vector<SourceOffset> end_offsets() const;

 private:
  std::vector<PartitionRecords> partitions_;
  std::int64_t record_count_ = 0;
  Clock::time_point first_record_at_;
};

}  // namespace runnel::stream

#include "stream/micro_batch.h"

#include <algorithm>
#include <utility>

namespace runnel::stream {

void MicroBatch::add(kafka::ConsumedRecord record) {
  if (record_count_++ == 0) first_record_at_ = Clock::now();
  auto found = std::find_if(partitions_.begin(), partitions_.end(), [&](const auto& partition) {
    return partition.partition == record.partition && partition.topic == record.topic;
  });
  if (found == partitions_.end()) {
    found = partitions_.insert(partitions_.end(), {record.topic, record.partition, {}});
  }
  found->records.push_back(std::move(record));
}

std::vector<SourceOffset> MicroBatch::end_offsets() const {
  std::vector<SourceOffset> offsets;
  offsets.reserve(partitions_.size());
  for (const auto& partition : partitions_) {
    offsets.push_back({partition.topic, partition.partition, partition.records.back().offset + 1});
  }
  return offsets;
}

}  // namespace runnel::stream

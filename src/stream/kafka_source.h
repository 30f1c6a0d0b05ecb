// The streaming query's input: a member of the job's consumer group reading
// the query's topics. It decides where each assigned partition starts, knows
// how far the query has read in each, and acknowledges what the sinks have
// stored.
//
// Two ways to remember progress:
// - Sink-stored offsets (an exactly-once sink): every assigned partition
//   starts exactly at the offset the sinks stored, or, without one, at the
//   earliest or latest offset; nothing is committed to Kafka.
// - Group commits: a partition starts at the group's committed offset (or
//   earliest or latest without one), and acknowledge() commits.
//
// Not safe for concurrent use: the query's polling thread owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/kafka_client.h"
#include "common/status.h"
#include "stream/progress.h"
#include "stream/query_options.h"
#include "stream/sink.h"

namespace runnel::stream {

class KafkaSource {
 public:
  // Joins the group (options.job unless options.kafka sets group.id) and
  // subscribes to options.topics; a topic that does not exist is an error.
  // `stored_offsets`: what the sinks stored, when they store offsets;
  // nullopt to use the group's commits.
  static Result<std::unique_ptr<KafkaSource>> open(
      const QueryOptions& options, std::optional<std::vector<SourceOffset>> stored_offsets);

  KafkaSource(const KafkaSource&) = delete;
  KafkaSource& operator=(const KafkaSource&) = delete;

  // The next record for a batch, or nullopt when none arrived within
  // `timeout`. Until caught up, records at or past their partition's end
  // offset are left unread (nullopt).
  Result<std::optional<kafka::ConsumedRecord>> poll(std::chrono::milliseconds timeout);

  // True when partitions are assigned and each has been read up to its end
  // offset as of its assignment (for Trigger::kUntilCaughtUp).
  bool caught_up() const;

  // The sinks stored everything before `end_offsets`: a later assignment of
  // these partitions starts there, and with group commits they are committed.
  // A failed commit is logged, not returned: the next one covers it.
  void acknowledge(const std::vector<SourceOffset>& end_offsets);

  // The assigned partitions with their read position, high watermark and
  // lag, by topic and partition.
  std::vector<PartitionProgress> partition_progress();

  // Leaves the group.
  Status close();

 private:
  using TopicPartition = std::pair<std::string, std::int32_t>;

  struct PartitionState {
    std::int64_t next_offset = -1;  // the next offset to read; -1 until known
    std::int64_t end_offset = -1;   // the high watermark when assigned; -1 until known
  };

  KafkaSource(const QueryOptions& options, std::optional<std::vector<SourceOffset>> stored_offsets);

  void on_assigned(std::vector<kafka::TopicPartitionOffset>& partitions);
  void on_revoked(const std::vector<kafka::TopicPartitionOffset>& partitions);

  std::int64_t start_offset(const TopicPartition& partition) const;
  bool caught_up(const PartitionState& state) const;

  const bool until_caught_up_;
  const std::int64_t default_start_;  // kafka::kEarliest or kafka::kLatest
  const std::chrono::milliseconds timeout_;
  // With sink-stored offsets: what the sinks stored, advanced by acknowledge().
  std::optional<std::map<TopicPartition, std::int64_t>> stored_offsets_;
  std::map<TopicPartition, PartitionState> assigned_;
  // Per partition, the offset after the last record poll() handed out while
  // later than what was acknowledged: those records are in the batch being
  // built, which is acknowledged or fails the query. A partition revoked and
  // assigned again meanwhile continues after them, not before.
  std::map<TopicPartition, std::int64_t> unacknowledged_;
  Status assignment_error_;  // a failure inside on_assigned, returned by the next poll()
  std::optional<kafka::Consumer> consumer_;  // set by open(); after the listener's target exists
};

}  // namespace runnel::stream

// Kafka clients over librdkafka: a producer, a consumer and an admin client
// that work against runnel's broker or any Kafka cluster. librdkafka's types
// stay inside kafka_client.cc; failures come back as Status values whose
// message carries librdkafka's error name (e.g. "_MSG_TIMED_OUT",
// "TOPIC_ALREADY_EXISTS"). librdkafka's own log lines go to spdlog.
//
// Each client owns one librdkafka handle with its background threads; the
// clients are movable, not copyable, and not safe for concurrent use from
// several threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace runnel::kafka {

// librdkafka configuration properties by name, e.g.
// {"bootstrap.servers", "127.0.0.1:9092"}, {"compression.type", "zstd"}.
using Properties = std::map<std::string, std::string>;

// Parses "name=value" (the value may contain '='); an invalid argument
// otherwise.
Result<std::pair<std::string, std::string>> parse_property(std::string_view text);

struct Header {
  std::string key;
  std::optional<std::string> value;  // nullopt: a null header value
};

// The partition number librdkafka's partitioner chooses for a record.
inline constexpr std::int32_t kAnyPartition = -1;

struct ProducerRecord {
  std::string topic;
  std::int32_t partition = kAnyPartition;
  std::optional<std::string> key;    // nullopt: a null key
  std::optional<std::string> value;  // nullopt: a null value (a tombstone)
  std::vector<Header> headers;
  // The record's CreateTime in milliseconds since the epoch; 0 or less:
  // the time of produce().
  std::int64_t timestamp_ms = 0;
};

// Sends records asynchronously; delivery reports are counted as they arrive
// during produce() and flush().
class Producer {
 public:
  // `properties` go to librdkafka unchanged (bootstrap.servers, acks,
  // enable.idempotence, compression.type, message.timeout.ms, ...).
  static Result<Producer> create(const Properties& properties);

  Producer(Producer&&) noexcept;
  Producer& operator=(Producer&&) noexcept;
  ~Producer();

  // Queues one record. While librdkafka's queue is full it serves delivery
  // reports and retries; fails only for errors the record itself causes
  // (unknown partition, too large, a fatal producer error).
  Status produce(const ProducerRecord& record);

  // Waits until every queued record is delivered or has failed, at most
  // `timeout`. Ok only when all records produced so far were delivered;
  // otherwise the first delivery error, with the number of failures.
  Status flush(std::chrono::milliseconds timeout);

  // Ok once the cluster answered a metadata request, at most `timeout`
  // from now: a producer checks it can reach the cluster before it queues
  // records that would only time out.
  Status connect(std::chrono::milliseconds timeout);

  // Serves the delivery reports that have arrived, waiting at most
  // `timeout` for the first; a producer that stops queueing while many
  // records are in flight calls it to let their reports count.
  void poll(std::chrono::milliseconds timeout);

  std::int64_t delivered() const;
  std::int64_t failed() const;

 private:
  struct Handle;
  explicit Producer(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
};

// Where a consumer starts in a partition: the log start, the end (only
// records produced from now on), or an absolute offset (>= 0).
inline constexpr std::int64_t kEarliest = -2;
inline constexpr std::int64_t kLatest = -1;
// In a group: the group's committed offset, or "auto.offset.reset" when the
// group has none.
inline constexpr std::int64_t kCommitted = -1001;

struct TopicPartitionOffset {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = kEarliest;
};

struct ConsumedRecord {
  enum class Kind {
    kRecord,        // a record at `offset`
    kPartitionEnd,  // no record: the consumer reached the partition's end at `offset`
  };
  Kind kind = Kind::kRecord;
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::int64_t timestamp_ms = -1;  // -1 when the record has none
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<Header> headers;
};

// A partition's log start and high watermark: the offset of its first
// record and the offset after its last one.
struct Watermarks {
  std::int64_t low = 0;
  std::int64_t high = 0;
};

// What a group member's owner decides when the group assigns it partitions,
// and learns when they are revoked. Both run inside Consumer::poll(), on the
// polling thread.
struct RebalanceListener {
  // `partitions` arrive with offset kCommitted; set an offset (kEarliest,
  // kLatest or an absolute one) to start a partition elsewhere.
  std::function<void(std::vector<TopicPartitionOffset>& partitions)> on_assigned;
  std::function<void(const std::vector<TopicPartitionOffset>& partitions)> on_revoked;
};

class Consumer {
 public:
  // With "group.id" in `properties` the consumer can join that group through
  // subscribe() and commit; without, it reads only what assign() gives it
  // and commits nothing. Partition ends are reported only with
  // "enable.partition.eof" = "true".
  static Result<Consumer> create(const Properties& properties);
  // As above; the group's assignments pass through `listener` (eager and
  // cooperative rebalance protocols alike).
  static Result<Consumer> create(const Properties& properties, RebalanceListener listener);

  Consumer(Consumer&&) noexcept;
  Consumer& operator=(Consumer&&) noexcept;
  // Closes the consumer if close() was not called, as librdkafka does:
  // committing only with enable.auto.commit, errors ignored.
  ~Consumer();

  // REQUIRES: created with a group.id. The group coordinator assigns
  // partitions during poll(); a partition without a committed offset starts
  // as "auto.offset.reset" says.
  Status subscribe(const std::vector<std::string>& topics);

  // Reads exactly these partitions from these offsets, outside any group.
  Status assign(const std::vector<TopicPartitionOffset>& partitions);

  // The partition numbers of `topic`, from the cluster's metadata; not found
  // when the topic does not exist.
  Result<std::vector<std::int32_t>> partitions_of(const std::string& topic,
                                                  std::chrono::milliseconds timeout);

  // The partitions currently assigned (by assign() or by the group).
  Result<std::vector<TopicPartitionOffset>> assignment();

  // The next record or partition end; nullopt when nothing arrived within
  // `timeout`. Errors that librdkafka recovers from by itself (a broker
  // going away) are logged, not returned.
  Result<std::optional<ConsumedRecord>> poll(std::chrono::milliseconds timeout);

  // REQUIRES: created with a group.id. Synchronously commits the offsets
  // after the records poll() returned; ok when there was nothing to commit.
  Status commit();

  // REQUIRES: created with a group.id. Synchronously commits exactly these
  // offsets (each the next offset to read).
  Status commit(const std::vector<TopicPartitionOffset>& offsets);

  // Asks the partition's leader for its watermarks.
  Result<Watermarks> query_watermarks(const std::string& topic, std::int32_t partition,
                                      std::chrono::milliseconds timeout);
  // The watermarks of the latest fetch response for an assigned partition,
  // without a request; nullopt before the first fetch.
  std::optional<Watermarks> cached_watermarks(const std::string& topic, std::int32_t partition);

  // Commits (in a group), leaves the group and stops fetching. The
  // consumer must not be used afterwards.
  Status close();

 private:
  struct Handle;
  explicit Consumer(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
};

struct NewTopic {
  std::string name;
  std::int32_t partitions = 1;
  std::int16_t replication_factor = 1;
  Properties configs;  // topic configs, e.g. {"retention.ms", "60000"}
};

struct PartitionDescription {
  std::int32_t partition = 0;
  std::int32_t leader = -1;
  std::vector<std::int32_t> replicas;
  std::vector<std::int32_t> isr;
};

struct ConfigEntry {
  std::string name;
  std::optional<std::string> value;  // nullopt when unset or sensitive
  bool is_default = false;
  bool is_read_only = false;
  bool is_sensitive = false;
};

struct TopicDescription {
  std::string name;
  std::vector<PartitionDescription> partitions;  // by partition number
  std::vector<ConfigEntry> configs;              // as the broker listed them
};

// Topic administration. Every call waits for the broker's answer at most
// `timeout`.
class Admin {
 public:
  static Result<Admin> create(const Properties& properties);

  Admin(Admin&&) noexcept;
  Admin& operator=(Admin&&) noexcept;
  ~Admin();

  // The broker's error (e.g. TOPIC_ALREADY_EXISTS, INVALID_CONFIG) with its
  // message when it refuses.
  Status create_topic(const NewTopic& topic, std::chrono::milliseconds timeout);
  // Deletes every topic it can; the error names each topic that failed.
  Status delete_topics(const std::vector<std::string>& names, std::chrono::milliseconds timeout);
  // Every topic in the cluster, internal ones included, sorted by name.
  Result<std::vector<std::string>> list_topics(std::chrono::milliseconds timeout);
  // Partitions from metadata and configs from DescribeConfigs; not found
  // when the topic does not exist.
  Result<TopicDescription> describe_topic(const std::string& name,
                                          std::chrono::milliseconds timeout);

 private:
  struct Handle;
  explicit Admin(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
};

}  // namespace runnel::kafka

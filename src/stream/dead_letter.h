// Dead letters: a record the streaming job cannot decode neither stops the
// job nor disappears. It goes, byte for byte, to the dead-letter topic
// "<topic>.dlq" (Spark users know this as a quarantine or DLQ), with the
// reason and where it came from in headers:
//   runnel.dlq.reason     one line, e.g. RecordDecoder's error message
//   runnel.dlq.topic      the topic it was read from
//   runnel.dlq.partition  that topic's partition, in decimal
//   runnel.dlq.offset     its offset there, in decimal
// The dead-letter record keeps the original key (so the partitioner keeps
// one key's records together), value, timestamp and headers; the runnel.dlq
// headers come after the original ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/kafka_client.h"

namespace runnel::stream {

inline constexpr std::string_view kDeadLetterTopicSuffix = ".dlq";
inline constexpr char kDeadLetterReasonHeader[] = "runnel.dlq.reason";
inline constexpr char kDeadLetterTopicHeader[] = "runnel.dlq.topic";
inline constexpr char kDeadLetterPartitionHeader[] = "runnel.dlq.partition";
inline constexpr char kDeadLetterOffsetHeader[] = "runnel.dlq.offset";

// A record that could not be processed, and why.
struct DeadLetter {
  std::optional<std::string> key;    // the original bytes; nullopt: a null key
  std::optional<std::string> value;  // the original bytes; nullopt: a null value
  std::string reason;                // one line a person can act on
  std::string topic;                 // where the record was read
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::int64_t timestamp_ms = -1;     // the record's own; -1 when it has none
  std::vector<kafka::Header> headers;  // the record's own
};

// The dead letter of a consumed record that failed for `reason`.
// REQUIRES: record.kind == kafka::ConsumedRecord::Kind::kRecord.
DeadLetter dead_letter_of(const kafka::ConsumedRecord& record, std::string reason);

// "<topic>.dlq".
std::string dead_letter_topic(std::string_view topic);

// The record that puts `letter` in dead_letter_topic(letter.topic), on the
// partition the producer's partitioner picks.
kafka::ProducerRecord to_producer_record(const DeadLetter& letter);

}  // namespace runnel::stream

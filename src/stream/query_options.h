// What a streaming query reads, how it cuts micro-batches and how hard it
// tries to write them: the options of StreamingQuery.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/kafka_client.h"
#include "common/status.h"
#include "stream/schema.h"
#include "stream/trigger.h"

namespace runnel::stream {

// Where a partition starts when nothing is stored for it: neither by an
// offset-storing sink nor, without one, by the consumer group.
enum class StartingOffsets {
  kEarliest,
  kLatest,
};

std::string_view starting_offsets_name(StartingOffsets offsets);  // "earliest", "latest"
Result<StartingOffsets> parse_starting_offsets(std::string_view text);

// A micro-batch takes the records that are ready when it starts, and closes
// as soon as no more are (so a quiet stream gets prompt, small batches), when
// it holds `max_records`, or `max_wait` after its first record.
struct BatchLimits {
  std::int64_t max_records = 40000;
  std::chrono::milliseconds max_wait{500};
};

// A failed sink write is tried again up to `attempts` times in all, waiting
// `initial_backoff` and then twice as long each time, at most `max_backoff`.
struct SinkRetry {
  int attempts = 5;
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
};

struct QueryOptions {
  std::string job;             // the query's name; the consumer group unless kafka sets group.id
  kafka::Properties kafka;     // bootstrap.servers and any librdkafka property
  std::vector<std::string> topics;
  Schema schema;
  StartingOffsets starting_offsets = StartingOffsets::kEarliest;
  Trigger trigger = Trigger::kContinuous;
  int threads = 1;  // decoding workers
  BatchLimits batch;
  SinkRetry sink_retry;
  // Bounds every wait on Kafka: dead-letter delivery, commits, watermarks.
  std::chrono::milliseconds kafka_timeout{30000};
};

// Invalid argument naming the first option that cannot work.
Status validate(const QueryOptions& options);

}  // namespace runnel::stream

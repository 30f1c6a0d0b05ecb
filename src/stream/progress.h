// A streaming query's progress, as Spark's StreamingQueryProgress: what the
// latest micro-batch read and how fast, how far behind the partitions' ends
// the query is, and totals since it started. A value: StreamingQuery hands
// out copies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace runnel::stream {

enum class QueryState {
  kStarting,  // opening sinks, joining the consumer group
  kRunning,
  kFinished,  // caught up (until-caught-up) or stopped
  kFailed,    // see QueryProgress::error
};

std::string_view query_state_name(QueryState state);  // "starting", "running", ...

// -1 wherever a number is not known yet.
struct PartitionProgress {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t next_offset = -1;     // the next offset the query reads
  std::int64_t high_watermark = -1;  // the offset after the partition's last record
  std::int64_t lag = -1;             // high_watermark - next_offset
};

struct QueryProgress {
  std::string job;
  QueryState state = QueryState::kStarting;
  std::string error;  // why the query failed; empty otherwise

  // The latest completed batch; -1 and zeros before the first.
  std::int64_t batch_id = -1;
  std::int64_t timestamp_ms = 0;  // wall clock when the batch completed
  std::int64_t input_rows = 0;    // records read, dead letters included
  std::int64_t output_rows = 0;   // rows written to the sinks
  std::int64_t dead_letters = 0;  // records sent to the dead-letter topic
  // Records per second between this batch's first record and the previous
  // batch's (Spark's inputRowsPerSecond); the batch's own duration for the
  // first batch.
  double input_rows_per_second = 0;
  // Records per second of the batch's duration (processedRowsPerSecond).
  double processed_rows_per_second = 0;
  // From the batch's first record to its last sink write.
  std::int64_t batch_duration_ms = 0;

  // The assigned partitions, sorted by topic and partition; updated after
  // each batch.
  std::vector<PartitionProgress> partitions;

  // Since the query started.
  std::int64_t total_input_rows = 0;
  std::int64_t total_output_rows = 0;
  std::int64_t total_dead_letters = 0;

  // The sum of the known partition lags.
  std::int64_t total_lag() const;
};

// One JSON object, Spark-like names in camelCase ("batchId", "numInputRows",
// "inputRowsPerSecond", "partitions": [{"topic", "partition", "lag", ...}]).
std::string to_json(const QueryProgress& progress);

// "batch 12 | 10,000 rows | in 95,000/s | out 94,800/s | lag 1,230 | dlq 3",
// for a live status line; "starting" before the first batch, and the error
// after a failure.
std::string status_line(const QueryProgress& progress);

}  // namespace runnel::stream

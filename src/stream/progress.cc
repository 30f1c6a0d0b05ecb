#include "stream/progress.h"

#include <cmath>

#include "common/json_writer.h"

namespace runnel::stream {
namespace {

// 1234567 as "1,234,567".
std::string with_thousands(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return value < 0 ? "-" + grouped : grouped;
}

std::int64_t rounded(double value) { return static_cast<std::int64_t>(std::llround(value)); }

}  // namespace

std::string_view query_state_name(QueryState state) {
  switch (state) {
    case QueryState::kStarting:
      return "starting";
    case QueryState::kRunning:
      return "running";
    case QueryState::kFinished:
      return "finished";
    case QueryState::kFailed:
      return "failed";
  }
  return "unknown";
}

std::int64_t QueryProgress::total_lag() const {
  std::int64_t total = 0;
  for (const auto& partition : partitions) {
    if (partition.lag > 0) total += partition.lag;
  }
  return total;
}

std::string to_json(const QueryProgress& progress) {
  std::string out;
  {
    JsonWriter json(out);
    json.begin_object();
    json.trusted_key("name");
    json.string(progress.job);
    json.trusted_key("state");
    json.string(query_state_name(progress.state));
    if (!progress.error.empty()) {
      json.trusted_key("error");
      json.string(progress.error);
    }
    json.trusted_key("batchId");
    json.number(progress.batch_id);
    json.trusted_key("timestampMs");
    json.number(progress.timestamp_ms);
    json.trusted_key("numInputRows");
    json.number(progress.input_rows);
    json.trusted_key("numOutputRows");
    json.number(progress.output_rows);
    json.trusted_key("numDeadLetters");
    json.number(progress.dead_letters);
    json.trusted_key("inputRowsPerSecond");
    json.real(progress.input_rows_per_second);
    json.trusted_key("processedRowsPerSecond");
    json.real(progress.processed_rows_per_second);
    json.trusted_key("batchDurationMs");
    json.number(progress.batch_duration_ms);
    json.trusted_key("totalInputRows");
    json.number(progress.total_input_rows);
    json.trusted_key("totalOutputRows");
    json.number(progress.total_output_rows);
    json.trusted_key("totalDeadLetters");
    json.number(progress.total_dead_letters);
    json.trusted_key("totalLag");
    json.number(progress.total_lag());
    json.trusted_key("partitions");
    json.begin_array();
    for (const auto& partition : progress.partitions) {
      json.begin_object();
      json.trusted_key("topic");
      json.string(partition.topic);
      json.trusted_key("partition");
      json.number(partition.partition);
      json.trusted_key("nextOffset");
      json.number(partition.next_offset);
      json.trusted_key("highWatermark");
      json.number(partition.high_watermark);
      json.trusted_key("lag");
      json.number(partition.lag);
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  return out;
}

std::string status_line(const QueryProgress& progress) {
  if (progress.state == QueryState::kFailed) return "failed: " + progress.error;
  if (progress.batch_id < 0) {
    return progress.state == QueryState::kFinished ? "finished | no rows" : "starting";
  }
  std::string line = "batch " + std::to_string(progress.batch_id) + " | " +
                     with_thousands(progress.input_rows) + " rows | in " +
                     with_thousands(rounded(progress.input_rows_per_second)) + "/s | out " +
                     with_thousands(rounded(progress.processed_rows_per_second)) + "/s | lag " +
                     with_thousands(progress.total_lag()) + " | dlq " +
                     with_thousands(progress.total_dead_letters);
  if (progress.state == QueryState::kFinished) line += " | finished";
  return line;
}

}  // namespace runnel::stream

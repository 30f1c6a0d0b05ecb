#include "stream/query_options.h"

#include <string>

namespace runnel::stream {

std::string_view starting_offsets_name(StartingOffsets offsets) {
  return offsets == StartingOffsets::kEarliest ? "earliest" : "latest";
}

Result<StartingOffsets> parse_starting_offsets(std::string_view text) {
  if (text == "earliest") return StartingOffsets::kEarliest;
  if (text == "latest") return StartingOffsets::kLatest;
  return invalid_argument("unknown starting offsets '" + std::string(text) +
                          "' (expected earliest or latest)");
}

Status validate(const QueryOptions& options) {
  if (options.job.empty()) return invalid_argument("a streaming query needs a job name");
  if (options.topics.empty()) return invalid_argument("a streaming query needs a topic");
  if (!options.kafka.contains("bootstrap.servers")) {
    return invalid_argument("a streaming query needs bootstrap.servers");
  }
  if (options.schema.fields.empty()) return invalid_argument("a streaming query needs a schema");
  if (options.threads < 1) return invalid_argument("threads must be at least 1");
  if (options.batch.max_records < 1) return invalid_argument("max records per batch must be at least 1");
  if (options.batch.max_wait.count() < 1) return invalid_argument("batch wait must be at least 1 ms");
  if (options.sink_retry.attempts < 1) return invalid_argument("sink attempts must be at least 1");
  return Status::ok();
}

}  // namespace runnel::stream

// Builds valid, uncompressed magic-v2 record batches, the way a producer
// would: for tests and benchmarks that need real batches to append.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace runnel::broker {

struct RecordSpec {
  std::optional<std::string> key;
  std::optional<std::string> value;
  int64_t timestamp_delta = 0;  // from the batch's base timestamp, >= 0
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
};

struct BatchSpec {
  int64_t base_offset = 0;
  int64_t base_timestamp = 0;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  int32_t base_sequence = -1;
  std::vector<RecordSpec> records;  // at least one
};

std::string build_record_batch(const BatchSpec& spec);

// A batch of `count` records with values "v0", "v1", ..., all at `timestamp`.
std::string build_simple_batch(int count, int64_t timestamp, int64_t producer_id = -1,
                               int16_t producer_epoch = -1, int32_t base_sequence = -1);

}  // namespace runnel::broker

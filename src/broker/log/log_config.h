// A topic's storage settings, by Kafka's topic-config names.
#pragma once

#include <cstdint>

namespace runnel::broker {

struct LogConfig {
  int64_t segment_bytes = 1LL << 30;               // segment.bytes
  int64_t segment_ms = 7LL * 24 * 3600 * 1000;     // segment.ms
  int64_t retention_ms = 7LL * 24 * 3600 * 1000;   // retention.ms; -1: keep forever
  int64_t retention_bytes = -1;                    // retention.bytes; -1: no size limit
  int32_t index_interval_bytes = 4096;             // index.interval.bytes
  int32_t max_message_bytes = 1048588;             // max.message.bytes: one batch
};

}  // namespace runnel::broker

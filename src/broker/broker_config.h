// What `runnel broker` is told on its command line, with Kafka's defaults.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/endpoint.h"

namespace runnel::broker {

struct BrokerConfig {
  Endpoint listen{"127.0.0.1", 9092};
  std::filesystem::path data_dir = "runnel-data";
  int32_t node_id = 0;

  // Topics.
  bool auto_create_topics = true;                 // auto.create.topics.enable
  int32_t default_partitions = 1;                 // num.partitions
  int64_t segment_bytes = 1LL << 30;              // log.segment.bytes
  int64_t segment_ms = 7LL * 24 * 3600 * 1000;    // log.roll.ms
  int64_t retention_ms = 7LL * 24 * 3600 * 1000;  // log.retention.ms
  int64_t retention_bytes = -1;                   // log.retention.bytes
  int64_t retention_check_interval_ms = 300000;   // log.retention.check.interval.ms

  // Limits.
  int32_t message_max_bytes = 1048588;    // message.max.bytes: one record batch
  int32_t max_request_bytes = 104857600;  // socket.request.max.bytes
  int32_t max_connections = 1024;         // max.connections

  // Consumer groups.
  int32_t group_min_session_timeout_ms = 6000;
  int32_t group_max_session_timeout_ms = 1800000;
  // group.initial.rebalance.delay.ms; 0 as the classic stack's compose file sets it.
  int32_t group_initial_rebalance_delay_ms = 0;
};

}  // namespace runnel::broker

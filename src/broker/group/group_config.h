// What the group coordinator is told by the broker's configuration.
#pragma once

#include <cstdint>
#include <string>

namespace runnel::broker {

struct GroupConfig {
  int32_t min_session_timeout_ms = 6000;     // group.min.session.timeout.ms
  int32_t max_session_timeout_ms = 1800000;  // group.max.session.timeout.ms
  int32_t initial_rebalance_delay_ms = 0;    // group.initial.rebalance.delay.ms
  // Where clients reach this broker, the coordinator of every group.
  int32_t node_id = 0;
  std::string host = "127.0.0.1";
  int32_t port = 9092;
};

}  // namespace runnel::broker

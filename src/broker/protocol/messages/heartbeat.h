// Heartbeat (key 12): a member tells its coordinator it is alive, and learns
// whether the group is rebalancing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct HeartbeatResponse {
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &HeartbeatResponse::throttle_time_ms, {1}),
                      field("ErrorCode", &HeartbeatResponse::error_code, {0})};
  }
};

struct HeartbeatRequest {
  static constexpr ApiKey kApiKey = ApiKey::kHeartbeat;
  static constexpr Versions kVersions{0, 4};
  static constexpr Versions kFlexibleVersions{4};
  using Response = HeartbeatResponse;

  std::string group_id;
  int32_t generation_id = 0;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  static constexpr auto fields() {
    return std::tuple{field("GroupId", &HeartbeatRequest::group_id, {0}),
                      field("GenerationId", &HeartbeatRequest::generation_id, {0}),
                      field("MemberId", &HeartbeatRequest::member_id, {0}),
                      field("GroupInstanceId", &HeartbeatRequest::group_instance_id, {3})};
  }
};

}  // namespace runnel::broker

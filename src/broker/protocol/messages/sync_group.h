// SyncGroup (key 14): after a join, the leader hands in every member's
// assignment and each member receives its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct SyncGroupResponse {
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  Bytes assignment;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &SyncGroupResponse::throttle_time_ms, {1}),
                      field("ErrorCode", &SyncGroupResponse::error_code, {0}),
                      field("ProtocolType", &SyncGroupResponse::protocol_type, {5}),
                      field("ProtocolName", &SyncGroupResponse::protocol_name, {5}),
                      field("Assignment", &SyncGroupResponse::assignment, {0})};
  }
};

struct SyncGroupRequest {
  static constexpr ApiKey kApiKey = ApiKey::kSyncGroup;
  static constexpr Versions kVersions{0, 5};
  static constexpr Versions kFlexibleVersions{4};
  using Response = SyncGroupResponse;

  struct Assignment {
    std::string member_id;
    Bytes assignment;
    static constexpr auto fields() {
      return std::tuple{field("MemberId", &Assignment::member_id, {0}),
                        field("Assignment", &Assignment::assignment, {0})};
    }
  };
  std::string group_id;
  int32_t generation_id = 0;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  std::vector<Assignment> assignments;
  static constexpr auto fields() {
    return std::tuple{field("GroupId", &SyncGroupRequest::group_id, {0}),
                      field("GenerationId", &SyncGroupRequest::generation_id, {0}),
                      field("MemberId", &SyncGroupRequest::member_id, {0}),
                      field("GroupInstanceId", &SyncGroupRequest::group_instance_id, {3}),
                      field("ProtocolType", &SyncGroupRequest::protocol_type, {5}),
                      field("ProtocolName", &SyncGroupRequest::protocol_name, {5}),
                      field("Assignments", &SyncGroupRequest::assignments, {0})};
  }
};

}  // namespace runnel::broker

// LeaveGroup (key 13): members leave a group, which then rebalances. Up to
// v2 one member leaves per request; from v3 a list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct LeaveGroupResponse {
  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    int16_t error_code = 0;
    static constexpr auto fields() {
      return std::tuple{field("MemberId", &Member::member_id, {3}),
                        field("GroupInstanceId", &Member::group_instance_id, {3}),
                        field("ErrorCode", &Member::error_code, {3})};
    }
  };
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  std::vector<Member> members;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &LeaveGroupResponse::throttle_time_ms, {1}),
                      field("ErrorCode", &LeaveGroupResponse::error_code, {0}),
                      field("Members", &LeaveGroupResponse::members, {3})};
  }
};

struct LeaveGroupRequest {
  static constexpr ApiKey kApiKey = ApiKey::kLeaveGroup;
  static constexpr Versions kVersions{0, 4};
  static constexpr Versions kFlexibleVersions{4};
  using Response = LeaveGroupResponse;

  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    static constexpr auto fields() {
      return std::tuple{field("MemberId", &Member::member_id, {3}),
                        field("GroupInstanceId", &Member::group_instance_id, {3})};
    }
  };
  std::string group_id;
  std::string member_id;        // v0-2
  std::vector<Member> members;  // v3+
  static constexpr auto fields() {
    return std::tuple{field("GroupId", &LeaveGroupRequest::group_id, {0}),
                      field("MemberId", &LeaveGroupRequest::member_id, {0, 2}),
                      field("Members", &LeaveGroupRequest::members, {3})};
  }
};

}  // namespace runnel::broker

// JoinGroup (key 11): a member asks to join (or rejoin) a group; the answer
// comes once the group's rebalance has gathered its members.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct JoinGroupResponse {
  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    Bytes metadata;
    static constexpr auto fields() {
      return std::tuple{field("MemberId", &Member::member_id, {0}),
                        field("GroupInstanceId", &Member::group_instance_id, {5}),
                        field("Metadata", &Member::metadata, {0})};
    }
  };
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  int32_t generation_id = -1;
  std::optional<std::string> protocol_type;
  // Nullable only from v7; runnel sends an empty name when there is none.
  std::string protocol_name;
  std::string leader;
  std::string member_id;
  std::vector<Member> members;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &JoinGroupResponse::throttle_time_ms, {2}),
                      field("ErrorCode", &JoinGroupResponse::error_code, {0}),
                      field("GenerationId", &JoinGroupResponse::generation_id, {0}),
                      field("ProtocolType", &JoinGroupResponse::protocol_type, {7}),
                      field("ProtocolName", &JoinGroupResponse::protocol_name, {0}),
                      field("Leader", &JoinGroupResponse::leader, {0}),
                      field("MemberId", &JoinGroupResponse::member_id, {0}),
                      field("Members", &JoinGroupResponse::members, {0})};
  }
};

struct JoinGroupRequest {
  static constexpr ApiKey kApiKey = ApiKey::kJoinGroup;
  static constexpr Versions kVersions{0, 7};
  static constexpr Versions kFlexibleVersions{6};
  using Response = JoinGroupResponse;

  struct Protocol {
    std::string name;
    Bytes metadata;
    static constexpr auto fields() {
      return std::tuple{field("Name", &Protocol::name, {0}),
                        field("Metadata", &Protocol::metadata, {0})};
    }
  };
  std::string group_id;
  int32_t session_timeout_ms = 0;
  int32_t rebalance_timeout_ms = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string protocol_type;
  std::vector<Protocol> protocols;
  static constexpr auto fields() {
    return std::tuple{field("GroupId", &JoinGroupRequest::group_id, {0}),
                      field("SessionTimeoutMs", &JoinGroupRequest::session_timeout_ms, {0}),
                      field("RebalanceTimeoutMs", &JoinGroupRequest::rebalance_timeout_ms, {1}),
                      field("MemberId", &JoinGroupRequest::member_id, {0}),
                      field("GroupInstanceId", &JoinGroupRequest::group_instance_id, {5}),
                      field("ProtocolType", &JoinGroupRequest::protocol_type, {0}),
                      field("Protocols", &JoinGroupRequest::protocols, {0})};
  }
};

}  // namespace runnel::broker

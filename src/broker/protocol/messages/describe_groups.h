// DescribeGroups (key 15): a group's state, protocol and members.
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct DescribeGroupsResponse {
  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string client_host;
    Bytes member_metadata;
    Bytes member_assignment;
    static constexpr auto fields() {
      return std::tuple{field("MemberId", &Member::member_id, {0}),
                        field("GroupInstanceId", &Member::group_instance_id, {4}),
                        field("ClientId", &Member::client_id, {0}),
                        field("ClientHost", &Member::client_host, {0}),
                        field("MemberMetadata", &Member::member_metadata, {0}),
                        field("MemberAssignment", &Member::member_assignment, {0})};
    }
  };
  struct Group {
    int16_t error_code = 0;
    std::string group_id;
    std::string group_state;
    std::string protocol_type;
    std::string protocol_data;
    std::vector<Member> members;
    int32_t authorized_operations = INT32_MIN;
    static constexpr auto fields() {
      return std::tuple{field("ErrorCode", &Group::error_code, {0}),
                        field("GroupId", &Group::group_id, {0}),
                        field("GroupState", &Group::group_state, {0}),
                        field("ProtocolType", &Group::protocol_type, {0}),
                        field("ProtocolData", &Group::protocol_data, {0}),
                        field("Members", &Group::members, {0}),
                        field("AuthorizedOperations", &Group::authorized_operations, {3})};
    }
  };
  int32_t throttle_time_ms = 0;
  std::vector<Group> groups;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &DescribeGroupsResponse::throttle_time_ms, {1}),
                      field("Groups", &DescribeGroupsResponse::groups, {0})};
  }
};

struct DescribeGroupsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kDescribeGroups;
  static constexpr Versions kVersions{0, 5};
  static constexpr Versions kFlexibleVersions{5};
  using Response = DescribeGroupsResponse;

  std::vector<std::string> groups;
  bool include_authorized_operations = false;
  static constexpr auto fields() {
    return std::tuple{field("Groups", &DescribeGroupsRequest::groups, {0}),
                      field("IncludeAuthorizedOperations",
                            &DescribeGroupsRequest::include_authorized_operations, {3})};
  }
};

}  // namespace runnel::broker

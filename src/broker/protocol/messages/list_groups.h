// ListGroups (key 16): the groups this coordinator knows, optionally only
// those in some states (v4+).
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct ListGroupsResponse {
  struct Group {
    std::string group_id;
    std::string protocol_type;
    std::string group_state;
    static constexpr auto fields() {
      return std::tuple{field("GroupId", &Group::group_id, {0}),
                        field("ProtocolType", &Group::protocol_type, {0}),
                        field("GroupState", &Group::group_state, {4})};
    }
  };
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  std::vector<Group> groups;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &ListGroupsResponse::throttle_time_ms, {1}),
                      field("ErrorCode", &ListGroupsResponse::error_code, {0}),
                      field("Groups", &ListGroupsResponse::groups, {0})};
  }
};

struct ListGroupsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kListGroups;
  static constexpr Versions kVersions{0, 4};
  static constexpr Versions kFlexibleVersions{3};
  using Response = ListGroupsResponse;

  // Empty lists every group.
  std::vector<std::string> states_filter;
  static constexpr auto fields() {
    return std::tuple{field("StatesFilter", &ListGroupsRequest::states_filter, {4})};
  }
};

}  // namespace runnel::broker

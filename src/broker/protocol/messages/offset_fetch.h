// OffsetFetch (key 9): a group's committed offsets. Version 8+ asks for
// several groups at once and is not served.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct OffsetFetchResponse {
  struct Partition {
    int32_t partition_index = 0;
    int64_t committed_offset = -1;
    int32_t committed_leader_epoch = -1;
    std::optional<std::string> metadata;
    int16_t error_code = 0;
    static constexpr auto fields() {
      return std::tuple{field("PartitionIndex", &Partition::partition_index, {0}),
                        field("CommittedOffset", &Partition::committed_offset, {0}),
                        field("CommittedLeaderEpoch", &Partition::committed_leader_epoch, {5}),
                        field("Metadata", &Partition::metadata, {0}),
                        field("ErrorCode", &Partition::error_code, {0})};
    }
  };
  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
    static constexpr auto fields() {
      return std::tuple{field("Name", &Topic::name, {0}),
                        field("Partitions", &Topic::partitions, {0})};
    }
  };
  int32_t throttle_time_ms = 0;
  std::vector<Topic> topics;
  int16_t error_code = 0;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &OffsetFetchResponse::throttle_time_ms, {3}),
                      field("Topics", &OffsetFetchResponse::topics, {0, 7}),
                      field("ErrorCode", &OffsetFetchResponse::error_code, {2, 7})};
  }
};

struct OffsetFetchRequest {
  static constexpr ApiKey kApiKey = ApiKey::kOffsetFetch;
  static constexpr Versions kVersions{0, 7};
  static constexpr Versions kFlexibleVersions{6};
  using Response = OffsetFetchResponse;

  struct Topic {
    std::string name;
    std::vector<int32_t> partition_indexes;
    static constexpr auto fields() {
      return std::tuple{field("Name", &Topic::name, {0, 7}),
                        field("PartitionIndexes", &Topic::partition_indexes, {0, 7})};
    }
  };
  std::string group_id;
  // Null (from v2) asks for every partition the group has committed.
  std::optional<std::vector<Topic>> topics;
  bool require_stable = false;
  static constexpr auto fields() {
    return std::tuple{field("GroupId", &OffsetFetchRequest::group_id, {0, 7}),
                      field("Topics", &OffsetFetchRequest::topics, {0, 7}),
                      field("RequireStable", &OffsetFetchRequest::require_stable, {7})};
  }
};

}  // namespace runnel::broker

// ListOffsets (key 2): the offset of a partition at a timestamp, or at its
// start (-2) or end (-1).
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct ListOffsetsResponse {
  // ListOffsetsPartitionResponse.
  struct Partition {
    int32_t partition_index = 0;
    int16_t error_code = 0;
    // v0 only: the offsets found, newest first, at most MaxNumOffsets.
    std::vector<int64_t> old_style_offsets;
    int64_t timestamp = -1;
    int64_t offset = -1;
    int32_t leader_epoch = -1;
    static constexpr auto fields() {
      return std::tuple{field("PartitionIndex", &Partition::partition_index, {0}),
                        field("ErrorCode", &Partition::error_code, {0}),
                        field("OldStyleOffsets", &Partition::old_style_offsets, {0, 0}),
                        field("Timestamp", &Partition::timestamp, {1}),
                        field("Offset", &Partition::offset, {1}),
                        field("LeaderEpoch", &Partition::leader_epoch, {4})};
    }
  };
  // ListOffsetsTopicResponse.
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
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &ListOffsetsResponse::throttle_time_ms, {2}),
                      field("Topics", &ListOffsetsResponse::topics, {0})};
  }
};

struct ListOffsetsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kListOffsets;
  static constexpr Versions kVersions{0, 7};
  static constexpr Versions kFlexibleVersions{6};
  using Response = ListOffsetsResponse;

  // ListOffsetsPartition.
  struct Partition {
    int32_t partition_index = 0;
    int32_t current_leader_epoch = -1;
    int64_t timestamp = 0;
    int32_t max_num_offsets = 1;
    static constexpr auto fields() {
      return std::tuple{field("PartitionIndex", &Partition::partition_index, {0}),
                        field("CurrentLeaderEpoch", &Partition::current_leader_epoch, {4}),
                        field("Timestamp", &Partition::timestamp, {0}),
                        field("MaxNumOffsets", &Partition::max_num_offsets, {0, 0})};
    }
  };
  // ListOffsetsTopic.
  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
    static constexpr auto fields() {
      return std::tuple{field("Name", &Topic::name, {0}),
                        field("Partitions", &Topic::partitions, {0})};
    }
  };
  int32_t replica_id = 0;
  int8_t isolation_level = 0;
  std::vector<Topic> topics;
  static constexpr auto fields() {
    return std::tuple{field("ReplicaId", &ListOffsetsRequest::replica_id, {0}),
                      field("IsolationLevel", &ListOffsetsRequest::isolation_level, {2}),
                      field("Topics", &ListOffsetsRequest::topics, {0})};
  }
};

}  // namespace runnel::broker

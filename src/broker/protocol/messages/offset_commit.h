// OffsetCommit (key 8): a group's consumers record how far they have read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct OffsetCommitResponse {
  struct Partition {
    int32_t partition_index = 0;
    int16_t error_code = 0;
    static constexpr auto fields() {
      return std::tuple{field("PartitionIndex", &Partition::partition_index, {0}),
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
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &OffsetCommitResponse::throttle_time_ms, {3}),
                      field("Topics", &OffsetCommitResponse::topics, {0})};
  }
};

struct OffsetCommitRequest {
  static constexpr ApiKey kApiKey = ApiKey::kOffsetCommit;
  static constexpr Versions kVersions{0, 8};
  static constexpr Versions kFlexibleVersions{8};
  using Response = OffsetCommitResponse;

  struct Partition {
    int32_t partition_index = 0;
    int64_t committed_offset = 0;
    int32_t committed_leader_epoch = -1;
    int64_t commit_timestamp = -1;
    std::optional<std::string> committed_metadata;
    static constexpr auto fields() {
      return std::tuple{field("PartitionIndex", &Partition::partition_index, {0}),
                        field("CommittedOffset", &Partition::committed_offset, {0}),
                        field("CommittedLeaderEpoch", &Partition::committed_leader_epoch, {6}),
                        field("CommitTimestamp", &Partition::commit_timestamp, {1, 1}),
                        field("CommittedMetadata", &Partition::committed_metadata, {0})};
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
  std::string group_id;
  int32_t generation_id = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;
  int64_t retention_time_ms = -1;
  std::vector<Topic> topics;
  static constexpr auto fields() {
    return std::tuple{field("GroupId", &OffsetCommitRequest::group_id, {0}),
                      field("GenerationIdOrMemberEpoch", &OffsetCommitRequest::generation_id, {1}),
                      field("MemberId", &OffsetCommitRequest::member_id, {1}),
                      field("GroupInstanceId", &OffsetCommitRequest::group_instance_id, {7}),
                      field("RetentionTimeMs", &OffsetCommitRequest::retention_time_ms, {2, 4}),
                      field("Topics", &OffsetCommitRequest::topics, {0})};
  }
};

}  // namespace runnel::broker

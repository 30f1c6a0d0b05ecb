// Metadata (key 3): the brokers, and the topics with their partitions and
// leaders, that a client routes its requests by.
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

struct MetadataResponse {
  struct Broker {
    int32_t node_id = 0;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;
    static constexpr auto fields() {
      return std::tuple{field("NodeId", &Broker::node_id, {0}),
                        field("Host", &Broker::host, {0}),
                        field("Port", &Broker::port, {0}),
                        field("Rack", &Broker::rack, {1})};
    }
  };
  struct Partition {
    int16_t error_code = 0;
    int32_t partition_index = 0;
    int32_t leader_id = 0;
    int32_t leader_epoch = -1;
    std::vector<int32_t> replica_nodes;
    std::vector<int32_t> isr_nodes;
    std::vector<int32_t> offline_replicas;
    static constexpr auto fields() {
      return std::tuple{field("ErrorCode", &Partition::error_code, {0}),
                        field("PartitionIndex", &Partition::partition_index, {0}),
                        field("LeaderId", &Partition::leader_id, {0}),
                        field("LeaderEpoch", &Partition::leader_epoch, {7}),
                        field("ReplicaNodes", &Partition::replica_nodes, {0}),
                        field("IsrNodes", &Partition::isr_nodes, {0}),
                        field("OfflineReplicas", &Partition::offline_replicas, {5})};
    }
  };
  struct Topic {
    int16_t error_code = 0;
    // Null (v12+) only for a topic asked for by an id that does not exist.
    std::optional<std::string> name = std::string();
    Uuid topic_id{};
    bool is_internal = false;
    std::vector<Partition> partitions;
    int32_t topic_authorized_operations = INT32_MIN;
    static constexpr auto fields() {
      return std::tuple{field("ErrorCode", &Topic::error_code, {0}),
                        field("Name", &Topic::name, {0}),
                        field("TopicId", &Topic::topic_id, {10}),
                        field("IsInternal", &Topic::is_internal, {1}),
                        field("Partitions", &Topic::partitions, {0}),
                        field("TopicAuthorizedOperations", &Topic::topic_authorized_operations, {8})};
    }
  };
  int32_t throttle_time_ms = 0;
  std::vector<Broker> brokers;
  std::optional<std::string> cluster_id;
  int32_t controller_id = -1;
  std::vector<Topic> topics;
  int32_t cluster_authorized_operations = INT32_MIN;
  static constexpr auto fields() {
    return std::tuple{
        field("ThrottleTimeMs", &MetadataResponse::throttle_time_ms, {3}),
        field("Brokers", &MetadataResponse::brokers, {0}),
        field("ClusterId", &MetadataResponse::cluster_id, {2}),
        field("ControllerId", &MetadataResponse::controller_id, {1}),
        field("Topics", &MetadataResponse::topics, {0}),
        field("ClusterAuthorizedOperations", &MetadataResponse::cluster_authorized_operations,
              {8, 10})};
  }
};

struct MetadataRequest {
  static constexpr ApiKey kApiKey = ApiKey::kMetadata;
  static constexpr Versions kVersions{0, 12};
  static constexpr Versions kFlexibleVersions{9};
  using Response = MetadataResponse;

  struct Topic {
    Uuid topic_id{};
    // Null (v10+) when the topic is asked for by id.
    std::optional<std::string> name = std::string();
    static constexpr auto fields() {
      return std::tuple{field("TopicId", &Topic::topic_id, {10}), field("Name", &Topic::name, {0})};
    }
  };
  // Which topics to describe. Null (v1+) means every topic; in v0, where the
  // array cannot be null, an empty array means every topic.
  std::optional<std::vector<Topic>> topics = std::vector<Topic>();
  bool allow_auto_topic_creation = true;
  bool include_cluster_authorized_operations = false;
  bool include_topic_authorized_operations = false;
  static constexpr auto fields() {
    return std::tuple{
        field("Topics", &MetadataRequest::topics, {0}),
        field("AllowAutoTopicCreation", &MetadataRequest::allow_auto_topic_creation, {4}),
        field("IncludeClusterAuthorizedOperations",
              &MetadataRequest::include_cluster_authorized_operations, {8, 10}),
        field("IncludeTopicAuthorizedOperations",
              &MetadataRequest::include_topic_authorized_operations, {8})};
  }
};

}  // namespace runnel::broker

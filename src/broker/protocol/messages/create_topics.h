// CreateTopics (key 19): topics created with a partition count, replication
// factor and configs, or with explicit replica assignments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct CreateTopicsResponse {
  // CreatableTopicConfigs: a config of the created topic.
  struct Config {
    std::string name;
    std::optional<std::string> value = std::string();
    bool read_only = false;
    int8_t config_source = -1;
    bool is_sensitive = false;
    static constexpr auto fields() {
      return std::tuple{field("Name", &Config::name, {5}),
                        field("Value", &Config::value, {5}),
                        field("ReadOnly", &Config::read_only, {5}),
                        field("ConfigSource", &Config::config_source, {5}),
                        field("IsSensitive", &Config::is_sensitive, {5})};
    }
  };
  // CreatableTopicResult.
  struct Topic {
    std::string name;
    Uuid topic_id{};
    int16_t error_code = 0;
    std::optional<std::string> error_message = std::string();
    int32_t num_partitions = -1;
    int16_t replication_factor = -1;
    std::optional<std::vector<Config>> configs = std::vector<Config>();
    static constexpr auto fields() {
      return std::tuple{field("Name", &Topic::name, {0}),
                        field("TopicId", &Topic::topic_id, {7}),
                        field("ErrorCode", &Topic::error_code, {0}),
                        field("ErrorMessage", &Topic::error_message, {1}),
                        field("NumPartitions", &Topic::num_partitions, {5}),
                        field("ReplicationFactor", &Topic::replication_factor, {5}),
                        field("Configs", &Topic::configs, {5})};
    }
  };
  int32_t throttle_time_ms = 0;
  std::vector<Topic> topics;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &CreateTopicsResponse::throttle_time_ms, {2}),
                      field("Topics", &CreateTopicsResponse::topics, {0})};
  }
};

struct CreateTopicsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kCreateTopics;
  static constexpr Versions kVersions{0, 7};
  static constexpr Versions kFlexibleVersions{5};
  using Response = CreateTopicsResponse;

  // CreatableReplicaAssignment: the brokers that host one partition.
  struct Assignment {
    int32_t partition_index = 0;
    std::vector<int32_t> broker_ids;
    static constexpr auto fields() {
      return std::tuple{field("PartitionIndex", &Assignment::partition_index, {0}),
                        field("BrokerIds", &Assignment::broker_ids, {0})};
    }
  };
  // CreatableTopicConfig.
  struct Config {
    std::string name;
    std::optional<std::string> value = std::string();
    static constexpr auto fields() {
      return std::tuple{field("Name", &Config::name, {0}), field("Value", &Config::value, {0})};
    }
  };
  // CreatableTopic. NumPartitions and ReplicationFactor are -1 when the
  // client leaves them to the broker or gives Assignments instead.
  struct Topic {
    std::string name;
    int32_t num_partitions = 0;
    int16_t replication_factor = 0;
    std::vector<Assignment> assignments;
    std::vector<Config> configs;
    static constexpr auto fields() {
      return std::tuple{field("Name", &Topic::name, {0}),
                        field("NumPartitions", &Topic::num_partitions, {0}),
                        field("ReplicationFactor", &Topic::replication_factor, {0}),
                        field("Assignments", &Topic::assignments, {0}),
                        field("Configs", &Topic::configs, {0})};
    }
  };
  std::vector<Topic> topics;
  int32_t timeout_ms = 60000;
  bool validate_only = false;
  static constexpr auto fields() {
    return std::tuple{field("Topics", &CreateTopicsRequest::topics, {0}),
                      field("timeoutMs", &CreateTopicsRequest::timeout_ms, {0}),
                      field("validateOnly", &CreateTopicsRequest::validate_only, {1})};
  }
};

}  // namespace runnel::broker

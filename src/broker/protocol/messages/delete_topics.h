// DeleteTopics (key 20): topics deleted by name (v0-5) or by name or id (v6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct DeleteTopicsResponse {
  // DeletableTopicResult.
  struct Topic {
    // Null (v6+) for a topic deleted by an id that does not exist.
    std::optional<std::string> name = std::string();
    Uuid topic_id{};
    int16_t error_code = 0;
    std::optional<std::string> error_message;
    static constexpr auto fields() {
      return std::tuple{field("Name", &Topic::name, {0}),
                        field("TopicId", &Topic::topic_id, {6}),
                        field("ErrorCode", &Topic::error_code, {0}),
                        field("ErrorMessage", &Topic::error_message, {5})};
    }
  };
  int32_t throttle_time_ms = 0;
  std::vector<Topic> responses;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &DeleteTopicsResponse::throttle_time_ms, {1}),
                      field("Responses", &DeleteTopicsResponse::responses, {0})};
  }
};

struct DeleteTopicsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kDeleteTopics;
  static constexpr Versions kVersions{0, 6};
  static constexpr Versions kFlexibleVersions{4};
  using Response = DeleteTopicsResponse;

  // DeleteTopicState: a topic named by its name, or (name null) by its id.
  struct Topic {
    std::optional<std::string> name;
    Uuid topic_id{};
    static constexpr auto fields() {
      return std::tuple{field("Name", &Topic::name, {6}), field("TopicId", &Topic::topic_id, {6})};
    }
  };
  // The topics to delete: `topics` in v6, `topic_names` before.
  std::vector<Topic> topics;
  std::vector<std::string> topic_names;
  int32_t timeout_ms = 0;
  static constexpr auto fields() {
    return std::tuple{field("Topics", &DeleteTopicsRequest::topics, {6}),
                      field("TopicNames", &DeleteTopicsRequest::topic_names, {0, 5}),
                      field("TimeoutMs", &DeleteTopicsRequest::timeout_ms, {0})};
  }
};

}  // namespace runnel::broker

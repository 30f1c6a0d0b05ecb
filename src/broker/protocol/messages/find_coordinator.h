// FindCoordinator (key 10): which broker coordinates a group (or a
// transactional id). Versions 4+ batch several keys and are not served.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct FindCoordinatorResponse {
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  std::optional<std::string> error_message;
  int32_t node_id = 0;
  std::string host;
  int32_t port = 0;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &FindCoordinatorResponse::throttle_time_ms, {1}),
                      field("ErrorCode", &FindCoordinatorResponse::error_code, {0, 3}),
                      field("ErrorMessage", &FindCoordinatorResponse::error_message, {1, 3}),
                      field("NodeId", &FindCoordinatorResponse::node_id, {0, 3}),
                      field("Host", &FindCoordinatorResponse::host, {0, 3}),
                      field("Port", &FindCoordinatorResponse::port, {0, 3})};
  }
};

struct FindCoordinatorRequest {
  static constexpr ApiKey kApiKey = ApiKey::kFindCoordinator;
  static constexpr Versions kVersions{0, 3};
  static constexpr Versions kFlexibleVersions{3};
  using Response = FindCoordinatorResponse;

  // Kafka's key types.
  static constexpr int8_t kGroupKey = 0;
  static constexpr int8_t kTransactionKey = 1;

  std::string key;
  int8_t key_type = kGroupKey;
  static constexpr auto fields() {
    return std::tuple{field("Key", &FindCoordinatorRequest::key, {0, 3}),
                      field("KeyType", &FindCoordinatorRequest::key_type, {1})};
  }
};

}  // namespace runnel::broker

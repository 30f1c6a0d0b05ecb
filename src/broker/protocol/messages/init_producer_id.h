// InitProducerId (key 22): a producer id and epoch for an idempotent or
// transactional producer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct InitProducerIdResponse {
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  int64_t producer_id = 0;
  int16_t producer_epoch = 0;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &InitProducerIdResponse::throttle_time_ms, {0}),
                      field("ErrorCode", &InitProducerIdResponse::error_code, {0}),
                      field("ProducerId", &InitProducerIdResponse::producer_id, {0}),
                      field("ProducerEpoch", &InitProducerIdResponse::producer_epoch, {0})};
  }
};

struct InitProducerIdRequest {
  static constexpr ApiKey kApiKey = ApiKey::kInitProducerId;
  static constexpr Versions kVersions{0, 4};
  static constexpr Versions kFlexibleVersions{2};
  using Response = InitProducerIdResponse;

  // Null for a producer that is idempotent but not transactional.
  std::optional<std::string> transactional_id = std::string();
  int32_t transaction_timeout_ms = 0;
  // v3+: the producer's current id and epoch, -1 for a new producer.
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  static constexpr auto fields() {
    return std::tuple{
        field("TransactionalId", &InitProducerIdRequest::transactional_id, {0}),
        field("TransactionTimeoutMs", &InitProducerIdRequest::transaction_timeout_ms, {0}),
        field("ProducerId", &InitProducerIdRequest::producer_id, {3}),
        field("ProducerEpoch", &InitProducerIdRequest::producer_epoch, {3})};
  }
};

}  // namespace runnel::broker

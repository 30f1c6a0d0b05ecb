// Produce (key 0): record batches appended to partitions. runnel serves every
// version from v0 but accepts magic-v2 record batches only (older message
// sets are CORRUPT_MESSAGE): librdkafka 2.x compresses with lz4 only when the
// broker advertises Produce v0, and sends uncompressed batches otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct ProduceResponse {
  // BatchIndexAndErrorMessage: a record that made its batch be dropped.
  struct RecordError {
    int32_t batch_index = 0;
    std::optional<std::string> batch_index_error_message;
    static constexpr auto fields() {
      return std::tuple{
          field("BatchIndex", &RecordError::batch_index, {8}),
          field("BatchIndexErrorMessage", &RecordError::batch_index_error_message, {8})};
    }
  };
  // PartitionProduceResponse.
  struct Partition {
    int32_t index = 0;
    int16_t error_code = 0;
    int64_t base_offset = 0;
    int64_t log_append_time_ms = -1;
    int64_t log_start_offset = -1;
    std::vector<RecordError> record_errors;
    std::optional<std::string> error_message;
    static constexpr auto fields() {
      return std::tuple{field("Index", &Partition::index, {0}),
                        field("ErrorCode", &Partition::error_code, {0}),
                        field("BaseOffset", &Partition::base_offset, {0}),
                        field("LogAppendTimeMs", &Partition::log_append_time_ms, {2}),
                        field("LogStartOffset", &Partition::log_start_offset, {5}),
                        field("RecordErrors", &Partition::record_errors, {8}),
                        field("ErrorMessage", &Partition::error_message, {8})};
    }
  };
  // TopicProduceResponse.
  struct Topic {
    std::string name;
    std::vector<Partition> partition_responses;
    static constexpr auto fields() {
      return std::tuple{field("Name", &Topic::name, {0}),
                        field("PartitionResponses", &Topic::partition_responses, {0})};
    }
  };
  std::vector<Topic> responses;
  int32_t throttle_time_ms = 0;
  static constexpr auto fields() {
    return std::tuple{field("Responses", &ProduceResponse::responses, {0}),
                      field("ThrottleTimeMs", &ProduceResponse::throttle_time_ms, {1})};
  }
};

struct ProduceRequest {
  static constexpr ApiKey kApiKey = ApiKey::kProduce;
  static constexpr Versions kVersions{0, 9};
  static constexpr Versions kFlexibleVersions{9};
  using Response = ProduceResponse;

  // PartitionProduceData.
  struct Partition {
    int32_t index = 0;
    // The partition's record batches, as the client sent them.
    std::optional<Bytes> records;
    static constexpr auto fields() {
      return std::tuple{field("Index", &Partition::index, {0}),
                        field("Records", &Partition::records, {0})};
    }
  };
  // TopicProduceData.
  struct Topic {
    std::string name;
    std::vector<Partition> partition_data;
    static constexpr auto fields() {
      return std::tuple{field("Name", &Topic::name, {0}),
                        field("PartitionData", &Topic::partition_data, {0})};
    }
  };
  std::optional<std::string> transactional_id;
  int16_t acks = 0;
  int32_t timeout_ms = 0;
  std::vector<Topic> topic_data;
  static constexpr auto fields() {
    return std::tuple{field("TransactionalId", &ProduceRequest::transactional_id, {3}),
                      field("Acks", &ProduceRequest::acks, {0}),
                      field("TimeoutMs", &ProduceRequest::timeout_ms, {0}),
                      field("TopicData", &ProduceRequest::topic_data, {0})};
  }
};

}  // namespace runnel::broker

// Fetch (key 1): records read from partitions from an offset on. runnel
// serves up to v12, the last version that names topics rather than ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct FetchResponse {
  struct AbortedTransaction {
    int64_t producer_id = 0;
    int64_t first_offset = 0;
    static constexpr auto fields() {
      return std::tuple{field("ProducerId", &AbortedTransaction::producer_id, {4}),
                        field("FirstOffset", &AbortedTransaction::first_offset, {4})};
    }
  };
  // PartitionData.
  struct Partition {
    int32_t partition_index = 0;
    int16_t error_code = 0;
    int64_t high_watermark = 0;
    int64_t last_stable_offset = -1;
    int64_t log_start_offset = -1;
    std::optional<std::vector<AbortedTransaction>> aborted_transactions =
        std::vector<AbortedTransaction>();
    int32_t preferred_read_replica = -1;
    // Whole record batches, as stored in the partition's log.
    std::optional<Bytes> records;
    static constexpr auto fields() {
      return std::tuple{field("PartitionIndex", &Partition::partition_index, {0}),
                        field("ErrorCode", &Partition::error_code, {0}),
                        field("HighWatermark", &Partition::high_watermark, {0}),
                        field("LastStableOffset", &Partition::last_stable_offset, {4}),
                        field("LogStartOffset", &Partition::log_start_offset, {5}),
                        field("AbortedTransactions", &Partition::aborted_transactions, {4}),
                        field("PreferredReadReplica", &Partition::preferred_read_replica, {11}),
                        field("Records", &Partition::records, {0})};
    }
  };
  // FetchableTopicResponse.
  struct Topic {
    std::string topic;
    std::vector<Partition> partitions;
    static constexpr auto fields() {
      return std::tuple{field("Topic", &Topic::topic, {0, 12}),
                        field("Partitions", &Topic::partitions, {0})};
    }
  };
  int32_t throttle_time_ms = 0;
  int16_t error_code = 0;
  int32_t session_id = 0;
  std::vector<Topic> responses;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &FetchResponse::throttle_time_ms, {1}),
                      field("ErrorCode", &FetchResponse::error_code, {7}),
                      field("SessionId", &FetchResponse::session_id, {7}),
                      field("Responses", &FetchResponse::responses, {0})};
  }
};

struct FetchRequest {
  static constexpr ApiKey kApiKey = ApiKey::kFetch;
  static constexpr Versions kVersions{4, 12};
  static constexpr Versions kFlexibleVersions{12};
  using Response = FetchResponse;

  // FetchPartition.
  struct Partition {
    int32_t partition = 0;
    int32_t current_leader_epoch = -1;
    int64_t fetch_offset = 0;
    int32_t last_fetched_epoch = -1;
    int64_t log_start_offset = -1;
    int32_t partition_max_bytes = 0;
    static constexpr auto fields() {
      return std::tuple{field("Partition", &Partition::partition, {0}),
                        field("CurrentLeaderEpoch", &Partition::current_leader_epoch, {9}),
                        field("FetchOffset", &Partition::fetch_offset, {0}),
                        field("LastFetchedEpoch", &Partition::last_fetched_epoch, {12}),
                        field("LogStartOffset", &Partition::log_start_offset, {5}),
                        field("PartitionMaxBytes", &Partition::partition_max_bytes, {0})};
    }
  };
  // FetchTopic.
  struct Topic {
    std::string topic;
    std::vector<Partition> partitions;
    static constexpr auto fields() {
      return std::tuple{field("Topic", &Topic::topic, {0, 12}),
                        field("Partitions", &Topic::partitions, {0})};
    }
  };
  struct ForgottenTopic {
    std::string topic;
    std::vector<int32_t> partitions;
    static constexpr auto fields() {
      return std::tuple{field("Topic", &ForgottenTopic::topic, {7, 12}),
                        field("Partitions", &ForgottenTopic::partitions, {7})};
    }
  };
  int32_t replica_id = -1;
  int32_t max_wait_ms = 0;
  int32_t min_bytes = 0;
  int32_t max_bytes = 0x7fffffff;
  int8_t isolation_level = 0;
  int32_t session_id = 0;
  int32_t session_epoch = -1;
  std::vector<Topic> topics;
  std::vector<ForgottenTopic> forgotten_topics_data;
  std::string rack_id;
  static constexpr auto fields() {
    return std::tuple{field("ReplicaId", &FetchRequest::replica_id, {0, 14}),
                      field("MaxWaitMs", &FetchRequest::max_wait_ms, {0}),
                      field("MinBytes", &FetchRequest::min_bytes, {0}),
                      field("MaxBytes", &FetchRequest::max_bytes, {3}),
                      field("IsolationLevel", &FetchRequest::isolation_level, {4}),
                      field("SessionId", &FetchRequest::session_id, {7}),
                      field("SessionEpoch", &FetchRequest::session_epoch, {7}),
                      field("Topics", &FetchRequest::topics, {0}),
                      field("ForgottenTopicsData", &FetchRequest::forgotten_topics_data, {7}),
                      field("RackId", &FetchRequest::rack_id, {11})};
  }
};

}  // namespace runnel::broker

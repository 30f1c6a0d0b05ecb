#include "broker/broker.h"
#include "broker/handlers/handlers.h"
#include "broker/log/partition_log.h"
#include "broker/topic_registry.h"

namespace runnel::broker {
namespace {

// Kafka's special timestamps.
constexpr int64_t kLatest = -1;
constexpr int64_t kEarliest = -2;
constexpr int64_t kMaxTimestamp = -3;

}  // namespace

boost::asio::awaitable<ListOffsetsResponse> handle(const ListOffsetsRequest& request,
                                                   RequestContext& context) {
  ListOffsetsResponse response;
  for (const ListOffsetsRequest::Topic& wanted : request.topics) {
    ListOffsetsResponse::Topic& topic_response = response.topics.emplace_back();
    topic_response.name = wanted.name;
    Topic* topic = context.broker.topics().find(wanted.name);
    for (const ListOffsetsRequest::Partition& asked : wanted.partitions) {
      ListOffsetsResponse::Partition& partition = topic_response.partitions.emplace_back();
      partition.partition_index = asked.partition_index;
      if (!topic || asked.partition_index < 0 ||
          asked.partition_index >= static_cast<int32_t>(topic->partitions.size())) {
        partition.error_code = code(ErrorCode::kUnknownTopicOrPartition);
        continue;
      }
      const PartitionLog& log = *topic->partitions[static_cast<size_t>(asked.partition_index)];
      int64_t offset = -1;
      if (asked.timestamp == kLatest) {
        offset = log.log_end_offset();
      } else if (asked.timestamp == kEarliest) {
        offset = log.log_start_offset();
      } else if (asked.timestamp == kMaxTimestamp) {
        offset = log.log_end_offset() > log.log_start_offset() ? log.log_end_offset() - 1 : -1;
      } else {
        offset = log.offset_for_timestamp(asked.timestamp);
        if (offset >= 0) partition.timestamp = asked.timestamp;
      }
      partition.offset = offset;
      if (offset >= 0) partition.leader_epoch = 0;
      // v0 answers with a list; an unknown timestamp gives an empty one.
      if (offset >= 0) partition.old_style_offsets = {offset};
    }
  }
  co_return response;
}

}  // namespace runnel::broker

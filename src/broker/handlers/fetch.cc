#include <algorithm>
#include <chrono>

#include "broker/broker.h"
#include "broker/handlers/handlers.h"
#include "broker/log/partition_log.h"
#include "broker/topic_registry.h"

namespace runnel::broker {
namespace {

// One pass over the requested partitions; returns the record bytes read.
int64_t read_partitions(const FetchRequest& request, TopicRegistry& topics,
                        FetchResponse& response) {
  response.responses.clear();
  int64_t total = 0;
  for (const FetchRequest::Topic& wanted : request.topics) {
    FetchResponse::Topic& topic_response = response.responses.emplace_back();
    topic_response.topic = wanted.topic;
    Topic* topic = topics.find(wanted.topic);
    for (const FetchRequest::Partition& fetch : wanted.partitions) {
      FetchResponse::Partition& partition = topic_response.partitions.emplace_back();
      partition.partition_index = fetch.partition;
      partition.records = Bytes{};  // clients read a null record set as a protocol error
      if (!topic || fetch.partition < 0 ||
          fetch.partition >= static_cast<int32_t>(topic->partitions.size())) {
        partition.error_code = code(ErrorCode::kUnknownTopicOrPartition);
        partition.high_watermark = -1;
        continue;
      }
      const PartitionLog& log = *topic->partitions[static_cast<size_t>(fetch.partition)];
      int64_t high_watermark = log.log_end_offset();
      partition.high_watermark = high_watermark;
      partition.last_stable_offset = high_watermark;
      partition.log_start_offset = log.log_start_offset();
      if (fetch.fetch_offset < log.log_start_offset() || fetch.fetch_offset > high_watermark) {
        partition.error_code = code(ErrorCode::kOffsetOutOfRange);
        continue;
      }
      // KIP-74: the response limit may be exceeded only by the first batch of
      // the response, so that a consumer always makes progress.
      int64_t room = std::min<int64_t>(fetch.partition_max_bytes, request.max_bytes - total);
      if (fetch.fetch_offset == high_watermark || (room <= 0 && total > 0)) continue;
      ReadResult read = log.read(fetch.fetch_offset,
                                 static_cast<int32_t>(std::max<int64_t>(room, 1)), high_watermark);
      if (read.error != ErrorCode::kNone) {
        partition.error_code = code(read.error);
        continue;
      }
      total += static_cast<int64_t>(read.records.size());
      partition.records = Bytes{std::move(read.records)};
    }
  }
  return total;
}

}  // namespace

// Long polling as Kafka does it: answer at once when min_bytes are there or
// a partition has an error, otherwise wait for appends until max_wait_ms.
boost::asio::awaitable<FetchResponse> handle(const FetchRequest& request, RequestContext& context) {
  Broker& broker = context.broker;
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(std::max(0, request.max_wait_ms));
  FetchResponse response;
  for (;;) {
    int64_t bytes = read_partitions(request, broker.topics(), response);
    bool any_error = false;
    for (const auto& topic : response.responses) {
      for (const auto& partition : topic.partitions) any_error |= partition.error_code != 0;
    }
    if (bytes >= request.min_bytes || any_error || std::chrono::steady_clock::now() >= deadline) {
      co_return response;
    }
    co_await broker.wait_for_append(deadline);
  }
}

}  // namespace runnel::broker

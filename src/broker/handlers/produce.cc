#include <chrono>

#include "broker/broker.h"
#include "broker/handlers/handlers.h"
#include "broker/log/partition_log.h"
#include "broker/topic_registry.h"

namespace runnel::broker {
namespace {

ProduceResponse::Partition failed(int32_t index, ErrorCode error, std::string message = {}) {
  ProduceResponse::Partition partition;
  partition.index = index;
  partition.error_code = code(error);
  partition.base_offset = -1;
  if (!message.empty()) partition.error_message = std::move(message);
  return partition;
}

}  // namespace

// Appends each partition's batches in request order; with acks=-1 the
// response waits until all of them are on disk (one group-commit round for
// the whole request), with acks=1 it goes out once they are written.
boost::asio::awaitable<ProduceResponse> handle(const ProduceRequest& request,
                                               RequestContext& context) {
  Broker& broker = context.broker;
  ProduceResponse response;
  bool valid_acks = request.acks == -1 || request.acks == 0 || request.acks == 1;
  std::vector<Broker::DurableWait> waits;
  std::vector<ProduceResponse::Partition*> waiting;
  bool appended = false;

  for (const ProduceRequest::Topic& wanted : request.topic_data) {
    ProduceResponse::Topic& topic_response = response.responses.emplace_back();
    topic_response.name = wanted.name;
    TopicError error;
    Topic* topic = valid_acks ? broker.topics().find_or_auto_create(wanted.name, &error) : nullptr;
    for (const ProduceRequest::Partition& data : wanted.partition_data) {
      if (!valid_acks) {
        topic_response.partition_responses.push_back(
            failed(data.index, ErrorCode::kInvalidRequiredAcks));
        continue;
      }
      if (!topic) {
        topic_response.partition_responses.push_back(failed(data.index, error.code, error.message));
        continue;
      }
      if (data.index < 0 || data.index >= static_cast<int32_t>(topic->partitions.size())) {
        topic_response.partition_responses.push_back(
            failed(data.index, ErrorCode::kUnknownTopicOrPartition));
        continue;
      }
      if (!data.records || data.records->value.empty()) {
        topic_response.partition_responses.push_back(
            failed(data.index, ErrorCode::kCorruptMessage, "no record batches"));
        continue;
      }
      const std::shared_ptr<PartitionLog>& log = topic->partitions[static_cast<size_t>(data.index)];
      AppendResult result = log->append(data.records->value);
      if (result.error != ErrorCode::kNone) {
        topic_response.partition_responses.push_back(
            failed(data.index, result.error, std::move(result.error_message)));
        continue;
      }
      appended = true;
      ProduceResponse::Partition& partition = topic_response.partition_responses.emplace_back();
      partition.index = data.index;
      partition.base_offset = result.base_offset;
      partition.log_append_time_ms = result.log_append_time_ms;
      partition.log_start_offset = result.log_start_offset;
      if (request.acks == -1) waits.push_back({log, result.last_offset + 1});
    }
  }
  if (appended) broker.notify_appended();
  if (waits.empty()) co_return response;

  // Addresses into `response` are stable from here: nothing is added to it.
  for (auto& topic_response : response.responses) {
    for (auto& partition : topic_response.partition_responses) {
      if (partition.error_code == 0) waiting.push_back(&partition);
    }
  }
  Status durable = co_await broker.wait_durable(std::move(waits));
  if (!durable.is_ok()) {
    for (ProduceResponse::Partition* partition : waiting) {
      partition->error_code = code(ErrorCode::kKafkaStorageError);
      partition->error_message = durable.message();
    }
  }
  co_return response;
}

}  // namespace runnel::broker

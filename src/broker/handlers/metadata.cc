#include "broker/broker.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_registry.h"

namespace runnel::broker {
namespace {

MetadataResponse::Topic describe(const Topic& topic, int32_t node_id) {
  MetadataResponse::Topic out;
  out.name = topic.name;
  out.topic_id = topic.id;
  for (size_t p = 0; p < topic.partitions.size(); ++p) {
    MetadataResponse::Partition partition;
    partition.partition_index = static_cast<int32_t>(p);
    partition.leader_id = node_id;
    partition.leader_epoch = 0;
    partition.replica_nodes = {node_id};
    partition.isr_nodes = {node_id};
    out.partitions.push_back(std::move(partition));
  }
  return out;
}

MetadataResponse::Topic missing(std::optional<std::string> name, const TopicError& error) {
  MetadataResponse::Topic out;
  out.name = std::move(name);
  out.error_code = code(error.code);
  return out;
}

}  // namespace

boost::asio::awaitable<MetadataResponse> handle(const MetadataRequest& request,
                                                RequestContext& context) {
  Broker& broker = context.broker;
  const BrokerConfig& config = broker.config();
  MetadataResponse response;
  response.brokers.push_back(
      {config.node_id, config.listen.host, config.listen.port, std::nullopt});
  response.cluster_id = broker.cluster_id();
  response.controller_id = config.node_id;

  // v0 has no null array: an empty one asks for every topic.
  bool all_topics = !request.topics || (context.api_version() == 0 && request.topics->empty());
  if (all_topics) {
    for (Topic* topic : broker.topics().all())
      response.topics.push_back(describe(*topic, config.node_id));
    co_return response;
  }
  // Before v4 the request cannot say, and auto-creation is the broker's call.
  bool may_create = context.api_version() < 4 || request.allow_auto_topic_creation;
  for (const MetadataRequest::Topic& wanted : *request.topics) {
    Topic* topic = nullptr;
    TopicError error{ErrorCode::kUnknownTopicOrPartition, ""};
    if (wanted.name) {
      error = TopicRegistry::validate_name(*wanted.name);
      if (error.ok()) {
        topic = may_create ? broker.topics().find_or_auto_create(*wanted.name, &error)
                           : broker.topics().find(*wanted.name);
        if (!topic && error.ok()) error.code = ErrorCode::kUnknownTopicOrPartition;
      }
    } else {
      topic = broker.topics().find_by_id(wanted.topic_id);
      if (!topic) error.code = ErrorCode::kUnknownTopicId;
    }
    response.topics.push_back(topic ? describe(*topic, config.node_id)
                                    : missing(wanted.name, error));
  }
  co_return response;
}

}  // namespace runnel::broker

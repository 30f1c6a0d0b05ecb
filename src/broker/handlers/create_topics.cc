#include <map>

#include "broker/broker.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_registry.h"

namespace runnel::broker {
namespace {

// Kafka's DescribeConfigs / CreateTopics config sources.
constexpr int8_t kDynamicTopicConfig = 1;
constexpr int8_t kDefaultConfig = 5;

}  // namespace

boost::asio::awaitable<CreateTopicsResponse> handle(const CreateTopicsRequest& request,
                                                    RequestContext& context) {
  TopicRegistry& topics = context.broker.topics();
  CreateTopicsResponse response;
  for (const CreateTopicsRequest::Topic& wanted : request.topics) {
    CreateTopicsResponse::Topic& result = response.topics.emplace_back();
    result.name = wanted.name;
    std::map<std::string, std::string> configs;
    for (const auto& config : wanted.configs) {
      if (config.value) configs[config.name] = *config.value;
    }
    // Manual assignments fix the partition count; the broker ids do not
    // matter on a single node, beyond being this node.
    int32_t partitions = wanted.assignments.empty()
                             ? wanted.num_partitions
                             : static_cast<int32_t>(wanted.assignments.size());
    TopicError error;
    if (wanted.replication_factor > 1) {
      error = {ErrorCode::kInvalidReplicationFactor,
               "Unable to replicate the partition " + std::to_string(wanted.replication_factor) +
                   " time(s): The target replication factor of " +
                   std::to_string(wanted.replication_factor) +
                   " cannot be reached because only 1 broker(s) are registered."};
    } else if (wanted.replication_factor == 0 || wanted.replication_factor < -1) {
      error = {ErrorCode::kInvalidReplicationFactor, "Replication factor must be larger than 0."};
    } else if (request.validate_only) {
      error = topics.validate(wanted.name, partitions, configs);
    } else {
      Topic* created = nullptr;
      error = topics.create(wanted.name, partitions, configs, &created);
      if (created) result.topic_id = created->id;
    }
    result.error_code = code(error.code);
    if (!error.ok()) {
      result.error_message = error.message;
      result.configs = std::nullopt;
      continue;
    }
    result.error_message = std::nullopt;
    result.num_partitions =
        partitions > 0 ? partitions : context.broker.config().default_partitions;
    result.replication_factor = 1;
    if (Topic* topic = topics.find(wanted.name); topic && !request.validate_only) {
      for (const ConfigEntry& entry : topics.effective_configs(*topic)) {
        result.configs->push_back({entry.name, entry.value, false,
                                   entry.is_default ? kDefaultConfig : kDynamicTopicConfig, false});
      }
    }
  }
  co_return response;
}

}  // namespace runnel::broker

#include <algorithm>
#include <string>
#include <vector>

#include "broker/broker.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_registry.h"

namespace runnel::broker {
namespace {

// Kafka's resource types and config sources.
constexpr int8_t kTopicResource = 2;
constexpr int8_t kBrokerResource = 4;
constexpr int8_t kDynamicTopicConfig = 1;
constexpr int8_t kStaticBrokerConfig = 4;
constexpr int8_t kDefaultConfig = 5;

std::vector<ConfigEntry> broker_configs(const BrokerConfig& config) {
  auto flag = [](bool on) { return std::string(on ? "true" : "false"); };
  return {
      {"auto.create.topics.enable", flag(config.auto_create_topics), false},
      {"log.retention.bytes", std::to_string(config.retention_bytes), false},
      {"log.retention.check.interval.ms", std::to_string(config.retention_check_interval_ms),
       false},
      {"log.retention.ms", std::to_string(config.retention_ms), false},
      {"log.roll.ms", std::to_string(config.segment_ms), false},
      {"log.segment.bytes", std::to_string(config.segment_bytes), false},
      {"max.connections", std::to_string(config.max_connections), false},
      {"message.max.bytes", std::to_string(config.message_max_bytes), false},
      {"node.id", std::to_string(config.node_id), false},
      {"num.partitions", std::to_string(config.default_partitions), false},
      {"socket.request.max.bytes", std::to_string(config.max_request_bytes), false},
  };
}

}  // namespace

boost::asio::awaitable<DescribeConfigsResponse> handle(const DescribeConfigsRequest& request,
                                                       RequestContext& context) {
  Broker& broker = context.broker;
  DescribeConfigsResponse response;
  for (const DescribeConfigsRequest::Resource& resource : request.resources) {
    DescribeConfigsResponse::Result& result = response.results.emplace_back();
    result.resource_type = resource.resource_type;
    result.resource_name = resource.resource_name;
    result.error_message = std::nullopt;
    std::vector<ConfigEntry> entries;
    int8_t source_when_set = kDynamicTopicConfig;
    if (resource.resource_type == kTopicResource) {
      Topic* topic = broker.topics().find(resource.resource_name);
      if (!topic) {
        result.error_code = code(ErrorCode::kUnknownTopicOrPartition);
        result.error_message = "Topic '" + resource.resource_name + "' does not exist.";
        continue;
      }
      entries = broker.topics().effective_configs(*topic);
    } else if (resource.resource_type == kBrokerResource &&
               (resource.resource_name.empty() ||
                resource.resource_name == std::to_string(broker.config().node_id))) {
      entries = broker_configs(broker.config());
      source_when_set = kStaticBrokerConfig;
    } else {
      result.error_code = code(ErrorCode::kInvalidRequest);
      result.error_message = "runnel describes topics and this broker (node " +
                             std::to_string(broker.config().node_id) + ") only";
      continue;
    }
    for (const ConfigEntry& entry : entries) {
      if (resource.configuration_keys &&
          std::find(resource.configuration_keys->begin(), resource.configuration_keys->end(),
                    entry.name) == resource.configuration_keys->end()) {
        continue;
      }
      DescribeConfigsResponse::Config& config = result.configs.emplace_back();
      config.name = entry.name;
      config.value = entry.value;
      config.read_only = resource.resource_type == kBrokerResource;
      config.is_default = entry.is_default;
      config.config_source = entry.is_default ? kDefaultConfig : source_when_set;
      config.documentation = std::nullopt;
    }
  }
  co_return response;
}

}  // namespace runnel::broker

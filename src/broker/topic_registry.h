// The broker's topics: each a name, an id, its partitions' logs and its
// configs, kept under <data_dir>/topics/<name>/ (topic.properties plus one
// directory per partition). Lives on the broker's network thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/broker_config.h"
#include "broker/log/log_config.h"
#include "broker/log/partition_log.h"
#include "broker/protocol/error_code.h"
#include "broker/protocol/wire.h"
#include "common/status.h"

namespace runnel::broker {

struct Topic {
  std::string name;
  Uuid id{};
  // Only the configs set for this topic, by Kafka name; the rest are the
  // broker's defaults (see effective_configs).
  std::map<std::string, std::string> configs;
  LogConfig log_config;
  std::vector<std::shared_ptr<PartitionLog>> partitions;
};

// A topic-config as DescribeConfigs reports it.
struct ConfigEntry {
  std::string name;
  std::string value;
  bool is_default = true;
};

// An error code with Kafka's message for it.
struct TopicError {
  ErrorCode code = ErrorCode::kNone;
  std::string message;
  bool ok() const { return code == ErrorCode::kNone; }
};

class TopicRegistry {
 public:
  TopicRegistry(std::filesystem::path data_dir, const BrokerConfig& config);

  // Loads every topic under the data directory, recovering its logs.
  Status open();

  // nullptr when there is no such topic.
  Topic* find(std::string_view name);
  Topic* find_by_id(const Uuid& id);
  std::vector<Topic*> all();

  // Checks a name as Kafka does: 1..249 characters of [a-zA-Z0-9._-],
  // not "." or "..".
  static TopicError validate_name(std::string_view name);
  // Checks configs without creating anything (CreateTopics validate_only).
  TopicError validate(std::string_view name, int32_t partitions,
                      const std::map<std::string, std::string>& configs) const;

  // Creates a topic; partitions <= 0 means the broker's default.
  TopicError create(std::string_view name, int32_t partitions,
                    const std::map<std::string, std::string>& configs, Topic** created = nullptr);
  // The topic, created with the defaults when missing and auto-creation is
  // on; nullptr (with the reason) otherwise.
  Topic* find_or_auto_create(std::string_view name, TopicError* error);
  TopicError remove(std::string_view name);

  // Every topic-config Kafka describes, with this topic's value.
  std::vector<ConfigEntry> effective_configs(const Topic& topic) const;

  // Rolls and deletes segments by time and size on every partition.
  void enforce_retention(int64_t now_ms);

 private:
  Result<LogConfig> log_config_for(const std::map<std::string, std::string>& configs) const;
  Status write_properties(const Topic& topic) const;
  Result<std::unique_ptr<Topic>> load(const std::filesystem::path& dir);

  std::filesystem::path topics_dir_;
  const BrokerConfig& config_;
  std::map<std::string, std::unique_ptr<Topic>, std::less<>> topics_;
};

}  // namespace runnel::broker

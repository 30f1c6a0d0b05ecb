#include "broker/topic_registry.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <fstream>
#include <random>
#include <sstream>

#include "broker/durable_file.h"

namespace runnel::broker {
namespace {

namespace fs = std::filesystem;

constexpr char kPropertiesFile[] = "topic.properties";

std::optional<int64_t> parse_long(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Uuid random_topic_id() {
  std::random_device device;
  std::mt19937_64 bits((static_cast<uint64_t>(device()) << 32) ^ device());
  Uuid id;
  for (auto& byte : id) byte = static_cast<uint8_t>(bits());
  return id;
}

std::string hex(const Uuid& id) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t byte : id) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 15]);
  }
  return out;
}

std::optional<Uuid> parse_hex(std::string_view text) {
  if (text.size() != 32) return std::nullopt;
  Uuid id;
  for (size_t i = 0; i < id.size(); ++i) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data() + 2 * i, text.data() + 2 * i + 2, value, 16);
    if (ec != std::errc() || end != text.data() + 2 * i + 2) return std::nullopt;
    id[i] = static_cast<uint8_t>(value);
  }
  return id;
}

}  // namespace

TopicRegistry::TopicRegistry(fs::path data_dir, const BrokerConfig& config)
    : topics_dir_(std::move(data_dir) / "topics"), config_(config) {}

Status TopicRegistry::open() {
  std::error_code error;
  fs::create_directories(topics_dir_, error);
  if (error)
    return internal_error("cannot create " + topics_dir_.string() + ": " + error.message());
  for (const auto& entry : fs::directory_iterator(topics_dir_, error)) {
    if (!entry.is_directory()) continue;
    if (!fs::exists(entry.path() / kPropertiesFile)) {
      // A topic whose creation did not finish, or whose deletion did not.
      spdlog::warn("removing incomplete topic directory {}", entry.path().string());
      fs::remove_all(entry.path(), error);
      continue;
    }
    auto topic = load(entry.path());
    if (!topic.is_ok()) return topic.status();
    std::string name = (*topic)->name;
    topics_.emplace(std::move(name), std::move(topic).value());
  }
  if (error) return internal_error("cannot list " + topics_dir_.string() + ": " + error.message());
  return Status::ok();
}

Result<std::unique_ptr<Topic>> TopicRegistry::load(const fs::path& dir) {
  auto topic = std::make_unique<Topic>();
  topic->name = dir.filename().string();
  std::ifstream in(dir / kPropertiesFile);
  std::string line;
  int64_t partitions = -1;
  while (std::getline(in, line)) {
    auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string key = line.substr(0, equals), value = line.substr(equals + 1);
    if (key == "id") {
      if (auto id = parse_hex(value)) topic->id = *id;
    } else if (key == "partitions") {
      partitions = parse_long(value).value_or(-1);
    } else if (key.starts_with("config.")) {
      topic->configs[key.substr(7)] = value;
    }
  }
  if (partitions <= 0) {
    return data_loss("topic " + topic->name + ": " + (dir / kPropertiesFile).string() +
                     " has no partition count");
  }
  auto log_config = log_config_for(topic->configs);
  if (!log_config.is_ok()) return log_config.status();
  topic->log_config = *log_config;
  for (int64_t p = 0; p < partitions; ++p) {
    auto log = PartitionLog::open(dir / std::to_string(p), topic->log_config);
    if (!log.is_ok()) return log.status();
    topic->partitions.push_back(std::move(log).value());
  }
  return topic;
}

Topic* TopicRegistry::find(std::string_view name) {
  auto it = topics_.find(name);
  return it == topics_.end() ? nullptr : it->second.get();
}

Topic* TopicRegistry::find_by_id(const Uuid& id) {
  for (auto& [name, topic] : topics_) {
    if (topic->id == id) return topic.get();
  }
  return nullptr;
}

std::vector<Topic*> TopicRegistry::all() {
  std::vector<Topic*> topics;
  for (auto& [name, topic] : topics_) topics.push_back(topic.get());
  return topics;
}

TopicError TopicRegistry::validate_name(std::string_view name) {
  if (name.empty())
    return {ErrorCode::kInvalidTopicException, "Topic name is illegal, it can't be empty"};
  if (name == "." || name == "..") {
    return {ErrorCode::kInvalidTopicException, "Topic name cannot be \".\" or \"..\""};
  }
  if (name.size() > 249) {
    return {ErrorCode::kInvalidTopicException,
            "Topic name is illegal, it can't be longer than 249 characters"};
  }
  for (char c : name) {
    bool legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
    if (!legal) {
      return {ErrorCode::kInvalidTopicException,
              "Topic name \"" + std::string(name) +
                  "\" is illegal, it contains a character other than ASCII alphanumerics, '.', "
                  "'_' and '-'"};
    }
  }
  return {};
}

Result<LogConfig> TopicRegistry::log_config_for(
    const std::map<std::string, std::string>& configs) const {
  LogConfig log;
  log.segment_bytes = config_.segment_bytes;
  log.segment_ms = config_.segment_ms;
  log.retention_ms = config_.retention_ms;
  log.retention_bytes = config_.retention_bytes;
  log.max_message_bytes = config_.message_max_bytes;
  for (const auto& [name, value] : configs) {
    auto number = parse_long(value);
    auto need = [&](int64_t minimum) -> Status {
      if (!number || *number < minimum) {
        return invalid_argument("Invalid value " + value + " for configuration " + name +
                                ": must be a number >= " + std::to_string(minimum));
      }
      return Status::ok();
    };
    Status checked;
    if (name == "segment.bytes") {
      if ((checked = need(14)).is_ok()) log.segment_bytes = *number;
    } else if (name == "segment.ms") {
      if ((checked = need(1)).is_ok()) log.segment_ms = *number;
    } else if (name == "retention.ms") {
      if ((checked = need(-1)).is_ok()) log.retention_ms = *number;
    } else if (name == "retention.bytes") {
      if ((checked = need(-1)).is_ok()) log.retention_bytes = *number;
    } else if (name == "max.message.bytes") {
      if ((checked = need(0)).is_ok()) log.max_message_bytes = static_cast<int32_t>(*number);
    } else if (name == "cleanup.policy") {
      if (value != "delete") {
        checked = invalid_argument("Invalid value " + value +
                                   " for configuration cleanup.policy: runnel only deletes");
      }
    } else if (name == "min.insync.replicas") {
      checked = need(1);
    } else {
      checked = invalid_argument("Unknown topic config name: " + name);
    }
    if (!checked.is_ok()) return checked;
  }
  return log;
}

TopicError TopicRegistry::validate(std::string_view name, int32_t partitions,
                                   const std::map<std::string, std::string>& configs) const {
  if (auto error = validate_name(name); !error.ok()) return error;
  if (topics_.contains(name)) {
    return {ErrorCode::kTopicAlreadyExists, "Topic '" + std::string(name) + "' already exists."};
  }
  if (partitions == 0 || partitions < -1 || partitions > 10000) {
    return {ErrorCode::kInvalidPartitions, "Number of partitions must be between 1 and 10000."};
  }
  if (auto log = log_config_for(configs); !log.is_ok()) {
    return {ErrorCode::kInvalidConfig, log.status().message()};
  }
  return {};
}

Status TopicRegistry::write_properties(const Topic& topic) const {
  std::ostringstream out;
  out << "id=" << hex(topic.id) << "\npartitions=" << topic.partitions.size() << "\n";
  for (const auto& [name, value] : topic.configs) out << "config." << name << "=" << value << "\n";
  return write_file_atomically(topics_dir_ / topic.name / kPropertiesFile, out.str());
}

TopicError TopicRegistry::create(std::string_view name, int32_t partitions,
                                 const std::map<std::string, std::string>& configs,
                                 Topic** created) {
  if (auto error = validate(name, partitions, configs); !error.ok()) return error;
  if (partitions <= 0) partitions = config_.default_partitions;
  auto topic = std::make_unique<Topic>();
  topic->name = std::string(name);
  topic->id = random_topic_id();
  topic->configs = configs;
  topic->log_config = *log_config_for(configs);
  fs::path dir = topics_dir_ / topic->name;
  for (int32_t p = 0; p < partitions; ++p) {
    auto log = PartitionLog::open(dir / std::to_string(p), topic->log_config);
    if (!log.is_ok()) {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
      return {ErrorCode::kKafkaStorageError, log.status().message()};
    }
    topic->partitions.push_back(std::move(log).value());
  }
  // The properties file is written last: a topic directory without one is
  // an unfinished creation and is removed on open.
  if (Status written = write_properties(*topic); !written.is_ok()) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return {ErrorCode::kKafkaStorageError, written.message()};
  }
  sync_directory(topics_dir_);  // the new topic's own entry
  spdlog::info("created topic {} with {} partition(s)", topic->name, partitions);
  Topic* raw = topic.get();
  topics_.emplace(topic->name, std::move(topic));
  if (created) *created = raw;
  return {};
}

Topic* TopicRegistry::find_or_auto_create(std::string_view name, TopicError* error) {
  if (Topic* topic = find(name)) return topic;
  if (!config_.auto_create_topics) {
    *error = {ErrorCode::kUnknownTopicOrPartition,
              "This server does not host this topic-partition."};
    return nullptr;
  }
  Topic* created = nullptr;
  *error = create(name, config_.default_partitions, {}, &created);
  return created;
}

TopicError TopicRegistry::remove(std::string_view name) {
  auto it = topics_.find(name);
  if (it == topics_.end()) {
    return {ErrorCode::kUnknownTopicOrPartition, "This server does not host this topic-partition."};
  }
  std::unique_ptr<Topic> topic = std::move(it->second);
  topics_.erase(it);
  // The properties file goes first, so a crash midway leaves an incomplete
  // directory that open() clears.
  std::error_code error;
  fs::remove(topics_dir_ / topic->name / kPropertiesFile, error);
  for (auto& log : topic->partitions) {
    if (Status removed = log->remove(); !removed.is_ok()) {
      spdlog::warn("deleting topic {}: {}", topic->name, removed.message());
    }
  }
  fs::remove_all(topics_dir_ / topic->name, error);
  sync_directory(topics_dir_);
  spdlog::info("deleted topic {}", topic->name);
  return {};
}

std::vector<ConfigEntry> TopicRegistry::effective_configs(const Topic& topic) const {
  const LogConfig& log = topic.log_config;
  std::vector<ConfigEntry> entries = {
      {"cleanup.policy", "delete"},
      {"max.message.bytes", std::to_string(log.max_message_bytes)},
      {"min.insync.replicas", "1"},
      {"retention.bytes", std::to_string(log.retention_bytes)},
      {"retention.ms", std::to_string(log.retention_ms)},
      {"segment.bytes", std::to_string(log.segment_bytes)},
      {"segment.ms", std::to_string(log.segment_ms)},
  };
  for (auto& entry : entries) entry.is_default = !topic.configs.contains(entry.name);
  return entries;
}

void TopicRegistry::enforce_retention(int64_t now_ms) {
  for (auto& [name, topic] : topics_) {
    for (auto& log : topic->partitions) {
      if (int deleted = log->enforce_retention(now_ms); deleted > 0) {
        spdlog::info("{}: retention deleted {} segment(s) of {}", name, deleted,
                     log->directory().string());
      }
    }
  }
}

}  // namespace runnel::broker

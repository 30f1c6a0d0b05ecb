// `runnel topics list|create|delete|describe`: topic administration through
// the Kafka admin API, printed like kafka-topics.sh prints it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/command.h"

namespace runnel::cli {
namespace {

struct TopicsFlags {
  KafkaOptions kafka;
  double timeout_seconds = 30;

  void add_to(CLI::App& command) {
    add_kafka_options(command, kafka);
    command.add_option("--timeout", timeout_seconds, "Seconds to wait for the cluster's answer")
        ->capture_default_str();
  }
};

struct CreateFlags {
  std::string name;
  std::int32_t partitions = 1;
  std::int16_t replication_factor = 1;
  std::vector<std::string> configs;
};

Result<kafka::Admin> connect(const TopicsFlags& flags) {
  if (!(flags.timeout_seconds > 0)) return invalid_argument("--timeout must be positive");
  auto properties = kafka_properties(flags.kafka);
  if (!properties) return properties.status();
  return kafka::Admin::create(*properties);
}

std::chrono::milliseconds timeout(const TopicsFlags& flags) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(flags.timeout_seconds * 1000));
}

Status list(const TopicsFlags& flags) {
  auto admin = connect(flags);
  if (!admin) return admin.status();
  auto names = admin->list_topics(timeout(flags));
  if (!names) return names.status();
  for (const auto& name : *names) std::printf("%s\n", name.c_str());
  return Status::ok();
}

Status create(const TopicsFlags& flags, const CreateFlags& create_flags) {
  if (create_flags.partitions < 1) return invalid_argument("--partitions must be at least 1");
  if (create_flags.replication_factor < 1) {
    return invalid_argument("--replication-factor must be at least 1");
  }
  kafka::NewTopic topic;
  topic.name = create_flags.name;
  topic.partitions = create_flags.partitions;
  topic.replication_factor = create_flags.replication_factor;
  for (const auto& text : create_flags.configs) {
    auto config = kafka::parse_property(text);
    if (!config) return invalid_argument("--config: " + config.status().message());
    topic.configs.insert_or_assign(config->first, config->second);
  }
  auto admin = connect(flags);
  if (!admin) return admin.status();
  if (auto status = admin->create_topic(topic, timeout(flags)); !status.is_ok()) return status;
  std::fprintf(stderr, "created topic %s\n", topic.name.c_str());
  return Status::ok();
}

Status remove(const TopicsFlags& flags, const std::vector<std::string>& names) {
  auto admin = connect(flags);
  if (!admin) return admin.status();
  if (auto status = admin->delete_topics(names, timeout(flags)); !status.is_ok()) return status;
  for (const auto& name : names) std::fprintf(stderr, "deleted topic %s\n", name.c_str());
  return Status::ok();
}

std::string join(const std::vector<std::int32_t>& ids) {
  std::string text;
  for (auto id : ids) text += (text.empty() ? "" : ",") + std::to_string(id);
  return text;
}

// A summary line with the topic's non-default configs, then one line per
// partition, as kafka-topics --describe prints them.
Status describe(const TopicsFlags& flags, const std::string& name) {
  auto admin = connect(flags);
  if (!admin) return admin.status();
  auto topic = admin->describe_topic(name, timeout(flags));
  if (!topic) return topic.status();

  auto configs = topic->configs;
  std::erase_if(configs, [](const kafka::ConfigEntry& entry) { return entry.is_default; });
  std::sort(configs.begin(), configs.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::string config_text;
  for (const auto& entry : configs) {
    if (!config_text.empty()) config_text += ',';
    config_text += entry.name + "=" +
                   (entry.is_sensitive ? std::string("<sensitive>") : entry.value.value_or(""));
  }
  const std::size_t replication_factor =
      topic->partitions.empty() ? 0 : topic->partitions.front().replicas.size();
  std::printf("Topic: %s\tPartitionCount: %zu\tReplicationFactor: %zu\tConfigs: %s\n",
              topic->name.c_str(), topic->partitions.size(), replication_factor,
              config_text.c_str());
  for (const auto& partition : topic->partitions) {
    std::printf("\tTopic: %s\tPartition: %d\tLeader: %d\tReplicas: %s\tIsr: %s\n",
                topic->name.c_str(), partition.partition, partition.leader,
                join(partition.replicas).c_str(), join(partition.isr).c_str());
  }
  return Status::ok();
}

}  // namespace

void add_topics_command(CLI::App& app, const GlobalOptions&, CommandAction& action) {
  auto* topics = app.add_subcommand("topics", "List, create, delete and describe Kafka topics");
  topics->require_subcommand(1);
  auto flags = std::make_shared<TopicsFlags>();

  auto* list_command = topics->add_subcommand("list", "Print every topic's name, one per line");
  flags->add_to(*list_command);
  list_command->callback([flags, &action] { action = [flags] { return list(*flags); }; });

  auto create_flags = std::make_shared<CreateFlags>();
  auto* create_command = topics->add_subcommand("create", "Create a topic");
  create_command->add_option("NAME", create_flags->name, "Topic name")->required();
  create_command->add_option("--partitions", create_flags->partitions, "Number of partitions")
      ->capture_default_str();
  create_command
      ->add_option("--replication-factor", create_flags->replication_factor,
                   "Replicas per partition")
      ->capture_default_str();
  create_command
      ->add_option("--config", create_flags->configs, "Topic config name=value, repeatable")
      ->allow_extra_args(false);
  flags->add_to(*create_command);
  create_command->callback([flags, create_flags, &action] {
    action = [flags, create_flags] { return create(*flags, *create_flags); };
  });

  auto names = std::make_shared<std::vector<std::string>>();
  auto* delete_command = topics->add_subcommand("delete", "Delete topics");
  delete_command->add_option("NAME", *names, "Topic names")->required();
  flags->add_to(*delete_command);
  delete_command->callback(
      [flags, names, &action] { action = [flags, names] { return remove(*flags, *names); }; });

  auto name = std::make_shared<std::string>();
  auto* describe_command =
      topics->add_subcommand("describe", "Print a topic's partitions and non-default configs");
  describe_command->add_option("NAME", *name, "Topic name")->required();
  flags->add_to(*describe_command);
  describe_command->callback(
      [flags, name, &action] { action = [flags, name] { return describe(*flags, *name); }; });
}

}  // namespace runnel::cli

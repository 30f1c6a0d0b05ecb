// `runnel consume TOPIC`: prints every record's value (optionally its key
// first) on a line of its own, like kcat -C. In a consumer group it commits
// what it printed, so the next run of the group resumes after it.
#include <spdlog/spdlog.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <thread>

#include "cli/command.h"
#include "common/shutdown_signal.h"

namespace runnel::cli {
namespace {

struct ConsumeFlags {
  KafkaOptions kafka;
  std::string topic;
  std::string group;  // empty: no group, every partition assigned
  std::string from = "earliest";
  std::int64_t count = 0;      // 0: no limit
  double timeout_seconds = 0;  // idle time that ends the command; 0: none
  bool exit_at_end = false;
  bool print_key = false;
  std::string key_separator = "\t";
};

constexpr auto kPollInterval = std::chrono::milliseconds(200);
constexpr auto kMetadataTimeout = std::chrono::seconds(30);

Result<kafka::Properties> consumer_properties(const ConsumeFlags& flags) {
  auto properties = kafka_properties(flags.kafka);
  if (!properties) return properties.status();
  kafka::Properties consumer{
      {"auto.offset.reset", flags.from == "earliest" ? "earliest" : "latest"},
      {"enable.partition.eof", flags.exit_at_end ? "true" : "false"},
  };
  if (!flags.group.empty()) consumer.emplace("group.id", flags.group);
  // -X properties win over the flags.
  for (auto& [name, value] : *properties) consumer.insert_or_assign(name, value);
  return consumer;
}

// Joins the group, or assigns every partition of the topic from --from.
Status start(kafka::Consumer& consumer, const ConsumeFlags& flags) {
  if (!flags.group.empty()) return consumer.subscribe({flags.topic});
  auto partitions = consumer.partitions_of(flags.topic, kMetadataTimeout);
  if (!partitions) return partitions.status();
  std::vector<kafka::TopicPartitionOffset> assignment;
  for (auto partition : *partitions) {
    assignment.push_back(
        {flags.topic, partition, flags.from == "earliest" ? kafka::kEarliest : kafka::kLatest});
  }
  return consumer.assign(assignment);
}

Status output_error() {
  return {StatusCode::kResourceExhausted, std::string("writing stdout: ") + std::strerror(errno)};
}

Status write_output(std::string_view text) {
  if (!text.empty() && std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    return output_error();
  }
  return Status::ok();
}

Status flush_output() { return std::fflush(stdout) == 0 ? Status::ok() : output_error(); }

Status print(const kafka::ConsumedRecord& record, const ConsumeFlags& flags) {
  if (flags.print_key) {
    if (auto status = write_output(record.key.value_or("")); !status.is_ok()) return status;
    if (auto status = write_output(flags.key_separator); !status.is_ok()) return status;
  }
  if (auto status = write_output(record.value.value_or("")); !status.is_ok()) return status;
  return write_output("\n");
}

// True when every partition assigned has reported its end and printed
// nothing since.
Result<bool> all_at_end(kafka::Consumer& consumer,
                        const std::set<std::pair<std::string, std::int32_t>>& at_end) {
  auto assignment = consumer.assignment();
  if (!assignment) return assignment.status();
  if (assignment->empty()) return false;  // the group has not assigned any yet
  for (const auto& partition : *assignment) {
    if (!at_end.contains({partition.topic, partition.partition})) return false;
  }
  return true;
}

// Polls until --count records, --exit-at-end, --timeout idle or `stop`.
Status consume_records(kafka::Consumer& consumer, const ConsumeFlags& flags,
                       const std::atomic<bool>& stop) {
  using Clock = std::chrono::steady_clock;
  const auto idle_limit =
      std::chrono::milliseconds(static_cast<std::int64_t>(flags.timeout_seconds * 1000));
  auto last_activity = Clock::now();
  std::set<std::pair<std::string, std::int32_t>> at_end;
  std::int64_t printed = 0;
  while (!stop.load()) {
    auto polled = consumer.poll(kPollInterval);
    if (!polled) return polled.status();
    if (!polled->has_value()) {
      if (auto status = flush_output(); !status.is_ok()) return status;
      if (flags.timeout_seconds > 0 && Clock::now() - last_activity >= idle_limit) break;
      continue;
    }
    const kafka::ConsumedRecord& record = **polled;
    if (record.kind == kafka::ConsumedRecord::Kind::kPartitionEnd) {
      at_end.insert({record.topic, record.partition});
      auto done = all_at_end(consumer, at_end);
      if (!done) return done.status();
      if (*done) break;
      continue;
    }
    at_end.erase({record.topic, record.partition});
    last_activity = Clock::now();
    if (auto status = print(record, flags); !status.is_ok()) return status;
    if (flags.count > 0 && ++printed >= flags.count) break;
  }
  return flush_output();
}

Status consume(const ConsumeFlags& flags) {
  auto properties = consumer_properties(flags);
  if (!properties) return properties.status();
  // Before librdkafka starts its threads, so that they inherit the mask and
  // SIGINT/SIGTERM reach only the waiter below.
  block_shutdown_signals();
  std::atomic<bool> stop{false};
  std::thread waiter = wait_for_shutdown_signal([&stop] { stop = true; });
  Status status = [&]() -> Status {
    auto consumer = kafka::Consumer::create(*properties);
    if (!consumer) return consumer.status();
    Status result = start(*consumer, flags);
    if (result.is_ok()) result = consume_records(*consumer, flags, stop);
    // Commits what was printed, even after a failure.
    Status closed = consumer->close();
    return result.is_ok() ? closed : result;
  }();
  raise_shutdown();  // wakes the waiter when consuming ended on its own
  waiter.join();
  return status;
}

}  // namespace

void add_consume_command(CLI::App& app, const GlobalOptions&, CommandAction& action) {
  const CLI::Validator positive(
      [](const std::string& text) {
        double value = 0;
        return CLI::detail::lexical_cast(text, value) && value > 0 ? std::string()
                                                                   : "must be positive";
      },
      "POSITIVE");
  auto flags = std::make_shared<ConsumeFlags>();
  auto* command = app.add_subcommand("consume", "Print the records of a Kafka topic, one per line");
  command->add_option("TOPIC", flags->topic, "Topic to consume")->required();
  command->add_option("--group,-g", flags->group,
                      "Consumer group: share partitions, commit offsets and resume after them");
  command
      ->add_option("--from", flags->from,
                   "Where to start without a committed offset: earliest or latest")
      ->check(CLI::IsMember({"earliest", "latest"}))
      ->capture_default_str();
  command->add_option("--count,-c", flags->count, "Exit after this many records")
      ->check(positive)
      ->default_str("no limit");
  command
      ->add_option("--timeout", flags->timeout_seconds,
                   "Exit (successfully) after this many seconds without a record")
      ->check(positive)
      ->default_str("wait forever");
  command->add_flag("--exit-at-end,-e", flags->exit_at_end,
                    "Exit when every partition's end is reached");
  command->add_flag("--print-key", flags->print_key, "Print KEY<separator>VALUE");
  command
      ->add_option("--key-separator,-K", flags->key_separator,
                   "What --print-key puts between key and value")
      ->capture_default_str();
  add_kafka_options(*command, flags->kafka);
  command->callback([flags, &action] { action = [flags] { return consume(*flags); }; });
}

}  // namespace runnel::cli

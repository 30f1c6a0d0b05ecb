// `runnel produce TOPIC`: every line of input becomes one record, its value
// or, with --key-separator, its key and value. Succeeds only when the
// cluster acknowledged every record.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.h"

namespace runnel::cli {
namespace {

struct ProduceFlags {
  KafkaOptions kafka;
  std::string topic;
  std::string file = "-";
  std::string key_separator;  // empty: a line is the value, the key is null
  std::int32_t partition = kafka::kAnyPartition;
  std::string acks = "all";
  std::string compression = "none";
  bool idempotent = true;
  const CLI::Option* idempotent_option = nullptr;  // given explicitly?
  std::vector<std::string> headers;
  double timeout_seconds = 30;
};

Result<kafka::Properties> producer_properties(const ProduceFlags& flags) {
  if (flags.partition < kafka::kAnyPartition) {
    return invalid_argument("--partition must be a partition number (or -1: any)");
  }
  if (!(flags.timeout_seconds > 0)) return invalid_argument("--timeout must be positive");
  // Idempotence needs acks=all, so it is on by default only then.
  const bool idempotent =
      flags.idempotent_option->count() > 0 ? flags.idempotent : flags.acks == "all";
  if (idempotent && flags.acks != "all") {
    return invalid_argument("--idempotent needs --acks all");
  }
  auto properties = kafka_properties(flags.kafka);
  if (!properties) return properties.status();
  kafka::Properties producer{
      {"acks", flags.acks},
      {"compression.type", flags.compression},
      {"enable.idempotence", idempotent ? "true" : "false"},
      {"message.timeout.ms",
       std::to_string(static_cast<std::int64_t>(flags.timeout_seconds * 1000))},
  };
  // -X properties win over the flags.
  for (auto& [name, value] : *properties) producer.insert_or_assign(name, value);
  return producer;
}

Result<std::vector<kafka::Header>> parse_headers(const std::vector<std::string>& texts) {
  std::vector<kafka::Header> headers;
  for (const auto& text : texts) {
    auto header = kafka::parse_property(text);
    if (!header) return invalid_argument("--header: " + header.status().message());
    headers.push_back({header->first, header->second});
  }
  return headers;
}

Status produce(const ProduceFlags& flags) {
  auto properties = producer_properties(flags);
  if (!properties) return properties.status();
  auto headers = parse_headers(flags.headers);
  if (!headers) return headers.status();

  std::ifstream file;
  if (flags.file != "-") {
    file.open(flags.file, std::ios::binary);
    if (!file) return unavailable("cannot open " + flags.file);
  }
  std::istream& input = flags.file == "-" ? std::cin : file;

  auto producer = kafka::Producer::create(*properties);
  if (!producer) return producer.status();
  kafka::ProducerRecord record;
  record.topic = flags.topic;
  record.partition = flags.partition;
  record.headers = std::move(*headers);
  // Stops at the first bad line or failed record; what was queued before
  // it is still delivered, and counted in a failure's message.
  Status input_status;
  std::string line;
  std::int64_t line_number = 0;
  while (input_status.is_ok() && std::getline(input, line)) {
    ++line_number;
    if (flags.key_separator.empty()) {
      record.value = std::move(line);
    } else {
      const auto separator = line.find(flags.key_separator);
      if (separator == std::string::npos) {
        input_status = data_loss("line " + std::to_string(line_number) + " has no key separator");
        break;
      }
      record.key = line.substr(0, separator);
      record.value = line.substr(separator + flags.key_separator.size());
    }
    input_status = producer->produce(record);
  }
  if (input_status.is_ok() && input.bad()) {
    input_status = data_loss("reading " + (flags.file == "-" ? "stdin" : flags.file));
  }

  // Records time out after --timeout; the margin lets their reports arrive.
  const auto flush_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(flags.timeout_seconds * 1000)) +
      std::chrono::seconds(5);
  const Status delivery_status = producer->flush(flush_timeout);
  if (!input_status.is_ok()) {
    return {input_status.code(), input_status.message() + " (" +
                                     std::to_string(producer->delivered()) +
                                     " records before it delivered)"};
  }
  if (!delivery_status.is_ok()) return delivery_status;
  std::fprintf(stderr, "produced %lld records to %s\n",
               static_cast<long long>(producer->delivered()), flags.topic.c_str());
  return Status::ok();
}

}  // namespace

void add_produce_command(CLI::App& app, const GlobalOptions&, CommandAction& action) {
  auto flags = std::make_shared<ProduceFlags>();
  auto* command =
      app.add_subcommand("produce", "Send lines of input to a Kafka topic, one record per line");
  command->add_option("TOPIC", flags->topic, "Topic to produce to")->required();
  command->add_option("--file,-f", flags->file, "File to read, - for stdin")->capture_default_str();
  command->add_option("--key-separator,-K", flags->key_separator,
                      "Split each line into key and value at the first SEP (e.g. a tab)");
  command->add_option("--partition,-p", flags->partition, "Partition (-1: the partitioner chooses)")
      ->capture_default_str();
  command->add_option("--acks", flags->acks, "Acknowledgements to wait for: all, 1 or 0")
      ->check(CLI::IsMember({"all", "1", "0"}))
      ->capture_default_str();
  command->add_option("--compression", flags->compression, "none, gzip, snappy, lz4 or zstd")
      ->check(CLI::IsMember({"none", "gzip", "snappy", "lz4", "zstd"}))
      ->capture_default_str();
  flags->idempotent_option = command->add_flag(
      "--idempotent,!--no-idempotent", flags->idempotent,
      "Idempotent producer: no duplicates on retries (default: on with --acks all)");
  command
      ->add_option("--header,-H", flags->headers, "Header name=value on every record, repeatable")
      ->allow_extra_args(false);
  command
      ->add_option("--timeout", flags->timeout_seconds,
                   "Seconds a record may wait for delivery before it fails")
      ->capture_default_str();
  add_kafka_options(*command, flags->kafka);
  command->callback([flags, &action] { action = [flags] { return produce(*flags); }; });
}

}  // namespace runnel::cli

// How subcommands plug into the `runnel` command line: each add_*_command
// function registers a CLI11 subcommand whose callback chooses the action to
// run. main() runs the chosen action after parsing, so usage errors (exit 2)
// and runtime failures (exit 1) stay apart.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "common/kafka_client.h"
#include "common/status.h"

namespace runnel::cli {

using CommandAction = std::function<Status()>;

// Options every subcommand accepts, before or after its name; each also
// reads a RUNNEL_* environment variable.
struct GlobalOptions {
  std::string data_dir = "./runnel-data";  // --data-dir, RUNNEL_DATA_DIR
  std::string log_level = "info";          // --log-level, RUNNEL_LOG_LEVEL
};

void add_global_options(CLI::App& app, GlobalOptions& options);

// How a Kafka command reaches the cluster: --kafka (RUNNEL_KAFKA) and
// librdkafka properties given as -X name=value, as kcat takes them.
struct KafkaOptions {
  std::string bootstrap_servers = "127.0.0.1:9092";
  std::vector<std::string> properties;
};

void add_kafka_options(CLI::App& command, KafkaOptions& options);

// bootstrap.servers and client.id, then the -X properties, which win.
Result<kafka::Properties> kafka_properties(const KafkaOptions& options);

// `runnel topics list|create|delete|describe`, like kafka-topics.sh.
void add_topics_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

// `runnel produce TOPIC`: lines of input become records.
void add_produce_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

// `runnel consume TOPIC`: records become lines of output, like kcat -C.
void add_consume_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

// `runnel datagen`, `runnel datagen serve`, `runnel datagen fetch`.
void add_datagen_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

// `runnel up` and `runnel demo`: the whole pipeline in one process.
void add_pipeline_commands(CLI::App& app, const GlobalOptions& global, CommandAction& action);

// `runnel broker`.
void add_broker_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

// `runnel store`: the embedded Cassandra (CQL native protocol).
void add_store_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

// `runnel ingest`: random users produced to `users_created`.
void add_ingest_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

// `runnel cql`: a small cqlsh against any CQL endpoint.
void add_cql_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

}  // namespace runnel::cli

// `runnel up` and `runnel demo`: the pipeline in one command.
#include <memory>

#include "cli/command.h"
#include "cli/pipeline.h"

namespace runnel::cli {
namespace {

// What the streaming job takes: topic, job, threads, sinks.
void add_job_options(CLI::App& command, PipelineOptions& options) {
  command.add_option("--topic", options.topic, "Topic the users go through")->capture_default_str();
  command.add_option("--job", options.job, "The streaming job's name (its consumer group)")
      ->capture_default_str();
  command
      .add_option("--starting-offsets", options.starting_offsets,
                  "Where the job starts in a partition it has no stored offset for")
      ->check(CLI::IsMember({"earliest", "latest"}))
      ->capture_default_str();
  command.add_option("--threads", options.threads, "Decoding threads of the streaming job")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command
      .add_option("--cassandra", options.cassandra,
                  "Write to this Cassandra/ScyllaDB cluster (host:port[,...]), exactly once")
      ->envname("RUNNEL_CASSANDRA");
  command.add_option("--cassandra-keyspace", options.cassandra_keyspace, "Cassandra keyspace")
      ->capture_default_str();
  command.add_option("--cassandra-table", options.cassandra_table, "Cassandra table")
      ->capture_default_str();
  command
      .add_option("--postgres", options.postgres,
                  "Write to PostgreSQL (postgresql://user@host:port/db), exactly once")
      ->envname("RUNNEL_POSTGRES");
  command.add_option("--postgres-table", options.postgres_table, "PostgreSQL table")
      ->capture_default_str();
  command.add_option("--output", options.output,
                     "Write JSON lines to this file (default, with no other sink: "
                     "<data-dir>/stream/created_users.jsonl)");
  command.add_flag("--console", options.console, "Print each batch, as Spark's console sink");
}

// The whole pipeline's: the job's, plus the broker and the ingestion.
void add_pipeline_options(CLI::App& command, PipelineOptions& options) {
  add_job_options(command, options);
  command
      .add_option("--kafka", options.kafka,
                  "Use this Kafka cluster (host:port[,...]) instead of the embedded broker")
      ->envname("RUNNEL_KAFKA");
  command.add_option("--broker-listen", options.broker_listen, "The embedded broker's address")
      ->capture_default_str();
  command
      .add_option("--store-listen", options.store_listen,
                  "The embedded CQL store's address (started unless --cassandra or "
                  "--no-cassandra)")
      ->capture_default_str();
  command
      .add_flag("--no-cassandra", options.no_cassandra,
                "Write to no Cassandra table (and start no embedded store)")
      ->excludes("--cassandra");
  options.embedded_store = true;
  command
      .add_option("--partitions", options.partitions,
                  "Partitions of the topic when the pipeline creates it")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command
      .add_option("--source-url", options.source_url,
                  "A randomuser-compatible URL (default: the embedded generator)")
      ->envname("RUNNEL_SOURCE_URL");
  command.add_option("--seed", options.seed, "Seed of the embedded generator");
  command
      .add_option("--rate", options.rate, "Users per second to produce (0: as fast as possible)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

}  // namespace

void add_pipeline_commands(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  auto up = std::make_shared<PipelineOptions>();
  up->rate = 1000;
  auto* up_command = app.add_subcommand(
      "up",
      "Run the pipeline: broker, ingestion of random users and the streaming job, until Ctrl-C");
  add_pipeline_options(*up_command, *up);
  up_command->add_option("--users", up->users, "Stop producing after this many users (0: never)")
      ->check(CLI::NonNegativeNumber);
  up_command->callback([up, &global, &action] {
    action = [up, &global] {
      PipelineOptions options = *up;
      options.data_dir = global.data_dir;
      return run_up(options);
    };
  });

  struct StreamFlags {
    PipelineOptions options;
    bool until_caught_up = false;
  };
  auto job = std::make_shared<StreamFlags>();
  job->options.kafka = "127.0.0.1:9092";
  auto* stream_command = app.add_subcommand(
      "stream", "Run the streaming job alone: users_created -> decode -> sinks (Spark's role)");
  add_job_options(*stream_command, job->options);
  stream_command
      ->add_option("--kafka", job->options.kafka, "Kafka bootstrap servers, host:port[,...]")
      ->envname("RUNNEL_KAFKA")
      ->capture_default_str();
  stream_command->add_flag("--until-caught-up", job->until_caught_up,
                           "Process what is in the topic, then stop (Spark's availableNow)");
  stream_command->callback([job, &global, &action] {
    action = [job, &global] {
      PipelineOptions options = job->options;
      options.data_dir = global.data_dir;
      return run_stream(options, job->until_caught_up);
    };
  });

  auto demo = std::make_shared<PipelineOptions>();
  demo->users = 1000;
  auto* demo_command = app.add_subcommand(
      "demo", "Run the pipeline bounded: produce --users users, store them, print what was stored");
  add_pipeline_options(*demo_command, *demo);
  demo_command->add_option("--users", demo->users, "Users to produce")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  demo_command->callback([demo, &global, &action] {
    action = [demo, &global] {
      PipelineOptions options = *demo;
      options.data_dir = global.data_dir;
      return run_demo(options);
    };
  });
}

}  // namespace runnel::cli

// The whole pipeline in one process, as `runnel up` and `runnel demo` run it:
// the broker (embedded unless --kafka names a cluster), the ingestion stage
// producing created users to `users_created`, the streaming job
// `users_to_store`, and the store it writes to (the embedded CQL store
// unless --cassandra names a cluster), plus any other configured sinks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "stream/sink.h"

namespace runnel::cli {

struct PipelineOptions {
  std::string data_dir;                          // the global --data-dir
  std::string kafka;                             // bootstrap servers; empty: the embedded broker
  std::string broker_listen = "127.0.0.1:9092";  // the embedded broker's address
  int partitions = 4;                            // of users_created on the embedded broker
  std::string topic = "users_created";
  std::string job = "users_to_store";
  std::string source_url;  // empty: the embedded generator
  std::string seed;
  double rate = 0;         // users/s; 0: as fast as possible
  std::int64_t users = 0;  // 0: no count limit
  int threads = 2;         // decoding workers
  // Where the job starts in a partition nothing is stored for.
  std::string starting_offsets = "earliest";
  // Sinks. Cassandra: the cluster at `cassandra` (contact points); with
  // none given, `up` and `demo` start the embedded store on `store_listen`
  // (data in <data_dir>/store), unless `no_cassandra`. PostgreSQL when a URL
  // is given, a JSON-lines file when a path is given, the console when
  // asked. With no sink at all (`stream` without flags), the JSON-lines file
  // <data_dir>/stream/created_users.jsonl.
  std::string cassandra;
  bool no_cassandra = false;
  bool embedded_store = false;  // `up` and `demo`: start the store when no cluster is named
  std::string store_listen = "127.0.0.1:9042";
  std::string cassandra_keyspace = "spark_streams";
  std::string cassandra_table = "created_users";
  std::string postgres;
  std::string postgres_table = "created_users";
  std::string output;
  bool console = false;
};

// `runnel up`: runs until SIGINT/SIGTERM, with a live status line; then
// stops the ingestion (flushing what it produced), lets the job read what
// the broker acknowledged (for at most 10 s) and finish its batch, and stops
// the broker. Ok when nothing failed.
Status run_up(const PipelineOptions& options);

// `runnel stream`: the streaming job alone, against the Kafka cluster in
// options.kafka: until caught up when `until_caught_up`, else until
// SIGINT/SIGTERM.
Status run_stream(const PipelineOptions& options, bool until_caught_up);

// `runnel demo`: produces options.users users, processes until caught up,
// and prints what was stored: counts, rates and a sample of names.
Status run_demo(const PipelineOptions& options);

}  // namespace runnel::cli

#include "cli/pipeline.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "broker/embedded_broker.h"
#include "common/endpoint.h"
#include "common/kafka_client.h"
#include "common/shutdown_signal.h"
#include "sinks/console_sink.h"
#include "sinks/cql/cassandra_sink.h"
#include "sinks/cql/cql_client.h"
#include "sinks/jsonl_file_sink.h"
#include "sinks/pg_connection.h"
#include "sinks/postgres_sink.h"
#include "store/embedded_store.h"
#include "stream/streaming_query.h"
#include "stream/user_ingestion.h"

namespace runnel::cli {
namespace {

using Clock = std::chrono::steady_clock;

// The Kafka cluster the pipeline uses: the embedded broker, or one given.
struct KafkaCluster {
  std::unique_ptr<broker::EmbeddedBroker> embedded;
  std::string bootstrap_servers;

  Status stop() { return embedded ? embedded->stop() : Status::ok(); }
};

// Creates the pipeline's topic unless it exists, so that the streaming job
// can subscribe before the first user is produced.
Status ensure_topic(const PipelineOptions& options, const std::string& bootstrap) {
  auto admin = kafka::Admin::create({{"bootstrap.servers", bootstrap}});
  if (!admin.is_ok()) return admin.status();
  auto topics = admin->list_topics(std::chrono::seconds(30));
  if (!topics.is_ok()) return topics.status();
  if (std::find(topics->begin(), topics->end(), options.topic) != topics->end())
    return Status::ok();
  Status created =
      admin->create_topic({options.topic, options.partitions, 1, {}}, std::chrono::seconds(30));
  // Another process may have created it in the meantime.
  if (!created.is_ok() && created.message().find("TOPIC_ALREADY_EXISTS") == std::string::npos) {
    return created;
  }
  return Status::ok();
}

Result<KafkaCluster> start_kafka(const PipelineOptions& options) {
  if (!options.kafka.empty()) {
    if (Status topic = ensure_topic(options, options.kafka); !topic.is_ok()) return topic;
    return KafkaCluster{nullptr, options.kafka};
  }
  auto listen = parse_endpoint(options.broker_listen);
  if (!listen) return invalid_argument("--broker-listen: " + listen.status().message());
  broker::BrokerConfig config;
  config.listen = *listen;
  config.data_dir = std::filesystem::path(options.data_dir) / "broker";
  config.default_partitions = options.partitions;
  auto broker = broker::EmbeddedBroker::start(config);
  if (!broker.is_ok()) return broker.status();
  std::string bootstrap = (*broker)->bootstrap_servers();
  spdlog::info("broker: serving Kafka on {} with data in {}", bootstrap, config.data_dir.string());
  KafkaCluster cluster{std::move(broker).value(), bootstrap};
  if (Status topic = ensure_topic(options, bootstrap); !topic.is_ok()) return topic;
  return cluster;
}

// The embedded CQL store, for `up` and `demo` when no Cassandra cluster is
// named (and Cassandra is not turned off); null otherwise. Points
// options.cassandra at it.
Result<std::unique_ptr<store::EmbeddedStore>> start_store(PipelineOptions& options) {
  if (options.no_cassandra || !options.cassandra.empty() || !options.embedded_store) {
    return std::unique_ptr<store::EmbeddedStore>();
  }
  auto listen = parse_endpoint(options.store_listen);
  if (!listen) return invalid_argument("--store-listen: " + listen.status().message());
  store::EmbeddedStoreConfig config;
  config.data_dir = options.data_dir;
  config.server.listen = *listen;
  auto store = store::EmbeddedStore::start(config);
  if (!store.is_ok()) return store.status();
  options.cassandra = (*store)->endpoint().to_string();
  spdlog::info("store: serving CQL on {} with data in {}", options.cassandra,
               (std::filesystem::path(options.data_dir) / "store").string());
  return std::move(store).value();
}

bool uses_cassandra(const PipelineOptions& options) {
  return !options.no_cassandra && !options.cassandra.empty();
}

std::filesystem::path jsonl_path(const PipelineOptions& options) {
  if (!options.output.empty()) return options.output;
  return std::filesystem::path(options.data_dir) / "stream" / "created_users.jsonl";
}

bool uses_jsonl(const PipelineOptions& options) {
  return !options.output.empty() ||
         (options.postgres.empty() && !options.console && !uses_cassandra(options));
}

Result<std::vector<std::unique_ptr<stream::Sink>>> make_sinks(const PipelineOptions& options) {
  std::vector<std::unique_ptr<stream::Sink>> sinks;
  if (uses_cassandra(options)) {
    sinks::CassandraSinkConfig config;
    config.contact_points = options.cassandra;
    config.target = {options.cassandra_keyspace, options.cassandra_table};
    sinks.push_back(std::make_unique<sinks::CassandraSink>(config));
  }
  if (!options.postgres.empty()) {
    sinks::PostgresSinkConfig config;
    config.url = options.postgres;
    config.target.table = options.postgres_table;
    sinks.push_back(std::make_unique<sinks::PostgresSink>(config));
  }
  if (uses_jsonl(options)) {
    std::filesystem::path path = jsonl_path(options);
    std::error_code error;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
    if (error)
      return internal_error("cannot create " + path.parent_path().string() + ": " +
                            error.message());
    sinks.push_back(std::make_unique<sinks::JsonLinesSink>(path));
  }
  if (options.console) sinks.push_back(std::make_unique<sinks::ConsoleSink>());
  return sinks;
}

stream::IngestionOptions ingestion_options(const PipelineOptions& options,
                                           const std::string& bootstrap) {
  stream::IngestionOptions ingestion;
  ingestion.kafka = {{"bootstrap.servers", bootstrap}};
  ingestion.topic = options.topic;
  ingestion.source.url = options.source_url;
  ingestion.source.seed = options.seed;
  ingestion.users = options.users;
  ingestion.rate = options.rate;
  return ingestion;
}

stream::QueryOptions query_options(const PipelineOptions& options, const std::string& bootstrap,
                                   stream::Trigger trigger) {
  stream::QueryOptions query;
  query.job = options.job;
  query.kafka = {{"bootstrap.servers", bootstrap}};
  query.topics = {options.topic};
  query.schema = stream::created_user_schema();
  query.trigger = trigger;
  query.threads = options.threads;
  // The flag's values are checked when it is parsed.
  query.starting_offsets = *stream::parse_starting_offsets(options.starting_offsets);
  return query;
}

// Where the stored users are, in words, for the closing lines.
std::string sink_description(const PipelineOptions& options) {
  std::string where;
  auto add = [&where](const std::string& part) { where += (where.empty() ? "" : " and ") + part; };
  if (uses_cassandra(options)) {
    add("Cassandra table " + options.cassandra_keyspace + "." + options.cassandra_table + " on " +
        options.cassandra);
  }
  if (!options.postgres.empty()) add("PostgreSQL table " + options.postgres_table);
  if (uses_jsonl(options)) add(jsonl_path(options).string());
  if (options.console) add("the console");
  return where;
}

// What the classic project reads back from Cassandra: first and last names.
Result<std::vector<std::string>> sample_names_from_cassandra(const PipelineOptions& options,
                                                             size_t count) {
  auto contact_points = sinks::parse_contact_points(options.cassandra);
  if (!contact_points.is_ok()) return contact_points.status();
  sinks::CqlClientOptions client_options;
  client_options.contact_points = std::move(contact_points).value();
  auto client = sinks::CqlClient::connect(std::move(client_options));
  if (!client.is_ok()) return client.status();
  auto answer = (*client)->query(
      "SELECT first_name, last_name FROM " + sinks::cql_identifier(options.cassandra_keyspace) +
      "." + sinks::cql_identifier(options.cassandra_table) + " LIMIT " + std::to_string(count));
  if (!answer.is_ok()) return answer.status();
  if (const auto* error = std::get_if<store::CqlError>(&*answer)) {
    return internal_error("reading the stored users: " + sinks::describe(*error));
  }
  const auto* rows = std::get_if<store::Rows>(&*answer);
  if (rows == nullptr) return internal_error("reading the stored users: the store sent no rows");
  std::vector<std::string> names;
  for (const auto& row : rows->rows) {
    names.push_back(row.at(0).value_or("") + " " + row.at(1).value_or(""));
  }
  return names;
}

// A few stored users' names, read back from where they were stored, as the
// classic project shows them.
Result<std::vector<std::string>> sample_names(const PipelineOptions& options, size_t count) {
  std::vector<std::string> names;
  if (uses_cassandra(options)) return sample_names_from_cassandra(options, count);
  if (!options.postgres.empty()) {
    auto connection = sinks::PgConnection::connect(options.postgres);
    if (!connection.is_ok()) return connection.status();
    auto rows = connection->query("SELECT first_name, last_name FROM \"" + options.postgres_table +
                                  "\" ORDER BY registered_date DESC NULLS LAST LIMIT " +
                                  std::to_string(count));
    if (!rows.is_ok()) return rows.status();
    for (const auto& row : *rows) names.push_back(row[0].value_or("") + " " + row[1].value_or(""));
    return names;
  }
  std::ifstream in(jsonl_path(options));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > count) lines.erase(lines.begin());
  }
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    simdjson::dom::element user;
    if (parser.parse(line).get(user)) continue;
    std::string_view first, last;
    if (user["first_name"].get(first) || user["last_name"].get(last)) continue;
    names.push_back(std::string(first) + " " + std::string(last));
  }
  return names;
}

// The end offsets of the pipeline's topic, by partition: once the job has
// read up to them, every user acknowledged before this call is in a batch.
Result<std::map<std::int32_t, std::int64_t>> end_offsets(const PipelineOptions& options,
                                                         const std::string& bootstrap) {
  auto consumer = kafka::Consumer::create({{"bootstrap.servers", bootstrap}});
  if (!consumer.is_ok()) return consumer.status();
  auto partitions = consumer->partitions_of(options.topic, std::chrono::seconds(10));
  if (!partitions.is_ok()) return partitions.status();
  std::map<std::int32_t, std::int64_t> ends;
  for (std::int32_t partition : *partitions) {
    auto watermarks =
        consumer->query_watermarks(options.topic, partition, std::chrono::seconds(10));
    if (!watermarks.is_ok()) return watermarks.status();
    ends[partition] = watermarks->high;
  }
  return ends;
}

// True when the query's progress shows it has read every partition of
// `ends` up to its end.
bool has_read_to(const stream::QueryProgress& progress, const std::string& topic,
                 const std::map<std::int32_t, std::int64_t>& ends) {
  return std::all_of(ends.begin(), ends.end(), [&](const auto& end) {
    if (end.second == 0) return true;
    return std::any_of(progress.partitions.begin(), progress.partitions.end(),
                       [&](const auto& read) {
                         return read.topic == topic && read.partition == end.first &&
                                read.next_offset >= end.second;
                       });
  });
}

// After the ingestion stopped: lets the running job read what the broker
// acknowledged, so that the run stores every user it produced, waiting at
// most `limit` (a job far behind leaves the rest to the next run).
void let_job_catch_up(const stream::StreamingQuery& query, const PipelineOptions& options,
                      const std::string& bootstrap, std::chrono::seconds limit) {
  auto ends = end_offsets(options, bootstrap);
  if (!ends.is_ok()) {
    spdlog::warn("up: cannot read {}'s end offsets ({}); the job stops where it is", options.topic,
                 ends.status().message());
    return;
  }
  const auto deadline = Clock::now() + limit;
  for (;;) {
    stream::QueryProgress progress = query.progress();
    if (progress.state != stream::QueryState::kRunning ||
        has_read_to(progress, options.topic, *ends)) {
      return;
    }
    if (Clock::now() >= deadline) {
      spdlog::warn("up: the job has not caught up within {} s; the next run stores the rest",
                   limit.count());
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// The live status line: rewritten in place on a terminal, a line every 10 s
// otherwise (a log file).
class StatusLine {
 public:
  StatusLine() : terminal_(isatty(STDERR_FILENO) == 1) {}

  void show(const std::string& text) {
    auto now = Clock::now();
    if (terminal_) {
      std::fprintf(stderr, "\r\033[K%s", text.c_str());
    } else if (now - last_ >= std::chrono::seconds(10)) {
      std::fprintf(stderr, "%s\n", text.c_str());
      last_ = now;
    }
    std::fflush(stderr);
  }

  void end() {
    if (terminal_) std::fprintf(stderr, "\n");
  }

 private:
  bool terminal_;
  Clock::time_point last_{};
};

// SIGINT/SIGTERM, or the job's own end, waited for in slices: the caller
// polls progress between them. Construct after block_shutdown_signals(); the
// destructor wakes and joins the waiting thread when no signal came.
class ShutdownRequest {
 public:
  ShutdownRequest()
      : waiter_(wait_for_shutdown_signal([this] {
          std::lock_guard lock(mutex_);
          signalled_ = true;
          wake_.notify_all();
        })) {}

  // The job ended by itself (caught up, or failed): wait() returns at once
  // from now on, so the command ends without sitting out its slice.
  void job_ended() {
    std::lock_guard lock(mutex_);
    job_ended_ = true;
    wake_.notify_all();
  }

  ~ShutdownRequest() {
    {
      std::lock_guard lock(mutex_);
      if (!signalled_) raise_shutdown();
    }
    waiter_.join();
  }

  // True once a signal came or the job ended; waits at most `slice` for
  // either.
  bool wait(std::chrono::milliseconds slice) {
    std::unique_lock lock(mutex_);
    return wake_.wait_for(lock, slice, [this] { return signalled_ || job_ended_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool signalled_ = false;  // guarded by mutex_
  bool job_ended_ = false;  // guarded by mutex_
  std::thread waiter_;
};

// The job's closing line, on stderr.
void print_job_summary(const PipelineOptions& options, const stream::QueryProgress& progress) {
  std::fprintf(stderr, "job %s stored %s users in %s, %s dead letters\n", options.job.c_str(),
               stream::with_thousands(progress.total_output_rows).c_str(),
               sink_description(options).c_str(),
               stream::with_thousands(progress.total_dead_letters).c_str());
}

}  // namespace

Status run_up(const PipelineOptions& given) {
  // Before any thread starts, so that only the waiter sees SIGINT/SIGTERM.
  block_shutdown_signals();
  PipelineOptions options = given;
  auto store = start_store(options);
  if (!store.is_ok()) return store.status();
  auto kafka = start_kafka(options);
  if (!kafka.is_ok()) return kafka.status();
  auto sinks = make_sinks(options);
  if (!sinks.is_ok()) return sinks.status();

  stream::UserIngestion ingestion(ingestion_options(options, kafka->bootstrap_servers));
  stream::StreamingQuery query(
      query_options(options, kafka->bootstrap_servers, stream::Trigger::kContinuous),
      std::move(sinks).value());
  Status ingestion_status, query_status;
  std::optional<ShutdownRequest> shutdown(std::in_place);
  std::thread ingest([&] { ingestion_status = ingestion.run(); });
  std::thread process([&] {
    query_status = query.run();
    shutdown->job_ended();
  });

  spdlog::info("up: {} -> {} -> job {} -> {}; Ctrl-C stops",
               options.source_url.empty() ? "generator" : options.source_url, options.topic,
               options.job, sink_description(options));
  StatusLine status;
  while (!shutdown->wait(std::chrono::seconds(1))) {
    status.show(ingestion.status_line() + " | " + stream::status_line(query.progress()));
  }
  status.end();
  // Producing stops first, so the job can take in what was acknowledged.
  ingestion.stop();
  ingest.join();
  let_job_catch_up(query, options, kafka->bootstrap_servers, std::chrono::seconds(10));
  query.stop();
  process.join();
  shutdown.reset();
  Status broker_status = kafka->stop();
  Status store_status = *store ? (*store)->stop() : Status::ok();
  std::fprintf(stderr, "%s\n", ingestion.summary().c_str());
  print_job_summary(options, query.progress());
  if (!query_status.is_ok()) return query_status;
  if (!ingestion_status.is_ok()) return ingestion_status;
  if (!broker_status.is_ok()) return broker_status;
  return store_status;
}

Status run_stream(const PipelineOptions& options, bool until_caught_up) {
  block_shutdown_signals();
  auto sinks = make_sinks(options);
  if (!sinks.is_ok()) return sinks.status();
  stream::StreamingQuery query(query_options(options, options.kafka,
                                             until_caught_up ? stream::Trigger::kUntilCaughtUp
                                                             : stream::Trigger::kContinuous),
                               std::move(sinks).value());
  Status query_status;
  std::optional<ShutdownRequest> shutdown(std::in_place);
  std::thread process([&] {
    query_status = query.run();
    shutdown->job_ended();
  });
  StatusLine status;
  while (!shutdown->wait(std::chrono::seconds(1))) {
    status.show(stream::status_line(query.progress()));
  }
  status.end();
  query.stop();
  process.join();
  shutdown.reset();
  print_job_summary(options, query.progress());
  return query_status;
}

Status run_demo(const PipelineOptions& given) {
  PipelineOptions options = given;
  auto store = start_store(options);
  if (!store.is_ok()) return store.status();
  auto kafka = start_kafka(options);
  if (!kafka.is_ok()) return kafka.status();
  auto sinks = make_sinks(options);
  if (!sinks.is_ok()) return sinks.status();

  stream::UserIngestion ingestion(ingestion_options(options, kafka->bootstrap_servers));
  if (Status produced = ingestion.run(); !produced.is_ok()) return produced;
  std::printf("%s\n", ingestion.summary().c_str());

  stream::StreamingQuery query(
      query_options(options, kafka->bootstrap_servers, stream::Trigger::kUntilCaughtUp),
      std::move(sinks).value());
  auto started = Clock::now();
  Status processed = query.run();
  std::chrono::duration<double> elapsed = Clock::now() - started;
  if (!processed.is_ok()) return processed;
  stream::QueryProgress progress = query.progress();
  std::printf(
      "job %s stored %s users in %s in %.1f s (%s users/s), %s dead letters\n", options.job.c_str(),
      stream::with_thousands(progress.total_output_rows).c_str(), sink_description(options).c_str(),
      elapsed.count(),
      stream::with_thousands(static_cast<int64_t>(static_cast<double>(progress.total_output_rows) /
                                                  std::max(elapsed.count(), 1e-3)))
          .c_str(),
      stream::with_thousands(progress.total_dead_letters).c_str());
  if (!options.console) {
    auto names = sample_names(options, 5);
    if (!names.is_ok()) return names.status();
    std::printf("a sample of the stored users:\n");
    for (const std::string& name : *names) std::printf("  %s\n", name.c_str());
  }
  Status broker_status = kafka->stop();
  Status store_status = *store ? (*store)->stop() : Status::ok();
  return broker_status.is_ok() ? store_status : broker_status;
}

}  // namespace runnel::cli

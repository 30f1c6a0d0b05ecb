// `runnel ingest`: the ingestion stage on its own (the classic stack's
// `stream_data_from_api`): users from the embedded generator or a
// randomuser-compatible URL, produced to `users_created`. A live status line
// on stderr when it is a terminal, a summary line always. Succeeds only when
// every user produced was delivered, also after Ctrl-C.
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/command.h"
#include "common/shutdown_signal.h"
#include "stream/user_ingestion.h"

namespace runnel::cli {
namespace {

struct IngestFlags {
  KafkaOptions kafka;
  std::string topic{stream::kUsersCreatedTopic};
  std::int64_t users = 0;
  std::string duration;  // "" : no time limit
  double rate = 0;
  std::string source_url;
  std::string seed;
  std::string nationalities;
  std::string compression = "lz4";
};

// "90", "90s", "1.5m", "2h", "250ms" as milliseconds; seconds without a
// suffix.
Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  double number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  const std::string_view unit(end, text.data() + text.size() - end);
  double per_unit = 0;
  if (unit.empty() || unit == "s") {
    per_unit = 1000;
  } else if (unit == "ms") {
    per_unit = 1;
  } else if (unit == "m") {
    per_unit = 60 * 1000;
  } else if (unit == "h") {
    per_unit = 3600 * 1000;
  }
  if (error != std::errc() || per_unit == 0 || !(number > 0)) {
    return invalid_argument("--for: expected a positive duration such as 60s, 5m or 1h, not '" +
                            std::string(text) + "'");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(number * per_unit + 0.5));
}

Result<stream::IngestionOptions> ingestion_options(const IngestFlags& flags) {
  stream::IngestionOptions options;
  auto properties = kafka_properties(flags.kafka);
  if (!properties) return properties.status();
  options.kafka = std::move(*properties);
  options.topic = flags.topic;
  options.source = {flags.source_url, flags.seed, flags.nationalities};
  if (flags.users < 0) return invalid_argument("--users must not be negative");
  options.users = flags.users;
  if (!flags.duration.empty()) {
    auto duration = parse_duration(flags.duration);
    if (!duration) return duration.status();
    options.duration = *duration;
  }
  if (!(flags.rate >= 0)) return invalid_argument("--rate must not be negative");
  options.rate = flags.rate;
  options.compression = flags.compression;
  return options;
}

// Rewrites one stderr line with the ingestion's status until stopped.
class LiveStatus {
 public:
  explicit LiveStatus(const stream::UserIngestion& ingestion)
      : thread_([this, &ingestion] {
          std::unique_lock lock(mutex_);
          while (!done_) {
            std::fprintf(stderr, "\r%s\033[K", ingestion.status_line().c_str());
            std::fflush(stderr);
            wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return done_; });
          }
          std::fprintf(stderr, "\r\033[K");
        }) {}
  ~LiveStatus() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;  // guarded by mutex_
  std::thread thread_;
};

Status ingest(const IngestFlags& flags) {
  auto options = ingestion_options(flags);
  if (!options) return options.status();
  // Before librdkafka starts its threads, so that they inherit the mask and
  // SIGINT/SIGTERM reach only the waiter below.
  block_shutdown_signals();
  stream::UserIngestion ingestion(std::move(*options));
  std::thread waiter = wait_for_shutdown_signal([&ingestion] { ingestion.stop(); });
  Status status;
  {
    std::unique_ptr<LiveStatus> live;
    if (isatty(STDERR_FILENO)) live = std::make_unique<LiveStatus>(ingestion);
    status = ingestion.run();
  }
  raise_shutdown();  // wakes the waiter when the ingestion ended on its own
  waiter.join();
  if (status.code() != StatusCode::kInvalidArgument) {
    std::fprintf(stderr, "%s\n", ingestion.summary().c_str());
  }
  return status;
}

}  // namespace

void add_ingest_command(CLI::App& app, const GlobalOptions&, CommandAction& action) {
  auto flags = std::make_shared<IngestFlags>();
  auto* command = app.add_subcommand(
      "ingest",
      "Produce random users to Kafka as created users (key = id, value = JSON), like the "
      "stream_data_from_api task");
  command->add_option("--topic", flags->topic, "Topic to produce to")->capture_default_str();
  command->add_option("--users,-n", flags->users, "Stop after this many users (0: no limit)")
      ->capture_default_str();
  command->add_option("--for", flags->duration,
                      "Stop after this long, e.g. 60s, 5m, 1h (default: no limit)");
  command->add_option("--rate", flags->rate, "Users per second at most (0: as fast as possible)")
      ->capture_default_str();
  command
      ->add_option("--source-url", flags->source_url,
                   "A randomuser-compatible API, e.g. https://randomuser.me/api/ (default: the "
                   "embedded generator)")
      ->envname("RUNNEL_SOURCE_URL");
  command->add_option("--seed", flags->seed, "Same seed gives the same users");
  command->add_option("--nat", flags->nationalities, "Nationalities, comma separated (AU,...,US)");
  command->add_option("--compression", flags->compression, "lz4, zstd or none")
      ->check(CLI::IsMember({"lz4", "zstd", "none"}))
      ->capture_default_str();
  add_kafka_options(*command, flags->kafka);
  command->callback([flags, &action] { action = [flags] { return ingest(*flags); }; });
}

}  // namespace runnel::cli

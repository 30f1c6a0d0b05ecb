#include "stream/user_ingestion.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "stream/created_user_feed.h"
#include "stream/ingestion_bounds.h"
#include "stream/rate_limiter.h"

namespace runnel::stream {
namespace {

using namespace std::chrono_literals;

// librdkafka's queue of undelivered records, in records. The producer loop
// never lets more be in flight, so produce() does not block on a full queue
// and stop() is seen while the cluster is slow.
constexpr std::int64_t kQueueCapacity = 100000;
constexpr auto kConnectSlice = 250ms;  // stop() is seen between slices
constexpr auto kFlushSlice = 200ms;    // progress is published between slices
constexpr auto kFlushMargin = 5s;      // for the last records' reports to arrive

std::int64_t queue_capacity(const kafka::Properties& properties) {
  const auto found = properties.find("queue.buffering.max.messages");
  if (found == properties.end()) return kQueueCapacity;
  std::int64_t capacity = 0;
  const auto& text = found->second;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), capacity);
  return error == std::errc() && capacity > 0 ? capacity : kQueueCapacity;
}

}  // namespace

double IngestionProgress::users_per_second() const {
  return elapsed.count() > 0 ? static_cast<double>(delivered) / elapsed.count() : 0;
}

std::string with_thousands(std::int64_t number) {
  std::string digits = std::to_string(number < 0 ? -number : number);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return number < 0 ? "-" + text : text;
}

UserIngestion::UserIngestion(IngestionOptions options) : options_(std::move(options)) {}

Result<kafka::Properties> UserIngestion::producer_properties() const {
  const auto& compression = options_.compression;
  if (compression != "lz4" && compression != "zstd" && compression != "none") {
    return invalid_argument("compression must be lz4, zstd or none, not '" + compression + "'");
  }
  kafka::Properties properties{
      {"acks", "all"},
      {"enable.idempotence", "true"},
      {"linger.ms", "10"},
      {"batch.size", "1000000"},
      {"batch.num.messages", "10000"},
      {"compression.type", compression},
      {"queue.buffering.max.messages", std::to_string(kQueueCapacity)},
      {"message.timeout.ms", std::to_string(options_.delivery_timeout.count())},
  };
  for (const auto& [name, value] : options_.kafka) properties.insert_or_assign(name, value);
  return properties;
}

Status UserIngestion::run() {
  if (options_.topic.empty()) return invalid_argument("the topic name is empty");
  if (options_.users < 0) return invalid_argument("the number of users must not be negative");
  if (options_.duration < 0ms) return invalid_argument("the duration must not be negative");
  if (options_.rate < 0) return invalid_argument("the rate must not be negative");
  if (options_.delivery_timeout <= 0ms) return invalid_argument("the delivery timeout must be positive");
  auto properties = producer_properties();
  if (!properties) return properties.status();
  auto source = make_user_source(options_.source);
  if (!source) return source.status();
  auto producer = kafka::Producer::create(*properties);
  if (!producer) return producer.status();

  const auto connect_deadline = Clock::now() + options_.connect_timeout;
  Status connected;
  do {
    connected = producer->connect(kConnectSlice);
  } while (!connected.is_ok() && !stopping() && Clock::now() < connect_deadline);
  if (stopping()) return Status::ok();
  if (!connected.is_ok()) {
    const auto servers = properties->find("bootstrap.servers");
    return unavailable("cannot reach Kafka at " +
                       (servers == properties->end() ? std::string("?") : servers->second) +
                       " within " + std::to_string(options_.connect_timeout.count()) +
                       " ms: " + connected.message());
  }

  started_.store(Clock::now().time_since_epoch().count());
  Status produced = produce_users(**source, *producer, queue_capacity(*properties));
  if (!produced.is_ok()) {
    produced = Status(produced.code(),
                      "source " + (*source)->description() + ": " + produced.message());
  }
  const Status flushed = flush(*producer);
  finished_.store(Clock::now().time_since_epoch().count());
  if (produced.is_ok()) return flushed;
  if (flushed.is_ok()) return produced;
  return Status(produced.code(), produced.message() + "; " + flushed.message());
}

Status UserIngestion::produce_users(UserSource& source, kafka::Producer& producer,
                                    std::int64_t max_in_flight) {
  const auto start = Clock::now();
  const IngestionBounds bounds(options_.users, options_.duration, start);
  RateLimiter limiter(options_.rate, start);
  CreatedUserFeed feed(source, options_.users);

  std::vector<CreatedUserRecord> batch;
  kafka::ProducerRecord record;
  record.topic = options_.topic;
  std::int64_t produced = 0;
  while (!stopping() && !bounds.reached(produced, Clock::now())) {
    if (auto status = feed.next(batch, stop_.get_token()); !status.is_ok()) return status;
    if (batch.empty()) return Status::ok();  // the count reached, or stopped
    for (auto& created : batch) {
      while (!limiter.unlimited() && limiter.take(1, Clock::now()) == 0) {
        auto until = Clock::now() + limiter.wait_time(Clock::now());
        if (bounds.deadline()) until = std::min(until, *bounds.deadline());
        wait_until(until);
        if (stopping() || bounds.reached(produced, Clock::now())) return Status::ok();
      }
      while (produced - producer.delivered() - producer.failed() >= max_in_flight) {
        producer.poll(10ms);
        publish(producer);
        if (stopping()) return Status::ok();
      }
      if (stopping() || bounds.reached(produced, Clock::now())) return Status::ok();
      record.key = std::move(created.key);
      record.value = std::move(created.value);
      if (auto status = producer.produce(record); !status.is_ok()) return status;
      produced_.store(++produced, std::memory_order_relaxed);
    }
    publish(producer);
    // A failed delivery ends the ingestion; flush() reports it.
    if (producer.failed() > 0) return Status::ok();
  }
  return Status::ok();
}

void UserIngestion::wait_until(Clock::time_point until) {
  std::unique_lock lock(mutex_);
  wake_.wait_until(lock, stop_.get_token(), until, [] { return false; });
}

Status UserIngestion::flush(kafka::Producer& producer) {
  const auto deadline = Clock::now() + options_.delivery_timeout + kFlushMargin;
  while (true) {
    Status status = producer.flush(kFlushSlice);
    publish(producer);
    // Deadline exceeded: records are still in flight, not failed.
    if (status.code() != StatusCode::kDeadlineExceeded || Clock::now() >= deadline) return status;
  }
}

void UserIngestion::publish(const kafka::Producer& producer) {
  delivered_.store(producer.delivered(), std::memory_order_relaxed);
  failed_.store(producer.failed(), std::memory_order_relaxed);
}

void UserIngestion::stop() { stop_.request_stop(); }

IngestionProgress UserIngestion::progress() const {
  IngestionProgress progress;
  progress.produced = produced_.load(std::memory_order_relaxed);
  progress.delivered = delivered_.load(std::memory_order_relaxed);
  progress.failed = failed_.load(std::memory_order_relaxed);
  const Clock::rep started = started_.load();
  if (started != 0) {
    const Clock::rep finished = finished_.load();
    const Clock::rep end = finished != 0 ? finished : Clock::now().time_since_epoch().count();
    progress.elapsed = Clock::duration(end - started);
  }
  return progress;
}

std::string UserIngestion::status_line() const {
  const IngestionProgress now = progress();
  return fmt::format("{}: {} produced, {} delivered, {} failed, {:.1f} s, {} users/s",
                     options_.topic, with_thousands(now.produced), with_thousands(now.delivered),
                     with_thousands(now.failed), now.elapsed.count(),
                     with_thousands(static_cast<std::int64_t>(now.users_per_second())));
}

std::string UserIngestion::summary() const {
  const IngestionProgress end = progress();
  std::string line = fmt::format("produced {} users to {} in {:.1f} s ({} users/s), {} failed",
                                 with_thousands(end.delivered), options_.topic,
                                 end.elapsed.count(),
                                 with_thousands(static_cast<std::int64_t>(end.users_per_second())),
                                 with_thousands(end.failed));
  const std::int64_t unacknowledged = end.produced - end.delivered - end.failed;
  if (unacknowledged > 0) line += ", " + with_thousands(unacknowledged) + " unacknowledged";
  return line;
}

}  // namespace runnel::stream

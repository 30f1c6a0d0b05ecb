// The ingestion stage (the classic stack's Airflow task
// `stream_data_from_api`): users from a source become created users and
// are produced to a Kafka topic, key = the user's id, value = its JSON.
//
// The producer is idempotent with acks=all, batches (linger.ms 10, large
// batches) and compresses (lz4 by default). Every delivery report is
// counted: run() succeeds only when every user produced was delivered;
// otherwise its error says how many failed and the first reason.
//
// Threads: run() owns the source and the producer and runs on one thread,
// with a CreatedUserFeed making the records ahead on another; stop(),
// progress() and status_line() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stop_token>
#include <string>

#include "common/kafka_client.h"
#include "common/status.h"
#include "stream/user_source.h"

namespace runnel::stream {

inline constexpr std::string_view kUsersCreatedTopic = "users_created";

struct IngestionOptions {
  // bootstrap.servers and any librdkafka property; these win over the
  // producer settings the ingestion chooses (acks, idempotence, batching,
  // compression, message timeout).
  kafka::Properties kafka;
  std::string topic{kUsersCreatedTopic};
  UserSourceOptions source;  // the embedded generator by default

  // Bounds: the first reached ends the ingestion; with neither it runs
  // until stop().
  std::int64_t users = 0;                   // 0: no count limit
  std::chrono::milliseconds duration{0};    // zero: no time limit
  double rate = 0;                          // users per second; 0: as fast as possible

  std::string compression = "lz4";          // "lz4", "zstd" or "none"
  std::chrono::milliseconds connect_timeout{10000};   // until the cluster first answers
  std::chrono::milliseconds delivery_timeout{30000};  // a record's message.timeout.ms
};

struct IngestionProgress {
  std::int64_t produced = 0;   // handed to the producer
  std::int64_t delivered = 0;  // acknowledged by the cluster
  std::int64_t failed = 0;     // delivery failed
  std::chrono::duration<double> elapsed{0};  // since producing started, until flushed

  // Delivered users per second of elapsed time.
  double users_per_second() const;
};

class UserIngestion {
 public:
  explicit UserIngestion(IngestionOptions options);
  UserIngestion(const UserIngestion&) = delete;
  UserIngestion& operator=(const UserIngestion&) = delete;

  // Checks the options (an invalid argument when wrong), reaches the
  // cluster (unavailable within connect_timeout when it cannot), then
  // produces until a bound is reached, stop() is called, the source fails
  // or a delivery fails, and flushes what was produced. Ok only when every
  // produced user was delivered. Call once.
  Status run();

  // Ends run() promptly: no more users are taken from the source, and what
  // was produced is flushed. May be called before or during run().
  void stop();

  IngestionProgress progress() const;

  // "users_created: 12,000 produced, 11,500 delivered, 0 failed, 3.2 s,
  // 3,600 users/s", for a live status display.
  std::string status_line() const;

  // "produced 12,000 users to users_created in 3.3 s (3,636 users/s), 0
  // failed": the line a finished run reports.
  std::string summary() const;

 private:
  using Clock = std::chrono::steady_clock;

  Result<kafka::Properties> producer_properties() const;
  // Never more than `max_in_flight` records await their delivery report.
  Status produce_users(UserSource& source, kafka::Producer& producer,
                       std::int64_t max_in_flight);
  // Waits until `until` or stop(), whichever comes first.
  void wait_until(Clock::time_point until);
  Status flush(kafka::Producer& producer);
  void publish(const kafka::Producer& producer);
  bool stopping() const { return stop_.stop_requested(); }

  const IngestionOptions options_;

  std::stop_source stop_;  // stop() requests it
  std::mutex mutex_;       // guards nothing but the waits on wake_
  std::condition_variable_any wake_;

  // Progress, written by run()'s thread only.
  std::atomic<std::int64_t> produced_{0};
  std::atomic<std::int64_t> delivered_{0};
  std::atomic<std::int64_t> failed_{0};
  std::atomic<Clock::rep> started_{0};   // Clock ticks; 0: not started
  std::atomic<Clock::rep> finished_{0};  // Clock ticks; 0: still running
};

// 1234567 as "1,234,567".
std::string with_thousands(std::int64_t number);

}  // namespace runnel::stream

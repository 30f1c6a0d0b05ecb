// A sink that keeps every batch in memory, as Spark's memory sink: for
// tests. Its state outlives the sink (a shared CollectedBatches), so that a
// second query run can reopen "the same destination". It can be told to
// store offsets (as an exactly-once sink does) and to fail writes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "stream/sink.h"

namespace runnel::stream::testing {

struct CollectedBatches {
  mutable std::mutex mutex;
  // GUARDED_BY(mutex):
  std::vector<Batch> batches;                // written successfully, in order
  std::vector<SourceOffset> stored_offsets;  // with stores_offsets: what open() returns
  int failures_to_come = 0;                  // the next writes that fail; -1: every write
  int write_attempts = 0;
  std::chrono::milliseconds write_time{0};  // how long each write takes
  int writes_in_progress = 0;
  int most_writes_at_once = 0;
  // Writes wait for request_stop(), as a sink waiting for its destination
  // to come back, then fail as unavailable.
  bool writes_wait_for_stop = false;
  int stop_requests = 0;
  std::condition_variable stop_requested;  // with mutex

  // Waits until a write was attempted, at most `limit`; whether one was.
  bool await_write_attempt(std::chrono::milliseconds limit) const;

  // Copies, under the mutex.
  std::vector<Batch> snapshot() const;
  std::vector<Row> rows() const;
};

class CollectingSink : public Sink {
 public:
  CollectingSink(std::shared_ptr<CollectedBatches> state, bool stores_offsets)
      : state_(std::move(state)), stores_offsets_(stores_offsets) {}

  std::string name() const override { return "collecting"; }
  Result<std::vector<SourceOffset>> open(const Schema& schema, const std::string& job) override;
  Status write(const Batch& batch) override;
  bool stores_offsets() const override { return stores_offsets_; }
  void request_stop() override;

 private:
  std::shared_ptr<CollectedBatches> state_;
  bool stores_offsets_;
};

}  // namespace runnel::stream::testing

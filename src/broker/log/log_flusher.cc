#include "broker/log/log_flusher.h"

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "broker/log/partition_log.h"

namespace runnel::broker {

struct LogFlusher::State {
  struct Waiter {
    std::shared_ptr<PartitionLog> log;
    int64_t offset;
    std::function<void(Status)> done;
  };

  std::mutex mutex;
  std::condition_variable wake;
  std::vector<Waiter> pending;  // guarded by mutex
  bool stopping = false;        // guarded by mutex
  std::thread thread;

  // Each round takes every waiter that arrived while the previous round was
  // syncing and flushes each of their logs once.
  void run() {
    std::vector<Waiter> round;
    while (true) {
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !pending.empty(); });
        if (pending.empty()) return;  // stopping, and drained
        round = std::exchange(pending, {});
      }
      flush_round(round);
      round.clear();
    }
  }

  static void flush_round(std::vector<Waiter>& round) {
    std::vector<std::pair<PartitionLog*, Result<int64_t>>> flushed;
    for (Waiter& waiter : round) {
      Result<int64_t>* durable = nullptr;
      for (auto& [log, result] : flushed) {
        if (log == waiter.log.get()) durable = &result;
      }
      if (durable == nullptr) durable = &flushed.emplace_back(waiter.log.get(), waiter.log->flush()).second;
      if (!durable->is_ok()) {
        waiter.done(durable->status());
      } else if (**durable < waiter.offset) {
        waiter.done(internal_error("log durable to " + std::to_string(**durable) + ", not " +
                                   std::to_string(waiter.offset)));
      } else {
        waiter.done(Status::ok());
      }
    }
  }
};

LogFlusher::LogFlusher() : state_(std::make_unique<State>()) {
  state_->thread = std::thread([state = state_.get()] { state->run(); });
}

LogFlusher::~LogFlusher() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_one();
  state_->thread.join();
}

void LogFlusher::wait_durable(std::shared_ptr<PartitionLog> log, int64_t offset, std::function<void(Status)> done) {
  {
    std::lock_guard lock(state_->mutex);
    state_->pending.push_back({std::move(log), offset, std::move(done)});
  }
  state_->wake.notify_one();
}

}  // namespace runnel::broker

#include "broker/log/log_flusher.h"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "broker/log/partition_log.h"

namespace runnel::broker {

struct LogFlusher::State {
  // Partitions synced at once in one round; more wait for a free thread.
  static constexpr int kSyncThreads = 8;

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
  boost::asio::thread_pool syncers{kSyncThreads};

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

  // The round's distinct logs are synced at the same time: concurrent
  // fdatasyncs share the file system's journal commit, where one after the
  // other would each wait for their own.
  void flush_round(std::vector<Waiter>& round) {
    std::vector<std::pair<PartitionLog*, Result<int64_t>>> flushed;
    for (Waiter& waiter : round) {
      bool seen = false;
      for (auto& entry : flushed) seen |= entry.first == waiter.log.get();
      if (!seen) flushed.emplace_back(waiter.log.get(), Result<int64_t>(int64_t{0}));
    }
    if (flushed.size() == 1) {
      flushed[0].second = flushed[0].first->flush();
    } else {
      std::latch synced(static_cast<std::ptrdiff_t>(flushed.size()));
      for (auto& entry : flushed) {
        boost::asio::post(syncers, [&entry, &synced] {
          entry.second = entry.first->flush();
          synced.count_down();
        });
      }
      synced.wait();
    }
    for (Waiter& waiter : round) {
      Result<int64_t>* durable = nullptr;
      for (auto& [log, result] : flushed) {
        if (log == waiter.log.get()) durable = &result;
      }
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

void LogFlusher::wait_durable(std::shared_ptr<PartitionLog> log, int64_t offset,
                              std::function<void(Status)> done) {
  {
    std::lock_guard lock(state_->mutex);
    state_->pending.push_back({std::move(log), offset, std::move(done)});
  }
  state_->wake.notify_one();
}

}  // namespace runnel::broker

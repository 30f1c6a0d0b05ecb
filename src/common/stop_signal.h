// A stop request that waits can watch: request(), from any thread, ends
// every wait_for() in progress and every later one at once. Whatever must
// stop together (a sink and its client) shares one.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace runnel {

class StopSignal {
 public:
  void request() {
    {
      std::lock_guard lock(mutex_);
      requested_.store(true, std::memory_order_relaxed);
    }
    woken_.notify_all();
  }

  bool requested() const { return requested_.load(std::memory_order_relaxed); }

  // Waits `duration` unless a stop is or gets requested; true when it is.
  bool wait_for(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return woken_.wait_for(lock, duration, [&] { return requested(); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable woken_;
  std::atomic<bool> requested_{false};  // set under mutex_, so no wait misses it
};

}  // namespace runnel

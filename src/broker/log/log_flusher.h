// Group commit: produce requests with acks=all wait here until their batches
// are on disk. One thread fdatasyncs each partition with waiters once for all
// the requests that arrived while the previous round was syncing.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "common/status.h"

namespace runnel::broker {

class PartitionLog;

class LogFlusher {
 public:
  LogFlusher();
  ~LogFlusher();  // flushes what is pending, calls every waiter, joins the thread

  // Calls `done` (on the flusher thread) once `log` is durable up to at
  // least `offset` (exclusive), or with the error if the sync failed.
  void wait_durable(std::shared_ptr<PartitionLog> log, int64_t offset, std::function<void(Status)> done);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace runnel::broker

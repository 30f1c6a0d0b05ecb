#include "collecting_sink.h"

#include <algorithm>
#include <thread>

namespace runnel::stream::testing {

bool CollectedBatches::await_write_attempt(std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    {
      std::lock_guard lock(mutex);
      if (write_attempts > 0) return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::vector<Batch> CollectedBatches::snapshot() const {
  std::lock_guard lock(mutex);
  return batches;
}

std::vector<Row> CollectedBatches::rows() const {
  std::lock_guard lock(mutex);
  std::vector<Row> rows;
  for (const auto& batch : batches) rows.insert(rows.end(), batch.rows.begin(), batch.rows.end());
  return rows;
}

Result<std::vector<SourceOffset>> CollectingSink::open(const Schema&, const std::string&) {
  std::lock_guard lock(state_->mutex);
  if (!stores_offsets_) return std::vector<SourceOffset>();
  return state_->stored_offsets;
}

void CollectingSink::request_stop() {
  std::lock_guard lock(state_->mutex);
  ++state_->stop_requests;
  state_->stop_requested.notify_all();
}

Status CollectingSink::write(const Batch& batch) {
  std::chrono::milliseconds write_time;
  {
    std::unique_lock lock(state_->mutex);
    if (state_->writes_wait_for_stop) {
      ++state_->write_attempts;
      state_->stop_requested.wait(lock, [&] { return state_->stop_requests > 0; });
      return unavailable("collecting sink: destination gone; stopped waiting for it");
    }
    write_time = state_->write_time;
    ++state_->writes_in_progress;
    state_->most_writes_at_once = std::max(state_->most_writes_at_once, state_->writes_in_progress);
  }
  std::this_thread::sleep_for(write_time);
  std::lock_guard lock(state_->mutex);
  --state_->writes_in_progress;
  ++state_->write_attempts;
  if (state_->failures_to_come != 0) {
    if (state_->failures_to_come > 0) --state_->failures_to_come;
    return unavailable("collecting sink told to fail");
  }
  state_->batches.push_back(batch);
  if (stores_offsets_) {
    for (const auto& end : batch.end_offsets) {
      auto& stored = state_->stored_offsets;
      auto found = std::find_if(stored.begin(), stored.end(), [&](const auto& offset) {
        return offset.topic == end.topic && offset.partition == end.partition;
      });
      if (found == stored.end()) {
        stored.push_back(end);
      } else {
        found->next_offset = end.next_offset;
      }
    }
  }
  return Status::ok();
}

}  // namespace runnel::stream::testing

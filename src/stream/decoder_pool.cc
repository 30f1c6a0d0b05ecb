#include "stream/decoder_pool.h"

#include <algorithm>
#include <utility>

#include "stream/record_decoder.h"

namespace runnel::stream {

DecoderPool::DecoderPool(const Schema& schema, int threads) {
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this, schema] { work(schema); });
}

DecoderPool::~DecoderPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void DecoderPool::work(const Schema& schema) {
  RecordDecoder decoder(schema);
  std::unique_lock lock(mutex_);
  while (true) {
    work_ready_.wait(lock, [&] { return stopping_ || next_task_ < tasks_.size(); });
    if (stopping_) return;
    Task& task = tasks_[next_task_++];
    const MicroBatch& batch = *batch_;
    lock.unlock();

    const auto& records = batch.partitions()[task.partition_index].records;
    task.result.rows.reserve(task.end - task.begin);
    for (std::size_t i = task.begin; i < task.end; ++i) {
      const auto& value = records[i].value;
      if (!value) {
        task.result.failures.push_back({task.partition_index, i, "record has no value"});
        continue;
      }
      auto row = decoder.decode(*value);
      if (row) {
        task.result.rows.push_back(std::move(*row));
      } else {
        task.result.failures.push_back({task.partition_index, i, row.status().message()});
      }
    }

    lock.lock();
    if (--unfinished_ == 0) work_done_.notify_one();
  }
}

DecodedBatch DecoderPool::decode(const MicroBatch& batch) {
  // About two tasks per worker, so that a worker finishing early takes
  // another; never more tasks than records.
  const std::size_t task_count = workers_.size() * 2;
  const std::size_t task_size = std::max<std::size_t>(
      1, (static_cast<std::size_t>(batch.record_count()) + task_count - 1) / task_count);
  std::vector<Task> tasks;
  for (std::size_t p = 0; p < batch.partitions().size(); ++p) {
    const std::size_t size = batch.partitions()[p].records.size();
    for (std::size_t begin = 0; begin < size; begin += task_size) {
      tasks.push_back({.partition_index = p,
                       .begin = begin,
                       .end = std::min(size, begin + task_size),
                       .result = {}});
    }
  }
  {
    std::unique_lock lock(mutex_);
    batch_ = &batch;
    tasks_ = std::move(tasks);
    next_task_ = 0;
    unfinished_ = tasks_.size();
    work_ready_.notify_all();
    work_done_.wait(lock, [&] { return unfinished_ == 0; });
    tasks = std::move(tasks_);
    tasks_.clear();
    next_task_ = 0;
    batch_ = nullptr;
  }
  DecodedBatch decoded;
  decoded.rows.reserve(static_cast<std::size_t>(batch.record_count()));
  for (auto& task : tasks) {
    std::move(task.result.rows.begin(), task.result.rows.end(), std::back_inserter(decoded.rows));
    std::move(task.result.failures.begin(), task.result.failures.end(),
              std::back_inserter(decoded.failures));
  }
  return decoded;
}

}  // namespace runnel::stream

// The worker threads that decode a micro-batch: where a streaming query
// spends its CPU. Each worker owns a RecordDecoder. A batch is cut into
// tasks, each a contiguous run of one partition's records, so that several
// workers share a busy partition; results are put back in record order, so
// every partition keeps its order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "stream/micro_batch.h"
#include "stream/schema.h"

namespace runnel::stream {

// A record that did not decode: its place in the batch and why.
struct DecodeFailure {
  std::size_t partition_index = 0;  // into MicroBatch::partitions()
  std::size_t record_index = 0;     // into that partition's records
  std::string reason;
};

struct DecodedBatch {
  std::vector<Row> rows;  // partition by partition, each in offset order
  std::vector<DecodeFailure> failures;  // in the same order
};

class DecoderPool {
 public:
  // Starts `threads` workers, each with a decoder for `schema`.
  // REQUIRES: threads >= 1
  DecoderPool(const Schema& schema, int threads);
  // Joins the workers.
  ~DecoderPool();
  DecoderPool(const DecoderPool&) = delete;
  DecoderPool& operator=(const DecoderPool&) = delete;

  // Decodes every record's value; a record without a value fails. Blocks
  // until done. Not safe for concurrent calls.
  DecodedBatch decode(const MicroBatch& batch);

 private:
  struct Task {
    std::size_t partition_index = 0;
    std::size_t begin = 0;  // record indexes [begin, end)
    std::size_t end = 0;
    DecodedBatch result;
  };

  void work(const Schema& schema);

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  // GUARDED_BY(mutex_): the batch being decoded, its tasks, the next task
  // to take and how many are unfinished; `stopping_` ends the workers.
  const MicroBatch* batch_ = nullptr;
  std::vector<Task> tasks_;
  std::size_t next_task_ = 0;
  std::size_t unfinished_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace runnel::stream

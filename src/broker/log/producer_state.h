// Idempotent producers' state in one partition: per producer id, its epoch
// and the sequence numbers and offsets of its last five batches, so that a
// retried batch is recognised and answered with the offsets it got the first
// time, and a gap or a stale producer is refused. Rebuilt on open from the
// log's batch headers.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>

#include "broker/log/record_batch.h"
#include "broker/protocol/error_code.h"

namespace runnel::broker {

struct ProducerBatch {
  int32_t first_sequence;
  int32_t last_sequence;
  int64_t base_offset;
  int64_t last_offset;
};

// What to do with an idempotent batch.
struct SequenceVerdict {
  ErrorCode error = ErrorCode::kNone;
  std::optional<ProducerBatch> duplicate_of;  // set: append nothing, answer these offsets
};

class ProducerState {
 public:
  static constexpr size_t kRememberedBatches = 5;

  // Kafka's rules: a new producer starts at sequence 0; a lower epoch is
  // fenced; a higher epoch starts again at 0; within an epoch a batch follows
  // the last sequence or repeats one of the remembered batches.
  SequenceVerdict check(const BatchHeader& batch) const;
  // Records an appended batch (its header carries the assigned offsets).
  void record(const BatchHeader& batch);

  int16_t epoch() const { return epoch_; }
  bool known() const { return !batches_.empty(); }

 private:
  int16_t epoch_ = -1;
  std::deque<ProducerBatch> batches_;  // oldest first
};

class ProducerStateTable {
 public:
  // The producer's state, or an unknown producer's (empty) one.
  ProducerState get(int64_t producer_id) const;
  void put(int64_t producer_id, const ProducerState& state) { producers_[producer_id] = state; }
  // For recovery: records a batch read back from the log, without checks.
  void replay(const BatchHeader& batch);
  size_t size() const { return producers_.size(); }

 private:
  std::unordered_map<int64_t, ProducerState> producers_;
};

}  // namespace runnel::broker

#include "broker/log/producer_state.h"

#include <limits>

namespace runnel::broker {
namespace {

int32_t next_sequence(int32_t sequence) {
  return sequence == std::numeric_limits<int32_t>::max() ? 0 : sequence + 1;
}

}  // namespace

SequenceVerdict ProducerState::check(const BatchHeader& batch) const {
  if (!known() || batch.producer_epoch > epoch_) {
    if (batch.base_sequence != 0) {
      return {ErrorCode::kOutOfOrderSequenceNumber, std::nullopt};
    }
    return {};
  }
  if (batch.producer_epoch < epoch_) return {ErrorCode::kInvalidProducerEpoch, std::nullopt};
  int32_t last = batch.last_sequence();
  for (const ProducerBatch& b : batches_) {
    if (b.first_sequence == batch.base_sequence && b.last_sequence == last) return {ErrorCode::kNone, b};
  }
  if (batch.base_sequence != next_sequence(batches_.back().last_sequence)) {
    return {ErrorCode::kOutOfOrderSequenceNumber, std::nullopt};
  }
  return {};
}

void ProducerState::record(const BatchHeader& batch) {
  if (batch.producer_epoch != epoch_) {
    epoch_ = batch.producer_epoch;
    batches_.clear();
  }
  batches_.push_back({batch.base_sequence, batch.last_sequence(), batch.base_offset, batch.last_offset()});
  if (batches_.size() > kRememberedBatches) batches_.pop_front();
}

ProducerState ProducerStateTable::get(int64_t producer_id) const {
  auto it = producers_.find(producer_id);
  return it == producers_.end() ? ProducerState() : it->second;
}

void ProducerStateTable::replay(const BatchHeader& batch) {
  if (batch.is_idempotent()) producers_[batch.producer_id].record(batch);
}

}  // namespace runnel::broker

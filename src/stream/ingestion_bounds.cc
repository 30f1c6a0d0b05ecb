#include "stream/ingestion_bounds.h"

#include <algorithm>

namespace runnel::stream {

IngestionBounds::IngestionBounds(std::int64_t users, Clock::duration duration,
                                 Clock::time_point start)
    : users_(std::max<std::int64_t>(users, 0)) {
  if (duration > Clock::duration::zero()) deadline_ = start + duration;
}

std::int64_t IngestionBounds::allowance(std::int64_t produced, std::int64_t batch,
                                        Clock::time_point now) const {
  if (deadline_ && now >= *deadline_) return 0;
  if (users_ == 0) return std::max<std::int64_t>(batch, 0);
  return std::clamp<std::int64_t>(users_ - produced, 0, batch);
}

}  // namespace runnel::stream

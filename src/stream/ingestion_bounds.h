// When an ingestion ends: after a number of users, after a duration, or
// neither (it runs until stopped). Pure: the caller passes what it has
// produced and the time, so the limits are testable without a clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace runnel::stream {

class IngestionBounds {
 public:
  using Clock = std::chrono::steady_clock;

  // `users` 0: no count limit; `duration` zero: no time limit. Both may be
  // set; the first reached ends the ingestion.
  IngestionBounds(std::int64_t users, Clock::duration duration, Clock::time_point start);

  // How many more users may be produced, at most `batch`; 0 when a limit is
  // reached.
  std::int64_t allowance(std::int64_t produced, std::int64_t batch, Clock::time_point now) const;

  bool reached(std::int64_t produced, Clock::time_point now) const {
    return allowance(produced, 1, now) == 0;
  }

  // The moment the time limit ends the ingestion, if there is one.
  std::optional<Clock::time_point> deadline() const { return deadline_; }

 private:
  std::int64_t users_;  // 0: unlimited
  std::optional<Clock::time_point> deadline_;
};

}  // namespace runnel::stream

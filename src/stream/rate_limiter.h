// A token bucket that paces a stream of users to a rate. Time is passed in,
// never read, so the pacing is exact and testable without sleeping.
//
// Invariants: 0 <= tokens_ <= capacity_; tokens accrue at `rate` per second
// from the last time refill saw. Not thread-safe: one producer loop owns it.
#pragma once

#include <chrono>
#include <cstdint>

namespace runnel::stream {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `per_second` 0 (or less): unlimited, take() always grants all. The
  // bucket starts full and holds `burst` tokens at most (at least one); the
  // default is 50 ms worth of the rate.
  RateLimiter(double per_second, Clock::time_point start);
  RateLimiter(double per_second, double burst, Clock::time_point start);

  bool unlimited() const { return rate_ <= 0; }

  // Takes up to `wanted` whole tokens available at `now`; answers how many
  // were taken (0 when the bucket holds less than one).
  std::int64_t take(std::int64_t wanted, Clock::time_point now);

  // How long from `now` until take() grants at least one token; zero when
  // it would grant one now or the limiter is unlimited.
  Clock::duration wait_time(Clock::time_point now);

 private:
  void refill(Clock::time_point now);

  double rate_;      // tokens per second; <= 0: unlimited
  double capacity_;  // the most tokens the bucket holds
  double tokens_;
  Clock::time_point last_;
};

}  // namespace runnel::stream

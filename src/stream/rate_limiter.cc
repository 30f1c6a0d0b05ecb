#include "stream/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace runnel::stream {
namespace {

constexpr double kDefaultBurstSeconds = 0.05;

}  // namespace

RateLimiter::RateLimiter(double per_second, Clock::time_point start)
    : RateLimiter(per_second, per_second * kDefaultBurstSeconds, start) {}

RateLimiter::RateLimiter(double per_second, double burst, Clock::time_point start)
    : rate_(per_second),
      capacity_(std::max(1.0, burst)),
      tokens_(rate_ > 0 ? capacity_ : 0),
      last_(start) {}

void RateLimiter::refill(Clock::time_point now) {
  if (now <= last_) return;
  const double seconds = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(capacity_, tokens_ + seconds * rate_);
  last_ = now;
}

std::int64_t RateLimiter::take(std::int64_t wanted, Clock::time_point now) {
  if (wanted <= 0) return 0;
  if (unlimited()) return wanted;
  refill(now);
  const auto granted = std::min(wanted, static_cast<std::int64_t>(std::floor(tokens_)));
  tokens_ -= static_cast<double>(granted);
  return granted;
}

RateLimiter::Clock::duration RateLimiter::wait_time(Clock::time_point now) {
  if (unlimited()) return Clock::duration::zero();
  refill(now);
  if (tokens_ >= 1) return Clock::duration::zero();
  const std::chrono::duration<double> seconds((1 - tokens_) / rate_);
  // Rounded up, so that waiting this long always yields a token.
  return std::chrono::ceil<Clock::duration>(seconds) + Clock::duration(1);
}

}  // namespace runnel::stream

#include "stream/rate_limiter.h"

#include <gtest/gtest.h>

namespace runnel::stream {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

TEST(RateLimiter, UnlimitedGrantsEverythingAndNeverWaits) {
  const auto start = Clock::now();
  RateLimiter limiter(0, start);
  EXPECT_TRUE(limiter.unlimited());
  EXPECT_EQ(limiter.take(1'000'000, start), 1'000'000);
  EXPECT_EQ(limiter.wait_time(start), Clock::duration::zero());
}

TEST(RateLimiter, StartsWithAFullBurstThenPacesToTheRate) {
  const auto start = Clock::now();
  RateLimiter limiter(1000, 10, start);
  EXPECT_EQ(limiter.take(100, start), 10);  // the burst
  EXPECT_EQ(limiter.take(1, start), 0);
  EXPECT_EQ(limiter.take(100, start + 5ms), 5);
  EXPECT_EQ(limiter.take(100, start + 5ms), 0);
  // Over a second, the rate and never more than it (plus the burst).
  std::int64_t taken = 0;
  for (auto now = start + 5ms; now <= start + 1005ms; now += 1ms) taken += limiter.take(100, now);
  EXPECT_NEAR(taken, 1000, 1);
}

TEST(RateLimiter, TokensDoNotAccrueBeyondTheBurst) {
  const auto start = Clock::now();
  RateLimiter limiter(100, 5, start);
  EXPECT_EQ(limiter.take(5, start), 5);
  // An hour idle still gives only a burst.
  EXPECT_EQ(limiter.take(1000, start + 1h), 5);
}

TEST(RateLimiter, WaitTimeYieldsAToken) {
  const auto start = Clock::now();
  RateLimiter limiter(4, 1, start);  // a token every 250 ms
  EXPECT_EQ(limiter.take(1, start), 1);
  const auto wait = limiter.wait_time(start);
  EXPECT_GE(wait, 249ms);
  EXPECT_LE(wait, 251ms);
  EXPECT_EQ(limiter.take(1, start + wait - 2ms), 0);
  EXPECT_EQ(limiter.take(1, start + wait), 1);
}

TEST(RateLimiter, DefaultBurstIsAtLeastOneUser) {
  const auto start = Clock::now();
  RateLimiter slow(2, start);  // 50 ms of 2/s is a tenth of a user
  EXPECT_EQ(slow.take(10, start), 1);
  EXPECT_EQ(slow.take(10, start + 400ms), 0);
  EXPECT_EQ(slow.take(10, start + 600ms), 1);
  RateLimiter fast(100'000, start);  // 50 ms worth
  EXPECT_EQ(fast.take(1'000'000, start), 5000);
}

TEST(RateLimiter, TimeGoingBackwardsGrantsNothingExtra) {
  const auto start = Clock::now();
  RateLimiter limiter(1000, 1, start);
  EXPECT_EQ(limiter.take(1, start + 10ms), 1);
  EXPECT_EQ(limiter.take(1, start), 0);
}

TEST(RateLimiter, NonPositiveRequestsTakeNothing) {
  const auto start = Clock::now();
  RateLimiter limiter(1000, 10, start);
  EXPECT_EQ(limiter.take(0, start), 0);
  EXPECT_EQ(limiter.take(-3, start), 0);
  EXPECT_EQ(limiter.take(100, start), 10);
}

}  // namespace
}  // namespace runnel::stream

#include "stream/ingestion_bounds.h"

#include <gtest/gtest.h>

namespace runnel::stream {
namespace {

using namespace std::chrono_literals;
using Clock = IngestionBounds::Clock;

TEST(IngestionBounds, CountLimitGrantsExactlyTheRemainder) {
  const auto start = Clock::now();
  const IngestionBounds bounds(1000, Clock::duration::zero(), start);
  EXPECT_EQ(bounds.allowance(0, 256, start), 256);
  EXPECT_EQ(bounds.allowance(900, 256, start), 100);
  EXPECT_EQ(bounds.allowance(1000, 256, start), 0);
  EXPECT_EQ(bounds.allowance(1200, 256, start), 0);
  EXPECT_FALSE(bounds.reached(999, start + 10h));
  EXPECT_TRUE(bounds.reached(1000, start));
  EXPECT_FALSE(bounds.deadline());
}

TEST(IngestionBounds, TimeLimitEndsAtTheDeadline) {
  const auto start = Clock::now();
  const IngestionBounds bounds(0, 60s, start);
  ASSERT_TRUE(bounds.deadline());
  EXPECT_EQ(*bounds.deadline(), start + 60s);
  EXPECT_EQ(bounds.allowance(5'000'000, 5000, start + 59s), 5000);
  EXPECT_EQ(bounds.allowance(0, 5000, start + 60s), 0);
  EXPECT_TRUE(bounds.reached(0, start + 61s));
}

TEST(IngestionBounds, FirstLimitReachedWins) {
  const auto start = Clock::now();
  const IngestionBounds bounds(100, 1s, start);
  EXPECT_EQ(bounds.allowance(40, 256, start), 60);
  EXPECT_TRUE(bounds.reached(100, start));      // the count first
  EXPECT_TRUE(bounds.reached(10, start + 1s));  // the time first
}

TEST(IngestionBounds, NoLimitsNeverEnd) {
  const auto start = Clock::now();
  const IngestionBounds bounds(0, Clock::duration::zero(), start);
  EXPECT_EQ(bounds.allowance(1'000'000'000, 256, start + 1000h), 256);
  EXPECT_FALSE(bounds.reached(1'000'000'000, start + 1000h));
}

TEST(IngestionBounds, NegativeLimitsMeanNoLimit) {
  const auto start = Clock::now();
  const IngestionBounds bounds(-5, -1s, start);
  EXPECT_FALSE(bounds.deadline());
  EXPECT_EQ(bounds.allowance(10, 256, start), 256);
}

}  // namespace
}  // namespace runnel::stream

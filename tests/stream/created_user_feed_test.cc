#include "stream/created_user_feed.h"

#include <gtest/gtest.h>

#include "datagen/created_user.h"
#include "datagen/user_generator.h"

namespace runnel::stream {
namespace {

datagen::GeneratorOptions seeded() {
  datagen::GeneratorOptions options;
  options.seed = "feed";
  return options;
}

// The generator's users in batches of `batch`, failing with `failure`
// after `good_batches` batches when that is not negative.
class ScriptedSource final : public UserSource {
 public:
  ScriptedSource(std::int64_t batch, int good_batches = -1)
      : generator_(seeded()), batch_(batch), good_batches_(good_batches) {}

  Status next_batch(std::int64_t count, std::vector<datagen::RandomUser>& users) override {
    if (good_batches_ >= 0 && served_ == good_batches_) return unavailable("the source broke");
    ++served_;
    requests.push_back(count);
    users.resize(static_cast<std::size_t>(std::min(count, batch_)));
    for (auto& user : users) generator_.next(user);
    return Status::ok();
  }
  std::int64_t max_batch() const override { return batch_; }
  std::string description() const override { return "scripted"; }

  std::vector<std::int64_t> requests;  // read after the feed is gone

 private:
  datagen::UserGenerator generator_;
  std::int64_t batch_;
  int good_batches_;
  int served_ = 0;
};

std::vector<std::string> expected_ids(std::int64_t count) {
  datagen::UserGenerator generator(seeded());
  std::vector<std::string> ids;
  datagen::RandomUser user;
  for (std::int64_t i = 0; i < count; ++i) {
    generator.next(user);
    ids.push_back(user.login.uuid);
  }
  return ids;
}

TEST(CreatedUserFeed, LimitGivesExactlyThatManyRecordsInTheSourcesOrder) {
  ScriptedSource source(100);
  std::vector<std::string> keys;
  {
    CreatedUserFeed feed(source, 1050);
    std::vector<CreatedUserRecord> batch;
    std::stop_source never;
    while (true) {
      ASSERT_TRUE(feed.next(batch, never.get_token()).is_ok());
      if (batch.empty()) break;
      for (const auto& record : batch) {
        EXPECT_NE(record.value.find("\"id\":\"" + record.key + "\""), std::string::npos);
        keys.push_back(record.key);
      }
    }
  }
  EXPECT_EQ(keys, expected_ids(1050));
  // Full batches, then the rest: a seeded URL source sees the same pages.
  EXPECT_EQ(source.requests.size(), 11u);
  EXPECT_EQ(source.requests.front(), 100);
  EXPECT_EQ(source.requests.back(), 50);
}

TEST(CreatedUserFeed, SourceErrorComesAfterTheGoodBatches) {
  ScriptedSource source(10, 3);
  CreatedUserFeed feed(source, 0);
  std::vector<CreatedUserRecord> batch;
  std::stop_source never;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(feed.next(batch, never.get_token()).is_ok());
    EXPECT_EQ(batch.size(), 10u);
  }
  const Status status = feed.next(batch, never.get_token());
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "the source broke");
  EXPECT_TRUE(batch.empty());
}

TEST(CreatedUserFeed, UnlimitedFeedStopsWhenAsked) {
  ScriptedSource source(50);
  CreatedUserFeed feed(source, 0);
  std::vector<CreatedUserRecord> batch;
  std::stop_source stop;
  ASSERT_TRUE(feed.next(batch, stop.get_token()).is_ok());
  EXPECT_EQ(batch.size(), 50u);
  stop.request_stop();
  // Batches already made may still be handed out; a stopped wait answers
  // an empty batch instead of blocking.
  for (int i = 0; i < 10 && !batch.empty(); ++i) {
    ASSERT_TRUE(feed.next(batch, stop.get_token()).is_ok());
  }
  EXPECT_TRUE(batch.empty());
}

}  // namespace
}  // namespace runnel::stream

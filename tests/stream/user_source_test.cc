#include "stream/user_source.h"

#include <gtest/gtest.h>

#include <set>

#include "../datagen/running_api.h"
#include "datagen/created_user.h"

namespace runnel::stream {
namespace {

UserSourceOptions source_options(std::string url, std::string seed,
                                 std::string nationalities = "") {
  return {std::move(url), std::move(seed), std::move(nationalities)};
}

std::vector<std::string> ids_of(UserSource& source, std::int64_t count) {
  std::vector<std::string> ids;
  std::vector<datagen::RandomUser> batch;
  while (static_cast<std::int64_t>(ids.size()) < count) {
    const auto wanted = std::min(count - static_cast<std::int64_t>(ids.size()), source.max_batch());
    EXPECT_TRUE(source.next_batch(wanted, batch).is_ok());
    EXPECT_GE(batch.size(), 1u);
    EXPECT_LE(static_cast<std::int64_t>(batch.size()), wanted);
    for (const auto& user : batch) ids.push_back(datagen::to_created_user(user).id);
  }
  return ids;
}

TEST(UserSource, GeneratorRepeatsForTheSameSeed) {
  auto first = make_user_source(source_options("", "ingest"));
  auto second = make_user_source(source_options("", "ingest"));
  auto other = make_user_source(source_options("", "other"));
  ASSERT_TRUE(first.is_ok() && second.is_ok() && other.is_ok());
  const auto ids = ids_of(**first, 1000);
  EXPECT_EQ(ids, ids_of(**second, 1000));
  EXPECT_NE(ids, ids_of(**other, 1000));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_NE((*first)->description().find("seed ingest"), std::string::npos);
}

TEST(UserSource, GeneratorHonoursNationalities) {
  auto source = make_user_source(source_options("", "n", "fr,GB"));
  ASSERT_TRUE(source.is_ok());
  std::vector<datagen::RandomUser> batch;
  ASSERT_TRUE((*source)->next_batch(200, batch).is_ok());
  for (const auto& user : batch) EXPECT_TRUE(user.nat == "FR" || user.nat == "GB") << user.nat;
}

TEST(UserSource, UnknownNationalityIsAnInvalidArgument) {
  auto source = make_user_source(source_options("", "", "GB,XX"));
  ASSERT_FALSE(source.is_ok());
  EXPECT_EQ(source.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(source.status().message().find("XX"), std::string::npos);
}

TEST(UserSource, UrlGivesTheGeneratorsUsersForTheSameSeed) {
  datagen::testing::RunningApi api;
  ASSERT_NE(api.port(), 0);
  auto fetched = make_user_source(source_options(api.url(), "same"));
  auto generated = make_user_source(source_options("", "same"));
  ASSERT_TRUE(fetched.is_ok() && generated.is_ok());
  EXPECT_EQ((*fetched)->max_batch(), 5000);
  EXPECT_EQ((*fetched)->description(), api.url());
  EXPECT_EQ(ids_of(**fetched, 700), ids_of(**generated, 700));
}

TEST(UserSource, UnreachableUrlFailsWithTheReason) {
  // A port nothing listens on: connections are refused at once.
  int port = 0;
  {
    datagen::testing::RunningApi api;
    port = api.port();
  }
  auto source =
      make_user_source(source_options("http://127.0.0.1:" + std::to_string(port) + "/api/", ""));
  ASSERT_TRUE(source.is_ok());
  std::vector<datagen::RandomUser> batch;
  const Status status = (*source)->next_batch(10, batch);
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("unreachable"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace runnel::stream

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "datagen/randomuser_client.h"
#include "running_api.h"

namespace runnel::datagen {
namespace {

class RandomUserApiTest : public ::testing::Test {
 protected:
  void start(RandomUserApiOptions options = {}) {
    api_ = std::make_unique<testing::RunningApi>(options);
    ASSERT_NE(api_->port(), 0);
  }
  httplib::Result get(const std::string& target) {
    httplib::Client client("127.0.0.1", api_->port());
    return client.Get(target);
  }

  std::unique_ptr<testing::RunningApi> api_;
};

TEST_F(RandomUserApiTest, ServesBothPathsIdentically) {
  start();
  auto latest = get("/api/?results=4&seed=same&nat=no");
  auto versioned = get("/api/1.4/?results=4&seed=same&nat=no");
  ASSERT_TRUE(latest && versioned);
  EXPECT_EQ(latest->status, 200);
  EXPECT_EQ(latest->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(latest->body, versioned->body);
  auto users = parse_users_response(latest->body);
  ASSERT_TRUE(users.is_ok());
  EXPECT_EQ(users->size(), 4u);
}

TEST_F(RandomUserApiTest, UnknownVersionAndPathAreJsonErrors) {
  start();
  auto version = get("/api/0.8/");
  ASSERT_TRUE(version);
  EXPECT_EQ(version->status, 404);
  EXPECT_NE(version->body.find("\"error\""), std::string::npos);
  auto path = get("/nowhere");
  ASSERT_TRUE(path);
  EXPECT_EQ(path->status, 404);
  EXPECT_EQ(path->body.rfind("{\"error\":", 0), 0u) << path->body;
}

TEST_F(RandomUserApiTest, DownloadAndJsonp) {
  start();
  auto download = get("/api/?format=csv&dl");
  ASSERT_TRUE(download);
  EXPECT_EQ(download->get_header_value("Content-Disposition"), "attachment; filename=download.csv");
  auto jsonp = get("/api/?callback=handle");
  ASSERT_TRUE(jsonp);
  EXPECT_EQ(jsonp->body.rfind("handle({\"results\":", 0), 0u);
  EXPECT_EQ(jsonp->body.substr(jsonp->body.size() - 2), ");");
  auto evil = get("/api/?callback=alert(1)");
  ASSERT_TRUE(evil);
  EXPECT_EQ(evil->status, 400);
}

TEST_F(RandomUserApiTest, RateLimitAnswers429) {
  start({.max_users_per_minute = 10});
  auto first = get("/api/?results=8");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  auto second = get("/api/?results=5");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 429);
  EXPECT_NE(second->body.find("ease up"), std::string::npos);
  auto small = get("/api/?results=2");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
}

TEST_F(RandomUserApiTest, ManyConcurrentClients) {
  start();
  std::vector<std::thread> clients;
  std::atomic<int> ok = 0;
  for (int i = 0; i < 32; ++i) {
    clients.emplace_back([&, i] {
      auto response = get("/api/?results=200&seed=c" + std::to_string(i));
      if (response && response->status == 200 &&
          parse_users_response(response->body)->size() == 200) {
        ++ok;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(ok.load(), 32);
}

TEST_F(RandomUserApiTest, OnlyGetAndHead) {
  start();
  httplib::Client client("127.0.0.1", api_->port());
  auto post = client.Post("/api/", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  auto head = client.Head("/api/?results=2");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
}

}  // namespace
}  // namespace runnel::datagen

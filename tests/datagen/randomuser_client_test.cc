#include "datagen/randomuser_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "datagen/user_generator.h"
#include "datagen/user_writer.h"
#include "running_api.h"
#include "test_http_server.h"

namespace runnel::datagen {
namespace {

using testing::TestHttpServer;
using namespace std::chrono_literals;

std::string valid_body(int results) {
  GeneratorOptions options;
  options.seed = "faulty";
  UserGenerator generator(options);
  auto writer = make_user_writer(OutputFormat::kJson, FieldSet::all());
  RandomUser user;
  writer->begin();
  for (int i = 0; i < results; ++i) {
    generator.next(user);
    writer->write(user);
  }
  const ResponseInfo info{"faulty", results, 1};
  writer->end(&info);
  return writer->output();
}

RandomUserClientOptions quick_options(const std::string& url) {
  RandomUserClientOptions options;
  options.url = url;
  options.initial_backoff = 10ms;
  options.max_backoff = 50ms;
  options.max_attempts = 4;
  options.timeout = 5s;
  return options;
}

TEST(RandomUserClient, FetchesSeededBatchesFromTheRealServer) {
  testing::RunningApi server;
  auto options = quick_options(server.url());
  options.batch_size = 5;
  options.parameters = {{"seed", "batches"}, {"nat", "de"}};
  std::vector<RandomUser> fetched;
  Status status;
  {
    RandomUserClient client(options);
    status = client.fetch(12, [&](std::vector<RandomUser>& batch) {
      EXPECT_LE(batch.size(), 5u);
      fetched.insert(fetched.end(), batch.begin(), batch.end());
      return Status::ok();
    });
  }
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  ASSERT_EQ(fetched.size(), 12u);

  // Batches are pages 1, 2, 3 of the seed, exactly what the generator makes.
  for (int page = 1; page <= 3; ++page) {
    GeneratorOptions generator_options;
    generator_options.seed = "batches";
    generator_options.page = page;
    generator_options.nationalities = {find_nationality("DE")};
    UserGenerator generator(generator_options);
    RandomUser expected;
    for (int i = 0; i < 5 && (page - 1) * 5 + i < 12; ++i) {
      generator.next(expected);
      const auto& got = fetched[(page - 1) * 5 + i];
      EXPECT_EQ(got.login.uuid, expected.login.uuid);
      EXPECT_EQ(got.nat, "DE");
    }
  }
}

TEST(RandomUserClient, RetriesServerErrorsThenSucceeds) {
  std::atomic<int> requests = 0;
  TestHttpServer server([&](httplib::Server& http) {
    http.Get("/api/", [&](const httplib::Request&, httplib::Response& response) {
      if (++requests <= 2) {
        response.status = 503;
        response.set_content(R"({"error":"busy"})", "application/json");
      } else {
        response.set_content(valid_body(3), "application/json");
      }
    });
  });
  RandomUserClient client(quick_options(server.url()));
  auto users = client.fetch_page(3, 1);
  ASSERT_TRUE(users.is_ok()) << users.status().to_string();
  EXPECT_EQ(users->size(), 3u);
  EXPECT_EQ(requests.load(), 3);
}

TEST(RandomUserClient, HonoursRetryAfterOn429) {
  std::atomic<int> requests = 0;
  TestHttpServer server([&](httplib::Server& http) {
    http.Get("/api/", [&](const httplib::Request&, httplib::Response& response) {
      if (++requests == 1) {
        response.status = 429;
        response.set_header("Retry-After", "1");
        response.set_content(R"({"error":"Whoa, ease up there cowboy."})", "application/json");
      } else {
        response.set_content(valid_body(1), "application/json");
      }
    });
  });
  auto options = quick_options(server.url());
  options.max_backoff = 2s;
  RandomUserClient client(options);
  const auto started = std::chrono::steady_clock::now();
  auto users = client.fetch_page(1, 1);
  ASSERT_TRUE(users.is_ok()) << users.status().to_string();
  EXPECT_EQ(requests.load(), 2);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms) << "Retry-After was not honoured";
}

TEST(RandomUserClient, TruncatedJsonIsRetriedThenReported) {
  std::atomic<int> requests = 0;
  TestHttpServer server([&](httplib::Server& http) {
    http.Get("/api/", [&](const httplib::Request&, httplib::Response& response) {
      ++requests;
      const auto body = valid_body(2);
      response.set_content(body.substr(0, body.size() / 2), "application/json");
    });
  });
  RandomUserClient client(quick_options(server.url()));
  auto users = client.fetch_page(2, 1);
  ASSERT_FALSE(users.is_ok());
  EXPECT_EQ(users.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(users.status().message().find("malformed JSON"), std::string::npos)
      << users.status().message();
  EXPECT_EQ(requests.load(), 4);
}

TEST(RandomUserClient, SlowServerTimesOut) {
  TestHttpServer server([&](httplib::Server& http) {
    http.Get("/api/", [&](const httplib::Request&, httplib::Response& response) {
      std::this_thread::sleep_for(1500ms);
      response.set_content(valid_body(1), "application/json");
    });
  });
  auto options = quick_options(server.url());
  options.timeout = 200ms;
  options.max_attempts = 2;
  RandomUserClient client(options);
  auto users = client.fetch_page(1, 1);
  ASSERT_FALSE(users.is_ok());
  EXPECT_EQ(users.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(users.status().message().find("Timeout"), std::string::npos)
      << users.status().message();
}

TEST(RandomUserClient, UnreachableServiceIsAClearError) {
  int closed_port = 0;
  {
    TestHttpServer server([](httplib::Server&) {});
    closed_port = server.port();
  }
  auto options = quick_options("http://127.0.0.1:" + std::to_string(closed_port) + "/api/");
  options.max_attempts = 2;
  RandomUserClient client(options);
  auto users = client.fetch_page(1, 1);
  ASSERT_FALSE(users.is_ok());
  EXPECT_EQ(users.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(users.status().message().find("unreachable"), std::string::npos);
  EXPECT_NE(users.status().message().find("gave up after 2 attempts"), std::string::npos);
}

TEST(RandomUserClient, ClientErrorsAreNotRetried) {
  std::atomic<int> requests = 0;
  TestHttpServer server([&](httplib::Server& http) {
    http.Get("/api/", [&](const httplib::Request&, httplib::Response& response) {
      ++requests;
      response.status = 404;
      response.set_content(R"({"error":"no such version"})", "application/json");
    });
  });
  RandomUserClient client(quick_options(server.url()));
  auto users = client.fetch_page(1, 1);
  ASSERT_FALSE(users.is_ok());
  EXPECT_EQ(requests.load(), 1);
  EXPECT_NE(users.status().message().find("no such version"), std::string::npos);
}

TEST(RandomUserClient, ParsesNullIdsAndStringPostcodes) {
  auto users = parse_users_response(
      R"({"results":[{"gender":"female","location":{"postcode":"N6 4WQ","street":{"number":5,"name":"X"}},)"
      R"("id":{"name":"","value":null},"nat":"GB"}],"info":{}})");
  ASSERT_TRUE(users.is_ok()) << users.status().to_string();
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].gender, Gender::kFemale);
  EXPECT_FALSE((*users)[0].location.postcode.number.has_value());
  EXPECT_EQ((*users)[0].location.postcode.text, "N6 4WQ");
  EXPECT_EQ((*users)[0].location.street_number, 5);
  EXPECT_FALSE((*users)[0].id.value.has_value());
  EXPECT_FALSE(parse_users_response(R"({"error":"nope"})").is_ok());
  EXPECT_FALSE(parse_users_response(R"({"results":5})").is_ok());
  EXPECT_FALSE(parse_users_response("\x01\x02garbage").is_ok());
}

}  // namespace
}  // namespace runnel::datagen

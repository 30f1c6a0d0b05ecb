#include "common/http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <stdexcept>
#include <thread>

namespace runnel {
namespace {

class HttpServerTest : public ::testing::Test {
 protected:
  void start(HttpHandler handler, HttpServerOptions options = {}) {
    options.listen = {"127.0.0.1", 0};
    server_ = std::make_unique<HttpServer>(options, std::move(handler));
    auto port = server_->bind();
    ASSERT_TRUE(port.is_ok()) << port.status().to_string();
    port_ = *port;
    thread_ = std::thread([this] { server_->serve(); });
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST(ParseQuery, DecodesPercentAndPlusInOrder) {
  const auto query = parse_query("a=1&b=%20x+y&flag&&c=%zz&a=2");
  ASSERT_EQ(query.size(), 5u);
  EXPECT_EQ(query[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(query[1], (std::pair<std::string, std::string>{"b", " x y"}));
  EXPECT_EQ(query[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(query[3], (std::pair<std::string, std::string>{"c", "%zz"}));
  EXPECT_EQ(query[4], (std::pair<std::string, std::string>{"a", "2"}));
}

TEST_F(HttpServerTest, HandlerSeesPathQueryAndPeer) {
  start([](const HttpRequest& request, HttpResponse& response) {
    response.content_type = "text/plain";
    response.body = request.method + " " + request.path + " " + request.query.at(0).second + " " +
                    request.remote_address;
    response.headers.emplace_back("X-Test", "yes");
  });
  httplib::Client client("127.0.0.1", port_);
  auto response = client.Get("/some%20path?q=a%26b");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "GET /some path a&b 127.0.0.1");
  EXPECT_EQ(response->get_header_value("X-Test"), "yes");
  EXPECT_EQ(response->get_header_value("Content-Type"), "text/plain");
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  std::atomic<int> count = 0;
  start([&](const HttpRequest&, HttpResponse& response) { response.body = std::to_string(++count); });
  httplib::Client client("127.0.0.1", port_);
  client.set_keep_alive(true);
  for (int i = 1; i <= 20; ++i) {
    auto response = client.Get("/");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, std::to_string(i));
  }
}

TEST_F(HttpServerTest, ExceptionBecomesJson500) {
  start([](const HttpRequest&, HttpResponse&) { throw std::runtime_error("boom"); });
  httplib::Client client("127.0.0.1", port_);
  auto response = client.Get("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body, R"({"error":"boom"})");
}

TEST_F(HttpServerTest, OversizedHeadersAndBodiesAreRefused) {
  start([](const HttpRequest&, HttpResponse& response) { response.body = "ok"; },
        {.max_header_bytes = 1024, .max_body_bytes = 100});
  httplib::Client client("127.0.0.1", port_);
  auto long_target = client.Get("/?x=" + std::string(4000, 'a'));
  ASSERT_TRUE(long_target);
  EXPECT_EQ(long_target->status, 431);
  EXPECT_EQ(long_target->body.rfind("{\"error\":", 0), 0u);
  auto big_body = client.Post("/", std::string(1000, 'b'), "text/plain");
  ASSERT_TRUE(big_body);
  EXPECT_EQ(big_body->status, 413);
  auto fine = client.Get("/");
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->body, "ok");
}

TEST_F(HttpServerTest, PortInUseIsAnError) {
  start([](const HttpRequest&, HttpResponse&) {});
  HttpServer second({.listen = {"127.0.0.1", static_cast<std::uint16_t>(port_)}},
                    [](const HttpRequest&, HttpResponse&) {});
  auto port = second.bind();
  ASSERT_FALSE(port.is_ok());
  EXPECT_EQ(port.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(port.status().message().find("cannot listen"), std::string::npos);
}

TEST(HttpServer, BadListenAddressIsAnError) {
  HttpServer server({.listen = {"not-an-address", 0}}, [](const HttpRequest&, HttpResponse&) {});
  auto port = server.bind();
  ASSERT_FALSE(port.is_ok());
  EXPECT_EQ(port.status().code(), StatusCode::kInvalidArgument);
}

TEST(HttpServer, StopBeforeServeReturnsAtOnce) {
  HttpServer server({}, [](const HttpRequest&, HttpResponse&) {});
  ASSERT_TRUE(server.bind().is_ok());
  server.stop();
  server.serve();  // must not block
}

}  // namespace
}  // namespace runnel

#include "common/endpoint.h"

#include <gtest/gtest.h>

namespace runnel {
namespace {

TEST(Endpoint, ParsesHostAndPort) {
  auto endpoint = parse_endpoint("0.0.0.0:9092");
  ASSERT_TRUE(endpoint.is_ok());
  EXPECT_EQ(endpoint->host, "0.0.0.0");
  EXPECT_EQ(endpoint->port, 9092);
  EXPECT_EQ(endpoint->to_string(), "0.0.0.0:9092");
}

TEST(Endpoint, MissingHostMeansLoopback) {
  auto endpoint = parse_endpoint(":8000");
  ASSERT_TRUE(endpoint.is_ok());
  EXPECT_EQ(endpoint->host, "127.0.0.1");
}

TEST(Endpoint, BracketedIpv6) {
  auto endpoint = parse_endpoint("[::1]:9042");
  ASSERT_TRUE(endpoint.is_ok());
  EXPECT_EQ(endpoint->host, "::1");
  EXPECT_EQ(endpoint->to_string(), "[::1]:9042");
}

TEST(Endpoint, RejectsBadPorts) {
  for (const char* text : {"localhost", "localhost:", "h:65536", "h:-1", "h:80x"}) {
    auto endpoint = parse_endpoint(text);
    EXPECT_FALSE(endpoint.is_ok()) << text;
    EXPECT_EQ(endpoint.status().code(), StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace runnel

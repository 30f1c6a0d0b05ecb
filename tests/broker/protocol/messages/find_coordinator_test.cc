#include "broker/protocol/messages/find_coordinator.h"

#include <gtest/gtest.h>

#include "../../group/wire_testing.h"

namespace runnel::broker {
namespace {

using testing::decoded;
using testing::encoded;
using testing::for_each_version;
using testing::round_trip;
using Request = FindCoordinatorRequest;

TEST(FindCoordinatorMessages, RoundTripEveryVersion) {
  for_each_version<Request>([](int16_t v) {
    Request request;
    request.key = "orders-app";
    request.key_type = 1;
    auto back_request = round_trip<Request>(request, v);
    EXPECT_EQ(back_request.key, "orders-app");
    EXPECT_EQ(back_request.key_type, v >= 1 ? 1 : 0);

    FindCoordinatorResponse response;
    response.throttle_time_ms = 3;
    response.error_code = 15;
    response.error_message = "nope";
    response.node_id = 7;
    response.host = "broker.local";
    response.port = 9092;
    auto back = round_trip<Request>(response, v);
    EXPECT_EQ(back.node_id, 7);
    EXPECT_EQ(back.host, "broker.local");
    EXPECT_EQ(back.port, 9092);
    EXPECT_EQ(back.error_code, 15);
    EXPECT_EQ(back.error_message, v >= 1 ? std::optional<std::string>("nope") : std::nullopt);
  });
}

TEST(FindCoordinatorMessages, GoldenBytes) {
  Request request;
  request.key = "g";
  EXPECT_EQ(encoded<Request>(request, 0), std::string("\0\1g", 3));
  EXPECT_EQ(encoded<Request>(request, 3), std::string("\2g\0\0", 4));

  FindCoordinatorResponse response;
  response.node_id = 1;
  response.host = "h";
  response.port = 9092;
  EXPECT_EQ(encoded<Request>(response, 0), std::string("\0\0"
                                                       "\0\0\0\1"
                                                       "\0\1h"
                                                       "\0\0\x23\x84",
                                                       13));
  EXPECT_EQ(encoded<Request>(response, 3), std::string("\0\0\0\0"
                                                       "\0\0"
                                                       "\0"
                                                       "\0\0\0\1"
                                                       "\2h"
                                                       "\0\0\x23\x84"
                                                       "\0",
                                                       18));
  EXPECT_EQ((decoded<Request, FindCoordinatorResponse>(encoded<Request>(response, 3), 3).host),
            "h");
}

}  // namespace
}  // namespace runnel::broker

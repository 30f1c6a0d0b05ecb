#include "broker/protocol/messages/heartbeat.h"

#include <gtest/gtest.h>

#include "../../group/wire_testing.h"

namespace runnel::broker {
namespace {

using testing::encoded;
using testing::for_each_version;
using testing::round_trip;
using Request = HeartbeatRequest;

TEST(HeartbeatMessages, RoundTripEveryVersion) {
  for_each_version<Request>([](int16_t v) {
    Request request;
    request.group_id = "orders-app";
    request.generation_id = 9;
    request.member_id = "m";
    request.group_instance_id = "i";
    auto back_request = round_trip<Request>(request, v);
    EXPECT_EQ(back_request.generation_id, 9);
    EXPECT_EQ(back_request.member_id, "m");
    EXPECT_EQ(back_request.group_instance_id.has_value(), v >= 3);

    HeartbeatResponse response;
    response.throttle_time_ms = 5;
    response.error_code = 27;
    auto back = round_trip<Request>(response, v);
    EXPECT_EQ(back.error_code, 27);
  });
}

TEST(HeartbeatMessages, GoldenBytes) {
  Request request;
  request.group_id = "g";
  request.generation_id = 5;
  request.member_id = "m";
  EXPECT_EQ(encoded<Request>(request, 0), std::string("\0\1g"
                                                      "\0\0\0\5"
                                                      "\0\1m",
                                                      10));
  EXPECT_EQ(encoded<Request>(request, 4), std::string("\2g"
                                                      "\0\0\0\5"
                                                      "\2m"
                                                      "\0"
                                                      "\0",
                                                      10));
}

}  // namespace
}  // namespace runnel::broker

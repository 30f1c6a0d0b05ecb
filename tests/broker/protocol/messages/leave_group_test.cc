#include "broker/protocol/messages/leave_group.h"

#include <gtest/gtest.h>

#include "../../group/wire_testing.h"

namespace runnel::broker {
namespace {

using testing::encoded;
using testing::for_each_version;
using testing::round_trip;
using Request = LeaveGroupRequest;

TEST(LeaveGroupMessages, RoundTripEveryVersion) {
  for_each_version<Request>([](int16_t v) {
    Request request;
    request.group_id = "orders-app";
    request.member_id = "solo";
    request.members = {{"a", std::nullopt}, {"b", "i-b"}};
    auto back_request = round_trip<Request>(request, v);
    EXPECT_EQ(back_request.member_id, v <= 2 ? "solo" : "");
    EXPECT_EQ(back_request.members.size(), v >= 3 ? 2u : 0u);

    LeaveGroupResponse response;
    response.throttle_time_ms = 1;
    response.error_code = 25;
    response.members = {{"a", std::nullopt, 0}, {"b", "i-b", 25}};
    auto back = round_trip<Request>(response, v);
    EXPECT_EQ(back.error_code, 25);
    if (v >= 3) {
      ASSERT_EQ(back.members.size(), 2u);
      EXPECT_EQ(back.members[1].error_code, 25);
    }
  });
}

TEST(LeaveGroupMessages, GoldenBytes) {
  Request request;
  request.group_id = "g";
  request.member_id = "m";
  EXPECT_EQ(encoded<Request>(request, 0), std::string("\0\1g"
                                                      "\0\1m",
                                                      6));
  request.member_id.clear();
  request.members = {{"m", std::nullopt}};
  EXPECT_EQ(encoded<Request>(request, 4), std::string("\2g"
                                                      "\2"
                                                      "\2m"
                                                      "\0"
                                                      "\0"
                                                      "\0",
                                                      8));
}

}  // namespace
}  // namespace runnel::broker

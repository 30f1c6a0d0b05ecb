#include "broker/protocol/messages/sync_group.h"

#include <gtest/gtest.h>

#include "../../group/wire_testing.h"

namespace runnel::broker {
namespace {

using testing::encoded;
using testing::for_each_version;
using testing::round_trip;
using Request = SyncGroupRequest;

TEST(SyncGroupMessages, RoundTripEveryVersion) {
  for_each_version<Request>([](int16_t v) {
    Request request;
    request.group_id = "orders-app";
    request.generation_id = 3;
    request.member_id = "a";
    request.group_instance_id = "i";
    request.protocol_type = "consumer";
    request.protocol_name = "range";
    request.assignments = {{"a", Bytes{"pa"}}, {"b", Bytes{std::string("\0b", 2)}}};
    auto back_request = round_trip<Request>(request, v);
    EXPECT_EQ(back_request.generation_id, 3);
    EXPECT_EQ(back_request.protocol_name.has_value(), v >= 5);
    ASSERT_EQ(back_request.assignments.size(), 2u);
    EXPECT_EQ(back_request.assignments[1].assignment.value, std::string("\0b", 2));

    SyncGroupResponse response;
    response.throttle_time_ms = 2;
    response.error_code = 27;
    response.protocol_type = "consumer";
    response.protocol_name = "range";
    response.assignment = Bytes{"xyz"};
    auto back = round_trip<Request>(response, v);
    EXPECT_EQ(back.error_code, 27);
    EXPECT_EQ(back.assignment.value, "xyz");
    EXPECT_EQ(back.throttle_time_ms, v >= 1 ? 2 : 0);
  });
}

TEST(SyncGroupMessages, GoldenBytes) {
  SyncGroupResponse response;
  response.assignment = Bytes{"A"};
  EXPECT_EQ(encoded<Request>(response, 0), std::string("\0\0"
                                                       "\0\0\0\1A",
                                                       7));
  EXPECT_EQ(encoded<Request>(response, 4), std::string("\0\0\0\0"
                                                       "\0\0"
                                                       "\2A"
                                                       "\0",
                                                       9));
}

}  // namespace
}  // namespace runnel::broker

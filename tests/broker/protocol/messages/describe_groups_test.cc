#include "broker/protocol/messages/describe_groups.h"

#include <gtest/gtest.h>

#include "../../group/wire_testing.h"

namespace runnel::broker {
namespace {

using testing::encoded;
using testing::for_each_version;
using testing::round_trip;
using Request = DescribeGroupsRequest;

TEST(DescribeGroupsMessages, RoundTripEveryVersion) {
  for_each_version<Request>([](int16_t v) {
    Request request;
    request.groups = {"a", "b"};
    request.include_authorized_operations = true;
    auto back_request = round_trip<Request>(request, v);
    EXPECT_EQ(back_request.groups, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(back_request.include_authorized_operations, v >= 3);

    DescribeGroupsResponse response;
    response.throttle_time_ms = 1;
    DescribeGroupsResponse::Group group;
    group.group_id = "a";
    group.group_state = "Stable";
    group.protocol_type = "consumer";
    group.protocol_data = "range";
    group.members = {{"m", "i", "rdkafka", "/10.0.0.1", Bytes{"md"}, Bytes{"as"}}};
    group.authorized_operations = 8;
    response.groups = {group};
    auto back = round_trip<Request>(response, v);
    ASSERT_EQ(back.groups.size(), 1u);
    EXPECT_EQ(back.groups[0].group_state, "Stable");
    ASSERT_EQ(back.groups[0].members.size(), 1u);
    EXPECT_EQ(back.groups[0].members[0].client_host, "/10.0.0.1");
    EXPECT_EQ(back.groups[0].members[0].member_assignment.value, "as");
    EXPECT_EQ(back.groups[0].members[0].group_instance_id.has_value(), v >= 4);
    EXPECT_EQ(back.groups[0].authorized_operations, v >= 3 ? 8 : INT32_MIN);
  });
}

TEST(DescribeGroupsMessages, GoldenBytes) {
  Request request;
  request.groups = {"g"};
  EXPECT_EQ(encoded<Request>(request, 0), std::string("\0\0\0\1"
                                                      "\0\1g",
                                                      7));
  EXPECT_EQ(encoded<Request>(request, 5), std::string("\2"
                                                      "\2g"
                                                      "\0"
                                                      "\0",
                                                      5));
}

}  // namespace
}  // namespace runnel::broker

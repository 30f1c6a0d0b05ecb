#include "broker/protocol/messages/join_group.h"

#include <gtest/gtest.h>

#include "../../group/wire_testing.h"

namespace runnel::broker {
namespace {

using testing::encoded;
using testing::for_each_version;
using testing::round_trip;
using Request = JoinGroupRequest;

TEST(JoinGroupMessages, RoundTripEveryVersion) {
  for_each_version<Request>([](int16_t v) {
    Request request;
    request.group_id = "orders-app";
    request.session_timeout_ms = 10000;
    request.rebalance_timeout_ms = 300000;
    request.member_id = "rdkafka-1";
    request.group_instance_id = "instance-1";
    request.protocol_type = "consumer";
    request.protocols = {{"range", Bytes{std::string("\0\1r", 3)}}, {"roundrobin", Bytes{"rr"}}};
    auto back_request = round_trip<Request>(request, v);
    EXPECT_EQ(back_request.rebalance_timeout_ms, v >= 1 ? 300000 : -1);
    EXPECT_EQ(back_request.group_instance_id.has_value(), v >= 5);
    ASSERT_EQ(back_request.protocols.size(), 2u);
    EXPECT_EQ(back_request.protocols[0].metadata.value, std::string("\0\1r", 3));

    JoinGroupResponse response;
    response.throttle_time_ms = 1;
    response.generation_id = 4;
    response.protocol_type = "consumer";
    response.protocol_name = "range";
    response.leader = "a";
    response.member_id = "b";
    response.members = {{"a", "i-a", Bytes{"ma"}}, {"b", std::nullopt, Bytes{"mb"}}};
    auto back = round_trip<Request>(response, v);
    EXPECT_EQ(back.generation_id, 4);
    EXPECT_EQ(back.protocol_type.has_value(), v >= 7);
    EXPECT_EQ(back.protocol_name, "range");
    ASSERT_EQ(back.members.size(), 2u);
    EXPECT_EQ(back.members[1].metadata.value, "mb");
  });
}

TEST(JoinGroupMessages, GoldenBytes) {
  Request request;
  request.group_id = "g";
  request.session_timeout_ms = 30000;
  request.rebalance_timeout_ms = 60000;
  request.protocol_type = "consumer";
  request.protocols = {{"r", Bytes{"M"}}};
  EXPECT_EQ(encoded<Request>(request, 0), std::string("\0\1g"
                                                      "\0\0\x75\x30"
                                                      "\0\0"
                                                      "\0\x08"
                                                      "consumer"
                                                      "\0\0\0\1"
                                                      "\0\1r"
                                                      "\0\0\0\1M",
                                                      31));
  EXPECT_EQ(encoded<Request>(request, 6), std::string("\2g"
                                                      "\0\0\x75\x30"
                                                      "\0\0\xea\x60"
                                                      "\1"
                                                      "\0"
                                                      "\x09"
                                                      "consumer"
                                                      "\2"
                                                      "\2r"
                                                      "\2M"
                                                      "\0"
                                                      "\0",
                                                      28));
}

}  // namespace
}  // namespace runnel::broker

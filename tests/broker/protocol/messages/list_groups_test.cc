#include "broker/protocol/messages/list_groups.h"

#include <gtest/gtest.h>

#include "../../group/wire_testing.h"

namespace runnel::broker {
namespace {

using testing::encoded;
using testing::for_each_version;
using testing::round_trip;
using Request = ListGroupsRequest;

TEST(ListGroupsMessages, RoundTripEveryVersion) {
  for_each_version<Request>([](int16_t v) {
    Request request;
    request.states_filter = {"Stable", "Empty"};
    EXPECT_EQ(round_trip<Request>(request, v).states_filter.size(), v >= 4 ? 2u : 0u);

    ListGroupsResponse response;
    response.throttle_time_ms = 4;
    response.groups = {{"a", "consumer", "Stable"}, {"b", "", "Empty"}};
    auto back = round_trip<Request>(response, v);
    ASSERT_EQ(back.groups.size(), 2u);
    EXPECT_EQ(back.groups[0].protocol_type, "consumer");
    EXPECT_EQ(back.groups[1].group_state, v >= 4 ? "Empty" : "");
  });
}

TEST(ListGroupsMessages, GoldenBytes) {
  ListGroupsResponse response;
  response.groups = {{"g", "consumer", "Stable"}};
  EXPECT_EQ(encoded<Request>(response, 0), std::string("\0\0"
                                                       "\0\0\0\1"
                                                       "\0\1g"
                                                       "\0\x08"
                                                       "consumer",
                                                       19));
  EXPECT_EQ(encoded<Request>(response, 4), std::string("\0\0\0\0"
                                                       "\0\0"
                                                       "\2"
                                                       "\2g"
                                                       "\x09"
                                                       "consumer"
                                                       "\x07"
                                                       "Stable"
                                                       "\0"
                                                       "\0",
                                                       27));
}

}  // namespace
}  // namespace runnel::broker

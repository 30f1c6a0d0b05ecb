#include "broker/protocol/messages/offset_fetch.h"

#include <gtest/gtest.h>

#include "../../group/wire_testing.h"

namespace runnel::broker {
namespace {

using testing::decoded;
using testing::encoded;
using testing::for_each_version;
using testing::round_trip;
using Request = OffsetFetchRequest;

TEST(OffsetFetchMessages, RoundTripEveryVersion) {
  for_each_version<Request>([](int16_t v) {
    Request request;
    request.group_id = "orders-app";
    request.topics = std::vector<Request::Topic>{{"orders", {0, 1, 2}}};
    request.require_stable = true;
    auto back_request = round_trip<Request>(request, v);
    ASSERT_TRUE(back_request.topics.has_value());
    EXPECT_EQ(back_request.topics->at(0).partition_indexes, (std::vector<int32_t>{0, 1, 2}));
    EXPECT_EQ(back_request.require_stable, v >= 7);
    if (v >= 2) {
      request.topics.reset();
      EXPECT_FALSE(round_trip<Request>(request, v).topics.has_value());
    }

    OffsetFetchResponse response;
    response.throttle_time_ms = 1;
    response.topics = {{"orders", {{0, 42, 3, "meta", 0}, {1, -1, -1, std::nullopt, 3}}}};
    response.error_code = 16;
    auto back = round_trip<Request>(response, v);
    ASSERT_EQ(back.topics.size(), 1u);
    EXPECT_EQ(back.topics[0].partitions[0].committed_offset, 42);
    EXPECT_EQ(back.topics[0].partitions[0].committed_leader_epoch, v >= 5 ? 3 : -1);
    EXPECT_EQ(back.topics[0].partitions[0].metadata, "meta");
    EXPECT_EQ(back.topics[0].partitions[1].error_code, 3);
    EXPECT_EQ(back.error_code, v >= 2 ? 16 : 0);
  });
}

TEST(OffsetFetchMessages, GoldenBytes) {
  Request request;
  request.group_id = "g";
  request.topics = std::vector<Request::Topic>{{"t", {2}}};
  EXPECT_EQ(encoded<Request>(request, 1), std::string("\0\1g"
                                                      "\0\0\0\1"
                                                      "\0\1t"
                                                      "\0\0\0\1"
                                                      "\0\0\0\2",
                                                      18));
  request.topics.reset();
  EXPECT_EQ(encoded<Request>(request, 6), std::string("\2g"
                                                      "\0"
                                                      "\0",
                                                      4));
  EXPECT_FALSE((decoded<Request, Request>(std::string("\2g\0\0", 4), 6).topics.has_value()));
}

}  // namespace
}  // namespace runnel::broker

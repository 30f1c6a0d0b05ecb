#include "broker/protocol/messages/offset_commit.h"

#include <gtest/gtest.h>

#include "../../group/wire_testing.h"

namespace runnel::broker {
namespace {

using testing::encoded;
using testing::for_each_version;
using testing::round_trip;
using Request = OffsetCommitRequest;

TEST(OffsetCommitMessages, RoundTripEveryVersion) {
  for_each_version<Request>([](int16_t v) {
    Request request;
    request.group_id = "orders-app";
    request.generation_id = 2;
    request.member_id = "m";
    request.group_instance_id = "i";
    request.retention_time_ms = 1000;
    request.topics = {{"orders", {{0, 42, 5, 77, "meta"}, {3, 7, -1, -1, std::nullopt}}}};
    auto back_request = round_trip<Request>(request, v);
    EXPECT_EQ(back_request.generation_id, v >= 1 ? 2 : -1);
    EXPECT_EQ(back_request.retention_time_ms, v >= 2 && v <= 4 ? 1000 : -1);
    ASSERT_EQ(back_request.topics.size(), 1u);
    ASSERT_EQ(back_request.topics[0].partitions.size(), 2u);
    const auto& p = back_request.topics[0].partitions[0];
    EXPECT_EQ(p.committed_offset, 42);
    EXPECT_EQ(p.committed_leader_epoch, v >= 6 ? 5 : -1);
    EXPECT_EQ(p.commit_timestamp, v == 1 ? 77 : -1);
    EXPECT_EQ(p.committed_metadata, "meta");
    EXPECT_FALSE(back_request.topics[0].partitions[1].committed_metadata.has_value());

    OffsetCommitResponse response;
    response.throttle_time_ms = 1;
    response.topics = {{"orders", {{0, 0}, {3, 12}}}};
    auto back = round_trip<Request>(response, v);
    ASSERT_EQ(back.topics.size(), 1u);
    EXPECT_EQ(back.topics[0].partitions[1].error_code, 12);
  });
}

TEST(OffsetCommitMessages, GoldenBytes) {
  Request request;
  request.group_id = "g";
  request.generation_id = 3;
  request.member_id = "m";
  request.topics = {{"t", {{0, 42, -1, -1, std::nullopt}}}};
  EXPECT_EQ(encoded<Request>(request, 0), std::string("\0\1g"
                                                      "\0\0\0\1"
                                                      "\0\1t"
                                                      "\0\0\0\1"
                                                      "\0\0\0\0"
                                                      "\0\0\0\0\0\0\0\x2a"
                                                      "\xff\xff",
                                                      28));
  EXPECT_EQ(encoded<Request>(request, 8), std::string("\2g"
                                                      "\0\0\0\3"
                                                      "\2m"
                                                      "\0"
                                                      "\2"
                                                      "\2t"
                                                      "\2"
                                                      "\0\0\0\0"
                                                      "\0\0\0\0\0\0\0\x2a"
                                                      "\xff\xff\xff\xff"
                                                      "\0"
                                                      "\0"
                                                      "\0"
                                                      "\0",
                                                      33));
}

}  // namespace
}  // namespace runnel::broker

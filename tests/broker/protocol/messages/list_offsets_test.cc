#include "broker/protocol/messages/list_offsets.h"

#include <gtest/gtest.h>

#include "round_trip.h"

namespace runnel::broker {
namespace {

using testing::expect_round_trips_in_every_version;
using testing::expect_wire;

ListOffsetsRequest full_request() {
  ListOffsetsRequest r;
  r.replica_id = -1;
  r.isolation_level = 1;
  r.topics = {{"orders", {{1, 4, -2, 3}, {2, 5, 1700000000000, 1}}}};
  r.topics[0].partitions[1].max_num_offsets = 2;
  return r;
}

ListOffsetsResponse full_response() {
  ListOffsetsResponse r;
  r.throttle_time_ms = 8;
  r.topics = {{"orders", {{1, 3, {42, 0}, 1700000000000, 42, 4}}}, {"users", {{2, 1, {7}, 5, 7, 1}}}};
  return r;
}

TEST(ListOffsetsMessages, RoundTripEveryVersion) {
  expect_round_trips_in_every_version(full_request(), full_response());
}

ListOffsetsRequest small_request() {
  ListOffsetsRequest r;
  r.replica_id = -1;
  ListOffsetsRequest::Partition p;
  p.timestamp = -1;
  r.topics = {{"t", {p}}};
  return r;
}

TEST(ListOffsetsMessages, RequestV0HasMaxNumOffsets) {
  expect_wire(small_request(), {0, false},
              "ffffffff 00000001 0001 74 00000001 00000000 ffffffffffffffff 00000001");
}

TEST(ListOffsetsMessages, RequestV1) {
  expect_wire(small_request(), {1, false},
              "ffffffff 00000001 0001 74 00000001 00000000 ffffffffffffffff");
}

TEST(ListOffsetsMessages, RequestV6) {
  expect_wire(small_request(), {6, true},
              "ffffffff 00 02 02 74 02 00000000 ffffffff ffffffffffffffff 00 00 00");
}

ListOffsetsResponse small_response() {
  ListOffsetsResponse::Partition p;
  p.old_style_offsets = {5};
  p.offset = 5;
  p.leader_epoch = 0;
  ListOffsetsResponse r;
  r.topics = {{"t", {p}}};
  return r;
}

TEST(ListOffsetsMessages, ResponseV0HasOldStyleOffsets) {
  expect_wire(small_response(), {0, false},
              "00000001 0001 74 00000001 00000000 0000 00000001 0000000000000005");
}

TEST(ListOffsetsMessages, ResponseV1) {
  expect_wire(small_response(), {1, false},
              "00000001 0001 74 00000001 00000000 0000 ffffffffffffffff 0000000000000005");
}

TEST(ListOffsetsMessages, ResponseV6) {
  expect_wire(small_response(), {6, true},
              "00000000 02 02 74 02"
              "  00000000 0000 ffffffffffffffff 0000000000000005 00000000 00"
              "  00"
              "00");
}

}  // namespace
}  // namespace runnel::broker

#include "broker/protocol/messages/metadata.h"

#include <gtest/gtest.h>

#include "round_trip.h"

namespace runnel::broker {
namespace {

using testing::expect_round_trips_in_every_version;
using testing::expect_wire;

MetadataRequest full_request() {
  MetadataRequest r;
  r.topics = std::vector<MetadataRequest::Topic>{{Uuid{1, 2, 3}, "orders"}, {Uuid{4}, "users"}};
  r.allow_auto_topic_creation = false;
  r.include_cluster_authorized_operations = true;
  r.include_topic_authorized_operations = true;
  return r;
}

MetadataResponse full_response() {
  MetadataResponse r;
  r.throttle_time_ms = 11;
  r.brokers = {{1, "broker-1", 9092, "rack-a"}, {2, "broker-2", 9093, "rack-b"}};
  r.cluster_id = "runnel";
  r.controller_id = 1;
  MetadataResponse::Partition p;
  p.error_code = 6;
  p.partition_index = 3;
  p.leader_id = 2;
  p.leader_epoch = 7;
  p.replica_nodes = {1, 2};
  p.isr_nodes = {2};
  p.offline_replicas = {1};
  MetadataResponse::Topic t;
  t.error_code = 3;
  t.name = "orders";
  t.topic_id = Uuid{9, 8, 7};
  t.is_internal = true;
  t.partitions = {p, p};
  t.topic_authorized_operations = 0x0ff8;
  r.topics = {t};
  r.cluster_authorized_operations = 0x0f00;
  return r;
}

TEST(MetadataMessages, RoundTripEveryVersion) {
  expect_round_trips_in_every_version(full_request(), full_response());
}

TEST(MetadataMessages, RequestV1) {
  MetadataRequest r;
  r.topics = std::vector<MetadataRequest::Topic>{{Uuid{}, "t"}};
  expect_wire(r, {1, false}, "00000001 0001 74");
  r.topics.reset();
  expect_wire(r, {1, false}, "ffffffff");
}

TEST(MetadataMessages, RequestV9) {
  // Compact array, compact string, tags; AllowAutoTopicCreation true by default.
  MetadataRequest r;
  r.topics = std::vector<MetadataRequest::Topic>{{Uuid{}, "t"}};
  expect_wire(r, {9, true}, "02 02 74 00  01 00 00 00");
  r.topics.reset();
  expect_wire(r, {9, true}, "00 01 00 00 00");
}

TEST(MetadataMessages, RequestV10ByTopicId) {
  MetadataRequest r;
  r.topics = std::vector<MetadataRequest::Topic>{{Uuid{0xab}, std::nullopt}};
  r.allow_auto_topic_creation = false;
  expect_wire(r, {10, true}, "02 ab000000000000000000000000000000 00 00  00 00 00 00");
}

MetadataResponse small_response() {
  MetadataResponse r;
  r.brokers = {{1, "h", 9092, std::nullopt}};
  r.cluster_id = "c";
  r.controller_id = 1;
  MetadataResponse::Partition p;
  p.leader_id = 1;
  p.leader_epoch = 5;
  p.replica_nodes = {1};
  p.isr_nodes = {1};
  MetadataResponse::Topic t;
  t.name = "t";
  t.partitions = {p};
  r.topics = {t};
  return r;
}

TEST(MetadataMessages, ResponseV1) {
  expect_wire(small_response(), {1, false},
              "00000001"                   // brokers
              "  00000001 0001 68 00002384 ffff"
              "00000001"                   // controller
              "00000001"                   // topics
              "  0000 0001 74 00 00000001"  // error, name, internal, partitions
              "    0000 00000000 00000001 00000001 00000001 00000001 00000001");
}

TEST(MetadataMessages, ResponseV9) {
  expect_wire(small_response(), {9, true},
              "00000000"                          // throttle
              "02 00000001 02 68 00002384 00 00"  // brokers
              "02 63"                             // cluster id
              "00000001"                          // controller
              "02 0000 02 74 00"                  // topics: error, name, internal
              "  02 0000 00000000 00000001 00000005 02 00000001 02 00000001 01 00"
              "  80000000 00"                     // topic authorized operations
              "80000000"                          // cluster authorized operations
              "00");
}

}  // namespace
}  // namespace runnel::broker

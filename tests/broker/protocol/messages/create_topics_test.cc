#include "broker/protocol/messages/create_topics.h"

#include <gtest/gtest.h>

#include "round_trip.h"

namespace runnel::broker {
namespace {

using testing::expect_round_trips_in_every_version;
using testing::expect_wire;

TEST(CreateTopicsMessages, RoundTripEveryVersion) {
  CreateTopicsRequest request;
  request.topics = {{"orders", 3, 1, {{1, {1, 2}}, {2, {2}}}, {{"retention.ms", "1000"}}},
                    {"users", 6, 2, {{4, {3}}}, {{"cleanup.policy", "compact"}}}};
  request.timeout_ms = 5000;
  request.validate_only = true;

  CreateTopicsResponse::Topic t;
  t.name = "orders";
  t.topic_id = Uuid{5, 6};
  t.error_code = 36;
  t.error_message = "already exists";
  t.num_partitions = 3;
  t.replication_factor = 1;
  t.configs = std::vector<CreateTopicsResponse::Config>{{"retention.ms", "1000", true, 1, true}};
  CreateTopicsResponse response;
  response.throttle_time_ms = 4;
  response.topics = {t, t};
  expect_round_trips_in_every_version(request, response);
}

CreateTopicsRequest small_request() {
  CreateTopicsRequest r;
  r.topics = {{"t", 1, 1, {}, {{"k", "v"}}}};
  return r;
}

TEST(CreateTopicsMessages, RequestV0) {
  expect_wire(small_request(), {0, false},
              "00000001 0001 74 00000001 0001 00000000 00000001 0001 6b 0001 76"
              "0000ea60");
}

TEST(CreateTopicsMessages, RequestV1HasValidateOnly) {
  CreateTopicsRequest r = small_request();
  r.validate_only = true;
  r.topics[0].configs[0].value.reset();
  expect_wire(r, {1, false},
              "00000001 0001 74 00000001 0001 00000000 00000001 0001 6b ffff"
              "0000ea60 01");
}

TEST(CreateTopicsMessages, RequestV5) {
  expect_wire(small_request(), {5, true},
              "02 02 74 00000001 0001 01 02 02 6b 02 76 00 00"
              "0000ea60 00 00");
}

CreateTopicsResponse small_response() {
  CreateTopicsResponse::Topic t;
  t.name = "t";
  t.error_message.reset();
  t.num_partitions = 1;
  t.replication_factor = 1;
  t.configs = std::vector<CreateTopicsResponse::Config>{{"k", "v", false, -1, false}};
  CreateTopicsResponse r;
  r.topics = {t};
  return r;
}

TEST(CreateTopicsMessages, ResponseV0) {
  expect_wire(small_response(), {0, false}, "00000001 0001 74 0000");
}

TEST(CreateTopicsMessages, ResponseV2) {
  expect_wire(small_response(), {2, false}, "00000000 00000001 0001 74 0000 ffff");
}

TEST(CreateTopicsMessages, ResponseV5) {
  expect_wire(small_response(), {5, true},
              "00000000 02 02 74 0000 00 00000001 0001"
              "  02 02 6b 02 76 00 ff 00 00"  // configs
              "  00"
              "00");
}

TEST(CreateTopicsMessages, ResponseV7HasTopicId) {
  CreateTopicsResponse r = small_response();
  r.topics[0].topic_id = Uuid{0xab};
  r.topics[0].configs.reset();
  expect_wire(r, {7, true},
              "00000000 02 02 74 ab000000000000000000000000000000 0000 00 00000001 0001 00 00"
              "00");
}

}  // namespace
}  // namespace runnel::broker

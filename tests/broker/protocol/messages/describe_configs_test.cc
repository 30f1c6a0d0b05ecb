#include "broker/protocol/messages/describe_configs.h"

#include <gtest/gtest.h>

#include "round_trip.h"

namespace runnel::broker {
namespace {

using testing::expect_round_trips_in_every_version;
using testing::expect_wire;

TEST(DescribeConfigsMessages, RoundTripEveryVersion) {
  DescribeConfigsRequest request;
  request.resources = {{2, "orders", std::vector<std::string>{"retention.ms", "cleanup.policy"}},
                       {4, "1", std::vector<std::string>{"log.dirs"}}};
  request.include_synonyms = true;
  request.include_documentation = true;

  DescribeConfigsResponse::Config c;
  c.name = "retention.ms";
  c.value = "1000";
  c.read_only = true;
  c.is_default = true;
  c.config_source = 1;
  c.is_sensitive = true;
  c.synonyms = {{"log.retention.ms", "1000", 5}};
  c.config_type = 5;
  c.documentation = "How long to keep a segment.";
  DescribeConfigsResponse response;
  response.throttle_time_ms = 6;
  response.results = {{29, "denied", 2, "orders", {c, c}}};
  expect_round_trips_in_every_version(request, response);
}

TEST(DescribeConfigsMessages, NullConfigurationKeysRoundTrip) {
  DescribeConfigsRequest r;
  r.resources = {{2, "t", std::nullopt}};
  for (int16_t v = 0; v <= 4; ++v) {
    testing::expect_round_trip(r, testing::format_of<DescribeConfigsRequest>(v));
  }
}

TEST(DescribeConfigsMessages, Request) {
  DescribeConfigsRequest r;
  r.resources = {{2, "t", std::nullopt}};
  expect_wire(r, {0, false}, "00000001 02 0001 74 ffffffff");
  expect_wire(r, {1, false}, "00000001 02 0001 74 ffffffff 00");
  r.resources[0].configuration_keys = std::vector<std::string>{"k"};
  r.include_documentation = true;
  expect_wire(r, {3, false}, "00000001 02 0001 74 00000001 0001 6b 00 01");
  expect_wire(r, {4, true}, "02 02 02 74 02 02 6b 00 00 01 00");
}

DescribeConfigsResponse small_response() {
  DescribeConfigsResponse::Config c;
  c.name = "k";
  c.value = "v";
  c.is_default = true;
  c.config_source = 5;
  c.documentation.reset();
  DescribeConfigsResponse r;
  r.results = {{0, std::nullopt, 2, "t", {c}}};
  return r;
}

TEST(DescribeConfigsMessages, ResponseV0HasIsDefault) {
  expect_wire(small_response(), {0, false},
              "00000000 00000001 0000 ffff 02 0001 74"
              "  00000001 0001 6b 0001 76 00 01 00");
}

TEST(DescribeConfigsMessages, ResponseV1) {
  expect_wire(small_response(), {1, false},
              "00000000 00000001 0000 ffff 02 0001 74"
              "  00000001 0001 6b 0001 76 00 05 00 00000000");
}

TEST(DescribeConfigsMessages, ResponseV4) {
  expect_wire(small_response(), {4, true},
              "00000000 02 0000 00 02 02 74"
              "  02 02 6b 02 76 00 05 00 01 00 00 00"  // config: ..., type, documentation
              "  00"
              "00");
}

}  // namespace
}  // namespace runnel::broker

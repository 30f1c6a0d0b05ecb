#include "broker/protocol/messages/delete_topics.h"

#include <gtest/gtest.h>

#include "round_trip.h"

namespace runnel::broker {
namespace {

using testing::expect_round_trips_in_every_version;
using testing::expect_wire;

TEST(DeleteTopicsMessages, RoundTripEveryVersion) {
  DeleteTopicsRequest request;
  request.topics = {{"orders", Uuid{1}}, {"users", Uuid{2}}};
  request.topic_names = {"orders", "users"};
  request.timeout_ms = 30000;
  DeleteTopicsResponse response;
  response.throttle_time_ms = 3;
  response.responses = {{"orders", Uuid{1}, 3, "unknown topic"}, {"users", Uuid{2}, 41, "busy"}};
  expect_round_trips_in_every_version(request, response);
}

TEST(DeleteTopicsMessages, RequestByNames) {
  DeleteTopicsRequest r;
  r.topic_names = {"t"};
  r.timeout_ms = 1000;
  expect_wire(r, {0, false}, "00000001 0001 74 000003e8");
  expect_wire(r, {4, true}, "02 02 74 000003e8 00");
}

TEST(DeleteTopicsMessages, RequestV6ByNameOrId) {
  DeleteTopicsRequest r;
  r.topics = {{"t", Uuid{}}, {std::nullopt, Uuid{0xab}}};
  r.timeout_ms = 1000;
  expect_wire(r, {6, true},
              "03 02 74 00000000000000000000000000000000 00"
              "   00 ab000000000000000000000000000000 00"
              "000003e8 00");
}

TEST(DeleteTopicsMessages, Response) {
  DeleteTopicsResponse r;
  r.responses = {{"t", Uuid{0xab}, 0, std::nullopt}};
  expect_wire(r, {0, false}, "00000001 0001 74 0000");
  expect_wire(r, {1, false}, "00000000 00000001 0001 74 0000");
  expect_wire(r, {4, true}, "00000000 02 02 74 0000 00 00");
  expect_wire(r, {5, true}, "00000000 02 02 74 0000 00 00 00");
  expect_wire(r, {6, true}, "00000000 02 02 74 ab000000000000000000000000000000 0000 00 00 00");
}

}  // namespace
}  // namespace runnel::broker

#include "broker/protocol/messages/init_producer_id.h"

#include <gtest/gtest.h>

#include "round_trip.h"

namespace runnel::broker {
namespace {

using testing::expect_round_trips_in_every_version;
using testing::expect_wire;

TEST(InitProducerIdMessages, RoundTripEveryVersion) {
  InitProducerIdRequest request;
  request.transactional_id = "tx-orders";
  request.transaction_timeout_ms = 60000;
  request.producer_id = 1000;
  request.producer_epoch = 3;
  InitProducerIdResponse response;
  response.throttle_time_ms = 2;
  response.error_code = 47;
  response.producer_id = 1001;
  response.producer_epoch = 4;
  expect_round_trips_in_every_version(request, response);
}

TEST(InitProducerIdMessages, RequestV1Idempotent) {
  InitProducerIdRequest r;
  r.transactional_id.reset();
  r.transaction_timeout_ms = 60000;
  expect_wire(r, {1, false}, "ffff 0000ea60");
}

TEST(InitProducerIdMessages, RequestFlexible) {
  InitProducerIdRequest r;
  r.transactional_id.reset();
  r.transaction_timeout_ms = 60000;
  expect_wire(r, {2, true}, "00 0000ea60 00");
  r.transactional_id = "t";
  expect_wire(r, {3, true}, "02 74 0000ea60 ffffffffffffffff ffff 00");
}

TEST(InitProducerIdMessages, Response) {
  InitProducerIdResponse r;
  r.producer_id = 1000;
  expect_wire(r, {0, false}, "00000000 0000 00000000000003e8 0000");
  expect_wire(r, {2, true}, "00000000 0000 00000000000003e8 0000 00");
}

}  // namespace
}  // namespace runnel::broker

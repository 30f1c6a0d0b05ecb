#include "broker/protocol/messages/produce.h"

#include <gtest/gtest.h>

#include "round_trip.h"

namespace runnel::broker {
namespace {

using testing::expect_round_trips_in_every_version;
using testing::expect_wire;

ProduceRequest full_request() {
  ProduceRequest r;
  r.transactional_id = "tx-1";
  r.acks = -1;
  r.timeout_ms = 30000;
  r.topic_data = {{"orders", {{3, Bytes{"batch-3"}}, {1, Bytes{std::string("\0\1\2", 3)}}}},
                  {"users", {{4, Bytes{"batch-4"}}}}};
  return r;
}

ProduceResponse full_response() {
  ProduceResponse::Partition p;
  p.index = 2;
  p.error_code = 87;
  p.base_offset = 1000;
  p.log_append_time_ms = 1700000000000;
  p.log_start_offset = 12;
  p.record_errors = {{3, "bad timestamp"}, {5, "bad key"}};
  p.error_message = "invalid records";
  ProduceResponse r;
  r.responses = {{"orders", {p, p}}};
  r.throttle_time_ms = 9;
  return r;
}

TEST(ProduceMessages, RoundTripEveryVersion) {
  expect_round_trips_in_every_version(full_request(), full_response());
}

TEST(ProduceMessages, NullRecordsRoundTrip) {
  ProduceRequest r = full_request();
  r.topic_data[0].partition_data[0].records.reset();
  for (int16_t v : {3, 9}) {
    testing::expect_round_trip(r, testing::format_of<ProduceRequest>(v));
  }
}

ProduceRequest small_request() {
  ProduceRequest r;
  r.acks = -1;
  r.timeout_ms = 1000;
  r.topic_data = {{"t", {{0, Bytes{"ab"}}}}};
  return r;
}

TEST(ProduceMessages, RequestV3) {
  expect_wire(small_request(), {3, false},
              "ffff ffff 000003e8"  // transactional id (null), acks, timeout
              "00000001 0001 74 00000001 00000000 00000002 6162");
}

TEST(ProduceMessages, RequestV9) {
  expect_wire(small_request(), {9, true},
              "00 ffff 000003e8"
              "02 02 74 02 00000000 03 6162 00 00"
              "00");
}

ProduceResponse small_response() {
  ProduceResponse::Partition p;
  p.base_offset = 5;
  p.record_errors = {{1, "bad"}};
  ProduceResponse r;
  r.responses = {{"t", {p}}};
  return r;
}

TEST(ProduceMessages, ResponseV8) {
  expect_wire(small_response(), {8, false},
              "00000001 0001 74 00000001"
              "  00000000 0000 0000000000000005"   // index, error, base offset
              "  ffffffffffffffff ffffffffffffffff"  // log append time, log start offset
              "  00000001 00000001 0003 626164"     // record errors
              "  ffff"                               // error message
              "00000000");
}

TEST(ProduceMessages, ResponseV9) {
  expect_wire(small_response(), {9, true},
              "02 02 74 02"
              "  00000000 0000 0000000000000005 ffffffffffffffff ffffffffffffffff"
              "  02 00000001 04 626164 00"
              "  00 00"
              "00"
              "00000000 00");
}

}  // namespace
}  // namespace runnel::broker

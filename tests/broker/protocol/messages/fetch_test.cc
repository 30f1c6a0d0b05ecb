#include "broker/protocol/messages/fetch.h"

#include <gtest/gtest.h>

#include "round_trip.h"

namespace runnel::broker {
namespace {

using testing::expect_round_trips_in_every_version;
using testing::expect_wire;

FetchRequest full_request() {
  FetchRequest::Partition p;
  p.partition = 1;
  p.current_leader_epoch = 4;
  p.fetch_offset = 120;
  p.last_fetched_epoch = 3;
  p.log_start_offset = 10;
  p.partition_max_bytes = 1 << 20;
  FetchRequest r;
  r.replica_id = 2;
  r.max_wait_ms = 500;
  r.min_bytes = 1;
  r.max_bytes = 50 << 20;
  r.isolation_level = 1;
  r.session_id = 77;
  r.session_epoch = 2;
  r.topics = {{"orders", {p, p}}, {"users", {p}}};
  r.forgotten_topics_data = {{"old", {0, 1}}};
  r.rack_id = "rack-a";
  return r;
}

FetchResponse full_response() {
  FetchResponse::Partition p;
  p.partition_index = 1;
  p.error_code = 1;
  p.high_watermark = 200;
  p.last_stable_offset = 190;
  p.log_start_offset = 10;
  p.aborted_transactions = std::vector<FetchResponse::AbortedTransaction>{{42, 150}};
  p.preferred_read_replica = 3;
  p.records = Bytes{"batches"};
  FetchResponse r;
  r.throttle_time_ms = 5;
  r.error_code = 70;
  r.session_id = 77;
  r.responses = {{"orders", {p, p}}};
  return r;
}

TEST(FetchMessages, RoundTripEveryVersion) {
  expect_round_trips_in_every_version(full_request(), full_response());
}

TEST(FetchMessages, NullAbortedTransactionsAndRecordsRoundTrip) {
  FetchResponse r = full_response();
  r.responses[0].partitions[0].aborted_transactions.reset();
  r.responses[0].partitions[0].records.reset();
  for (int16_t v : {4, 12}) testing::expect_round_trip(r, testing::format_of<FetchRequest>(v));
}

FetchRequest small_request() {
  FetchRequest r;
  r.max_wait_ms = 500;
  r.min_bytes = 1;
  FetchRequest::Partition p;
  p.fetch_offset = 10;
  p.partition_max_bytes = 1 << 20;
  r.topics = {{"t", {p}}};
  return r;
}

TEST(FetchMessages, RequestV4) {
  expect_wire(small_request(), {4, false},
              "ffffffff 000001f4 00000001 7fffffff 00"  // replica, wait, min, max, isolation
              "00000001 0001 74 00000001 00000000 000000000000000a 00100000");
}

TEST(FetchMessages, RequestV12) {
  expect_wire(small_request(), {12, true},
              "ffffffff 000001f4 00000001 7fffffff 00"
              "00000000 ffffffff"  // session id, session epoch
              "02 02 74 02"
              "  00000000 ffffffff 000000000000000a ffffffff ffffffffffffffff 00100000 00"
              "  00"
              "01"  // forgotten topics
              "01"  // rack id
              "00");
}

FetchResponse small_response() {
  FetchResponse::Partition p;
  p.high_watermark = 10;
  p.last_stable_offset = 10;
  p.aborted_transactions.reset();
  p.records = Bytes{"ab"};
  FetchResponse r;
  r.responses = {{"t", {p}}};
  return r;
}

TEST(FetchMessages, ResponseV4) {
  expect_wire(small_response(), {4, false},
              "00000000"  // throttle
              "00000001 0001 74 00000001"
              "  00000000 0000 000000000000000a 000000000000000a ffffffff 00000002 6162");
}

TEST(FetchMessages, ResponseV12) {
  expect_wire(small_response(), {12, true},
              "00000000 0000 00000000"  // throttle, error, session
              "02 02 74 02"
              "  00000000 0000 000000000000000a 000000000000000a ffffffffffffffff"
              "  00 ffffffff 03 6162 00"  // aborted (null), preferred replica, records
              "  00"
              "00");
}

}  // namespace
}  // namespace runnel::broker

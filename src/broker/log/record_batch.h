// Kafka's magic-v2 record batch, seen through its fixed 61-byte header. The
// log never looks at individual records: it validates, offsets and indexes
// whole batches by their headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace runnel::broker {

inline constexpr size_t kBatchHeaderSize = 61;
// baseOffset and batchLength precede what batchLength counts.
inline constexpr size_t kBatchLengthPrefix = 12;
inline constexpr int8_t kBatchMagic = 2;

struct BatchHeader {
  int64_t base_offset = 0;
  int32_t batch_length = 0;  // bytes after the batchLength field
  int32_t partition_leader_epoch = -1;
  int8_t magic = kBatchMagic;
  uint32_t crc = 0;
  int16_t attributes = 0;
  int32_t last_offset_delta = 0;
  int64_t base_timestamp = 0;
  int64_t max_timestamp = 0;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  int32_t base_sequence = -1;
  int32_t records_count = 0;

  // The whole batch's size in bytes.
  int64_t size() const { return static_cast<int64_t>(kBatchLengthPrefix) + batch_length; }
  int64_t last_offset() const { return base_offset + last_offset_delta; }
  bool is_transactional() const { return (attributes & 0x10) != 0; }
  bool is_control() const { return (attributes & 0x20) != 0; }
  // Batches whose producer sequence the log checks.
  bool is_idempotent() const { return producer_id >= 0 && !is_control(); }
  // The sequence of the last record; sequences wrap from INT32_MAX to 0.
  int32_t last_sequence() const;
};

// REQUIRES: bytes.size() >= kBatchHeaderSize.
BatchHeader parse_batch_header(std::string_view bytes);

// Why a batch with this header cannot be whole within `available` bytes (a
// wrong magic, an impossible length, a length running past them); empty when
// it can.
std::string_view batch_header_problem(const BatchHeader& header, size_t available);

// Whether the CRC-32C of the batch (from attributes to its end) matches.
// REQUIRES: batch.size() == header size and >= kBatchHeaderSize.
bool batch_crc_matches(std::string_view batch);

// Validates a produce request's records: one or more whole batches, each with
// a sane header and a matching CRC, filling nothing else. Returns their
// headers in order (they lie back to back from position 0).
Result<std::vector<BatchHeader>> split_batches(std::string_view records);

// Overwrites the batch's baseOffset, which the CRC does not cover.
void set_base_offset(char* batch, int64_t base_offset);

}  // namespace runnel::broker

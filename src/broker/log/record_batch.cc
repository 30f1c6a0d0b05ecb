#include "broker/log/record_batch.h"

#include <bit>
#include <cstring>
#include <limits>
#include <string>

#include "broker/log/crc32c.h"

namespace runnel::broker {
namespace {

// Field positions within the header.
constexpr size_t kMagicAt = 16;
constexpr size_t kCrcAt = 17;
constexpr size_t kAttributesAt = 21;

template <typename T>
T load(const char* p) {
  using U = std::make_unsigned_t<T>;
  U v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little) {
    if constexpr (sizeof(U) == 2) v = __builtin_bswap16(v);
    if constexpr (sizeof(U) == 4) v = __builtin_bswap32(v);
    if constexpr (sizeof(U) == 8) v = __builtin_bswap64(v);
  }
  return static_cast<T>(v);
}

}  // namespace

int32_t BatchHeader::last_sequence() const {
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  if (base_sequence > kMax - last_offset_delta) return last_offset_delta - (kMax - base_sequence) - 1;
  return base_sequence + last_offset_delta;
}

BatchHeader parse_batch_header(std::string_view bytes) {
  const char* p = bytes.data();
  BatchHeader h;
  h.base_offset = load<int64_t>(p);
  h.batch_length = load<int32_t>(p + 8);
  h.partition_leader_epoch = load<int32_t>(p + 12);
  h.magic = static_cast<int8_t>(p[kMagicAt]);
  h.crc = load<uint32_t>(p + kCrcAt);
  h.attributes = load<int16_t>(p + kAttributesAt);
  h.last_offset_delta = load<int32_t>(p + 23);
  h.base_timestamp = load<int64_t>(p + 27);
  h.max_timestamp = load<int64_t>(p + 35);
  h.producer_id = load<int64_t>(p + 43);
  h.producer_epoch = load<int16_t>(p + 51);
  h.base_sequence = load<int32_t>(p + 53);
  h.records_count = load<int32_t>(p + 57);
  return h;
}

std::string_view batch_header_problem(const BatchHeader& header, size_t available) {
  if (header.batch_length < static_cast<int32_t>(kBatchHeaderSize - kBatchLengthPrefix)) {
    return "batch length shorter than a batch header";
  }
  if (static_cast<uint64_t>(header.size()) > available) return "batch runs past the end of the data";
  if (header.magic != kBatchMagic) return "record batch magic is not 2";
  if (header.last_offset_delta < 0 || header.records_count < 0) return "negative record count";
  return {};
}

bool batch_crc_matches(std::string_view batch) {
  uint32_t stored = load<uint32_t>(batch.data() + kCrcAt);
  return crc32c(batch.substr(kAttributesAt)) == stored;
}

Result<std::vector<BatchHeader>> split_batches(std::string_view records) {
  std::vector<BatchHeader> headers;
  size_t position = 0;
  while (position < records.size()) {
    std::string_view rest = records.substr(position);
    if (rest.size() < kBatchHeaderSize) {
      return data_loss("trailing " + std::to_string(rest.size()) + " bytes are not a record batch");
    }
    BatchHeader header = parse_batch_header(rest);
    if (auto problem = batch_header_problem(header, rest.size()); !problem.empty()) {
      return data_loss("batch at byte " + std::to_string(position) + ": " + std::string(problem));
    }
    if (!batch_crc_matches(rest.substr(0, static_cast<size_t>(header.size())))) {
      return data_loss("batch at byte " + std::to_string(position) + ": CRC-32C mismatch");
    }
    position += static_cast<size_t>(header.size());
    headers.push_back(header);
  }
  if (headers.empty()) return data_loss("no record batches");
  return headers;
}

void set_base_offset(char* batch, int64_t base_offset) {
  auto v = static_cast<uint64_t>(base_offset);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  std::memcpy(batch, &v, sizeof v);
}

}  // namespace runnel::broker

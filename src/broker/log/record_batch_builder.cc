#include "broker/log/record_batch_builder.h"

#include <algorithm>
#include <string_view>

#include "broker/log/crc32c.h"
#include "broker/log/record_batch.h"
#include "broker/protocol/wire.h"

namespace runnel::broker {
namespace {

void write_varint_bytes(WireWriter& out, const std::optional<std::string>& bytes) {
  if (!bytes) {
    out.write_varint(-1);
    return;
  }
  out.write_varint(static_cast<int32_t>(bytes->size()));
  out.write_raw(*bytes);
}

std::string encode_record(const RecordSpec& record, int32_t offset_delta) {
  std::string body;
  WireWriter out(body);
  out.write_int8(0);  // attributes
  out.write_varlong(record.timestamp_delta);
  out.write_varint(offset_delta);
  write_varint_bytes(out, record.key);
  write_varint_bytes(out, record.value);
  out.write_varint(static_cast<int32_t>(record.headers.size()));
  for (const auto& [key, value] : record.headers) {
    write_varint_bytes(out, key);
    write_varint_bytes(out, value);
  }
  std::string framed;
  WireWriter(framed).write_varint(static_cast<int32_t>(body.size()));
  return framed + body;
}

}  // namespace

std::string build_record_batch(const BatchSpec& spec) {
  int64_t max_delta = 0;
  for (const RecordSpec& r : spec.records) max_delta = std::max(max_delta, r.timestamp_delta);
  std::string batch;
  WireWriter out(batch);
  out.write_int64(spec.base_offset);
  out.write_int32(0);  // batchLength, set below
  out.write_int32(-1);  // partitionLeaderEpoch
  out.write_int8(kBatchMagic);
  out.write_uint32(0);  // crc, set below
  out.write_int16(0);   // attributes: no compression, CreateTime
  out.write_int32(static_cast<int32_t>(spec.records.size()) - 1);
  out.write_int64(spec.base_timestamp);
  out.write_int64(spec.base_timestamp + max_delta);
  out.write_int64(spec.producer_id);
  out.write_int16(spec.producer_epoch);
  out.write_int32(spec.base_sequence);
  out.write_int32(static_cast<int32_t>(spec.records.size()));
  for (size_t i = 0; i < spec.records.size(); ++i) {
    out.write_raw(encode_record(spec.records[i], static_cast<int32_t>(i)));
  }

  std::string length;
  WireWriter(length).write_int32(static_cast<int32_t>(batch.size() - kBatchLengthPrefix));
  batch.replace(8, 4, length);
  std::string crc;
  WireWriter(crc).write_uint32(crc32c(std::string_view(batch).substr(21)));
  batch.replace(17, 4, crc);
  return batch;
}

std::string build_simple_batch(int count, int64_t timestamp, int64_t producer_id,
                               int16_t producer_epoch, int32_t base_sequence) {
  BatchSpec spec;
  spec.base_timestamp = timestamp;
  spec.producer_id = producer_id;
  spec.producer_epoch = producer_epoch;
  spec.base_sequence = base_sequence;
  for (int i = 0; i < count; ++i) spec.records.push_back({std::nullopt, "v" + std::to_string(i), 0, {}});
  return build_record_batch(spec);
}

}  // namespace runnel::broker

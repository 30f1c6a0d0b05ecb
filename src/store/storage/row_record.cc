#include "store/storage/row_record.h"

#include <algorithm>

#include "store/storage/byte_io.h"

namespace runnel::store::storage {
namespace {

// The encoding starts with a tag byte telling a row from a header, so a
// merge of a misplaced value can be detected.
constexpr char kRowTag = 'R';
constexpr char kHeaderTag = 'H';

void write_optional(Writer& writer, const std::optional<std::string>& value) {
  writer.u8(value ? 1 : 0);
  if (value) writer.bytes(*value);
}

std::optional<std::string> read_optional(Reader& reader) {
  if (reader.u8() == 0) return std::nullopt;
  return reader.bytes();
}

void write_liveness(Writer& writer, const Liveness& value) {
  writer.i64(value.timestamp);
  writer.i32(value.ttl);
  writer.i64(value.expires_at);
}

Liveness read_liveness(Reader& reader) {
  Liveness value;
  value.timestamp = reader.i64();
  value.ttl = reader.i32();
  value.expires_at = reader.i64();
  return value;
}

}  // namespace

std::string encode_row(const RowRecord& row) {
  constexpr std::size_t kLivenessSize = 20;
  std::size_t size = 2 + kLivenessSize + 8 + 4;
  for (const auto& cell : row.cells)
    size += 4 + cell.column.size() + kLivenessSize + 1 + 4 + cell.value.size();
  Writer writer;
  writer.reserve(size);
  writer.u8(kRowTag);
  writer.u8(row.marker ? 1 : 0);
  if (row.marker) write_liveness(writer, *row.marker);
  writer.i64(row.deletion);
  writer.i32(static_cast<std::int32_t>(row.cells.size()));
  for (const auto& cell : row.cells) {
    writer.bytes(cell.column);
    write_liveness(writer, cell.liveness);
    writer.u8(cell.tombstone ? 1 : 0);
    writer.bytes(cell.value);
  }
  return writer.take();
}

std::optional<RowRecord> decode_row(std::string_view bytes) {
  Reader reader(bytes);
  if (reader.u8() != kRowTag) return std::nullopt;
  RowRecord row;
  if (reader.u8() != 0) row.marker = read_liveness(reader);
  row.deletion = reader.i64();
  std::int32_t count = reader.i32();
  for (std::int32_t i = 0; i < count && reader.ok(); ++i) {
    Cell cell;
    cell.column = reader.bytes();
    cell.liveness = read_liveness(reader);
    cell.tombstone = reader.u8() != 0;
    cell.value = reader.bytes();
    row.cells.push_back(std::move(cell));
  }
  if (!reader.ok() || !reader.done()) return std::nullopt;
  return row;
}

const Cell& reconcile(const Cell& a, const Cell& b) {
  if (a.liveness.timestamp != b.liveness.timestamp) {
    return a.liveness.timestamp > b.liveness.timestamp ? a : b;
  }
  if (a.tombstone != b.tombstone) return a.tombstone ? a : b;
  if (int c = a.value.compare(b.value); c != 0) return c > 0 ? a : b;
  return a.liveness.expires_at >= b.liveness.expires_at ? a : b;
}

RowRecord merge(const RowRecord& a, const RowRecord& b) {
  RowRecord merged;
  merged.deletion = std::max(a.deletion, b.deletion);
  auto marker_wins = [](const Liveness& x, const Liveness& y) {
    if (x.timestamp != y.timestamp) return x.timestamp > y.timestamp;
    return x.expires_at == 0 || (y.expires_at != 0 && x.expires_at >= y.expires_at);
  };
  if (a.marker && b.marker) {
    merged.marker = marker_wins(*a.marker, *b.marker) ? a.marker : b.marker;
  } else {
    merged.marker = a.marker ? a.marker : b.marker;
  }
  if (merged.marker && merged.marker->timestamp <= merged.deletion) merged.marker.reset();
  std::size_t i = 0;
  std::size_t j = 0;
  auto keep = [&](const Cell& cell) {
    if (cell.liveness.timestamp > merged.deletion) merged.cells.push_back(cell);
  };
  while (i < a.cells.size() || j < b.cells.size()) {
    if (j == b.cells.size() || (i < a.cells.size() && a.cells[i].column < b.cells[j].column)) {
      keep(a.cells[i++]);
    } else if (i == a.cells.size() || b.cells[j].column < a.cells[i].column) {
      keep(b.cells[j++]);
    } else {
      keep(reconcile(a.cells[i++], b.cells[j++]));
    }
  }
  return merged;
}

std::string encode_header(const PartitionHeader& header) {
  Writer writer;
  writer.u8(kHeaderTag);
  writer.i64(header.deletion);
  writer.i32(static_cast<std::int32_t>(header.ranges.size()));
  for (const auto& range : header.ranges) {
    writer.i32(static_cast<std::int32_t>(range.prefix.size()));
    for (const auto& value : range.prefix) writer.bytes(value);
    write_optional(writer, range.lower);
    writer.u8(range.lower_inclusive ? 1 : 0);
    write_optional(writer, range.upper);
    writer.u8(range.upper_inclusive ? 1 : 0);
    writer.i64(range.timestamp);
  }
  return writer.take();
}

std::optional<PartitionHeader> decode_header(std::string_view bytes) {
  Reader reader(bytes);
  if (reader.u8() != kHeaderTag) return std::nullopt;
  PartitionHeader header;
  header.deletion = reader.i64();
  std::int32_t count = reader.i32();
  for (std::int32_t i = 0; i < count && reader.ok(); ++i) {
    RangeTombstone range;
    std::int32_t prefix_size = reader.i32();
    for (std::int32_t k = 0; k < prefix_size && reader.ok(); ++k)
      range.prefix.push_back(reader.bytes());
    range.lower = read_optional(reader);
    range.lower_inclusive = reader.u8() != 0;
    range.upper = read_optional(reader);
    range.upper_inclusive = reader.u8() != 0;
    range.timestamp = reader.i64();
    header.ranges.push_back(std::move(range));
  }
  if (!reader.ok() || !reader.done()) return std::nullopt;
  return header;
}

PartitionHeader merge(const PartitionHeader& a, const PartitionHeader& b) {
  PartitionHeader merged;
  merged.deletion = std::max(a.deletion, b.deletion);
  for (const auto* side : {&a, &b}) {
    for (const auto& range : side->ranges) {
      if (range.timestamp <= merged.deletion) continue;
      if (std::find(merged.ranges.begin(), merged.ranges.end(), range) == merged.ranges.end()) {
        merged.ranges.push_back(range);
      }
    }
  }
  return merged;
}

}  // namespace runnel::store::storage

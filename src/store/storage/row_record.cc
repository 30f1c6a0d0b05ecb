#include "store/storage/row_record.h"

#include <algorithm>

#include "store/storage/byte_io.h"

namespace runnel::store::storage {
namespace {

// An encoding starts with a tag byte telling a row from a header, so a
// merge of a misplaced value can be detected, and a row's tag also names its
// format:
//  'R' legacy, what stores wrote before 'C': every cell with its column
//      name and its own liveness (20 bytes), lengths as 4-byte integers.
//      Still read; a merge rewrites it as 'C'.
//  'C' compact: the liveness the row's cells share written once, each cell
//      then a flags byte and its own liveness only when it differs; lengths
//      as varints. A row INSERT wrote is about its names and values.
constexpr char kLegacyRowTag = 'R';
constexpr char kRowTag = 'C';
constexpr char kHeaderTag = 'H';

// The flags byte of a compact row.
constexpr std::uint8_t kRowHasMarker = 0x01;
constexpr std::uint8_t kRowHasDeletion = 0x02;
// The flags byte of a compact row's cell.
constexpr std::uint8_t kCellTombstone = 0x01;
constexpr std::uint8_t kCellOwnLiveness = 0x02;

void write_optional(Writer& writer, const std::optional<std::string>& value) {
  writer.u8(value ? 1 : 0);
  if (value) writer.bytes(*value);
}

std::optional<std::string> read_optional(Reader& reader) {
  if (reader.u8() == 0) return std::nullopt;
  return reader.bytes();
}

Liveness read_liveness(Reader& reader) {
  Liveness value;
  value.timestamp = reader.i64();
  value.ttl = reader.i32();
  value.expires_at = reader.i64();
  return value;
}

// A compact row's liveness: the timestamp fixed (it may be any value
// USING TIMESTAMP gives), the TTL and expiry as varints (mostly 0).
void write_compact_liveness(Writer& writer, const Liveness& value) {
  writer.i64(value.timestamp);
  writer.varint(static_cast<std::uint32_t>(value.ttl));
  writer.varint(static_cast<std::uint64_t>(value.expires_at));
}

Liveness read_compact_liveness(Reader& reader) {
  Liveness value;
  value.timestamp = reader.i64();
  value.ttl = static_cast<std::int32_t>(static_cast<std::uint32_t>(reader.varint()));
  value.expires_at = static_cast<std::int64_t>(reader.varint());
  return value;
}

std::optional<RowRecord> decode_legacy_row(Reader& reader) {
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

}  // namespace

std::string encode_row(const RowRecord& row) {
  // The shared liveness: the marker's, else the first cell's.
  Liveness shared;
  if (row.marker) {
    shared = *row.marker;
  } else if (!row.cells.empty()) {
    shared = row.cells.front().liveness;
  }
  constexpr std::size_t kLivenessSize = 8 + 5 + 10;
  std::size_t size = 2 + kLivenessSize + 8 + 5;
  for (const auto& cell : row.cells) size += 2 * 5 + 1 + cell.column.size() + cell.value.size();
  Writer writer;
  writer.reserve(size);
  writer.u8(kRowTag);
  const bool has_deletion = row.deletion != kNoDeletion;
  writer.u8((row.marker ? kRowHasMarker : 0) | (has_deletion ? kRowHasDeletion : 0));
  write_compact_liveness(writer, shared);
  if (has_deletion) writer.i64(row.deletion);
  writer.varint(row.cells.size());
  for (const auto& cell : row.cells) {
    writer.short_bytes(cell.column);
    const bool own_liveness = cell.liveness != shared;
    writer.u8((cell.tombstone ? kCellTombstone : 0) | (own_liveness ? kCellOwnLiveness : 0));
    if (own_liveness) write_compact_liveness(writer, cell.liveness);
    writer.short_bytes(cell.value);
  }
  return writer.take();
}

std::optional<RowRecord> decode_row(std::string_view bytes) {
  Reader reader(bytes);
  const std::uint8_t tag = reader.u8();
  if (tag == kLegacyRowTag) return decode_legacy_row(reader);
  if (tag != kRowTag) return std::nullopt;
  RowRecord row;
  const std::uint8_t flags = reader.u8();
  if (flags & ~(kRowHasMarker | kRowHasDeletion)) return std::nullopt;
  const Liveness shared = read_compact_liveness(reader);
  if (flags & kRowHasMarker) row.marker = shared;
  if (flags & kRowHasDeletion) row.deletion = reader.i64();
  const std::uint64_t count = reader.varint();
  // Every cell takes at least 3 bytes: no count can promise more cells
  // than the bytes left hold.
  if (!reader.ok() || count > bytes.size() / 3) return std::nullopt;
  row.cells.reserve(count);
  for (std::uint64_t i = 0; i < count && reader.ok(); ++i) {
    Cell& cell = row.cells.emplace_back();
    cell.column = reader.short_bytes();
    const std::uint8_t cell_flags = reader.u8();
    if (cell_flags & ~(kCellTombstone | kCellOwnLiveness)) return std::nullopt;
    cell.tombstone = (cell_flags & kCellTombstone) != 0;
    cell.liveness = (cell_flags & kCellOwnLiveness) ? read_compact_liveness(reader) : shared;
    cell.value = reader.short_bytes();
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

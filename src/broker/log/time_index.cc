#include "broker/log/time_index.h"

#include <algorithm>

#include "broker/protocol/wire.h"

namespace runnel::broker {
namespace {

std::string encode(int64_t timestamp, int32_t relative_offset) {
  std::string out;
  WireWriter writer(out);
  writer.write_int64(timestamp);
  writer.write_int32(relative_offset);
  return out;
}

}  // namespace

Status TimeIndex::maybe_append(int64_t timestamp, int64_t offset) {
  if (!entries_.empty() && timestamp <= entries_.back().timestamp) return Status::ok();
  Entry entry{timestamp, static_cast<int32_t>(offset - base_offset_)};
  entries_.push_back(entry);
  return file_.append(encode(entry.timestamp, entry.relative_offset));
}

std::optional<int64_t> TimeIndex::offset_before(int64_t timestamp_ms) const {
  auto at_or_after = std::lower_bound(entries_.begin(), entries_.end(), timestamp_ms,
                                      [](const Entry& e, int64_t t) { return e.timestamp < t; });
  if (at_or_after == entries_.begin()) return std::nullopt;
  return base_offset_ + std::prev(at_or_after)->relative_offset;
}

std::string TimeIndex::serialized() const {
  std::string out;
  out.reserve(entries_.size() * 12);
  for (const Entry& e : entries_) out += encode(e.timestamp, e.relative_offset);
  return out;
}

}  // namespace runnel::broker

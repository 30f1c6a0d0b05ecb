#include "broker/log/offset_index.h"

#include <algorithm>

#include "broker/protocol/wire.h"

namespace runnel::broker {
namespace {

std::string encode(int32_t relative_offset, int32_t position) {
  std::string out;
  WireWriter writer(out);
  writer.write_int32(relative_offset);
  writer.write_int32(position);
  return out;
}

}  // namespace

Status OffsetIndex::append(int64_t last_offset, int64_t position) {
  Entry entry{static_cast<int32_t>(last_offset - base_offset_), static_cast<int32_t>(position)};
  entries_.push_back(entry);
  return file_.append(encode(entry.relative_offset, entry.position));
}

int64_t OffsetIndex::lookup(int64_t offset) const {
  int64_t relative = offset - base_offset_;
  auto after = std::upper_bound(entries_.begin(), entries_.end(), relative,
                                [](int64_t r, const Entry& e) { return r < e.relative_offset; });
  return after == entries_.begin() ? 0 : std::prev(after)->position;
}

std::string OffsetIndex::serialized() const {
  std::string out;
  out.reserve(entries_.size() * 8);
  for (const Entry& e : entries_) out += encode(e.relative_offset, e.position);
  return out;
}

}  // namespace runnel::broker

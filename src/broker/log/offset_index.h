// A segment's sparse offset index (<base>.index): every index.interval.bytes
// of log, the last offset of a batch (relative to the segment's base offset)
// and the file position where that batch starts, as two big-endian int32s.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "broker/log/index_file.h"

namespace runnel::broker {

class OffsetIndex {
 public:
  OffsetIndex(int64_t base_offset, IndexFile file) : base_offset_(base_offset), file_(std::move(file)) {}

  // REQUIRES: offset and position greater than the last entry's.
  Status append(int64_t last_offset, int64_t position);
  // Where to start scanning for `offset`: the position of the last indexed
  // batch whose last offset is <= offset, or 0. No batch before it holds
  // `offset`.
  int64_t lookup(int64_t offset) const;
  // The entries as the file holds them.
  std::string serialized() const;
  IndexFile& file() { return file_; }
  const IndexFile& file() const { return file_; }
  size_t entries() const { return entries_.size(); }

 private:
  struct Entry {
    int32_t relative_offset;
    int32_t position;
  };

  int64_t base_offset_;
  std::vector<Entry> entries_;
  IndexFile file_;
};

}  // namespace runnel::broker

// A segment's sparse time index (<base>.timeindex): at each offset-index
// entry, if the largest timestamp seen so far grew, that timestamp and the
// offset of the batch that first reached it (relative to the segment's base
// offset), as big-endian int64 + int32. A sealed segment's last entry holds
// its largest timestamp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/log/index_file.h"

namespace runnel::broker {

class TimeIndex {
 public:
  TimeIndex(int64_t base_offset, IndexFile file) : base_offset_(base_offset), file_(std::move(file)) {}

  // Appends an entry when `timestamp` is larger than the last entry's.
  Status maybe_append(int64_t timestamp, int64_t offset);
  // The offset of the last entry whose timestamp is < timestamp_ms: every
  // batch before it has a smaller max timestamp. nullopt: no such entry.
  std::optional<int64_t> offset_before(int64_t timestamp_ms) const;
  std::string serialized() const;
  IndexFile& file() { return file_; }
  const IndexFile& file() const { return file_; }

 private:
  struct Entry {
    int64_t timestamp;
    int32_t relative_offset;
  };

  int64_t base_offset_;
  std::vector<Entry> entries_;
  IndexFile file_;
};

}  // namespace runnel::broker

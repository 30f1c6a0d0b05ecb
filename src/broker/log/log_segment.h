// One segment of a partition log: <base>.log holding record batches back to
// back, with its .index and .timeindex, named by the 20-digit base offset.
// Only the last (active) segment is appended to; the others are sealed.
//
// Thread safety: the owner (PartitionLog) serialises every call except
// sync_log() and sync_indexes(), which only use the file descriptors and may
// run on another thread while the owner appends. The owner shares segments
// with its flusher through shared_ptr, so files outlive an ongoing sync.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "broker/log/file_descriptor.h"
#include "broker/log/offset_index.h"
#include "broker/log/record_batch.h"
#include "broker/log/time_index.h"
#include "common/status.h"

namespace runnel::broker {

class LogSegment {
 public:
  // What opening a segment found wrong and dropped.
  struct Recovery {
    int64_t dropped_bytes = 0;
    std::string problem;  // why the first dropped batch was bad
    bool index_rebuilt = false;
  };

  static std::filesystem::path file_path(const std::filesystem::path& dir, int64_t base_offset,
                                         std::string_view extension);

  // Creates a new, empty segment (truncating stale files of the same name).
  static Result<std::shared_ptr<LogSegment>> create(const std::filesystem::path& dir, int64_t base_offset);

  // Opens an existing segment and rebuilds its state and indexes by scanning
  // its batch headers, calling `visit` for each batch kept; index files that
  // disagree are rewritten. A batch that cannot be whole (and, for the
  // active segment, one whose CRC-32C is wrong) is cut off with everything
  // after it. A sealed segment gets its final time-index entry.
  static Result<std::shared_ptr<LogSegment>> open(const std::filesystem::path& dir, int64_t base_offset,
                                                  int32_t index_interval_bytes, bool active,
                                                  const std::function<void(const BatchHeader&)>& visit,
                                                  Recovery& recovery);
  ~LogSegment();

  int64_t base_offset() const { return base_offset_; }
  int64_t next_offset() const { return next_offset_; }  // one past the last offset
  int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t max_timestamp() const { return max_timestamp_; }  // -1 when empty
  // The first batch's max timestamp (segment.ms counts from it); -1 when empty.
  int64_t first_timestamp() const { return first_timestamp_; }

  // Writes `batches` (validated, offsets assigned, described by `headers`)
  // at the end of the file with one write, then indexes them. If the write
  // fails the file is cut back and the segment is as it was.
  Status append(std::string_view batches, std::span<const BatchHeader> headers, int32_t index_interval_bytes);

  // The position of the batch holding `offset`; nullopt when the segment
  // ends before it.
  Result<std::optional<int64_t>> position_of(int64_t offset) const;
  // Whole batches from `position` up to `max_bytes` (at least one batch),
  // stopping before any batch reaching `max_offset`.
  Result<std::string> read(int64_t position, int32_t max_bytes, int64_t max_offset) const;
  // The base offset of the first batch whose max timestamp is >= timestamp_ms.
  Result<std::optional<int64_t>> offset_for_timestamp(int64_t timestamp_ms) const;

  // Ends appends: adds the final time-index entry and writes index buffers.
  Status seal();
  Status sync_log() const { return log_.sync_data(); }
  // REQUIRES: sealed.
  Status sync_indexes() const;
  // Deletes the files; the segment must not be used afterwards.
  Status remove_files();

 private:
  LogSegment(int64_t base_offset, FileDescriptor log, OffsetIndex offsets, TimeIndex times);
  void index_batch(const BatchHeader& header, int64_t position, int32_t index_interval_bytes);

  const int64_t base_offset_;
  FileDescriptor log_;
  OffsetIndex offsets_;
  TimeIndex times_;
  int64_t next_offset_;
  int64_t size_ = 0;
  int64_t max_timestamp_ = -1;
  int64_t offset_of_max_timestamp_ = -1;
  int64_t first_timestamp_ = -1;
  int64_t bytes_since_index_entry_ = 0;
  bool index_write_failed_ = false;  // logged once; the files are rebuilt on open
  bool removed_ = false;
};

}  // namespace runnel::broker

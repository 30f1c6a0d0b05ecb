// One topic-partition's log: a directory of segments, each a .log file of
// record batches (magic v2) as producers sent them, with the broker's offsets
// written into them, plus a sparse .index (offset -> file position) and a
// .timeindex (timestamp -> offset). Segments roll by size and age; whole
// segments are deleted by retention time and size.
//
// Thread safety: append, read and the accessors are called from the broker's
// network thread; flush() may run at the same time on the flusher thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "broker/log/log_config.h"
#include "broker/protocol/error_code.h"
#include "common/status.h"

namespace runnel::broker {

struct AppendResult {
  ErrorCode error = ErrorCode::kNone;
  std::string error_message;
  int64_t base_offset = -1;        // offset of the first record appended (or of the
                                   // original batch when a retry was a duplicate)
  int64_t last_offset = -1;        // offset of the last record appended
  int64_t log_append_time_ms = -1; // -1: the batches keep their CreateTime
  int64_t log_start_offset = 0;
};

struct ReadResult {
  ErrorCode error = ErrorCode::kNone;  // kOffsetOutOfRange when offset is outside the log
  std::string records;                 // whole batches, possibly empty
};

class PartitionLog {
 public:
  // Opens (creating if needed) the log in `dir` and recovers it: the active
  // segment is scanned, and a torn or corrupt tail (bad length or CRC-32C) is
  // truncated away with a log line. Indexes are rebuilt when missing or bad.
  static Result<std::unique_ptr<PartitionLog>> open(std::filesystem::path dir, LogConfig config);
  ~PartitionLog();

  // Validates and appends a produce request's records: one or more magic-v2
  // batches. Each batch's length and CRC-32C are checked (kCorruptMessage),
  // its size against max_message_bytes (kMessageTooLarge); idempotent
  // batches (producer id >= 0) are checked against the producer's sequence
  // (a retried duplicate returns the original offsets without appending, a
  // gap is kOutOfOrderSequenceNumber, a stale epoch kInvalidProducerEpoch).
  // A failed write (disk full) is kKafkaStorageError and leaves the log as
  // it was. All or nothing: either every batch is appended or none.
  AppendResult append(std::string_view records);

  // Whole batches from the one containing `offset`, up to `max_bytes` (but
  // always the first batch, even if larger, so a consumer makes progress),
  // never past `max_offset` (exclusive; the high watermark).
  ReadResult read(int64_t offset, int32_t max_bytes, int64_t max_offset) const;

  // Makes everything appended so far durable (fdatasync of the segments
  // written since the last flush); returns the offset up to which the log is
  // durable. Safe to call from another thread than append().
  Result<int64_t> flush();

  int64_t log_start_offset() const;
  int64_t log_end_offset() const;   // the next offset to be assigned
  int64_t durable_offset() const;   // everything below it has been flushed
  int64_t size_bytes() const;

  // ListOffsets by time: the first offset whose batch max timestamp is >= ts,
  // or -1 when there is none.
  int64_t offset_for_timestamp(int64_t timestamp_ms) const;

  // Rolls the active segment if it is older than segment.ms, and deletes the
  // oldest segments beyond retention.ms / retention.bytes (never the active
  // one). Returns the number of segments deleted.
  int enforce_retention(int64_t now_ms);

  void set_config(const LogConfig& config);
  const std::filesystem::path& directory() const;

  // Closes the files and removes the directory (DeleteTopics).
  Status remove();

 private:
  struct State;
  explicit PartitionLog(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace runnel::broker

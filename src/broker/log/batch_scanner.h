// Walks the batches of a segment file in order from a position, reading ahead
// in chunks. Stops at the end of the data, at the first batch that cannot be
// whole (impossible header, length running past the end) or, when verifying,
// at the first whose CRC-32C is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "broker/log/file_descriptor.h"
#include "broker/log/record_batch.h"

namespace runnel::broker {

class BatchScanner {
 public:
  // Scans [position, data_size) of `file`, which must outlive the scanner.
  BatchScanner(const FileDescriptor& file, int64_t data_size, int64_t position, bool verify_crc,
               size_t read_ahead);

  // Moves to the next batch; false at the end, at a bad batch or on an I/O
  // error (see problem() and status()).
  bool next();
  const BatchHeader& header() const { return header_; }
  int64_t batch_position() const { return batch_position_; }
  // The end of the last good batch: where a torn or corrupt tail starts.
  int64_t end() const { return end_; }
  // Why the scan stopped before the end of the data; empty if it did not.
  std::string_view problem() const { return problem_; }
  const Status& status() const { return status_; }

 private:
  // n bytes at `position` (fewer at the end of the file), from the buffer.
  std::string_view view(int64_t position, size_t n);

  const FileDescriptor& file_;
  int64_t data_size_;
  bool verify_crc_;
  size_t read_ahead_;
  std::string buffer_;
  int64_t buffer_start_ = 0;
  BatchHeader header_;
  int64_t batch_position_ = -1;
  int64_t end_;
  std::string_view problem_;
  Status status_;
};

}  // namespace runnel::broker

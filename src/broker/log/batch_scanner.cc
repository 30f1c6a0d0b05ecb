#include "broker/log/batch_scanner.h"

#include <algorithm>

namespace runnel::broker {

BatchScanner::BatchScanner(const FileDescriptor& file, int64_t data_size, int64_t position,
                           bool verify_crc, size_t read_ahead)
    : file_(file), data_size_(data_size), verify_crc_(verify_crc), read_ahead_(read_ahead), end_(position) {}

std::string_view BatchScanner::view(int64_t position, size_t n) {
  auto buffer_end = buffer_start_ + static_cast<int64_t>(buffer_.size());
  if (position < buffer_start_ || position + static_cast<int64_t>(n) > buffer_end) {
    buffer_start_ = position;
    size_t want = static_cast<size_t>(std::min<int64_t>(std::max(n, read_ahead_), data_size_ - position));
    status_ = file_.read_at(position, want, buffer_);
    if (!status_.is_ok()) buffer_.clear();
  }
  return std::string_view(buffer_).substr(static_cast<size_t>(position - buffer_start_), n);
}

bool BatchScanner::next() {
  if (!status_.is_ok() || !problem_.empty() || end_ >= data_size_) return false;
  auto available = static_cast<size_t>(data_size_ - end_);
  if (available < kBatchHeaderSize) {
    problem_ = "a batch header runs past the end of the data";
    return false;
  }
  std::string_view head = view(end_, kBatchHeaderSize);
  if (head.size() < kBatchHeaderSize) {
    if (status_.is_ok()) problem_ = "the file is shorter than expected";
    return false;
  }
  BatchHeader header = parse_batch_header(head);
  if (auto problem = batch_header_problem(header, available); !problem.empty()) {
    problem_ = problem;
    return false;
  }
  if (verify_crc_) {
    auto size = static_cast<size_t>(header.size());
    std::string_view batch = view(end_, size);
    if (batch.size() < size) {
      if (status_.is_ok()) problem_ = "the file is shorter than expected";
      return false;
    }
    if (!batch_crc_matches(batch)) {
      problem_ = "CRC-32C mismatch";
      return false;
    }
  }
  header_ = header;
  batch_position_ = end_;
  end_ += header.size();
  return true;
}

}  // namespace runnel::broker

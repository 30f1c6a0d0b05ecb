#include "broker/log/log_segment.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <system_error>

#include "broker/log/batch_scanner.h"

namespace runnel::broker {
namespace {

// Read-ahead for recovery scans (the whole file) and for lookups (from an
// index entry to the wanted batch, about index.interval.bytes).
constexpr size_t kRecoveryReadAhead = 1 << 20;
constexpr size_t kLookupReadAhead = 16 << 10;

}  // namespace

std::filesystem::path LogSegment::file_path(const std::filesystem::path& dir, int64_t base_offset,
                                            std::string_view extension) {
  return dir / fmt::format("{:020d}{}", base_offset, extension);
}

LogSegment::LogSegment(int64_t base_offset, FileDescriptor log, OffsetIndex offsets, TimeIndex times)
    : base_offset_(base_offset),
      log_(std::move(log)),
      offsets_(std::move(offsets)),
      times_(std::move(times)),
      next_offset_(base_offset) {}

LogSegment::~LogSegment() {
  if (removed_) return;
  (void)offsets_.file().write_pending();
  (void)times_.file().write_pending();
}

namespace {

struct SegmentFiles {
  FileDescriptor log;
  IndexFile offsets;
  IndexFile times;
};

Result<SegmentFiles> open_files(const std::filesystem::path& dir, int64_t base_offset) {
  auto log = FileDescriptor::open(LogSegment::file_path(dir, base_offset, ".log"));
  if (!log) return log.status();
  auto offsets = IndexFile::open(LogSegment::file_path(dir, base_offset, ".index"));
  if (!offsets) return offsets.status();
  auto times = IndexFile::open(LogSegment::file_path(dir, base_offset, ".timeindex"));
  if (!times) return times.status();
  return SegmentFiles{std::move(*log), std::move(*offsets), std::move(*times)};
}

}  // namespace

Result<std::shared_ptr<LogSegment>> LogSegment::create(const std::filesystem::path& dir, int64_t base_offset) {
  auto files = open_files(dir, base_offset);
  if (!files) return files.status();
  if (Status s = files->log.truncate(0); !s.is_ok()) return s;
  std::shared_ptr<LogSegment> segment(new LogSegment(base_offset, std::move(files->log),
                                                     OffsetIndex(base_offset, std::move(files->offsets)),
                                                     TimeIndex(base_offset, std::move(files->times))));
  if (auto r = segment->offsets_.file().reconcile(""); !r) return r.status();
  if (auto r = segment->times_.file().reconcile(""); !r) return r.status();
  return segment;
}

Result<std::shared_ptr<LogSegment>> LogSegment::open(const std::filesystem::path& dir, int64_t base_offset,
                                                     int32_t index_interval_bytes, bool active,
                                                     const std::function<void(const BatchHeader&)>& visit,
                                                     Recovery& recovery) {
  auto files = open_files(dir, base_offset);
  if (!files) return files.status();
  auto file_size = files->log.size();
  if (!file_size) return file_size.status();
  std::shared_ptr<LogSegment> segment(new LogSegment(base_offset, std::move(files->log),
                                                     OffsetIndex(base_offset, std::move(files->offsets)),
                                                     TimeIndex(base_offset, std::move(files->times))));
  BatchScanner scan(segment->log_, *file_size, 0, /*verify_crc=*/active, kRecoveryReadAhead);
  while (scan.next()) {
    segment->index_batch(scan.header(), scan.batch_position(), index_interval_bytes);
    segment->size_ = scan.end();
    visit(scan.header());
  }
  if (!scan.status().is_ok()) return scan.status();
  if (scan.end() < *file_size) {
    recovery.dropped_bytes = *file_size - scan.end();
    recovery.problem = std::string(scan.problem());
    if (Status s = segment->log_.truncate(scan.end()); !s.is_ok()) return s;
  }
  if (!active) {
    if (Status s = segment->seal(); !s.is_ok()) return s;
  }
  auto offsets_rewritten = segment->offsets_.file().reconcile(segment->offsets_.serialized());
  if (!offsets_rewritten) return offsets_rewritten.status();
  auto times_rewritten = segment->times_.file().reconcile(segment->times_.serialized());
  if (!times_rewritten) return times_rewritten.status();
  recovery.index_rebuilt = *offsets_rewritten || *times_rewritten;
  return segment;
}

void LogSegment::index_batch(const BatchHeader& header, int64_t position, int32_t index_interval_bytes) {
  if (position == 0) first_timestamp_ = header.max_timestamp;
  if (header.max_timestamp > max_timestamp_) {
    max_timestamp_ = header.max_timestamp;
    offset_of_max_timestamp_ = header.last_offset();
  }
  if (bytes_since_index_entry_ >= index_interval_bytes) {
    Status s = offsets_.append(header.last_offset(), position);
    if (s.is_ok() && offset_of_max_timestamp_ >= 0) {
      s = times_.maybe_append(max_timestamp_, offset_of_max_timestamp_);
    }
    if (!s.is_ok() && !index_write_failed_) {
      index_write_failed_ = true;
      spdlog::warn("index write failed, the index will be rebuilt on open: {}", s.to_string());
    }
    bytes_since_index_entry_ = 0;
  }
  bytes_since_index_entry_ += header.size();
  next_offset_ = header.last_offset() + 1;
}

Status LogSegment::append(std::string_view batches, std::span<const BatchHeader> headers,
                          int32_t index_interval_bytes) {
  if (Status s = log_.write_at(size_, batches); !s.is_ok()) {
    if (Status t = log_.truncate(size_); !t.is_ok()) {
      spdlog::error("cannot cut {} back to {} bytes after a failed write: {}", log_.path().string(), size_,
                    t.to_string());
    }
    return s;
  }
  int64_t position = size_;
  for (const BatchHeader& header : headers) {
    index_batch(header, position, index_interval_bytes);
    position += header.size();
  }
  size_ = position;
  return Status::ok();
}

Result<std::optional<int64_t>> LogSegment::position_of(int64_t offset) const {
  if (offset >= next_offset_) return std::optional<int64_t>();
  BatchScanner scan(log_, size_, offsets_.lookup(offset), /*verify_crc=*/false, kLookupReadAhead);
  while (scan.next()) {
    if (scan.header().last_offset() >= offset) return std::optional<int64_t>(scan.batch_position());
  }
  if (!scan.status().is_ok()) return scan.status();
  return std::optional<int64_t>();
}

Result<std::string> LogSegment::read(int64_t position, int32_t max_bytes, int64_t max_offset) const {
  std::string out;
  if (position >= size_) return out;
  auto want = std::min<int64_t>(std::max<int64_t>(max_bytes, kBatchHeaderSize), size_ - position);
  if (Status s = log_.read_at(position, static_cast<size_t>(want), out); !s.is_ok()) return s;
  size_t end = 0;
  while (end + kBatchHeaderSize <= out.size()) {
    BatchHeader header = parse_batch_header(std::string_view(out).substr(end));
    if (header.last_offset() >= max_offset) break;
    auto batch_end = end + static_cast<size_t>(header.size());
    if (batch_end > out.size()) {
      if (end > 0) break;
      // The first batch is always returned whole, even beyond max_bytes.
      if (Status s = log_.read_at(position, batch_end, out); !s.is_ok()) return s;
      if (out.size() < batch_end) return data_loss(log_.path().string() + " is shorter than its batches");
    }
    end = batch_end;
  }
  out.resize(end);
  return out;
}

Result<std::optional<int64_t>> LogSegment::offset_for_timestamp(int64_t timestamp_ms) const {
  if (empty() || max_timestamp_ < timestamp_ms) return std::optional<int64_t>();
  std::optional<int64_t> before = times_.offset_before(timestamp_ms);
  int64_t start = before ? offsets_.lookup(*before) : 0;
  BatchScanner scan(log_, size_, start, /*verify_crc=*/false, kLookupReadAhead);
  while (scan.next()) {
    if (scan.header().max_timestamp >= timestamp_ms) return std::optional<int64_t>(scan.header().base_offset);
  }
  if (!scan.status().is_ok()) return scan.status();
  return std::optional<int64_t>();
}

Status LogSegment::seal() {
  if (offset_of_max_timestamp_ >= 0) {
    if (Status s = times_.maybe_append(max_timestamp_, offset_of_max_timestamp_); !s.is_ok()) return s;
  }
  if (Status s = offsets_.file().write_pending(); !s.is_ok()) return s;
  return times_.file().write_pending();
}

Status LogSegment::sync_indexes() const {
  if (Status s = offsets_.file().sync(); !s.is_ok()) return s;
  return times_.file().sync();
}

Status LogSegment::remove_files() {
  removed_ = true;
  for (const char* extension : {".log", ".index", ".timeindex"}) {
    std::error_code error;
    std::filesystem::remove(file_path(log_.path().parent_path(), base_offset_, extension), error);
    if (error) return unavailable("remove segment file: " + error.message());
  }
  return Status::ok();
}

}  // namespace runnel::broker

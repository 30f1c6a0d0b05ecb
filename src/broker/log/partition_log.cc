#include "broker/log/partition_log.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <mutex>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include "broker/log/file_descriptor.h"
#include "broker/log/log_segment.h"
#include "broker/log/producer_state.h"
#include "broker/log/record_batch.h"

namespace runnel::broker {

struct PartitionLog::State {
  std::filesystem::path dir;

  // Guards everything below. flush() holds it only to take the list of
  // segments to sync and to publish the result, never while syncing.
  mutable std::mutex mutex;
  LogConfig config;
  std::vector<std::shared_ptr<LogSegment>> segments;  // by base offset; back() is active
  ProducerStateTable producers;
  int64_t log_start_offset = 0;
  int64_t log_end_offset = 0;
  int64_t durable_offset = 0;
  int64_t size_bytes = 0;
  std::vector<std::shared_ptr<LogSegment>> unsynced_logs;     // written since the last flush
  std::vector<std::shared_ptr<LogSegment>> unsynced_indexes;  // sealed since the last flush
  bool directory_changed = false;                             // files created or removed
  bool removed = false;

  // One flush at a time, so that each returns only once everything appended
  // before it is durable. Taken before `mutex`, never while holding it.
  std::mutex flush_mutex;

  // REQUIRES: mutex held. Seals the active segment and starts a new one at
  // the log end offset.
  Status roll() {
    std::shared_ptr<LogSegment> sealed = segments.back();
    if (Status s = sealed->seal(); !s.is_ok()) return s;
    auto fresh = LogSegment::create(dir, log_end_offset);
    if (!fresh) return fresh.status();
    segments.push_back(std::move(*fresh));
    unsynced_indexes.push_back(std::move(sealed));
    directory_changed = true;
    return Status::ok();
  }

  // REQUIRES: mutex held.
  int64_t max_segment_bytes() const {
    return std::min<int64_t>(config.segment_bytes, std::numeric_limits<int32_t>::max());
  }
};

namespace {

// The base offsets of the segments in `dir`, in order; index files without
// their .log are removed.
Result<std::vector<int64_t>> list_segments(const std::filesystem::path& dir) {
  std::set<int64_t> logs;
  std::vector<std::filesystem::path> indexes;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::filesystem::path& path = entry.path();
    std::string stem = path.stem().string();
    if (stem.size() != 20 || !std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    if (path.extension() == ".log") logs.insert(std::stoll(stem));
    if (path.extension() == ".index" || path.extension() == ".timeindex") indexes.push_back(path);
  }
  if (error) return unavailable("list " + dir.string() + ": " + error.message());
  for (const auto& path : indexes) {
    if (!logs.contains(std::stoll(path.stem().string()))) std::filesystem::remove(path, error);
  }
  return std::vector<int64_t>(logs.begin(), logs.end());
}

AppendResult append_error(ErrorCode error, std::string message, int64_t log_start_offset) {
  AppendResult result;
  result.error = error;
  result.error_message = std::move(message);
  result.log_start_offset = log_start_offset;
  return result;
}

}  // namespace

PartitionLog::PartitionLog(std::unique_ptr<State> state) : state_(std::move(state)) {}
PartitionLog::~PartitionLog() = default;

Result<std::unique_ptr<PartitionLog>> PartitionLog::open(std::filesystem::path dir, LogConfig config) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return unavailable("create " + dir.string() + ": " + error.message());
  auto bases = list_segments(dir);
  if (!bases) return bases.status();

  auto state = std::make_unique<State>();
  state->dir = dir;
  state->config = config;
  for (size_t i = 0; i < bases->size(); ++i) {
    LogSegment::Recovery recovery;
    bool active = i + 1 == bases->size();
    auto segment = LogSegment::open(
        dir, (*bases)[i], config.index_interval_bytes, active,
        [&](const BatchHeader& header) { state->producers.replay(header); }, recovery);
    if (!segment) return segment.status();
    if (recovery.dropped_bytes > 0) {
      spdlog::warn("{}: dropped {} bytes at the end of segment {} ({})", dir.string(), recovery.dropped_bytes,
                   (*bases)[i], recovery.problem);
    }
    if (recovery.index_rebuilt) spdlog::info("{}: rebuilt the indexes of segment {}", dir.string(), (*bases)[i]);
    state->size_bytes += (*segment)->size();
    state->segments.push_back(std::move(*segment));
  }
  if (state->segments.empty()) {
    auto segment = LogSegment::create(dir, 0);
    if (!segment) return segment.status();
    state->segments.push_back(std::move(*segment));
    state->directory_changed = true;
  }
  state->log_start_offset = state->segments.front()->base_offset();
  state->log_end_offset = state->segments.back()->next_offset();
  state->durable_offset = state->log_end_offset;
  return std::unique_ptr<PartitionLog>(new PartitionLog(std::move(state)));
}

AppendResult PartitionLog::append(std::string_view records) {
  State& st = *state_;
  std::lock_guard lock(st.mutex);
  if (st.removed) return append_error(ErrorCode::kKafkaStorageError, "the log was removed", st.log_start_offset);
  auto split = split_batches(records);
  if (!split) return append_error(ErrorCode::kCorruptMessage, split.status().message(), st.log_start_offset);
  std::vector<BatchHeader>& headers = *split;
  for (const BatchHeader& h : headers) {
    if (h.size() > st.config.max_message_bytes) {
      return append_error(ErrorCode::kMessageTooLarge,
                          "batch of " + std::to_string(h.size()) + " bytes exceeds max.message.bytes",
                          st.log_start_offset);
    }
  }

  // Check sequences against copies of the producers' states, so that
  // nothing changes unless the whole append succeeds.
  std::vector<std::pair<int64_t, ProducerState>> touched;
  auto producer = [&](int64_t id) -> ProducerState& {
    for (auto& [touched_id, state] : touched) {
      if (touched_id == id) return state;
    }
    return touched.emplace_back(id, st.producers.get(id)).second;
  };
  std::optional<ProducerBatch> first_duplicate, last_duplicate;
  size_t duplicates = 0;
  int64_t next_offset = st.log_end_offset;
  for (BatchHeader& h : headers) {
    if (h.is_idempotent()) {
      SequenceVerdict verdict = producer(h.producer_id).check(h);
      if (verdict.error != ErrorCode::kNone) {
        return append_error(verdict.error,
                            "producer " + std::to_string(h.producer_id) + " epoch " +
                                std::to_string(h.producer_epoch) + " sequence " + std::to_string(h.base_sequence),
                            st.log_start_offset);
      }
      if (verdict.duplicate_of) {
        if (!first_duplicate) first_duplicate = verdict.duplicate_of;
        last_duplicate = verdict.duplicate_of;
        ++duplicates;
        continue;
      }
    }
    h.base_offset = next_offset;
    next_offset = h.last_offset() + 1;
    if (h.is_idempotent()) producer(h.producer_id).record(h);
  }
  if (duplicates == headers.size()) {
    AppendResult result;
    result.base_offset = first_duplicate->base_offset;
    result.last_offset = last_duplicate->last_offset;
    result.log_start_offset = st.log_start_offset;
    return result;
  }
  if (duplicates > 0) {
    return append_error(ErrorCode::kDuplicateSequenceNumber, "some batches were already appended, others not",
                        st.log_start_offset);
  }

  const auto& active = st.segments.back();
  auto bytes = static_cast<int64_t>(records.size());
  bool too_big = active->size() + bytes > st.max_segment_bytes();
  bool offsets_overflow = next_offset - 1 - active->base_offset() > std::numeric_limits<int32_t>::max();
  if (!active->empty() && (too_big || offsets_overflow)) {
    if (Status s = st.roll(); !s.is_ok()) {
      return append_error(ErrorCode::kKafkaStorageError, s.message(), st.log_start_offset);
    }
  }

  std::string offsetted(records);
  size_t position = 0;
  for (const BatchHeader& h : headers) {
    set_base_offset(offsetted.data() + position, h.base_offset);
    position += static_cast<size_t>(h.size());
  }
  const auto& target = st.segments.back();
  if (Status s = target->append(offsetted, headers, st.config.index_interval_bytes); !s.is_ok()) {
    spdlog::error("{}: append failed: {}", st.dir.string(), s.to_string());
    return append_error(ErrorCode::kKafkaStorageError, s.message(), st.log_start_offset);
  }
  for (const auto& [id, state] : touched) st.producers.put(id, state);
  st.log_end_offset = next_offset;
  st.size_bytes += bytes;
  if (st.unsynced_logs.empty() || st.unsynced_logs.back() != target) st.unsynced_logs.push_back(target);

  AppendResult result;
  result.base_offset = headers.front().base_offset;
  result.last_offset = next_offset - 1;
  result.log_start_offset = st.log_start_offset;
  return result;
}

ReadResult PartitionLog::read(int64_t offset, int32_t max_bytes, int64_t max_offset) const {
  const State& st = *state_;
  std::lock_guard lock(st.mutex);
  ReadResult result;
  if (st.removed) {
    result.error = ErrorCode::kUnknownTopicOrPartition;
    return result;
  }
  if (offset < st.log_start_offset || offset > st.log_end_offset) {
    result.error = ErrorCode::kOffsetOutOfRange;
    return result;
  }
  max_offset = std::min(max_offset, st.log_end_offset);
  if (offset >= max_offset) return result;
  auto after = std::upper_bound(st.segments.begin(), st.segments.end(), offset,
                                [](int64_t o, const auto& segment) { return o < segment->base_offset(); });
  // The segment holding `offset`, or (past a gap) the first batch after it.
  for (auto it = std::prev(after); it != st.segments.end(); ++it) {
    auto position = it == std::prev(after) ? (*it)->position_of(offset)
                                           : Result<std::optional<int64_t>>(std::optional<int64_t>(0));
    if (!position) {
      spdlog::error("{}: read failed: {}", st.dir.string(), position.status().to_string());
      result.error = ErrorCode::kKafkaStorageError;
      return result;
    }
    if (!*position || (*it)->empty()) continue;
    auto batches = (*it)->read(**position, max_bytes, max_offset);
    if (!batches) {
      spdlog::error("{}: read failed: {}", st.dir.string(), batches.status().to_string());
      result.error = ErrorCode::kKafkaStorageError;
      return result;
    }
    result.records = std::move(*batches);
    return result;
  }
  return result;
}

Result<int64_t> PartitionLog::flush() {
  State& st = *state_;
  std::lock_guard flush_lock(st.flush_mutex);
  std::vector<std::shared_ptr<LogSegment>> logs, indexes;
  bool directory_changed;
  int64_t end;
  {
    std::lock_guard lock(st.mutex);
    if (st.removed) return unavailable("the log at " + st.dir.string() + " was removed");
    logs = std::exchange(st.unsynced_logs, {});
    indexes = std::exchange(st.unsynced_indexes, {});
    directory_changed = std::exchange(st.directory_changed, false);
    end = st.log_end_offset;
  }
  Status status;
  for (const auto& segment : logs) {
    if (status.is_ok()) status = segment->sync_log();
  }
  for (const auto& segment : indexes) {
    if (status.is_ok()) status = segment->sync_indexes();
  }
  if (status.is_ok() && directory_changed) {
    auto directory = FileDescriptor::open_directory(st.dir);
    status = directory ? directory->sync() : directory.status();
  }

  std::lock_guard lock(st.mutex);
  if (!status.is_ok()) {
    // Sync these again next time; nothing became durable.
    st.unsynced_logs.insert(st.unsynced_logs.begin(), logs.begin(), logs.end());
    st.unsynced_indexes.insert(st.unsynced_indexes.begin(), indexes.begin(), indexes.end());
    st.directory_changed = st.directory_changed || directory_changed;
    return status;
  }
  st.durable_offset = std::max(st.durable_offset, end);
  return st.durable_offset;
}

int64_t PartitionLog::log_start_offset() const {
  std::lock_guard lock(state_->mutex);
  return state_->log_start_offset;
}

int64_t PartitionLog::log_end_offset() const {
  std::lock_guard lock(state_->mutex);
  return state_->log_end_offset;
}

int64_t PartitionLog::durable_offset() const {
  std::lock_guard lock(state_->mutex);
  return state_->durable_offset;
}

int64_t PartitionLog::size_bytes() const {
  std::lock_guard lock(state_->mutex);
  return state_->size_bytes;
}

int64_t PartitionLog::offset_for_timestamp(int64_t timestamp_ms) const {
  const State& st = *state_;
  std::lock_guard lock(st.mutex);
  for (const auto& segment : st.segments) {
    auto offset = segment->offset_for_timestamp(timestamp_ms);
    if (!offset) {
      spdlog::error("{}: timestamp lookup failed: {}", st.dir.string(), offset.status().to_string());
      return -1;
    }
    if (*offset) return **offset;
  }
  return -1;
}

int PartitionLog::enforce_retention(int64_t now_ms) {
  State& st = *state_;
  std::lock_guard lock(st.mutex);
  if (st.removed) return 0;
  const auto& active = st.segments.back();
  if (!active->empty() && now_ms - active->first_timestamp() >= st.config.segment_ms) {
    if (Status s = st.roll(); !s.is_ok()) spdlog::error("{}: roll failed: {}", st.dir.string(), s.to_string());
  }
  int deleted = 0;
  while (st.segments.size() > 1) {
    const auto& oldest = st.segments.front();
    bool expired = st.config.retention_ms >= 0 && now_ms - oldest->max_timestamp() > st.config.retention_ms;
    bool oversized = st.config.retention_bytes >= 0 && st.size_bytes - oldest->size() >= st.config.retention_bytes;
    if (!expired && !oversized) break;
    if (Status s = oldest->remove_files(); !s.is_ok()) {
      spdlog::error("{}: deleting segment {} failed: {}", st.dir.string(), oldest->base_offset(), s.to_string());
    }
    st.size_bytes -= oldest->size();
    st.segments.erase(st.segments.begin());
    st.directory_changed = true;
    ++deleted;
  }
  st.log_start_offset = st.segments.front()->base_offset();
  return deleted;
}

void PartitionLog::set_config(const LogConfig& config) {
  std::lock_guard lock(state_->mutex);
  state_->config = config;
}

const std::filesystem::path& PartitionLog::directory() const { return state_->dir; }

Status PartitionLog::remove() {
  State& st = *state_;
  std::lock_guard lock(st.mutex);
  st.removed = true;
  for (const auto& segment : st.segments) (void)segment->remove_files();
  st.segments.clear();
  st.unsynced_logs.clear();
  st.unsynced_indexes.clear();
  std::error_code error;
  std::filesystem::remove_all(st.dir, error);
  if (error) return unavailable("remove " + st.dir.string() + ": " + error.message());
  return Status::ok();
}

}  // namespace runnel::broker

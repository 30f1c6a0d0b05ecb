#include "stream/kafka_source.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace runnel::stream {
namespace {

std::string describe_start(std::int64_t offset) {
  switch (offset) {
    case kafka::kCommitted:
      return "the group's committed offset";
    case kafka::kEarliest:
      return "the earliest offset";
    case kafka::kLatest:
      return "the latest offset";
    default:
      return "offset " + std::to_string(offset);
  }
}

}  // namespace

KafkaSource::KafkaSource(const QueryOptions& options,
                         std::optional<std::vector<SourceOffset>> stored_offsets)
    : until_caught_up_(options.trigger == Trigger::kUntilCaughtUp),
      default_start_(options.starting_offsets == StartingOffsets::kEarliest ? kafka::kEarliest
                                                                            : kafka::kLatest),
      timeout_(options.kafka_timeout) {
  if (stored_offsets) {
    stored_offsets_.emplace();
    for (const auto& offset : *stored_offsets) {
      (*stored_offsets_)[{offset.topic, offset.partition}] = offset.next_offset;
    }
  }
}

Result<std::unique_ptr<KafkaSource>> KafkaSource::open(
    const QueryOptions& options, std::optional<std::vector<SourceOffset>> stored_offsets) {
  std::unique_ptr<KafkaSource> source(new KafkaSource(options, std::move(stored_offsets)));
  kafka::Properties properties = options.kafka;
  properties.try_emplace("group.id", options.job);
  properties["auto.offset.reset"] = std::string(starting_offsets_name(options.starting_offsets));
  // The query acknowledges offsets itself, once the sinks stored a batch.
  properties["enable.auto.commit"] = "false";
  properties["enable.auto.offset.store"] = "false";
  // Partition ends tell an until-caught-up query where it stands.
  properties["enable.partition.eof"] = "true";
  // A job restarted after a crash gets no partition until the group drops
  // its dead predecessor, one session timeout after its last heartbeat:
  // librdkafka's 45 s would stall every restart. 6 s is the least a broker
  // allows by default (group.min.session.timeout.ms); heartbeats come from
  // librdkafka's own thread, so a long batch does not end the session.
  properties.try_emplace("session.timeout.ms", "6000");
  properties.try_emplace("heartbeat.interval.ms", "2000");

  KafkaSource* self = source.get();
  auto consumer = kafka::Consumer::create(
      properties,
      {.on_assigned = [self](auto& partitions) { self->on_assigned(partitions); },
       .on_revoked = [self](const auto& partitions) { self->on_revoked(partitions); }});
  if (!consumer) return consumer.status();
  for (const auto& topic : options.topics) {
    auto partitions = consumer->partitions_of(topic, options.kafka_timeout);
    if (!partitions) return partitions.status();
  }
  if (auto status = consumer->subscribe(options.topics); !status.is_ok()) return status;
  source->consumer_.emplace(std::move(*consumer));
  return source;
}

std::int64_t KafkaSource::start_offset(const TopicPartition& partition) const {
  if (const auto read = unacknowledged_.find(partition); read != unacknowledged_.end()) {
    return read->second;
  }
  if (!stored_offsets_) return kafka::kCommitted;
  const auto stored = stored_offsets_->find(partition);
  return stored == stored_offsets_->end() ? default_start_ : stored->second;
}

void KafkaSource::on_assigned(std::vector<kafka::TopicPartitionOffset>& partitions) {
  for (auto& partition : partitions) {
    const TopicPartition key{partition.topic, partition.partition};
    partition.offset = start_offset(key);
    PartitionState state;
    if (partition.offset >= 0) state.next_offset = partition.offset;
    auto watermarks = consumer_->query_watermarks(partition.topic, partition.partition, timeout_);
    if (watermarks) {
      state.end_offset = watermarks->high;
      if (partition.offset == kafka::kEarliest) state.next_offset = watermarks->low;
      if (partition.offset == kafka::kLatest) state.next_offset = watermarks->high;
    } else if (until_caught_up_) {
      // Without its end offset the query cannot know when it is done.
      if (assignment_error_.is_ok()) assignment_error_ = watermarks.status();
    } else {
      spdlog::warn("{}", watermarks.status().message());
    }
    spdlog::debug("assigned {}/{}, reading from {}", partition.topic, partition.partition,
                 describe_start(partition.offset));
    assigned_[key] = state;
  }
}

void KafkaSource::on_revoked(const std::vector<kafka::TopicPartitionOffset>& partitions) {
  for (const auto& partition : partitions) {
    spdlog::debug("revoked {}/{}", partition.topic, partition.partition);
    assigned_.erase({partition.topic, partition.partition});
  }
}

Result<std::optional<kafka::ConsumedRecord>> KafkaSource::poll(std::chrono::milliseconds timeout) {
  auto polled = consumer_->poll(timeout);
  if (!assignment_error_.is_ok()) return std::exchange(assignment_error_, Status());
  if (!polled) return polled.status();
  if (!*polled) return polled;
  kafka::ConsumedRecord& record = **polled;
  const auto state = assigned_.find({record.topic, record.partition});
  if (state == assigned_.end()) return std::optional<kafka::ConsumedRecord>();  // revoked since
  if (record.kind == kafka::ConsumedRecord::Kind::kPartitionEnd) {
    // Records past an until-caught-up query's end were left unread.
    std::int64_t end = record.offset;
    if (until_caught_up_ && state->second.end_offset >= 0) {
      end = std::min(end, state->second.end_offset);
    }
    state->second.next_offset = std::max(state->second.next_offset, end);
    return std::optional<kafka::ConsumedRecord>();
  }
  if (until_caught_up_ && state->second.end_offset >= 0 &&
      record.offset >= state->second.end_offset) {
    return std::optional<kafka::ConsumedRecord>();
  }
  state->second.next_offset = record.offset + 1;
  unacknowledged_[state->first] = record.offset + 1;
  return polled;
}

bool KafkaSource::caught_up(const PartitionState& state) const {
  return state.end_offset >= 0 && state.next_offset >= state.end_offset;
}

bool KafkaSource::caught_up() const {
  return !assigned_.empty() && std::all_of(assigned_.begin(), assigned_.end(), [&](const auto& entry) {
    return caught_up(entry.second);
  });
}

void KafkaSource::acknowledge(const std::vector<SourceOffset>& end_offsets) {
  for (const auto& offset : end_offsets) {
    const auto read = unacknowledged_.find({offset.topic, offset.partition});
    if (read != unacknowledged_.end() && read->second <= offset.next_offset) {
      unacknowledged_.erase(read);
    }
  }
  if (stored_offsets_) {
    for (const auto& offset : end_offsets) {
      (*stored_offsets_)[{offset.topic, offset.partition}] = offset.next_offset;
    }
    return;
  }
  std::vector<kafka::TopicPartitionOffset> commits;
  for (const auto& offset : end_offsets) {
    commits.push_back({offset.topic, offset.partition, offset.next_offset});
  }
  if (auto status = consumer_->commit(commits); !status.is_ok()) {
    spdlog::warn("committing offsets to the consumer group: {}", status.message());
  }
}

std::vector<PartitionProgress> KafkaSource::partition_progress() {
  std::vector<PartitionProgress> partitions;
  for (const auto& [key, state] : assigned_) {
    PartitionProgress& progress = partitions.emplace_back();
    progress.topic = key.first;
    progress.partition = key.second;
    progress.next_offset = state.next_offset;
    if (auto watermarks = consumer_->cached_watermarks(key.first, key.second)) {
      progress.high_watermark = watermarks->high;
    } else {
      progress.high_watermark = state.end_offset;
    }
    if (progress.next_offset >= 0 && progress.high_watermark >= 0) {
      progress.lag = std::max<std::int64_t>(0, progress.high_watermark - progress.next_offset);
    }
  }
  return partitions;
}

Status KafkaSource::close() { return consumer_->close(); }

}  // namespace runnel::stream

#include "stream/streaming_query.h"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <utility>

#include "stream/dead_letter.h"

namespace runnel::stream {
namespace {

// How long one poll may block: the longest stop() waits for the query to
// notice it.
constexpr std::chrono::milliseconds kPollInterval{100};
// How often an idle query refreshes the partitions' lag in its progress.
constexpr std::chrono::seconds kIdleProgressInterval{1};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double per_second(std::int64_t count, std::chrono::steady_clock::duration duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  return seconds > 0 ? static_cast<double>(count) / seconds : 0;
}

}  // namespace

StreamingQuery::StreamingQuery(QueryOptions options, std::vector<std::unique_ptr<Sink>> sinks)
    : options_(std::move(options)), sinks_(std::move(sinks)) {
  progress_.job = options_.job;
}

void StreamingQuery::stop() {
  stop_.request();
  for (const auto& sink : sinks_) sink->request_stop();
}

QueryProgress StreamingQuery::progress() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

Status StreamingQuery::finish(Status status) {
  std::lock_guard lock(mutex_);
  progress_.state = status.is_ok() ? QueryState::kFinished : QueryState::kFailed;
  if (!status.is_ok()) progress_.error = status.message();
  return status;
}

Status StreamingQuery::run() {
  if (auto status = validate(options_); !status.is_ok()) return finish(status);
  auto stored_offsets = open_sinks();
  if (!stored_offsets) return finish(stored_offsets.status());

  kafka::Properties producer_properties = options_.kafka;
  producer_properties.try_emplace("acks", "all");
  producer_properties.erase("group.id");
  auto dead_letters = kafka::Producer::create(producer_properties);
  if (!dead_letters) return finish(dead_letters.status());

  auto source = KafkaSource::open(options_, std::move(*stored_offsets));
  if (!source) return finish(source.status());
  {
    std::lock_guard lock(mutex_);
    progress_.state = QueryState::kRunning;
  }
  spdlog::info("streaming query {}: reading {} ({}, {})", options_.job,
               fmt::join(options_.topics, ", "), trigger_name(options_.trigger),
               starting_offsets_name(options_.starting_offsets));

  Status status;
  {
    DecoderPool decoders(options_.schema, options_.threads);
    status = run_batches(**source, *dead_letters, decoders);
  }
  if (auto closed = (*source)->close(); !closed.is_ok()) {
    spdlog::warn("streaming query {}: leaving the consumer group: {}", options_.job,
                 closed.message());
  }
  return finish(status);
}

Result<std::optional<std::vector<SourceOffset>>> StreamingQuery::open_sinks() {
  bool any_stores_offsets = false;
  // Per partition: the least offset stored, and by how many sinks.
  std::map<std::pair<std::string, std::int32_t>, std::pair<std::int64_t, std::size_t>> stored;
  std::size_t storing_sinks = 0;
  for (const auto& sink : sinks_) {
    auto offsets = sink->open(options_.schema, options_.job);
    if (!offsets) {
      return Status(offsets.status().code(),
                    "opening sink " + sink->name() + ": " + offsets.status().message());
    }
    if (!sink->stores_offsets()) continue;
    any_stores_offsets = true;
    ++storing_sinks;
    for (const auto& offset : *offsets) {
      auto [entry, inserted] =
          stored.try_emplace({offset.topic, offset.partition}, offset.next_offset, 0);
      entry->second.first = std::min(entry->second.first, offset.next_offset);
      ++entry->second.second;
    }
  }
  if (!any_stores_offsets) return std::optional<std::vector<SourceOffset>>();
  std::vector<SourceOffset> offsets;
  for (const auto& [partition, entry] : stored) {
    if (entry.second == storing_sinks) {
      offsets.push_back({partition.first, partition.second, entry.first});
    }
  }
  return std::optional(std::move(offsets));
}

Status StreamingQuery::run_batches(KafkaSource& source, kafka::Producer& dead_letters,
                                   DecoderPool& decoders) {
  const bool until_caught_up = options_.trigger == Trigger::kUntilCaughtUp;
  // At most one batch is written while the next is read: the sinks see
  // batches one at a time and in order.
  std::optional<BatchInFlight> in_flight;
  Status status;
  while (status.is_ok()) {
    auto micro_batch = collect(source, in_flight);
    if (!micro_batch) {
      status = micro_batch.status();
      break;
    }
    std::optional<BatchInFlight> next;
    if (!micro_batch->empty()) {
      auto decoded = decode(*micro_batch, dead_letters, decoders);
      if (!decoded) {
        status = decoded.status();
        break;
      }
      next = std::move(*decoded);
    }
    if (in_flight) {
      status = finish_writing(*in_flight, source);
      in_flight.reset();
      if (!status.is_ok()) break;
    }
    if (next) {
      in_flight = std::move(next);
      start_writing(*in_flight);
    }
    if (stop_requested() || (until_caught_up && source.caught_up())) break;
  }
  if (in_flight) {
    Status last = finish_writing(*in_flight, source);
    if (status.is_ok()) status = last;
  }
  if (!status.is_ok()) return status;
  std::lock_guard lock(mutex_);
  progress_.partitions = source.partition_progress();
  return Status::ok();
}

Result<MicroBatch> StreamingQuery::collect(KafkaSource& source,
                                           const std::optional<BatchInFlight>& in_flight) {
  const bool until_caught_up = options_.trigger == Trigger::kUntilCaughtUp;
  MicroBatch batch;
  auto progress_refreshed = MicroBatch::Clock::now();
  while (!stop_requested() && !(until_caught_up && source.caught_up()) &&
         batch.record_count() < options_.batch.max_records) {
    auto wait = kPollInterval;
    const auto now = MicroBatch::Clock::now();
    if (!batch.empty()) {
      const auto remaining = options_.batch.max_wait - (now - batch.first_record_at());
      if (remaining <= decltype(remaining)::zero()) break;
      wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(remaining));
    } else if (in_flight &&
               in_flight->written.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      break;
    } else if (in_flight) {
      wait = std::chrono::milliseconds(5);
    } else if (now - progress_refreshed >= kIdleProgressInterval) {
      progress_refreshed = now;
      auto partitions = source.partition_progress();
      std::lock_guard lock(mutex_);
      progress_.partitions = std::move(partitions);
    }
    // Once a batch has records, it takes only what is already here: like
    // Spark's default trigger, a batch is what arrived while the previous
    // one was being written, so a quiet stream gets small, prompt batches
    // and a busy one large batches.
    if (!batch.empty()) wait = std::chrono::milliseconds(0);
    auto record = source.poll(wait);
    if (!record) return record.status();
    if (!*record) {
      if (!batch.empty()) break;
      continue;
    }
    batch.add(std::move(**record));
  }
  return batch;
}

Result<StreamingQuery::BatchInFlight> StreamingQuery::decode(MicroBatch& micro_batch,
                                                             kafka::Producer& dead_letters,
                                                             DecoderPool& decoders) {
  DecodedBatch decoded = decoders.decode(micro_batch);
  if (auto status = send_dead_letters(micro_batch, decoded, dead_letters); !status.is_ok()) {
    return status;
  }
  auto batch = std::make_unique<const Batch>(Batch{.id = next_batch_id_++,
                                                   .rows = std::move(decoded.rows),
                                                   .end_offsets = micro_batch.end_offsets()});
  return BatchInFlight{.batch = std::move(batch),
                       .started = micro_batch.first_record_at(),
                       .input_rows = micro_batch.record_count(),
                       .dead_letters = static_cast<std::int64_t>(decoded.failures.size()),
                       .written = {}};
}

void StreamingQuery::start_writing(BatchInFlight& in_flight) {
  in_flight.written = std::async(
      std::launch::async, [this, &batch = *in_flight.batch] { return write_to_sinks(batch); });
}

Status StreamingQuery::finish_writing(BatchInFlight& in_flight, KafkaSource& source) {
  if (auto status = in_flight.written.get(); !status.is_ok()) return status;
  const Batch& batch = *in_flight.batch;
  source.acknowledge(batch.end_offsets);

  const auto finished = MicroBatch::Clock::now();
  const auto output_rows = static_cast<std::int64_t>(batch.rows.size());
  auto partitions = source.partition_progress();
  {
    std::lock_guard lock(mutex_);
    progress_.batch_id = batch.id;
    progress_.timestamp_ms = now_ms();
    progress_.input_rows = in_flight.input_rows;
    progress_.output_rows = output_rows;
    progress_.dead_letters = in_flight.dead_letters;
    progress_.batch_duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(finished - in_flight.started).count();
    progress_.processed_rows_per_second =
        per_second(in_flight.input_rows, finished - in_flight.started);
    progress_.input_rows_per_second =
        previous_batch_start_
            ? per_second(in_flight.input_rows, in_flight.started - *previous_batch_start_)
            : progress_.processed_rows_per_second;
    progress_.partitions = std::move(partitions);
    progress_.total_input_rows += in_flight.input_rows;
    progress_.total_output_rows += output_rows;
    progress_.total_dead_letters += in_flight.dead_letters;
  }
  previous_batch_start_ = in_flight.started;
  spdlog::debug("streaming query {}: batch {}: {} rows, {} dead letters", options_.job, batch.id,
                output_rows, in_flight.dead_letters);
  return Status::ok();
}

Status StreamingQuery::send_dead_letters(const MicroBatch& micro_batch, const DecodedBatch& decoded,
                                         kafka::Producer& dead_letters) {
  if (decoded.failures.empty()) return Status::ok();
  for (const auto& failure : decoded.failures) {
    const auto& record =
        micro_batch.partitions()[failure.partition_index].records[failure.record_index];
    const kafka::ProducerRecord letter = to_producer_record(dead_letter_of(record, failure.reason));
    if (auto status = dead_letters.produce(letter); !status.is_ok()) {
      return Status(status.code(), "dead letter for " + record.topic + "/" +
                                       std::to_string(record.partition) + "@" +
                                       std::to_string(record.offset) + ": " + status.message());
    }
  }
  if (auto status = dead_letters.flush(options_.kafka_timeout); !status.is_ok()) {
    return Status(status.code(), "delivering dead letters: " + status.message());
  }
  const auto& first = decoded.failures.front();
  spdlog::warn("streaming query {}: {} records to the dead-letter topic; the first: {}",
               options_.job, decoded.failures.size(), first.reason);
  return Status::ok();
}

Status StreamingQuery::write_to_sinks(const Batch& batch) {
  for (const auto& sink : sinks_) {
    auto backoff = options_.sink_retry.initial_backoff;
    for (int attempt = 1;; ++attempt) {
      Status status = sink->write(batch);
      if (status.is_ok()) break;
      const std::string failure =
          "sink " + sink->name() + " failed batch " + std::to_string(batch.id) + " (attempt " +
          std::to_string(attempt) + " of " + std::to_string(options_.sink_retry.attempts) +
          "): " + status.message();
      if (attempt >= options_.sink_retry.attempts) return Status(status.code(), failure);
      spdlog::warn("streaming query {}: {}; retrying in {} ms", options_.job, failure,
                   backoff.count());
      if (stop_.wait_for(backoff)) {
        return Status(status.code(), failure + "; stopped before retrying");
      }
      backoff = std::min(backoff * 2, options_.sink_retry.max_backoff);
    }
  }
  return Status::ok();
}

}  // namespace runnel::stream

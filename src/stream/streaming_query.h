// A streaming query, as Spark Structured Streaming runs one: it reads the
// job's Kafka topics in micro-batches, decodes each record with the job's
// schema on worker threads, sends records that do not decode to the
// dead-letter topic `<topic>.dlq`, and writes every batch to each sink in
// turn. While one batch is being written, the next is read and decoded, so
// the sinks and the decoding work at the same time; batches are still
// written one at a time, in order. A batch is acknowledged (its offsets committed to the consumer
// group, or already stored by an exactly-once sink with its rows) only after
// its dead letters were delivered and every sink wrote it; a failure leaves
// it unacknowledged, so a restart reads it again.
//
// The path of one record: KafkaSource::poll -> MicroBatch -> DecoderPool
// (RecordDecoder) -> dead-letter producer or Batch::rows -> Sink::write ->
// KafkaSource::acknowledge.
//
// run() blocks on the calling thread; stop() and progress() may be called
// from any thread.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "common/kafka_client.h"
#include "common/status.h"
#include "common/stop_signal.h"
#include "stream/decoder_pool.h"
#include "stream/kafka_source.h"
#include "stream/micro_batch.h"
#include "stream/progress.h"
#include "stream/query_options.h"
#include "stream/sink.h"

namespace runnel::stream {

class StreamingQuery {
 public:
  StreamingQuery(QueryOptions options, std::vector<std::unique_ptr<Sink>> sinks);
  StreamingQuery(const StreamingQuery&) = delete;
  StreamingQuery& operator=(const StreamingQuery&) = delete;

  // Opens the sinks, joins the consumer group and processes batches until
  // the trigger is satisfied or stop() is called; ok then. Otherwise the
  // error that stopped the query: a sink that failed every attempt, a
  // dead-letter topic that did not take a record, Kafka refusing the
  // query's topics or configuration. Call at most once.
  Status run();

  // Asks run() to return: the records already read form a last batch, a
  // sink retry's wait is cut short (failing that batch), and so is a sink's
  // own wait for its destination (Sink::request_stop), and nothing more is
  // read. Safe from any thread; returns at once.
  void stop();

  // A snapshot of the query's progress. Safe from any thread.
  QueryProgress progress() const;

 private:
  // What the sinks stored: the least stored offset per partition over the
  // offset-storing sinks (a partition some of them lack is left out, to
  // start as options say); nullopt when no sink stores offsets.
  Result<std::optional<std::vector<SourceOffset>>> open_sinks();
  // A decoded batch on its way to the sinks, written on a thread of its own.
  struct BatchInFlight {
    std::unique_ptr<const Batch> batch;     // on the heap: the writing thread holds it
    MicroBatch::Clock::time_point started;  // when its first record was read
    std::int64_t input_rows = 0;
    std::int64_t dead_letters = 0;
    std::future<Status> written;  // write_to_sinks(batch)
  };

  Status run_batches(KafkaSource& source, kafka::Producer& dead_letters, DecoderPool& decoders);
  // Reads records until the batch limits, the end of an until-caught-up
  // query, or stop(); with nothing read, also returns once `in_flight`
  // (when there is one) is written, so that it is acknowledged promptly.
  Result<MicroBatch> collect(KafkaSource& source, const std::optional<BatchInFlight>& in_flight);
  // Decodes the batch and delivers its dead letters; not yet written.
  Result<BatchInFlight> decode(MicroBatch& micro_batch, kafka::Producer& dead_letters,
                               DecoderPool& decoders);
  // Starts writing the batch to the sinks on a thread of its own.
  // REQUIRES: no other batch is being written.
  void start_writing(BatchInFlight& in_flight);
  // Waits until the batch is written, then acknowledges it and records the
  // progress.
  Status finish_writing(BatchInFlight& in_flight, KafkaSource& source);
  // Produces one record per failure and waits until all are delivered.
  Status send_dead_letters(const MicroBatch& micro_batch, const DecodedBatch& decoded,
                           kafka::Producer& dead_letters);
  Status write_to_sinks(const Batch& batch);
  bool stop_requested() const { return stop_.requested(); }
  Status finish(Status status);

  const QueryOptions options_;
  const std::vector<std::unique_ptr<Sink>> sinks_;

  StopSignal stop_;
  mutable std::mutex mutex_;
  QueryProgress progress_;  // GUARDED_BY(mutex_)

  // Owned by run()'s thread.
  std::int64_t next_batch_id_ = 0;
  std::optional<MicroBatch::Clock::time_point> previous_batch_start_;
};

}  // namespace runnel::stream

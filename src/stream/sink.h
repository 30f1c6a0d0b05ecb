// Where a streaming job's micro-batches go. A sink writes a batch and returns
// only when the batch is durable there. Exactly-once sinks (PostgreSQL, and
// later Cassandra) also keep the source offsets with the rows, in the same
// transaction, and hand them back on open so the job resumes exactly where
// the stored rows end; idempotent upserts by primary key make any replay
// harmless.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "stream/schema.h"

namespace runnel::stream {

// The next offset to read in one topic-partition.
struct SourceOffset {
  std::string topic;
  int32_t partition = 0;
  int64_t next_offset = 0;
  bool operator==(const SourceOffset&) const = default;
};

struct Batch {
  int64_t id = 0;         // increasing per job run
  std::vector<Row> rows;  // decoded records, in offset order per partition
  // For every partition the batch read from: the offset after its last
  // record (whether that record decoded or went to the dead-letter topic).
  std::vector<SourceOffset> end_offsets;
};

class Sink {
 public:
  virtual ~Sink() = default;

  // "postgres", "jsonl", "console": for logs and progress.
  virtual std::string name() const = 0;

  // Prepares the destination for rows of `schema` (e.g. creates the table
  // if it is missing) and returns the offsets stored with the rows for
  // `job`, or none when the sink does not store offsets or has none yet.
  virtual Result<std::vector<SourceOffset>> open(const Schema& schema, const std::string& job) = 0;

  // Writes the batch, and with it its end offsets when the sink stores
  // offsets, atomically. Returns once durable; an error leaves the
  // destination as it was before the call (the job retries or stops).
  virtual Status write(const Batch& batch) = 0;

  // True when open() returns meaningful offsets (the sink is exactly once).
  virtual bool stores_offsets() const = 0;

  // Ends any wait for the destination to come back (reconnects, retries)
  // now: the open() or write() in progress returns unavailable instead, as
  // do later ones at their first wait. A write that needs no wait is not
  // cut short. Safe from any thread; a sink that never waits ignores it.
  virtual void request_stop() {}
};

}  // namespace runnel::stream

// The PostgreSQL sink: exactly once. Each batch is one transaction that
// COPYs the rows into the target table (binary COPY when the columns' types
// allow, copy_binary.h) or, when a key is already there or repeats in the
// batch, into a session-local staging table and upserts them into the target
// by primary key (of two rows with the same key in one batch, the later
// wins), and upserts the batch's end offsets into runnel_offsets, next to the
// target table; rows and offsets commit together or not at all.
//
// When the connection drops or the server restarts, write() reconnects with
// exponential backoff and, unless runnel_offsets shows that the lost
// transaction did commit, runs it again; it gives up after
// `give_up_after`. Errors that a retry cannot fix (a NOT NULL violation, a
// value PostgreSQL cannot parse) return at once, with the transaction
// rolled back.
//
// Not safe for concurrent use; request_stop() alone may be called from any
// thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/stop_signal.h"
#include "sinks/copy_binary.h"
#include "sinks/pg_connection.h"
#include "sinks/postgres_sql.h"
#include "stream/sink.h"

namespace runnel::sinks {

struct PostgresSinkConfig {
  std::string url;   // postgresql://user@host:port/db
  TableName target;  // default public.created_users; the schema must exist
  // Reconnect waits: first, doubling up to max, and the total after which
  // write() (or open()) gives up with an unavailable status.
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  std::chrono::milliseconds give_up_after{60000};
};

class PostgresSink final : public stream::Sink {
 public:
  explicit PostgresSink(PostgresSinkConfig config);

  std::string name() const override { return "postgres"; }

  // Connects, creates the target table (from `schema`) and runnel_offsets
  // when missing, checks that the target has a column for every field, and
  // returns the offsets stored for `job`.
  Result<std::vector<stream::SourceOffset>> open(const stream::Schema& schema,
                                                 const std::string& job) override;

  // REQUIRES: open() succeeded. A row without one value per schema field
  // fails the batch as an invalid argument before anything is sent.
  Status write(const stream::Batch& batch) override;

  bool stores_offsets() const override { return true; }

  // Ends any reconnect wait now: the pending open() or write() returns
  // unavailable, and later ones fail at their first connection error.
  void request_stop() override;

 private:
  // Runs `attempt` on a connected session until it succeeds, fails with an error a retry cannot
  // fix, or the give-up time passes; every unavailable failure drops the connection and waits the
  // next backoff.
  Status with_retries(const std::function<Status()>& attempt);
  // Connects and readies the session: the target and offsets tables exist
  // (created when missing), the target has the schema's columns, the
  // staging table is created and the statements prepared.
  Status connect_session();
  // Invalid argument unless the target has a column for every field; picks
  // the COPY format from the columns' types.
  Status check_columns();
  // Appends the next rows of `batch` in the COPY format to `chunk`; true
  // while rows remain.
  Result<bool> fill_copy_chunk(const stream::Batch& batch, bool with_ordinal, size_t& next,
                               std::string& chunk) const;
  // One transaction: COPY, upsert, offsets, COMMIT. On an error a retry
  // cannot fix, rolls back.
  Status write_transaction(const stream::Batch& batch);
  // Inside write_transaction's transaction: the batch's rows into the target.
  Status write_rows(const stream::Batch& batch);
  // True when runnel_offsets already holds exactly the batch's end offsets
  // for this job: the batch committed before the connection was lost.
  Result<bool> already_committed(const stream::Batch& batch);
  Result<std::vector<stream::SourceOffset>> stored_offsets();
  // Drops the connection and waits the next backoff; false when the give-up
  // time would pass first or a stop was requested.
  bool wait_to_retry(const Status& failure, std::chrono::steady_clock::time_point give_up_at,
                     std::chrono::milliseconds& backoff);

  PostgresSinkConfig config_;
  stream::Schema schema_;
  std::string job_;
  // How each field is written in binary COPY; nullopt when a column's type
  // takes text COPY only (copy_binary.h). Set by check_columns().
  std::optional<std::vector<BinaryColumn>> binary_columns_;
  std::string copy_sql_;         // into the staging table
  std::string copy_target_sql_;  // straight into the target
  std::optional<PgConnection> connection_;
  // Set when a write failed with the connection lost, perhaps after its
  // COMMIT reached the server: the next write attempt first checks the
  // stored offsets.
  bool commit_unknown_ = false;

  StopSignal stop_;
};

}  // namespace runnel::sinks

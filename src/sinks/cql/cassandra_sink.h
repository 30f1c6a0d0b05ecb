// The Cassandra sink: exactly once into a Cassandra, ScyllaDB or `runnel
// store` table (default spark_streams.created_users) through the CQL client.
//
// open() creates the keyspace, the table (from the job's schema; its
// primary key is the partition key) and <keyspace>.runnel_offsets when
// missing, prepares the statements, checks that every field can be written
// to its column (a table made before may differ: see cassandra_cql.h) and
// returns the job's stored offsets.
//
// write() upserts every row with the prepared INSERT, sent as unlogged
// batches (up to rows_per_request rows and about max_request_bytes of
// values each), up to max_requests_in_flight of them at once over the
// client's connections. Of two rows with the same key in one batch only
// the later is sent. Only when every row is acknowledged does it write the
// batch's end offsets (one single-partition batch, so all of them or none).
// A crash between the two leaves rows whose offsets are not stored: the job
// reads them again and the upserts overwrite them with the same values, so
// nothing is lost and nothing doubles. An error return may likewise leave
// some of the batch's rows written but never its offsets.
//
// Every write carries a client timestamp that grows from batch to batch,
// so a retried request can never overwrite a later batch's row.
// Timeouts, unavailable nodes and lost connections are retried with
// backoff (cql_client.h); the writes are idempotent, so a retry is safe.
//
// Not safe for concurrent use.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "cql/codes.h"
#include "sinks/cql/cassandra_cql.h"
#include "sinks/cql/cql_client.h"
#include "stream/sink.h"

namespace runnel::sinks {

struct CassandraSinkConfig {
  std::string contact_points = "127.0.0.1:9042";  // host:port,host:port
  CassandraTable target;                          // spark_streams.created_users
  // The replication of a keyspace the sink creates (a CQL map literal).
  std::string replication = "{'class': 'SimpleStrategy', 'replication_factor': '1'}";
  std::string user;  // PasswordAuthenticator credentials; empty: none
  std::string password;
  // LOCAL_QUORUM for rows and offsets: the offsets open() reads back are
  // those the last acknowledged batch wrote, on any replica count (with
  // replication factor 1 it is the same as ONE).
  cql::Consistency consistency = cql::Consistency::kLocalQuorum;
  int rows_per_request = 64;
  size_t max_request_bytes = 32 * 1024;  // Cassandra warns above 5 KiB, fails above 50 KiB
  int max_requests_in_flight = 32;
  int connections_per_node = 2;
  std::chrono::milliseconds request_timeout{12000};
  // Retry waits: first, doubling up to max, and the total after which
  // open() or write() gives up with an unavailable status.
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  std::chrono::milliseconds give_up_after{60000};
};

class CassandraSink final : public stream::Sink {
 public:
  explicit CassandraSink(CassandraSinkConfig config);

  std::string name() const override { return "cassandra"; }

  // invalid_argument for a schema without a primary key (every Cassandra
  // table needs one) or a bad keyspace, table or contact point.
  Result<std::vector<stream::SourceOffset>> open(const stream::Schema& schema,
                                                 const std::string& job) override;

  // REQUIRES: open() succeeded. A row without one value per field, or with
  // a value Cassandra cannot take, fails the batch as an invalid argument
  // before anything is sent.
  Status write(const stream::Batch& batch) override;

  bool stores_offsets() const override { return true; }

  // Ends the wait for the store to come back, in connecting and in the
  // client's retries: the open() or write() waiting returns unavailable.
  void request_stop() override;

 private:
  Status connect();
  // Invalid argument unless every field can be written to its column (an
  // existing table may have other types); keeps the columns' types.
  Status check_columns();
  // Runs a DDL statement; a CQL error is a failure.
  Status run_schema_statement(const std::string& cql);
  Result<std::vector<stream::SourceOffset>> stored_offsets();
  // Sends the rows as batches, many in flight; ok once all are acknowledged.
  Status write_rows(const stream::Batch& batch, std::int64_t timestamp);
  Status write_offsets(const stream::Batch& batch, std::int64_t timestamp);
  // Strictly increasing microseconds since the epoch.
  std::int64_t next_timestamp();

  CassandraSinkConfig config_;
  stream::Schema schema_;
  std::string job_;
  std::unique_ptr<CqlClient> client_;
  std::shared_ptr<const PreparedStatement> insert_;
  std::vector<cql::DataType> columns_;  // the INSERT's markers' types, in field order
  std::shared_ptr<const PreparedStatement> upsert_offset_;
  std::shared_ptr<const PreparedStatement> select_offsets_;
  std::int64_t last_timestamp_ = 0;
  // Shared with the client, so that one request stops both.
  std::shared_ptr<StopSignal> stop_ = std::make_shared<StopSignal>();
};

}  // namespace runnel::sinks

// A CQL client over a pool of connections (cql_connection.h) to the
// contact points: QUERY, PREPARE, EXECUTE and BATCH, sent one at a time
// (query(), execute(), ...) or many in flight at once (send() now, wait()
// later).
//
// Retries: a request answered with Unavailable, Overloaded or
// IsBootstrapping (the node did not apply it) is sent again after a
// backoff; so is an idempotent request answered with WriteTimeout or
// ReadTimeout, or lost with its connection or to the client's timeout
// (it may have been applied; sending it again must do no harm). A node
// that no longer knows a prepared statement (Unprepared) gets it prepared
// again and the request sent again. Retries stop after `give_up_after`.
//
// Not safe for concurrent use.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/endpoint.h"
#include "common/status.h"
#include "common/stop_signal.h"
#include "sinks/cql/cql_connection.h"
#include "sinks/cql/cql_messages.h"

namespace runnel::sinks {

// "host:port,host:port" (a host alone means port 9042); invalid_argument
// for an empty list or a bad entry.
Result<std::vector<Endpoint>> parse_contact_points(std::string_view text);

struct CqlClientOptions {
  std::vector<Endpoint> contact_points;
  CqlConnectionOptions connection;
  // Connections to each node the client uses; requests go to the least busy.
  int connections_per_node = 2;
  // Retry waits: first, doubling up to max; total time after which a
  // request fails with its last error.
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{2000};
  std::chrono::milliseconds give_up_after{30000};
  // Requested, it ends the retry waits (request_stop()); an owner that must
  // stop with the client shares it.
  std::shared_ptr<StopSignal> stop = std::make_shared<StopSignal>();
};

// A statement prepared on the nodes: its text (to prepare it again) and
// what the node answered.
struct PreparedStatement {
  std::string cql;
  store::Prepared prepared;
};

// One statement of a batch: a prepared statement and its values.
struct BatchEntry {
  std::shared_ptr<const PreparedStatement> statement;
  std::vector<store::BoundValue> values;
};

// A request as sent, kept so that it can be sent again.
struct CqlRequest {
  cql::Opcode opcode = cql::Opcode::kQuery;
  std::string body;
  bool idempotent = false;
  // The prepared statements it executes, to prepare again on Unprepared.
  std::vector<std::shared_ptr<const PreparedStatement>> statements;
};

// A request in flight.
struct PendingRequest {
  CqlRequest request;
  std::shared_ptr<CqlConnection> connection;  // null when it could not be sent
  std::future<Result<CqlFrame>> response;
  Status send_failure;  // why it could not be sent; not ok when connection is null
};

class CqlClient {
 public:
  // Connects to the first reachable contact point; unavailable naming
  // every contact point's failure when none is.
  static Result<std::unique_ptr<CqlClient>> connect(CqlClientOptions options);

  // A CQL error answer (syntax, invalid, ...) comes back as a CqlError in
  // the response; a Status is a failure to get an answer at all.
  Result<CqlResponse> query(std::string_view cql, const store::QueryParameters& parameters = {},
                            bool idempotent = false);
  // The statement, or invalid_argument carrying the node's error.
  Result<std::shared_ptr<const PreparedStatement>> prepare(std::string_view cql);
  Result<CqlResponse> execute(const std::shared_ptr<const PreparedStatement>& statement,
                              const store::QueryParameters& parameters, bool idempotent);

  static CqlRequest execute_request(const std::shared_ptr<const PreparedStatement>& statement,
                                    const store::QueryParameters& parameters, bool idempotent);
  static CqlRequest batch_request(cql::BatchType type, const std::vector<BatchEntry>& entries,
                                  cql::Consistency consistency,
                                  std::optional<std::int64_t> default_timestamp, bool idempotent);

  // Sends at once, without waiting for the answer.
  PendingRequest send(CqlRequest request);
  // The answer to a sent request, after the retries described above.
  Result<CqlResponse> wait(PendingRequest pending);

  // The keyspace the last USE chose; new connections USE it too.
  const std::string& keyspace() const { return keyspace_; }

  // Ends every retry wait now and for good: wait() returns the failure it
  // was about to retry, as unavailable. Safe from any thread.
  void request_stop();

 private:
  explicit CqlClient(CqlClientOptions options) : options_(std::move(options)) {}
  // The least busy open connection, opening new ones up to
  // connections_per_node to the first node that answers.
  Result<std::shared_ptr<CqlConnection>> pick_connection();
  Result<std::shared_ptr<CqlConnection>> open_connection();
  Status prepare_on(CqlConnection& connection, const PreparedStatement& statement);
  // The answer, or why there is none. REQUIRES: pending came from send().
  static Result<CqlResponse> receive(PendingRequest& pending);

  CqlClientOptions options_;
  std::vector<std::shared_ptr<CqlConnection>> connections_;
  size_t next_node_ = 0;  // the contact point a new connection tries first
  // While some connections are open, no more are opened before this time
  // after an attempt failed.
  std::chrono::steady_clock::time_point next_open_attempt_;
  std::string keyspace_;
};

}  // namespace runnel::sinks

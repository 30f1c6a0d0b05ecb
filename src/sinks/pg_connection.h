// One libpq connection, with errors as values. libpq's types stay inside
// pg_connection.cc. A failure comes back as:
//   - unavailable: the connection is lost or the server cannot serve now
//     (shutting down, starting up, too many connections, a serialization
//     failure or deadlock); the same work may succeed on a new connection;
//   - invalid_argument: the data is wrong (a constraint violation, a value
//     PostgreSQL cannot parse); retrying cannot fix it;
//   - internal: any other server error (a missing table, a permission).
// Messages carry PostgreSQL's own text and SQLSTATE.
//
// Movable, not copyable, not safe for concurrent use.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace runnel::sinks {

// A query's rows as text, nullopt for SQL null.
using PgRow = std::vector<std::optional<std::string>>;
using PgParams = std::vector<std::optional<std::string>>;

// True for a failure that is a unique-key violation (SQLSTATE 23505).
bool is_unique_violation(const Status& status);

class PgConnection {
 public:
  // Connects to a libpq URL or keyword string (postgresql://user@host:port/db).
  // The client encoding is UTF8; a dead peer is noticed by TCP keepalives
  // within about 20 s.
  static Result<PgConnection> connect(const std::string& url);

  PgConnection(PgConnection&&) noexcept;
  PgConnection& operator=(PgConnection&&) noexcept;
  ~PgConnection();

  // Runs `sql` (one or more statements, no parameters), discarding rows.
  Status execute(const std::string& sql);

  // Runs one statement with text parameters ($1, $2, ...) and returns its rows.
  Result<std::vector<PgRow>> query(const std::string& sql, const PgParams& params = {});

  // Prepares `sql` as `name` for this connection's lifetime.
  Status prepare(const std::string& name, const std::string& sql);
  Result<std::vector<PgRow>> execute_prepared(const std::string& name, const PgParams& params);

  // Runs `copy_sql` (a COPY ... FROM STDIN) and sends the data that
  // `next_chunk` appends to its (cleared) argument, call after call, until
  // it returns false. Ok once the server has accepted every row. When
  // `next_chunk` fails, the COPY is abandoned (the server discards every
  // row of it) and its error returned.
  Status copy_in(const std::string& copy_sql,
                 const std::function<Result<bool>(std::string&)>& next_chunk);

  // True while the connection to the server is up, as far as libpq knows.
  bool is_open() const;

 private:
  struct Handle;
  explicit PgConnection(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
};

}  // namespace runnel::sinks

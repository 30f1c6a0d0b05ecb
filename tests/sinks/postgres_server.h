// A throwaway PostgreSQL 15 cluster for the sink tests: initdb into a
// temporary directory, started with pg_ctl on a free loopback port (socket
// in the same directory, fsync on, trust authentication), stopped and
// removed at the end of the test binary. As root, the server binaries run
// as the `postgres` system user, since initdb refuses root.
//
// The cluster starts on first use (PostgresServer::shared()), so tests in
// the same binary that need no server do not pay for one; a gtest
// Environment stops it when the binary ends.
#pragma once

#include <string>

#include "common/status.h"

namespace runnel::sinks::testing {

class PostgresServer {
 public:
  // The binary's cluster, started on the first call; an error when it
  // cannot start (the message carries the commands' output and server log).
  static Result<PostgresServer*> shared();

  // postgresql://postgres@127.0.0.1:<port>/<database>
  std::string url(const std::string& database = "postgres") const;

  // Creates (or empties) a database by that name; tests use one each.
  Status create_database(const std::string& database);

  // pg_ctl stop -m fast / start / restart -m fast; each waits until done.
  Status stop();
  Status start();
  Status restart();

  // Stops the server and removes its directory.
  void destroy();

  int port() const { return port_; }
  // The server log, for failure messages.
  std::string log() const;

 private:
  PostgresServer() = default;
  Status init();
  // Runs a server binary (as the postgres user when root); its output is
  // appended to commands.log.
  Status run(const std::string& binary, const std::string& arguments);

  std::string directory_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace runnel::sinks::testing

// The CQL native protocol server (v3 and v4): accepts connections on the
// listen address and serves each with a Connection. Sockets run on the
// io_context it is given (one thread); statements run on a pool of worker
// threads, since the store blocks on syncs, so that one connection's slow
// write does not hold up another's reads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>

#include "common/endpoint.h"
#include "common/status.h"
#include "cql/frame.h"
#include "store/server/password_authenticator.h"

namespace runnel::store {

class Store;
struct SchemaChange;

namespace server {

struct CqlServerConfig {
  Endpoint listen{"127.0.0.1", 9042};
  // The largest frame body accepted, Cassandra's native_transport_max_frame_size.
  std::uint32_t max_frame_bytes = cql::kDefaultMaxFrameBodyBytes;
  // Connections beyond this are closed as soon as they are accepted.
  int max_connections = 1024;
  // Threads that run statements.
  int worker_threads = 8;
  // Set: clients must authenticate with PasswordAuthenticator.
  std::optional<Credentials> credentials;
};

class CqlServer {
 public:
  CqlServer(boost::asio::io_context& io, CqlServerConfig config);
  ~CqlServer();

  // Binds and listens; returns the bound address, with the real port when
  // the one asked for was 0 (the store shows it in system.local).
  Result<Endpoint> bind();
  // Accepts connections for `store` once the io_context runs. REQUIRES:
  // bind() succeeded; `store` outlives the server.
  void serve(Store& store);

  // Stops accepting and closes every connection; call on the io thread.
  void stop();
  // Waits for the statements already running to finish; call after stop(),
  // from a thread other than the io thread, before closing the store.
  void drain();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace server
}  // namespace runnel::store

// The store inside a process (`runnel store`, `runnel up`): a Store and its
// CQL server on a thread of their own.
#pragma once

#include <memory>
#include <string>

#include "common/endpoint.h"
#include "common/status.h"
#include "store/server/cql_server.h"
#include "store/session.h"

namespace runnel::store {

struct EmbeddedStoreConfig {
  std::string data_dir;  // the store keeps its RocksDB in <data_dir>/store
  std::size_t cache_bytes = kDefaultCacheBytes;
  server::CqlServerConfig server;
};

class EmbeddedStore {
 public:
  // Binds `config.server.listen` (port 0: any free port), opens the store
  // (replaying its write-ahead log) and starts serving on a new thread.
  static Result<std::unique_ptr<EmbeddedStore>> start(EmbeddedStoreConfig config);
  ~EmbeddedStore();  // stop()s

  // Where clients reach it: the bound address.
  const Endpoint& endpoint() const;

  // Stops accepting, closes every connection, lets the statements already
  // running finish, joins the thread and closes the store. Idempotent;
  // returns the close's result the first time.
  Status stop();

 private:
  struct State;
  explicit EmbeddedStore(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace runnel::store

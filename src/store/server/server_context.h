// What every connection of a CqlServer shares.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>

#include "store/server/cql_server.h"
#include "store/session.h"

namespace runnel::store::server {

struct ServerContext {
  Store& store;
  const CqlServerConfig& config;
  // Runs statements; see cql_server.h.
  boost::asio::thread_pool& workers;
  // Pushes a SCHEMA_CHANGE event to every connection registered for it.
  // Call on the io thread.
  std::function<void(const SchemaChange&)> broadcast_schema_change;
};

}  // namespace runnel::store::server

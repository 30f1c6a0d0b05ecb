#include "store/server/cql_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <vector>

#include "common/connection_acceptor.h"
#include "store/server/connection.h"
#include "store/server/server_context.h"

namespace runnel::store::server {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct CqlServer::State : std::enable_shared_from_this<CqlServer::State> {
  State(asio::io_context& io, CqlServerConfig config)
      : io(io),
        config(std::move(config)),
        acceptor(io),
        workers(static_cast<std::size_t>(std::max(1, this->config.worker_threads))) {}

  asio::awaitable<void> accept_connections();
  void broadcast_schema_change(const SchemaChange& change);

  asio::io_context& io;
  const CqlServerConfig config;
  tcp::acceptor acceptor;
  asio::thread_pool workers;
  std::optional<ServerContext> context;
  std::vector<std::weak_ptr<Connection>> connections;
  bool stopped = false;
};

asio::awaitable<void> CqlServer::State::accept_connections() {
  auto self = shared_from_this();
  co_await runnel::accept_connections(
      acceptor, stopped, connections,
      {"CQL connection", "--max-connections", static_cast<std::size_t>(config.max_connections)},
      [this](tcp::socket socket) {
        return std::make_shared<Connection>(std::move(socket), *context);
      });
}

void CqlServer::State::broadcast_schema_change(const SchemaChange& change) {
  for (auto& weak : connections) {
    if (auto connection = weak.lock()) connection->push_schema_change(change);
  }
}

CqlServer::CqlServer(asio::io_context& io, CqlServerConfig config)
    : state_(std::make_shared<State>(io, std::move(config))) {}

CqlServer::~CqlServer() = default;

Result<Endpoint> CqlServer::bind() {
  return listen_on(state_->acceptor, state_->config.listen);
}

void CqlServer::serve(Store& store) {
  State* state = state_.get();
  state->context.emplace(ServerContext{
      store, state->config, state->workers,
      [state](const SchemaChange& change) { state->broadcast_schema_change(change); }});
  asio::co_spawn(state_->io, state_->accept_connections(), asio::detached);
}

void CqlServer::stop() {
  state_->stopped = true;
  error_code ignored;
  state_->acceptor.close(ignored);
  for (auto& weak : state_->connections) {
    if (auto connection = weak.lock()) connection->close();
  }
}

void CqlServer::drain() { state_->workers.join(); }

}  // namespace runnel::store::server

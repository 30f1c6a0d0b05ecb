// The accept loop the protocol servers (the Kafka broker, the CQL store)
// share: each accepted socket becomes a connection that runs as its own
// coroutine on the acceptor's io_context.
#pragma once

// clang-format off
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
// clang-format on
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "common/endpoint.h"
#include "common/status.h"

namespace runnel {

// Opens, binds (with SO_REUSEADDR) and listens on `listen`; the bound
// address, with the real port when `listen` asked for port 0.
// invalid_argument for a host that is no IP address, unavailable when the
// address cannot be bound (in use, not ours).
Result<Endpoint> listen_on(boost::asio::ip::tcp::acceptor& acceptor, const Endpoint& listen);

// What the log lines call the connections and their limit, e.g.
// {"CQL connection", "--max-connections"}.
struct AcceptedConnections {
  std::string_view kind;
  std::string_view limit_name;
  std::size_t max_connections = 0;
};

// Accepts until `stopped` is set (checked after each accept). A failed
// accept (out of file descriptors and the like) waits 100 ms instead of
// spinning, then goes on. With `limits.max_connections` connections open, a
// new one is closed at once with a log line; otherwise `open(socket)` makes
// the connection, which `connections` keeps weakly and which runs
// (`connection->run()`, an awaitable) until it ends.
// REQUIRES: `acceptor`, `stopped` and `connections` outlive the loop.
template <typename Connection, typename Open>
boost::asio::awaitable<void> accept_connections(boost::asio::ip::tcp::acceptor& acceptor,
                                                const bool& stopped,
                                                std::vector<std::weak_ptr<Connection>>& connections,
                                                AcceptedConnections limits, Open open) {
  namespace asio = boost::asio;
  using boost::system::error_code;
  for (;;) {
    error_code error;
    asio::ip::tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (stopped) co_return;
    if (error) {
      spdlog::warn("accepting a {} failed: {}", limits.kind, error.message());
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    std::erase_if(connections, [](const auto& c) { return c.expired(); });
    if (connections.size() >= limits.max_connections) {
      error_code ignored;
      auto peer = socket.remote_endpoint(ignored);
      spdlog::warn("refusing {} from {}: {} connections open ({})", limits.kind,
                   peer.address().to_string(), connections.size(), limits.limit_name);
      socket.close(ignored);
      continue;
    }
    std::shared_ptr<Connection> connection = open(std::move(socket));
    connections.push_back(connection);
    asio::co_spawn(
        acceptor.get_executor(), [connection] { return connection->run(); }, asio::detached);
  }
}

}  // namespace runnel

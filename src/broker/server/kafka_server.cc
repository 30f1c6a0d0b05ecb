#include "broker/server/kafka_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <vector>

#include "broker/broker.h"
#include "broker/server/connection.h"
#include "broker/topic_registry.h"
#include "common/connection_acceptor.h"

namespace runnel::broker {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct KafkaServer::State : std::enable_shared_from_this<KafkaServer::State> {
  explicit State(asio::io_context& io) : io(io), acceptor(io), retention_timer(io) {}

  asio::awaitable<void> accept_connections();
  asio::awaitable<void> check_retention();

  asio::io_context& io;
  Broker* broker = nullptr;
  tcp::acceptor acceptor;
  asio::steady_timer retention_timer;
  std::vector<std::weak_ptr<Connection>> connections;
  bool stopped = false;
};

asio::awaitable<void> KafkaServer::State::accept_connections() {
  auto self = shared_from_this();
  co_await runnel::accept_connections(
      acceptor, stopped, connections,
      {"connection", "max.connections", static_cast<std::size_t>(broker->config().max_connections)},
      [this](tcp::socket socket) {
        return std::make_shared<Connection>(std::move(socket), *broker);
      });
}

asio::awaitable<void> KafkaServer::State::check_retention() {
  auto self = shared_from_this();
  auto interval = std::chrono::milliseconds(broker->config().retention_check_interval_ms);
  while (!stopped) {
    retention_timer.expires_after(interval);
    error_code cancelled;
    co_await retention_timer.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
    if (stopped) co_return;
    auto now = std::chrono::system_clock::now().time_since_epoch();
    broker->topics().enforce_retention(
        std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  }
}

KafkaServer::KafkaServer(asio::io_context& io) : state_(std::make_shared<State>(io)) {}

KafkaServer::~KafkaServer() = default;

Result<Endpoint> KafkaServer::bind(const Endpoint& listen) {
  return listen_on(state_->acceptor, listen);
}

void KafkaServer::serve(Broker& broker) {
  state_->broker = &broker;
  asio::co_spawn(state_->io, state_->accept_connections(), asio::detached);
  asio::co_spawn(state_->io, state_->check_retention(), asio::detached);
}

void KafkaServer::stop() {
  state_->stopped = true;
  error_code ignored;
  state_->acceptor.close(ignored);
  state_->retention_timer.cancel();
  for (auto& weak : state_->connections) {
    if (auto connection = weak.lock()) connection->close();
  }
}

}  // namespace runnel::broker
